#include "conv.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "gemm.h"
#include "pool.h"

namespace asterism {
namespace {

// Row m = output pixel (b, oy, ox); column p = (ky, kx, ci): the im2col matrix, never stored.
class Im2colA final : public PackA {
 public:
  Im2colA(const ConvGeom& g, const float* x) : g_(g), x_(x), m_(g.n * g.oh * g.ow) {}

  void pack(float* dst, int64_t i0, int64_t mc, int64_t p0, int64_t kc) const override {
    const ConvGeom& g = g_;
    for (int64_t s = 0; s < mc; s += kMR) {
      float* d = dst + (s / kMR) * kc * kMR;
      for (int r = 0; r < kMR; r++) {
        const int64_t m = i0 + s + r;
        if (m >= m_) {
          for (int64_t q = 0; q < kc; q++) d[q * kMR + r] = 0.0f;
          continue;
        }
        const int64_t ox = m % g.ow, oy = (m / g.ow) % g.oh, b = m / (g.ow * g.oh);
        const int64_t iy0 = oy * g.sh - g.pt, ix0 = ox * g.sw - g.pl;
        int64_t ci = p0 % g.cin, tap = p0 / g.cin;
        int64_t q = 0;
        while (q < kc) {
          const int64_t run = std::min<int64_t>(g.cin - ci, kc - q);
          const int64_t ky = tap / g.kw, kx = tap % g.kw;
          const int64_t iy = iy0 + ky * g.dh, ix = ix0 + kx * g.dw;
          if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) {
            const float* src = x_ + ((b * g.h + iy) * g.w + ix) * g.cin + ci;
            for (int64_t t = 0; t < run; t++) d[(q + t) * kMR + r] = src[t];
          } else {
            for (int64_t t = 0; t < run; t++) d[(q + t) * kMR + r] = 0.0f;
          }
          q += run;
          ci = 0;
          tap++;
        }
      }
    }
  }

 private:
  ConvGeom g_;
  const float* x_;
  int64_t m_;
};

// The transpose: row p = (ky, kx, ci), column m = output pixel.
class Im2colTA final : public PackA {
 public:
  Im2colTA(const ConvGeom& g, const float* x) : g_(g), x_(x), rows_(g.kh * g.kw * g.cin) {}

  void pack(float* dst, int64_t i0, int64_t mc, int64_t p0, int64_t kc) const override {
    const ConvGeom& g = g_;
    for (int64_t s = 0; s < mc; s += kMR) {
      float* d = dst + (s / kMR) * kc * kMR;
      int64_t offY[kMR], offX[kMR], chan[kMR];
      bool valid[kMR];
      for (int r = 0; r < kMR; r++) {
        const int64_t p = i0 + s + r;
        valid[r] = p < rows_;
        const int64_t tap = valid[r] ? p / g.cin : 0;
        chan[r] = valid[r] ? p % g.cin : 0;
        offY[r] = (tap / g.kw) * g.dh - g.pt;
        offX[r] = (tap % g.kw) * g.dw - g.pl;
      }
      int64_t m = p0;
      int64_t ox = m % g.ow, oy = (m / g.ow) % g.oh, b = m / (g.ow * g.oh);
      for (int64_t q = 0; q < kc; q++) {
        const float* img = x_ + b * g.h * g.w * g.cin;
        for (int r = 0; r < kMR; r++) {
          const int64_t iy = oy * g.sh + offY[r], ix = ox * g.sw + offX[r];
          d[q * kMR + r] = (valid[r] && iy >= 0 && iy < g.h && ix >= 0 && ix < g.w)
                               ? img[(iy * g.w + ix) * g.cin + chan[r]]
                               : 0.0f;
        }
        if (++ox == g.ow) {
          ox = 0;
          if (++oy == g.oh) {
            oy = 0;
            b++;
          }
        }
      }
    }
  }

 private:
  ConvGeom g_;
  const float* x_;
  int64_t rows_;
};

}  // namespace

void conv2d(const ConvGeom& g, const float* x, const float* f, float* y) {
  const Im2colA a(g, x);
  sgemm(a, DenseB{f, g.cout, false}, g.n * g.oh * g.ow, g.cout, g.kh * g.kw * g.cin, y, g.cout);
}

void conv2d_backprop_filter(const ConvGeom& g, const float* x, const float* dy, float* df) {
  const Im2colTA a(g, x);
  sgemm(a, DenseB{dy, g.cout, false}, g.kh * g.kw * g.cin, g.cout, g.n * g.oh * g.ow, df, g.cout);
}

void conv2d_backprop_input(const ConvGeom& g, const float* dy, const float* f, float* dx) {
  // dcol = dy · fᵀ (rows: output pixels, columns: (ky, kx, ci)), then each input pixel gathers
  // its taps in (ky, kx) order: a fixed summation order whatever the threads do.
  const int64_t taps = g.kh * g.kw * g.cin;
  const int64_t perImage = g.oh * g.ow * taps;
  const int64_t group = std::max<int64_t>(1, std::min<int64_t>(g.n, (int64_t{4} << 20) / std::max<int64_t>(1, perImage)));
  std::vector<float> dcol(static_cast<size_t>(group * perImage));
  for (int64_t b0 = 0; b0 < g.n; b0 += group) {
    const int64_t nb = std::min<int64_t>(group, g.n - b0);
    const DenseA a(dy + b0 * g.oh * g.ow * g.cout, nb * g.oh * g.ow, g.cout, false);
    sgemm(a, DenseB{f, g.cout, true}, nb * g.oh * g.ow, taps, g.cout, dcol.data(), taps);
    const float* col = dcol.data();
    ThreadPool::instance().parallel_for(nb * g.h, [&](int64_t task) {
      const int64_t bl = task / g.h, iy = task % g.h;
      float* row = dx + ((b0 + bl) * g.h + iy) * g.w * g.cin;
      std::fill(row, row + g.w * g.cin, 0.0f);
      for (int64_t ky = 0; ky < g.kh; ky++) {
        const int64_t ty = iy + g.pt - ky * g.dh;
        if (ty < 0 || ty % g.sh != 0) continue;
        const int64_t oy = ty / g.sh;
        if (oy >= g.oh) continue;
        for (int64_t ix = 0; ix < g.w; ix++) {
          float* out = row + ix * g.cin;
          for (int64_t kx = 0; kx < g.kw; kx++) {
            const int64_t tx = ix + g.pl - kx * g.dw;
            if (tx < 0 || tx % g.sw != 0) continue;
            const int64_t ox = tx / g.sw;
            if (ox >= g.ow) continue;
            const float* src = col + ((bl * g.oh + oy) * g.ow + ox) * taps + (ky * g.kw + kx) * g.cin;
            for (int64_t ci = 0; ci < g.cin; ci++) out[ci] += src[ci];
          }
        }
      }
    });
  }
}

}  // namespace asterism
