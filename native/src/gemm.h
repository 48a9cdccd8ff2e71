// Single-precision GEMM, C = A · B, cache-blocked and packed (the BLIS loop structure), with an
// AVX2+FMA micro-kernel chosen at run time and a scalar fallback that performs the same fused
// multiply-adds in the same order, so every build gives bit-identical results on every machine.
#pragma once
#include <cstdint>

namespace asterism {

constexpr int kMR = 6;         // rows of the register tile
constexpr int kNR = 16;        // columns of the register tile (two 8-float AVX registers)
constexpr int64_t kKC = 256;   // depth of a packed block (fixed: it fixes the summation order)
constexpr int64_t kMC = 96;    // rows of a packed A block (multiple of kMR)

// The left operand A (M×K). Implementations pack a block of it into kMR-row slivers: for each
// sliver, kc columns of kMR values (column-major inside the sliver), rows past M set to zero.
class PackA {
 public:
  virtual ~PackA() = default;
  virtual void pack(float* dst, int64_t i0, int64_t mc, int64_t p0, int64_t kc) const = 0;
};

// A dense row-major A, or its transpose (A(i, p) = a[p * lda + i]).
class DenseA final : public PackA {
 public:
  DenseA(const float* a, int64_t m, int64_t lda, bool trans) : a_(a), m_(m), lda_(lda), trans_(trans) {}
  void pack(float* dst, int64_t i0, int64_t mc, int64_t p0, int64_t kc) const override;

 private:
  const float* a_;
  int64_t m_, lda_;
  bool trans_;
};

// The right operand B (K×N). Implementations pack rows [p0, p0 + kc) of kNR-column panel jp as
// kc rows of kNR values, columns past N set to zero.
class PackB {
 public:
  virtual ~PackB() = default;
  virtual void pack_panel(float* dst, int64_t jp, int64_t p0, int64_t kc) const = 0;
};

// A dense row-major B (K×N), or its transpose (B(p, j) = b[j * ldb + p]).
class DenseB final : public PackB {
 public:
  DenseB(const float* b, int64_t n, int64_t ldb, bool trans) : b_(b), n_(n), ldb_(ldb), trans_(trans) {}
  void pack_panel(float* dst, int64_t jp, int64_t p0, int64_t kc) const override;

 private:
  const float* b_;
  int64_t n_, ldb_;
  bool trans_;
};

// C (M×N, row stride ldc) = A (M×K) · B (K×N). Threads split C only: each element is the sum
// over k in increasing order, one fma at a time within each kKC block, blocks added in order.
void sgemm(const PackA& a, const PackB& b, int64_t m, int64_t n, int64_t k, float* c, int64_t ldc);

// The micro-kernel family in use: "avx2-fma" or "scalar-fma".
const char* simd_name();

}  // namespace asterism
