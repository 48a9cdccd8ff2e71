// Linear SVM by dual coordinate descent (Hsieh et al. 2008, Algorithm 3 with shrinking), the
// native twin of steps/lib/svm/dual-cd.ts. It must give the SAME BITS as the TypeScript solver:
// the same xoshiro128** stream for the per-pass shuffle, the same update order, and the same
// floating-point operations in the same order — the dot product keeps eight partial sums (lane
// j mod 8, the tail in a ninth) and combines them as ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)) + tail,
// which is exactly what two 4-wide AVX2 accumulators give. No FMA (the addon builds with
// -ffp-contract=off and the AVX2 code multiplies and adds separately), so rounding matches.
// Several label vectors (one SVM per physical parameter) are fitted on up to `threads` threads.
#include "svm.h"

#include "napi_args.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace asterism {
namespace {

using napi::get_float64s;
using napi::Length;
using napi::throw_error;

// xoshiro128** seeded by splitmix32, as steps/lib/random.ts.
class Xoshiro128 {
 public:
  explicit Xoshiro128(uint32_t seed) {
    uint32_t state = seed;
    uint32_t words[4];
    for (uint32_t& w : words) {
      state += 0x9e3779b9u;
      uint32_t z = state;
      z = (z ^ (z >> 16)) * 0x85ebca6bu;
      z = (z ^ (z >> 13)) * 0xc2b2ae35u;
      w = z ^ (z >> 16);
    }
    s0_ = words[0], s1_ = words[1], s2_ = words[2], s3_ = words[3];
    if ((s0_ | s1_ | s2_ | s3_) == 0) s0_ = 1;
  }
  uint32_t next() {
    const uint32_t result = rotl(s1_ * 5u, 7) * 9u;
    const uint32_t t = s1_ << 9;
    s2_ ^= s0_;
    s3_ ^= s1_;
    s1_ ^= s2_;
    s0_ ^= s3_;
    s2_ ^= t;
    s3_ = rotl(s3_, 11);
    return result;
  }
  // Uniform in [0, n) by rejection on the top of the 32-bit range (Random.integer).
  uint32_t integer(uint32_t n) {
    const uint64_t range = uint64_t{1} << 32;
    const uint64_t limit = range - range % n;
    uint64_t x = next();
    while (x >= limit) x = next();
    return static_cast<uint32_t>(x % n);
  }

 private:
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t s0_, s1_, s2_, s3_;
};

// Σ w[j]·x[j] with the fixed eight-lane order described above (portable version).
double dot_scalar(const double* w, const double* x, int64_t d) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 7 < d; j += 8)
    for (int l = 0; l < 8; l++) s[l] += w[j + l] * x[j + l];
  double tail = 0;
  for (; j < d; j++) tail += w[j] * x[j];
  return (((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))) + tail;
}

void axpy_scalar(double* w, double a, const double* x, int64_t d) {
  for (int64_t j = 0; j < d; j++) w[j] += a * x[j];
}

__attribute__((target("avx2"))) double dot_avx2(const double* w, const double* x, int64_t d) {
  __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();  // lanes 0–3 and 4–7
  int64_t j = 0;
  for (; j + 7 < d; j += 8) {
    lo = _mm256_add_pd(lo, _mm256_mul_pd(_mm256_loadu_pd(w + j), _mm256_loadu_pd(x + j)));
    hi = _mm256_add_pd(hi, _mm256_mul_pd(_mm256_loadu_pd(w + j + 4), _mm256_loadu_pd(x + j + 4)));
  }
  double tail = 0;
  for (; j < d; j++) tail += w[j] * x[j];
  const __m256d v = _mm256_add_pd(lo, hi);  // (s0+s4, s1+s5, s2+s6, s3+s7)
  const __m128d h = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return (_mm_cvtsd_f64(h) + _mm_cvtsd_f64(_mm_unpackhi_pd(h, h))) + tail;
}

__attribute__((target("avx2"))) void axpy_avx2(double* w, double a, const double* x, int64_t d) {
  const __m256d av = _mm256_set1_pd(a);
  int64_t j = 0;
  for (; j + 3 < d; j += 4)
    _mm256_storeu_pd(w + j, _mm256_add_pd(_mm256_loadu_pd(w + j), _mm256_mul_pd(av, _mm256_loadu_pd(x + j))));
  for (; j < d; j++) w[j] += a * x[j];
}

struct Kernels {
  double (*dot)(const double*, const double*, int64_t);
  void (*axpy)(double*, double, const double*, int64_t);
};

Kernels pick_kernels() {
  if (__builtin_cpu_supports("avx2")) return {dot_avx2, axpy_avx2};
  return {dot_scalar, axpy_scalar};
}

