#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "pool.h"

namespace asterism {
namespace {

using Kernel = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate);

// Scalar reference: acc = fma(a, b, acc) over k, then C = acc or C = C + acc. The AVX2 kernel
// does exactly these operations lane by lane.
void kernel_scalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  float acc[kMR][kNR];
  for (int r = 0; r < kMR; r++)
    for (int j = 0; j < kNR; j++) acc[r][j] = 0.0f;
  for (int64_t p = 0; p < kc; p++) {
    for (int r = 0; r < kMR; r++) {
      const float ar = a[r];
      for (int j = 0; j < kNR; j++) acc[r][j] = std::fma(ar, b[j], acc[r][j]);
    }
    a += kMR;
    b += kNR;
  }
  for (int r = 0; r < kMR; r++) {
    float* cr = c + r * ldc;
    for (int j = 0; j < kNR; j++) cr[j] = accumulate ? cr[j] + acc[r][j] : acc[r][j];
  }
}

__attribute__((target("avx2,fma"))) void kernel_avx2(int64_t kc, const float* a, const float* b, float* c,
                                                      int64_t ldc, bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    __m256 ar = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(ar, b0, c00);
    c01 = _mm256_fmadd_ps(ar, b1, c01);
    ar = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(ar, b0, c10);
    c11 = _mm256_fmadd_ps(ar, b1, c11);
    ar = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(ar, b0, c20);
    c21 = _mm256_fmadd_ps(ar, b1, c21);
    ar = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(ar, b0, c30);
    c31 = _mm256_fmadd_ps(ar, b1, c31);
    ar = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(ar, b0, c40);
    c41 = _mm256_fmadd_ps(ar, b1, c41);
    ar = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(ar, b0, c50);
    c51 = _mm256_fmadd_ps(ar, b1, c51);
    a += kMR;
    b += kNR;
  }
  const __m256 rows[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int r = 0; r < kMR; r++) {
    float* cr = c + r * ldc;
    if (accumulate) {
      _mm256_storeu_ps(cr, _mm256_add_ps(_mm256_loadu_ps(cr), rows[r][0]));
      _mm256_storeu_ps(cr + 8, _mm256_add_ps(_mm256_loadu_ps(cr + 8), rows[r][1]));
    } else {
      _mm256_storeu_ps(cr, rows[r][0]);
      _mm256_storeu_ps(cr + 8, rows[r][1]);
    }
  }
}

Kernel choose_kernel() {
  const char* force = std::getenv("ASTERISM_NATIVE_SIMD");
  if (force != nullptr && std::strcmp(force, "scalar") == 0) return kernel_scalar;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return kernel_avx2;
  return kernel_scalar;
}

const Kernel kKernel = choose_kernel();

// An edge tile goes through a full tile in scratch memory, so it sees the same operations.
inline void micro_tile(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate, int mr,
                       int nr) {
  if (mr == kMR && nr == kNR) {
    kKernel(kc, a, b, c, ldc, accumulate);
    return;
  }
  alignas(64) float tmp[kMR * kNR];
  kKernel(kc, a, b, tmp, kNR, false);
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tmp[r * kNR + j] : tmp[r * kNR + j];
}

struct AlignedFree {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float, AlignedFree>;

Buffer aligned_floats(int64_t count) {
  size_t bytes = static_cast<size_t>(std::max<int64_t>(count, 16)) * sizeof(float);
  bytes = (bytes + 63) / 64 * 64;
  return Buffer(static_cast<float*>(std::aligned_alloc(64, bytes)));
}

}  // namespace

const char* simd_name() { return kKernel == kernel_avx2 ? "avx2-fma" : "scalar-fma"; }

void DenseA::pack(float* dst, int64_t i0, int64_t mc, int64_t p0, int64_t kc) const {
  for (int64_t s = 0; s < mc; s += kMR) {
    float* d = dst + (s / kMR) * kc * kMR;
    const int64_t rows = std::min<int64_t>(kMR, m_ - (i0 + s));
    if (!trans_) {
      for (int r = 0; r < kMR; r++) {
        if (r < rows) {
          const float* src = a_ + (i0 + s + r) * lda_ + p0;
          for (int64_t p = 0; p < kc; p++) d[p * kMR + r] = src[p];
        } else {
          for (int64_t p = 0; p < kc; p++) d[p * kMR + r] = 0.0f;
        }
      }
    } else {
      for (int64_t p = 0; p < kc; p++) {
        const float* src = a_ + (p0 + p) * lda_ + i0 + s;
        int r = 0;
        for (; r < rows; r++) d[p * kMR + r] = src[r];
        for (; r < kMR; r++) d[p * kMR + r] = 0.0f;
      }
    }
  }
}

