// ZOGY's frequency-by-frequency pass (steps/lib/zogy/fourier.ts documents the equations). The
// expressions and their order are those of the TypeScript fallback, compiled without FMA
// contraction (binding.gyp: -ffp-contract=off), so both give the same bits; a test checks it.
// Native because the pass streams 14 frame-sized arrays and V8's version of the loop spilled
// registers: it was ~15% of a 2048² subtraction.
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "fft.h"
#include "napi_args.h"

namespace asterism {
namespace {

// a: N, R, Pn, Pr, D, kn, kr as (re, im) pairs. Writes P̂_D over Pn, Ŝ over Pr, Ŝ_N over N and
// Ŝ_R over R, each after reading the input at the same index.
void zogy_fourier(double* const a[14], int64_t size, double Fn, double Fr, double sigmaN, double sigmaR,
                  double F_D) {
  double *NRe = a[0], *NIm = a[1], *RRe = a[2], *RIm = a[3], *PnRe = a[4], *PnIm = a[5], *PrRe = a[6],
         *PrIm = a[7], *DRe = a[8], *DIm = a[9], *knRe = a[10], *knIm = a[11], *krRe = a[12], *krIm = a[13];
  double *PDRe = PnRe, *PDIm = PnIm, *SRe = PrRe, *SIm = PrIm, *SNRe = NRe, *SNIm = NIm, *SRRe = RRe, *SRIm = RIm;
  const double A = sigmaN * sigmaN * Fr * Fr;
  const double B = sigmaR * sigmaR * Fn * Fn;
  const double FrFn = Fr * Fn;
  for (int64_t k = 0; k < size; k++) {
    const double pnr = PnRe[k], pni = PnIm[k], prr = PrRe[k], pri = PrIm[k];
    const double abs2Pn = pnr * pnr + pni * pni;
    const double abs2Pr = prr * prr + pri * pri;
    const double den = A * abs2Pr + B * abs2Pn;
    if (!(den > 0)) {
      DRe[k] = DIm[k] = knRe[k] = knIm[k] = krRe[k] = krIm[k] = 0;
      PDRe[k] = PDIm[k] = SRe[k] = SIm[k] = SNRe[k] = SNIm[k] = SRRe[k] = SRIm[k] = 0;
      continue;
    }
    const double invSqrtDen = 1 / std::sqrt(den);
    const double invDen = 1 / den;
    const double nr = NRe[k], ni = NIm[k], rr = RRe[k], ri = RIm[k];
    const double dr = (Fr * (prr * nr - pri * ni) - Fn * (pnr * rr - pni * ri)) * invSqrtDen;  // eq. 13
    const double di = (Fr * (prr * ni + pri * nr) - Fn * (pnr * ri + pni * rr)) * invSqrtDen;
    DRe[k] = dr;
    DIm[k] = di;
    const double cD = (FrFn / F_D) * invSqrtDen;  // eq. 14
    const double pdr = cD * (prr * pnr - pri * pni);
    const double pdi = cD * (prr * pni + pri * pnr);
    PDRe[k] = pdr;
    PDIm[k] = pdi;
    const double cn = Fn * Fr * Fr * abs2Pr * invDen;  // eqs. 28-29
    const double cr = Fr * Fn * Fn * abs2Pn * invDen;
    const double knr = cn * pnr, kni = -cn * pni, krr = cr * prr, kri = -cr * pri;
    knRe[k] = knr;
    knIm[k] = kni;
    krRe[k] = krr;
    krIm[k] = kri;
    SNRe[k] = knr * nr - kni * ni;
    SNIm[k] = knr * ni + kni * nr;
    SRRe[k] = krr * rr - kri * ri;
    SRIm[k] = krr * ri + kri * rr;
    SRe[k] = F_D * (dr * pdr + di * pdi);  // eq. 17
    SIm[k] = F_D * (di * pdr - dr * pdi);
  }
}

// zogyFourier([Nre, Nim, Rre, Rim, Pnre, Pnim, Prre, Prim, Dre, Dim, knre, knim, krre, krim],
//             [Fn, Fr, sigmaN, sigmaR, F_D])
napi_value ZogyFourier(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 2) {
    napi::throw_error(env, "zogyFourier: expected (arrays, constants)");
    return nullptr;
  }
  double* arrays[14];
  size_t size = 0;
  for (uint32_t i = 0; i < 14; i++) {
    napi_value v;
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_element(env, argv[0], i, &v) != napi_ok ||
        !napi::typed_array_of(env, v, napi_float64_array, &length, &data)) {
      napi::throw_error(env, "zogyFourier: array " + std::to_string(i) + " must be a Float64Array");
      return nullptr;
    }
    if (i == 0) size = length;
    if (length != size) {
      napi::throw_error(env, "zogyFourier: array " + std::to_string(i) + " holds " + std::to_string(length) +
                    " values, array 0 holds " + std::to_string(size));
      return nullptr;
    }
    arrays[i] = static_cast<double*>(data);
  }
  double c[5];
  for (uint32_t i = 0; i < 5; i++) {
    napi_value v;
    if (napi_get_element(env, argv[1], i, &v) != napi_ok || napi_get_value_double(env, v, &c[i]) != napi_ok) {
      napi::throw_error(env, "zogyFourier: constants must be [Fn, Fr, sigmaN, sigmaR, F_D]");
      return nullptr;
    }
  }
  zogy_fourier(arrays, static_cast<int64_t>(size), c[0], c[1], c[2], c[3], c[4]);
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

}  // namespace

void register_zogy(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"zogyFourier", nullptr, ZogyFourier, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 1, props);
}

}  // namespace asterism