// One fit; mirrors dualCoordinateDescent in steps/lib/svm/dual-cd.ts statement by statement.
void solve(const SvmProblem& p, const double* y, double* out, const Kernels& k) {
  const int64_t n = p.rows, d = p.cols;
  const double B = p.bias_feature, upper = p.upper, diag = p.diag;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> w(static_cast<size_t>(d), 0.0), alpha(static_cast<size_t>(n), 0.0),
      qii(static_cast<size_t>(n));
  double wB = 0;
  for (int64_t i = 0; i < n; i++) {
    double s = B * B + diag;
    const double* x = p.data + i * d;
    for (int64_t j = 0; j < d; j++) s += x[j] * x[j];
    qii[i] = s;
  }
  std::vector<int32_t> index(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) index[i] = static_cast<int32_t>(i);
  Xoshiro128 rng(p.seed);
  int64_t active = n;
  double pg_max_old = inf, pg_min_old = -inf;
  int64_t iter = 0;
  bool converged = false;
  while (iter < p.max_iter) {
    double pg_max_new = -inf, pg_min_new = inf;
    for (int64_t s = active - 1; s > 0; s--) {
      const uint32_t j = rng.integer(static_cast<uint32_t>(s + 1));
      std::swap(index[s], index[j]);
    }
    for (int64_t s = 0; s < active; s++) {
      const int32_t i = index[s];
      const double yi = y[i];
      const double* x = p.data + static_cast<int64_t>(i) * d;
      // The next sample is a random row: ask for its cache lines while this one is processed.
      if (s + 1 < active) {
        const char* next = reinterpret_cast<const char*>(p.data + static_cast<int64_t>(index[s + 1]) * d);
        for (int64_t b = 0; b < d * 8; b += 64) __builtin_prefetch(next + b);
      }
      const double wx = wB * B + k.dot(w.data(), x, d);
      const double ai = alpha[i];
      const double G = yi * wx - 1 + ai * diag;
      double PG = 0;
      if (ai == 0) {
        if (G > pg_max_old) {
          active--;
          std::swap(index[s], index[active]);
          s--;
          continue;
        }
        if (G < 0) PG = G;
      } else if (ai == upper) {
        if (G < pg_min_old) {
          active--;
          std::swap(index[s], index[active]);
          s--;
          continue;
        }
        if (G > 0) PG = G;
      } else {
        PG = G;
      }
      if (PG > pg_max_new) pg_max_new = PG;
      if (PG < pg_min_new) pg_min_new = PG;
      if (PG > 1e-12 || PG < -1e-12) {
        const double a_new = std::min(std::max(ai - G / qii[i], 0.0), upper);
        alpha[i] = a_new;
        const double step = (a_new - ai) * yi;
        k.axpy(w.data(), step, x, d);
        wB += step * B;
      }
    }
    iter++;
    if (pg_max_new - pg_min_new <= p.tol) {
      if (active == n) {
        converged = true;
        break;
      }
      active = n;
      pg_max_old = inf;
      pg_min_old = -inf;
      continue;
    }
    pg_max_old = pg_max_new > 0 ? pg_max_new : inf;
    pg_min_old = pg_min_new < 0 ? pg_min_new : -inf;
  }
  std::copy(w.begin(), w.end(), out);
  out[d] = wB;
  out[d + 1] = static_cast<double>(iter);
  out[d + 2] = converged ? 1 : 0;
}

// svmDualCd(data, labels, settings, out): data n×d row-major; labels k×n in {−1, +1};
// settings [n, d, k, upper, diag, tol, maxIter, biasFeature, seed, threads]; out k×(d+3) gets
// per fit w, w_B, passes, converged (1/0). Runs synchronously; the fits share the threads.
napi_value SvmDualCd(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 4) {
    throw_error(env, "svmDualCd expects 4 arguments");
    return nullptr;
  }
  double* settings;
  if (!get_float64s(env, argv[2], 10, Length::kAtLeast, &settings, "settings")) return nullptr;
  const double n_f = settings[0], d_f = settings[1], k_f = settings[2];
  if (!(n_f >= 1 && d_f >= 1 && k_f >= 1 && n_f < 2147483647.0 && d_f * n_f < 9e15 && settings[9] >= 1)) {
    throw_error(env, "svmDualCd: bad sizes or thread count");
    return nullptr;
  }
  SvmProblem p{};
  p.rows = static_cast<int64_t>(n_f);
  p.cols = static_cast<int64_t>(d_f);
  const int64_t count = static_cast<int64_t>(k_f);
  p.upper = settings[3];
  p.diag = settings[4];
  p.tol = settings[5];
  p.max_iter = static_cast<int64_t>(settings[6]);
  p.bias_feature = settings[7];
  p.seed = static_cast<uint32_t>(static_cast<int64_t>(settings[8]));
  double *labels, *out;
  if (!get_float64s(env, argv[0], p.rows * p.cols, Length::kAtLeast, const_cast<double**>(&p.data), "data") ||
      !get_float64s(env, argv[1], count * p.rows, Length::kAtLeast, &labels, "labels") ||
      !get_float64s(env, argv[3], count * (p.cols + 3), Length::kAtLeast, &out, "out"))
    return nullptr;
  const Kernels k = pick_kernels();
  const int64_t threads = std::min<int64_t>(static_cast<int64_t>(settings[9]), count);
  std::atomic<int64_t> next{0};
  auto work = [&]() {
    for (int64_t f = next++; f < count; f = next++) solve(p, labels + f * p.rows, out + f * (p.cols + 3), k);
  };
  std::vector<std::thread> helpers;
  try {
    for (int64_t t = 1; t < threads; t++) helpers.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started and this one share the fits.
  }
  work();
  for (std::thread& h : helpers) h.join();
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

}  // namespace

void register_svm(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "svmDualCd", NAPI_AUTO_LENGTH, SvmDualCd, nullptr, &fn);
  napi_set_named_property(env, exports, "svmDualCd", fn);
}

}  // namespace asterism