void DenseB::pack_panel(float* d, int64_t jp, int64_t p0, int64_t kc) const {
  const int64_t j0 = jp * kNR;
  const int64_t nr = std::min<int64_t>(kNR, n_ - j0);
  if (!trans_) {
    for (int64_t p = 0; p < kc; p++) {
      const float* src = b_ + (p0 + p) * ldb_ + j0;
      int64_t j = 0;
      for (; j < nr; j++) d[p * kNR + j] = src[j];
      for (; j < kNR; j++) d[p * kNR + j] = 0.0f;
    }
  } else {
    for (int64_t j = 0; j < kNR; j++) {
      if (j < nr) {
        const float* src = b_ + (j0 + j) * ldb_ + p0;
        for (int64_t p = 0; p < kc; p++) d[p * kNR + j] = src[p];
      } else {
        for (int64_t p = 0; p < kc; p++) d[p * kNR + j] = 0.0f;
      }
    }
  }
}

void sgemm(const PackA& a, const PackB& b, int64_t m, int64_t n, int64_t k, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; i++) std::memset(c + i * ldc, 0, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  const int64_t panels = (n + kNR - 1) / kNR;
  Buffer bp = aligned_floats(panels * kKC * kNR);
  float* bpack = bp.get();
  ThreadPool& pool = ThreadPool::instance();

  // Tasks tile C in (row block × panel chunk); the tiling only decides who computes an element,
  // never how, so the thread count cannot change a result.
  const int64_t mBlocks = (m + kMC - 1) / kMC;
  // With one row block every task repacks all of A, so fewer, larger chunks pay off there.
  const int64_t want = (mBlocks == 1 ? 2 : 4) * static_cast<int64_t>(pool.threads());
  int64_t nChunks = std::min<int64_t>(panels, std::max<int64_t>(1, (want + mBlocks - 1) / mBlocks));
  const int64_t perChunk = (panels + nChunks - 1) / nChunks;
  nChunks = (panels + perChunk - 1) / perChunk;
  if (mBlocks == 1) {
    // One row block (small M: filter gradients, dense layers): each B panel is used by one task
    // only, so every task packs its own panels and runs the whole K loop — one synchronisation
    // per product instead of two per K block. Same operations in the same order as below.
    pool.parallel_for(nChunks, [&](int64_t jc) {
      thread_local std::vector<float> abuf, bbuf;
      if (abuf.size() < static_cast<size_t>(kMC * kKC + 16)) abuf.resize(kMC * kKC + 16);
      if (bbuf.size() < static_cast<size_t>(kKC * kNR + 16)) bbuf.resize(kKC * kNR + 16);
      const int64_t jp0 = jc * perChunk, jp1 = std::min<int64_t>(panels, jp0 + perChunk);
      for (int64_t p0 = 0; p0 < k; p0 += kKC) {
        const int64_t kc = std::min<int64_t>(kKC, k - p0);
        a.pack(abuf.data(), 0, m, p0, kc);
        for (int64_t jp = jp0; jp < jp1; jp++) {
          b.pack_panel(bbuf.data(), jp, p0, kc);
          const int nr = static_cast<int>(std::min<int64_t>(kNR, n - jp * kNR));
          for (int64_t s = 0; s < m; s += kMR) {
            const int mr = static_cast<int>(std::min<int64_t>(kMR, m - s));
            micro_tile(kc, abuf.data() + (s / kMR) * kc * kMR, bbuf.data(), c + s * ldc + jp * kNR, ldc, p0 > 0, mr,
                       nr);
          }
        }
      }
    });
    return;
  }
  // One kKC-deep slice of B is packed at a time (by all threads), then every task multiplies
  // its A block by it: memory stays O(kKC · N) whatever K is.
  for (int64_t p0 = 0; p0 < k; p0 += kKC) {
    const int64_t kc = std::min<int64_t>(kKC, k - p0);
    pool.parallel_for(panels, [&](int64_t jp) { b.pack_panel(bpack + jp * kc * kNR, jp, p0, kc); });
    pool.parallel_for(mBlocks * nChunks, [&](int64_t task) {
      thread_local std::vector<float> abuf;
      if (abuf.size() < static_cast<size_t>(kMC * kKC + 16)) abuf.resize(kMC * kKC + 16);
      float* ap = abuf.data();
      const int64_t ib = task / nChunks, jc = task % nChunks;
      const int64_t i0 = ib * kMC, mc = std::min<int64_t>(kMC, m - i0);
      const int64_t jp0 = jc * perChunk, jp1 = std::min<int64_t>(panels, jp0 + perChunk);
      a.pack(ap, i0, mc, p0, kc);
      for (int64_t jp = jp0; jp < jp1; jp++) {
        const float* bpanel = bpack + jp * kc * kNR;
        const int nr = static_cast<int>(std::min<int64_t>(kNR, n - jp * kNR));
        for (int64_t s = 0; s < mc; s += kMR) {
          const int mr = static_cast<int>(std::min<int64_t>(kMR, mc - s));
          micro_tile(kc, ap + (s / kMR) * kc * kMR, bpanel, c + (i0 + s) * ldc + jp * kNR, ldc, p0 > 0, mr, nr);
        }
      }
    });
  }
}

}  // namespace asterism
