#include "elementwise.h"

#include <algorithm>
#include <cmath>

#include "pool.h"

namespace asterism {
namespace {

constexpr int64_t kChunk = int64_t{1} << 16;

template <BinaryOp Op>
inline float apply(float a, float b) {
  if constexpr (Op == BinaryOp::kAdd) return a + b;
  if constexpr (Op == BinaryOp::kSub) return a - b;
  if constexpr (Op == BinaryOp::kMul) return a * b;
  if constexpr (Op == BinaryOp::kDiv) return a / b;
  if constexpr (Op == BinaryOp::kMax) return (a >= b || std::isnan(a)) ? a : b;
  if constexpr (Op == BinaryOp::kMin) return (a <= b || std::isnan(a)) ? a : b;
  if constexpr (Op == BinaryOp::kSquaredDifference) {
    // In float64 and rounded once, as tfjs's JS kernel does.
    const double d = static_cast<double>(a) - static_cast<double>(b);
    return static_cast<float>(d * d);
  }
  if constexpr (Op == BinaryOp::kGreater) return a > b ? 1.0f : 0.0f;
  if constexpr (Op == BinaryOp::kGreaterEqual) return a >= b ? 1.0f : 0.0f;
  if constexpr (Op == BinaryOp::kLess) return a < b ? 1.0f : 0.0f;
  if constexpr (Op == BinaryOp::kLessEqual) return a <= b ? 1.0f : 0.0f;
  return 0.0f;
}

template <BinaryOp Op, bool BigIsA, typename Out>
void run(const float* big, int64_t n, const float* small, int64_t p, Out* out) {
  const int64_t tasks = (n + kChunk - 1) / kChunk;
  ThreadPool::instance().parallel_for(tasks, [&](int64_t t) {
    const int64_t i0 = t * kChunk, i1 = std::min(n, i0 + kChunk);
    if (p == 1) {
      const float s = small[0];
      for (int64_t i = i0; i < i1; i++)
        out[i] = static_cast<Out>(BigIsA ? apply<Op>(big[i], s) : apply<Op>(s, big[i]));
      return;
    }
    if (p == n) {
      for (int64_t i = i0; i < i1; i++)
        out[i] = static_cast<Out>(BigIsA ? apply<Op>(big[i], small[i]) : apply<Op>(small[i], big[i]));
      return;
    }
    int64_t j = i0 % p;
    for (int64_t i = i0; i < i1; i++) {
      out[i] = static_cast<Out>(BigIsA ? apply<Op>(big[i], small[j]) : apply<Op>(small[j], big[i]));
      if (++j == p) j = 0;
    }
  });
}

template <BinaryOp Op>
void dispatch(const float* big, int64_t n, const float* small, int64_t p, bool big_is_a, float* out_f,
              uint8_t* out_b) {
  if constexpr (Op >= BinaryOp::kGreater) {
    if (big_is_a) run<Op, true>(big, n, small, p, out_b);
    else run<Op, false>(big, n, small, p, out_b);
  } else {
    if (big_is_a) run<Op, true>(big, n, small, p, out_f);
    else run<Op, false>(big, n, small, p, out_f);
  }
}

}  // namespace

void binary_repeat(BinaryOp op, const float* big, int64_t n, const float* small, int64_t p, bool big_is_a,
                   float* out_f, uint8_t* out_b) {
  switch (op) {
    case BinaryOp::kAdd: return dispatch<BinaryOp::kAdd>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kSub: return dispatch<BinaryOp::kSub>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kMul: return dispatch<BinaryOp::kMul>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kDiv: return dispatch<BinaryOp::kDiv>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kMax: return dispatch<BinaryOp::kMax>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kMin: return dispatch<BinaryOp::kMin>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kSquaredDifference:
      return dispatch<BinaryOp::kSquaredDifference>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kGreater: return dispatch<BinaryOp::kGreater>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kGreaterEqual:
      return dispatch<BinaryOp::kGreaterEqual>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kLess: return dispatch<BinaryOp::kLess>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kLessEqual: return dispatch<BinaryOp::kLessEqual>(big, n, small, p, big_is_a, out_f, out_b);
    case BinaryOp::kCount: return;
  }
}

void select(const uint8_t* cond, const float* t, const float* e, float* out, int64_t n) {
  const int64_t tasks = (n + kChunk - 1) / kChunk;
  ThreadPool::instance().parallel_for(tasks, [&](int64_t k) {
    const int64_t i1 = std::min(n, (k + 1) * kChunk);
    for (int64_t i = k * kChunk; i < i1; i++) out[i] = cond[i] ? t[i] : e[i];
  });
}

}  // namespace asterism
