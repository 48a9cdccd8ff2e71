#include "epilogue.h"

#include <algorithm>
#include <cmath>

#include "pool.h"

namespace asterism {

void bias_activation(float* y, int64_t rows, int64_t cols, const float* bias, Activation act, float alpha) {
  const int64_t chunk = std::max<int64_t>(1, (int64_t{1} << 15) / std::max<int64_t>(1, cols));
  const int64_t tasks = (rows + chunk - 1) / chunk;
  ThreadPool::instance().parallel_for(tasks, [&](int64_t t) {
    const int64_t r1 = std::min(rows, (t + 1) * chunk);
    for (int64_t r = t * chunk; r < r1; r++) {
      float* v = y + r * cols;
      if (bias != nullptr)
        for (int64_t j = 0; j < cols; j++) v[j] += bias[j];
      switch (act) {
        case Activation::kLinear:
          break;
        case Activation::kRelu:
          for (int64_t j = 0; j < cols; j++) v[j] = v[j] < 0.0f ? 0.0f : v[j];
          break;
        case Activation::kLeakyRelu:
          for (int64_t j = 0; j < cols; j++) v[j] = v[j] < 0.0f ? alpha * v[j] : v[j];
          break;
        case Activation::kSigmoid:
          for (int64_t j = 0; j < cols; j++) v[j] = 1.0f / (1.0f + std::exp(-v[j]));
          break;
        case Activation::kRelu6:
          for (int64_t j = 0; j < cols; j++) v[j] = std::min(6.0f, std::max(0.0f, v[j]));
          break;
        case Activation::kElu:
          for (int64_t j = 0; j < cols; j++) v[j] = v[j] < 0.0f ? std::expm1(v[j]) : v[j];
          break;
      }
    }
  });
}

}  // namespace asterism
