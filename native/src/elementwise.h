// Elementwise binary operations where one operand repeats with a period (equal shapes: period =
// size; a scalar: period 1; a bias over trailing dims: period = its size), and select.
#pragma once
#include <cstdint>

namespace asterism {

enum class BinaryOp : int {
  kAdd = 0, kSub, kMul, kDiv, kMax, kMin, kSquaredDifference,
  kGreater, kGreaterEqual, kLess, kLessEqual,
  kCount
};

inline bool is_comparison(BinaryOp op) { return op >= BinaryOp::kGreater; }

// out[i] = op(big[i], small[i mod p]) if big_is_a, else op(small[i mod p], big[i]).
// out_f is used for arithmetic, out_b (0/1 bytes) for comparisons.
void binary_repeat(BinaryOp op, const float* big, int64_t n, const float* small, int64_t p, bool big_is_a,
                   float* out_f, uint8_t* out_b);

// out[i] = cond[i] ? t[i] : e[i]
void select(const uint8_t* cond, const float* t, const float* e, float* out, int64_t n);

}  // namespace asterism
