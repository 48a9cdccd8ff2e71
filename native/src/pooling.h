// Max pooling in NHWC and its gradient. Ties go to the first maximum in window scan order and
// padding never wins, as in tfjs's cpu kernels.
#pragma once
#include <cstdint>

namespace asterism {

struct PoolGeom {
  int64_t n, h, w, c;     // input [n, h, w, c]
  int64_t kh, kw;         // window
  int64_t oh, ow;         // output [n, oh, ow, c]
  int64_t sh, sw, pt, pl; // strides, top/left padding
};

void max_pool(const PoolGeom& g, const float* x, float* y);
// dx = Σ over windows of dy at the window's argmax
void max_pool_grad(const PoolGeom& g, const float* x, const float* dy, float* dx);

// Elementwise unary: 0 relu (max(0, x)), 1 step (x > 0 ? 1 : alpha; NaN stays NaN),
// 2 leaky relu, 3 sqrt, 4 square — each rounding exactly as tfjs's JS kernels do.
void unary(int op, const float* x, float* y, int64_t n, double alpha);

// out[j] = Σ_r x[r·cols + j], r ascending, accumulated in float64 (tfjs's Sum does the same).
void sum_leading(const float* x, float* out, int64_t rows, int64_t cols);

}  // namespace asterism
