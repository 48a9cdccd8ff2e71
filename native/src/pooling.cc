#include "pooling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "pool.h"

namespace asterism {
namespace {

// Offset (within one image) of the window maximum for output (oy, ox, ch), or -1 if none.
inline int64_t argmax(const PoolGeom& g, const float* img, int64_t oy, int64_t ox, int64_t ch) {
  float best = -std::numeric_limits<float>::infinity();
  int64_t at = -1;
  for (int64_t ky = 0; ky < g.kh; ky++) {
    const int64_t iy = oy * g.sh - g.pt + ky;
    if (iy < 0 || iy >= g.h) continue;
    for (int64_t kx = 0; kx < g.kw; kx++) {
      const int64_t ix = ox * g.sw - g.pl + kx;
      if (ix < 0 || ix >= g.w) continue;
      const int64_t off = (iy * g.w + ix) * g.c + ch;
      if (img[off] > best) {
        best = img[off];
        at = off;
      }
    }
  }
  return at;
}

}  // namespace

void max_pool(const PoolGeom& g, const float* x, float* y) {
  ThreadPool::instance().parallel_for(g.n * g.oh, [&](int64_t task) {
    const int64_t b = task / g.oh, oy = task % g.oh;
    const float* img = x + b * g.h * g.w * g.c;
    float* out = y + (b * g.oh + oy) * g.ow * g.c;
    for (int64_t ox = 0; ox < g.ow; ox++)
      for (int64_t ch = 0; ch < g.c; ch++) {
        const int64_t at = argmax(g, img, oy, ox, ch);
        out[ox * g.c + ch] = at < 0 ? -std::numeric_limits<float>::infinity() : img[at];
      }
  });
}

void max_pool_grad(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  // One task per image: windows may overlap, and a fixed scan order per image keeps the sums
  // deterministic.
  ThreadPool::instance().parallel_for(g.n, [&](int64_t b) {
    const float* img = x + b * g.h * g.w * g.c;
    float* dimg = dx + b * g.h * g.w * g.c;
    const float* dyi = dy + b * g.oh * g.ow * g.c;
    std::fill(dimg, dimg + g.h * g.w * g.c, 0.0f);
    for (int64_t oy = 0; oy < g.oh; oy++)
      for (int64_t ox = 0; ox < g.ow; ox++)
        for (int64_t ch = 0; ch < g.c; ch++) {
          const int64_t at = argmax(g, img, oy, ox, ch);
          if (at >= 0) dimg[at] += dyi[(oy * g.ow + ox) * g.c + ch];
        }
  });
}

void unary(int op, const float* x, float* y, int64_t n, double alpha_d) {
  const float alpha = static_cast<float>(alpha_d);
  constexpr int64_t kChunk = int64_t{1} << 16;
  ThreadPool::instance().parallel_for((n + kChunk - 1) / kChunk, [&](int64_t t) {
    const int64_t i1 = std::min(n, (t + 1) * kChunk);
    const int64_t i0 = t * kChunk;
    const double a = alpha_d;
    switch (op) {
      case 0:
        for (int64_t i = i0; i < i1; i++) y[i] = std::isnan(x[i]) ? x[i] : (x[i] > 0.0f ? x[i] : 0.0f);
        break;
      case 1:
        for (int64_t i = i0; i < i1; i++) y[i] = std::isnan(x[i]) ? x[i] : (x[i] > 0.0f ? 1.0f : alpha);
        break;
      case 2:  // leaky ReLU: the product in float64, rounded once, as tfjs's JS kernel does
        for (int64_t i = i0; i < i1; i++) y[i] = x[i] < 0.0f ? static_cast<float>(a * static_cast<double>(x[i])) : x[i];
        break;
      case 3:
        for (int64_t i = i0; i < i1; i++) y[i] = std::sqrt(x[i]);
        break;
      case 4:
        for (int64_t i = i0; i < i1; i++) y[i] = x[i] * x[i];
        break;
      default:
        break;
    }
  });
}

void sum_leading(const float* x, float* out, int64_t rows, int64_t cols) {
  // Column blocks per task; each column sums its rows in order, in float64, rounded once.
  constexpr int64_t kCols = 256;
  ThreadPool::instance().parallel_for((cols + kCols - 1) / kCols, [&](int64_t t) {
    const int64_t j0 = t * kCols, j1 = std::min(cols, j0 + kCols);
    double acc[kCols] = {0};
    for (int64_t r = 0; r < rows; r++) {
      const float* row = x + r * cols;
      for (int64_t j = j0; j < j1; j++) acc[j - j0] += static_cast<double>(row[j]);
    }
    for (int64_t j = j0; j < j1; j++) out[j] = static_cast<float>(acc[j - j0]);
  });
}

}  // namespace asterism
