// The FFT kernels (fft_kernels.inc) compiled for AVX2 + FMA: one lane vector is a __m256d, four
// doubles, so each butterfly transforms four columns (or rows) at once. Chosen at run time only
// where the CPU has AVX2 and FMA (fft_napi.cc); every function below the pragma is AVX2 code, so
// all library headers are included before it.
#include <immintrin.h>

#include "fft.h"
#include "fft_plan.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace asterism::fft {
namespace avx2 {

using V = __m256d;
static inline V vload(const double* p) { return _mm256_loadu_pd(p); }
static inline void vstore(double* p, V a) { _mm256_storeu_pd(p, a); }
static inline V vset1(double a) { return _mm256_set1_pd(a); }
static inline V vzero() { return _mm256_setzero_pd(); }
static inline V vadd(V a, V b) { return _mm256_add_pd(a, b); }
static inline V vsub(V a, V b) { return _mm256_sub_pd(a, b); }
static inline V vmul(V a, V b) { return _mm256_mul_pd(a, b); }
static inline V vneg(V a) { return _mm256_xor_pd(a, _mm256_set1_pd(-0.0)); }
static inline V vfma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
static inline V vfms(V a, V b, V c) { return _mm256_fmsub_pd(a, b, c); }
static inline void vtranspose(V& a, V& b, V& c, V& d) {
  const V t0 = _mm256_unpacklo_pd(a, b), t1 = _mm256_unpackhi_pd(a, b);  // a0 b0 a2 b2 | a1 b1 a3 b3
  const V t2 = _mm256_unpacklo_pd(c, d), t3 = _mm256_unpackhi_pd(c, d);
  a = _mm256_permute2f128_pd(t0, t2, 0x20);
  b = _mm256_permute2f128_pd(t1, t3, 0x20);
  c = _mm256_permute2f128_pd(t0, t2, 0x31);
  d = _mm256_permute2f128_pd(t1, t3, 0x31);
}

#include "fft_kernels.inc"
#include "fft_2d.inc"

}  // namespace avx2

extern const Backend kAvx2Backend = {"avx2-fma", avx2::c2c, avx2::r2c, avx2::c2r};

}  // namespace asterism::fft

#pragma GCC pop_options
