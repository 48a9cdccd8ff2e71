// 2-D convolution in NHWC with filters [KH, KW, Cin, Cout] (the tfjs layouts), and its two
// gradients, as GEMMs whose A operand is an implicit im2col matrix packed straight from the image.
#pragma once
#include <cstdint>

namespace asterism {

struct ConvGeom {
  int64_t n, h, w, cin;      // input  [n, h, w, cin]
  int64_t kh, kw, cout;      // filter [kh, kw, cin, cout]
  int64_t oh, ow;            // output [n, oh, ow, cout]
  int64_t sh, sw, pt, pl;    // strides, top/left padding
  int64_t dh, dw;            // dilations
};

// y = conv(x, f)
void conv2d(const ConvGeom& g, const float* x, const float* f, float* y);
// dx = ∂/∂x given dy (also the transposed convolution of dy with f)
void conv2d_backprop_input(const ConvGeom& g, const float* dy, const float* f, float* dx);
// df = ∂/∂f given x and dy
void conv2d_backprop_filter(const ConvGeom& g, const float* x, const float* dy, float* df);

}  // namespace asterism
