// N-API entry points of the native 2-D FFT (fft.h). Arrays are caller-allocated Float64Arrays in
// the split complex layout of steps/lib/image/types.ts (separate re and im, row-major). The
// transforms are single-threaded: the caller's process is "one core".
#include <node_api.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fft.h"
#include "napi_args.h"

namespace asterism {
namespace {

using napi::get_args;
using napi::throw_error;

// Every FFT buffer has an exact length.
bool doubles(napi_env env, napi_value v, int64_t need, double** out, const char* name) {
  return napi::get_float64s(env, v, need, napi::Length::kExact, out, name);
}

using fft::Backend;

/** AVX2+FMA where the CPU has them, unless ASTERISM_FFT_SIMD=scalar asks for the portable build. */
const Backend& backend() {
  static const Backend* chosen = [] {
    const char* force = getenv("ASTERISM_FFT_SIMD");
    if (force != nullptr && strcmp(force, "scalar") == 0) return &fft::kScalarBackend;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &fft::kAvx2Backend;
    return &fft::kScalarBackend;
  }();
  return *chosen;
}

bool size(napi_env env, napi_value v, int64_t* out, const char* name) {
  if (napi_get_value_int64(env, v, out) != napi_ok || *out < 1 || *out > (int64_t{1} << 30))
    return throw_error(env, std::string(name) + " must be a positive integer");
  return true;
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

napi_value out_of_memory(napi_env env) {
  throw_error(env, "fft: out of memory for the working buffers");
  return nullptr;
}

// fftComplex2d(re, im, outRe, outIm, width, height, inverse): numpy fft2 / ifft2; out may be in.
napi_value Complex2d(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  int64_t w, h;
  bool inverse = false;
  double *re, *im, *ore, *oim;
  if (!get_args(env, info, 7, argv) || !size(env, argv[4], &w, "width") || !size(env, argv[5], &h, "height"))
    return nullptr;
  if (!doubles(env, argv[0], w * h, &re, "re") || !doubles(env, argv[1], w * h, &im, "im") ||
      !doubles(env, argv[2], w * h, &ore, "outRe") || !doubles(env, argv[3], w * h, &oim, "outIm"))
    return nullptr;
  napi_get_value_bool(env, argv[6], &inverse);
  if (!backend().c2c(re, im, ore, oim, w, h, inverse)) return out_of_memory(env);
  return undefined(env);
}

// fftReal2d(data, outRe, outIm, width, height): numpy rfft2; out is height × (width/2 + 1).
napi_value Real2d(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int64_t w, h;
  double *data, *ore, *oim;
  if (!get_args(env, info, 5, argv) || !size(env, argv[3], &w, "width") || !size(env, argv[4], &h, "height"))
    return nullptr;
  const int64_t half = (w / 2 + 1) * h;
  if (!doubles(env, argv[0], w * h, &data, "data") || !doubles(env, argv[1], half, &ore, "outRe") ||
      !doubles(env, argv[2], half, &oim, "outIm"))
    return nullptr;
  if (!backend().r2c(data, ore, oim, w, h)) return out_of_memory(env);
  return undefined(env);
}

// fftRealInverse2d(re, im, out, width, height, overwriteInput?): numpy irfft2(s=(height, width));
// width = output width; with overwriteInput the spectrum's arrays are used as scratch.
napi_value RealInverse2d(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  size_t argc = 6;
  int64_t w, h;
  bool overwrite = false;
  double *re, *im, *out;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 5) {
    throw_error(env, "expected 5 or 6 arguments");
    return nullptr;
  }
  if (!size(env, argv[3], &w, "width") || !size(env, argv[4], &h, "height")) return nullptr;
  if (argc > 5) napi_get_value_bool(env, argv[5], &overwrite);
  const int64_t half = (w / 2 + 1) * h;
  if (!doubles(env, argv[0], half, &re, "re") || !doubles(env, argv[1], half, &im, "im") ||
      !doubles(env, argv[2], w * h, &out, "out"))
    return nullptr;
  if (!backend().c2r(re, im, out, w, h, overwrite)) return out_of_memory(env);
  return undefined(env);
}

// fftInfo(): { simd } — which build of the kernels runs.
napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, simd;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, backend().name, NAPI_AUTO_LENGTH, &simd);
  napi_set_named_property(env, obj, "simd", simd);
  return obj;
}

}  // namespace

void register_fft(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"fftComplex2d", nullptr, Complex2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fftReal2d", nullptr, Real2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fftRealInverse2d", nullptr, RealInverse2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fftInfo", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  register_zogy(env, exports);
}

}  // namespace asterism
