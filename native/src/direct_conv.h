// Direct convolution: a 6-pixel × 16-channel register tile accumulates over (tap, input channel)
// reading the image in place — no im2col packing, which dominated layers with few output
// channels. Each output is one chain of fused multiply-adds in (ky, kx, ci) order, so the
// AVX2 and scalar kernels agree bit for bit.
#pragma once
#include "conv.h"

namespace asterism {

void conv2d_direct(const ConvGeom& g, const float* x, const float* f, float* y);

}  // namespace asterism
