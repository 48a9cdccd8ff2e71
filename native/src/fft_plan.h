// One-dimensional FFT plans shared by the SIMD and scalar FFT kernels (fft_kernels.inc).
//
// The kernels transform four sequences at once, one per SIMD lane: element j of the batch is 8
// doubles, the real parts of the four sequences then their imaginary parts. A 2-D transform fills
// the lanes with four adjacent columns (or rows, transposed on the way in), so every butterfly is
// pure vertical SIMD arithmetic with no shuffles and the twiddles are broadcast scalars.
//
// A plan is a list of Stockham decimation-in-frequency passes (radix 4, 2, 3, 5 and odd primes up
// to kMaxDirectPrime), or, for a length with a larger prime factor, Bluestein's chirp-z algorithm
// over an inner power-of-two plan. Plans hold only plain pointers (PlanView) so the kernels, which
// are compiled for AVX2 in their own translation unit, never instantiate standard-library code.
#pragma once
#include <cstddef>
#include <cstdint>

namespace asterism::fft {

/** Doubles per batch element: four real parts, then four imaginary parts. */
constexpr int kElem = 8;
/** Largest prime done by a direct O(p²) pass; lengths with a larger prime factor use Bluestein. */
constexpr int kMaxDirectPrime = 31;

/**
 * One pass of current length p·m with stride s (product of the earlier radices):
 * y[q + s(p·pp + r)] = w^(pp·r) Σ_j x[q + s(pp + j·m)] ω_p^(j·r), w = exp(-2πi/(p·m)).
 */
struct Stage {
  int p;
  int64_t s;
  int64_t m;
  /** m·(p−1) complex twiddles (re, im): w^(pp·r) for r = 1..p−1, pp-major. */
  const double* tw;
  /** For the generic odd radix: cos and sin of 2πk/p, k < p, interleaved. */
  const double* roots;
};

struct Plan {
  int64_t n;
  int nstages;
  const Stage* stages;
  /** Bluestein only (else null): the inner power-of-two plan of length M ≥ 2n − 1. */
  const Plan* inner;
  int64_t M;
  /** n complex chirps w_k = exp(−iπk²/n). */
  const double* chirp;
  /** M complex values FFT_M(b)/M of the conjugate chirp b (the convolution kernel). */
  const double* bhat;
  /** Batch elements of scratch a transform needs besides its data and work buffers. */
  int64_t scratch_elems;
};

/** The cached plan of length n ≥ 1 (built on first use; thread-safe; lives for the process). */
const Plan& get_plan(int64_t n);

/** 64-byte aligned storage for `doubles` doubles, zero-filled unless told not; nullptr when out of memory. */
double* alloc_doubles(size_t doubles, bool zero = true);
void free_doubles(double* p);

}  // namespace asterism::fft
