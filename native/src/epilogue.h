// Bias and activation applied in place to a row-major [rows, cols] result (fused kernels).
#pragma once
#include <cstdint>

namespace asterism {

enum class Activation : int { kLinear = 0, kRelu = 1, kLeakyRelu = 2, kSigmoid = 3, kRelu6 = 4, kElu = 5 };

void bias_activation(float* y, int64_t rows, int64_t cols, const float* bias, Activation act, float alpha);

}  // namespace asterism
