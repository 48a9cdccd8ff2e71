#include "direct_conv.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "pool.h"

namespace asterism {
namespace {

using Tile = void (*)(int64_t taps, int64_t cin, const float* const* rows, const float* b, float* out);

// rows[t * kMR + r]: input pixel of output row r at tap t (a zero row when outside the image).
void tile_scalar(int64_t taps, int64_t cin, const float* const* rows, const float* b, float* out) {
  float acc[kMR][kNR];
  for (int r = 0; r < kMR; r++)
    for (int j = 0; j < kNR; j++) acc[r][j] = 0.0f;
  for (int64_t t = 0; t < taps; t++) {
    const float* const* rr = rows + t * kMR;
    for (int64_t ci = 0; ci < cin; ci++) {
      for (int r = 0; r < kMR; r++) {
        const float a = rr[r][ci];
        for (int j = 0; j < kNR; j++) acc[r][j] = std::fma(a, b[j], acc[r][j]);
      }
      b += kNR;
    }
  }
  for (int r = 0; r < kMR; r++)
    for (int j = 0; j < kNR; j++) out[r * kNR + j] = acc[r][j];
}

__attribute__((target("avx2,fma"))) void tile_avx2(int64_t taps, int64_t cin, const float* const* rows,
                                                    const float* b, float* out) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t t = 0; t < taps; t++) {
    const float* r0 = rows[t * kMR + 0];
    const float* r1 = rows[t * kMR + 1];
    const float* r2 = rows[t * kMR + 2];
    const float* r3 = rows[t * kMR + 3];
    const float* r4 = rows[t * kMR + 4];
    const float* r5 = rows[t * kMR + 5];
    for (int64_t ci = 0; ci < cin; ci++) {
      const __m256 b0 = _mm256_loadu_ps(b);
      const __m256 b1 = _mm256_loadu_ps(b + 8);
      __m256 a = _mm256_broadcast_ss(r0 + ci);
      c00 = _mm256_fmadd_ps(a, b0, c00);
      c01 = _mm256_fmadd_ps(a, b1, c01);
      a = _mm256_broadcast_ss(r1 + ci);
      c10 = _mm256_fmadd_ps(a, b0, c10);
      c11 = _mm256_fmadd_ps(a, b1, c11);
      a = _mm256_broadcast_ss(r2 + ci);
      c20 = _mm256_fmadd_ps(a, b0, c20);
      c21 = _mm256_fmadd_ps(a, b1, c21);
      a = _mm256_broadcast_ss(r3 + ci);
      c30 = _mm256_fmadd_ps(a, b0, c30);
      c31 = _mm256_fmadd_ps(a, b1, c31);
      a = _mm256_broadcast_ss(r4 + ci);
      c40 = _mm256_fmadd_ps(a, b0, c40);
      c41 = _mm256_fmadd_ps(a, b1, c41);
      a = _mm256_broadcast_ss(r5 + ci);
      c50 = _mm256_fmadd_ps(a, b0, c50);
      c51 = _mm256_fmadd_ps(a, b1, c51);
      b += kNR;
    }
  }
  const __m256 rows_out[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int r = 0; r < kMR; r++) {
    _mm256_storeu_ps(out + r * kNR, rows_out[r][0]);
    _mm256_storeu_ps(out + r * kNR + 8, rows_out[r][1]);
  }
}

Tile choose_tile() {
  const char* force = std::getenv("ASTERISM_NATIVE_SIMD");
  if (force != nullptr && std::strcmp(force, "scalar") == 0) return tile_scalar;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return tile_avx2;
  return tile_scalar;
}

const Tile kTile = choose_tile();

constexpr int64_t kSliversPerTask = 8;

}  // namespace

void conv2d_direct(const ConvGeom& g, const float* x, const float* f, float* y) {
  const int64_t taps = g.kh * g.kw, k = taps * g.cin, m = g.n * g.oh * g.ow;
  const int64_t panels = (g.cout + kNR - 1) / kNR;
  // Filter panels: [panel][k][16], zero-padded past cout.
  std::vector<float> bp(static_cast<size_t>(panels * k * kNR), 0.0f);
  for (int64_t jp = 0; jp < panels; jp++)
    for (int64_t p = 0; p < k; p++)
      for (int64_t j = 0; j < kNR && jp * kNR + j < g.cout; j++)
        bp[(jp * k + p) * kNR + j] = f[p * g.cout + jp * kNR + j];
  const std::vector<float> zeros(static_cast<size_t>(std::max<int64_t>(g.cin, 1)), 0.0f);

  const int64_t slivers = (m + kMR - 1) / kMR;
  const int64_t blocks = (slivers + kSliversPerTask - 1) / kSliversPerTask;
  ThreadPool::instance().parallel_for(blocks * panels, [&](int64_t task) {
    const int64_t blk = task / panels, jp = task % panels;
    std::vector<const float*> rows(static_cast<size_t>(taps * kMR));
    alignas(64) float out[kMR * kNR];
    const int64_t nr = std::min<int64_t>(kNR, g.cout - jp * kNR);
    const float* bpanel = bp.data() + jp * k * kNR;
    const int64_t s1 = std::min(slivers, (blk + 1) * kSliversPerTask);
    for (int64_t s = blk * kSliversPerTask; s < s1; s++) {
      for (int r = 0; r < kMR; r++) {
        const int64_t mi = s * kMR + r;
        if (mi >= m) {
          for (int64_t t = 0; t < taps; t++) rows[t * kMR + r] = zeros.data();
          continue;
        }
        const int64_t ox = mi % g.ow, oy = (mi / g.ow) % g.oh, b = mi / (g.ow * g.oh);
        const float* img = x + b * g.h * g.w * g.cin;
        for (int64_t t = 0; t < taps; t++) {
          const int64_t iy = oy * g.sh - g.pt + (t / g.kw) * g.dh;
          const int64_t ix = ox * g.sw - g.pl + (t % g.kw) * g.dw;
          rows[t * kMR + r] =
              (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) ? img + (iy * g.w + ix) * g.cin : zeros.data();
        }
      }
      kTile(taps, g.cin, rows.data(), bpanel, out);
      const int64_t mr = std::min<int64_t>(kMR, m - s * kMR);
      for (int64_t r = 0; r < mr; r++)
        std::memcpy(y + (s * kMR + r) * g.cout + jp * kNR, out + r * kNR, static_cast<size_t>(nr) * sizeof(float));
    }
  });
}

}  // namespace asterism
