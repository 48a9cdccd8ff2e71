#include "conv.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "direct_conv.h"
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

// B(m, col) = im2col(m, col): rows are output pixels, columns (ky, kx, ci); packed panel by panel
// from the image, reading runs of consecutive channels.
class Im2colB final : public PackB {
 public:
  Im2colB(const ConvGeom& g, const float* x) : g_(g), x_(x), cols_(g.kh * g.kw * g.cin) {}

  void pack_panel(float* dst, int64_t jp, int64_t p0, int64_t kc) const override {
    const ConvGeom& g = g_;
    const int64_t j0 = jp * kNR;
    const int64_t nr = std::min<int64_t>(kNR, cols_ - j0);
    int64_t m = p0;
    int64_t ox = m % g.ow, oy = (m / g.ow) % g.oh, b = m / (g.ow * g.oh);
    for (int64_t q = 0; q < kc; q++) {
      float* d = dst + q * kNR;
      const int64_t iy0 = oy * g.sh - g.pt, ix0 = ox * g.sw - g.pl;
      const float* img = x_ + b * g.h * g.w * g.cin;
      int64_t ci = j0 % g.cin, tap = j0 / g.cin;
      int64_t j = 0;
      while (j < nr) {
        const int64_t run = std::min<int64_t>(g.cin - ci, nr - j);
        const int64_t iy = iy0 + (tap / g.kw) * g.dh, ix = ix0 + (tap % g.kw) * g.dw;
        if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) {
          const float* src = img + (iy * g.w + ix) * g.cin + ci;
          for (int64_t t = 0; t < run; t++) d[j + t] = src[t];
        } else {
          for (int64_t t = 0; t < run; t++) d[j + t] = 0.0f;
        }
        j += run;
        ci = 0;
        tap++;
      }
      for (; j < kNR; j++) d[j] = 0.0f;
      if (++ox == g.ow) {
        ox = 0;
        if (++oy == g.oh) {
          oy = 0;
          b++;
        }
      }
    }
  }

 private:
  ConvGeom g_;
  const float* x_;
  int64_t cols_;
};

}  // namespace

void conv2d(const ConvGeom& g, const float* x, const float* f, float* y) {
  // The direct kernel wins (CPU time measured per layer) except with one input channel, where
  // its per-tap row setup outweighs a one-step inner loop; the choice depends only on the shape.
  const char* mode = std::getenv("ASTERISM_NATIVE_CONV");
  if (g.cin >= 2 && (mode == nullptr || std::strcmp(mode, "gemm") != 0)) {
    conv2d_direct(g, x, f, y);
    return;
  }
  const Im2colA a(g, x);
  sgemm(a, DenseB(f, g.cout, g.cout, false), g.n * g.oh * g.ow, g.cout, g.kh * g.kw * g.cin, y, g.cout);
}

void conv2d_backprop_filter(const ConvGeom& g, const float* x, const float* dy, float* df) {
  // dfᵀ (cout × taps) = dyᵀ · im2col: the image side is the B operand, packed once per K block
  // with contiguous channel runs, which beats gathering it as a transposed A.
  const int64_t taps = g.kh * g.kw * g.cin;
  std::vector<float> dft(static_cast<size_t>(taps * g.cout));
  const DenseA a(dy, g.cout, g.cout, true);
  sgemm(a, Im2colB(g, x), g.cout, taps, g.n * g.oh * g.ow, dft.data(), taps);
  for (int64_t p = 0; p < taps; p++)
    for (int64_t co = 0; co < g.cout; co++) df[p * g.cout + co] = dft[co * taps + p];
}

void conv2d_backprop_input(const ConvGeom& g, const float* dy, const float* f, float* dx) {
  if (g.sh == 1 && g.sw == 1 && g.pt <= (g.kh - 1) * g.dh && g.pl <= (g.kw - 1) * g.dw) {
    // Stride 1: dx is the convolution of dy with the filter rotated by 180° and its channel axes
    // swapped, padded by (k − 1)·d − pad. One implicit-im2col GEMM, no scatter buffer.
    std::vector<float> rot(static_cast<size_t>(g.kh * g.kw * g.cin * g.cout));
    for (int64_t ky = 0; ky < g.kh; ky++)
      for (int64_t kx = 0; kx < g.kw; kx++)
        for (int64_t ci = 0; ci < g.cin; ci++)
          for (int64_t co = 0; co < g.cout; co++)
            rot[((ky * g.kw + kx) * g.cout + co) * g.cin + ci] =
                f[(((g.kh - 1 - ky) * g.kw + (g.kw - 1 - kx)) * g.cin + ci) * g.cout + co];
    const ConvGeom t{g.n,  g.oh, g.ow, g.cout, g.kh, g.kw, g.cin, g.h, g.w, 1, 1,
                     (g.kh - 1) * g.dh - g.pt, (g.kw - 1) * g.dw - g.pl, g.dh, g.dw};
    conv2d(t, dy, rot.data(), dx);
    return;
  }
  // dcol = dy · fᵀ (rows: output pixels, columns: (ky, kx, ci)), then each input pixel gathers
  // its taps in (ky, kx) order: a fixed summation order whatever the threads do.
  const int64_t taps = g.kh * g.kw * g.cin;
  const int64_t perImage = g.oh * g.ow * taps;
  const int64_t group = std::max<int64_t>(1, std::min<int64_t>(g.n, (int64_t{4} << 20) / std::max<int64_t>(1, perImage)));
  std::vector<float> dcol(static_cast<size_t>(group * perImage));
  for (int64_t b0 = 0; b0 < g.n; b0 += group) {
    const int64_t nb = std::min<int64_t>(group, g.n - b0);
    const DenseA a(dy + b0 * g.oh * g.ow * g.cout, nb * g.oh * g.ow, g.cout, false);
    sgemm(a, DenseB(f, taps, g.cout, true), nb * g.oh * g.ow, taps, g.cout, dcol.data(), taps);
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
