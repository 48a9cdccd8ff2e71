// Linear SVM training (dual coordinate descent), the native twin of steps/lib/svm/dual-cd.ts.
#pragma once
#include <node_api.h>

#include <cstdint>

namespace asterism {

/** One dual-CD problem: n×d row-major samples plus the solver's settings. */
struct SvmProblem {
  const double* data;
  int64_t rows, cols;
  double upper, diag, tol, bias_feature;
  int64_t max_iter;
  uint32_t seed;
};

/** Adds svmDualCd to the addon's exports. */
void register_svm(napi_env env, napi_value exports);

}  // namespace asterism
