// Building and caching FFT plans (see fft_plan.h). Twiddles are computed directly from their angle
// in long double, never by recurrence, so every one is correctly rounded to double.
#include "fft_plan.h"

#include <cmath>
#include <complex>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace asterism::fft {

double* alloc_doubles(size_t doubles, bool zero) {
  void* p = nullptr;
  const size_t bytes = (doubles == 0 ? 1 : doubles) * sizeof(double);
  if (posix_memalign(&p, 64, (bytes + 63) / 64 * 64) != 0) return nullptr;
  if (zero) std::memset(p, 0, bytes);
  return static_cast<double*>(p);
}

void free_doubles(double* p) { free(p); }

namespace {

constexpr long double kTwoPi = 6.283185307179586476925286766559005768L;

/** exp(−2πi·k/n) as (re, im), k reduced mod n first. */
void root(int64_t k, int64_t n, double* out) {
  const long double a = kTwoPi * static_cast<long double>(k % n) / static_cast<long double>(n);
  out[0] = static_cast<double>(cosl(a));
  out[1] = static_cast<double>(-sinl(a));
}

/**
 * Radices in pass order: 4s, then one 2 for an odd power of two, then odd primes ascending.
 * Radix 4 costs fewer operations per point than two radix-2 passes and halves the sweeps.
 */
std::vector<int> factorize(int64_t n) {
  std::vector<int> f;
  while (n % 4 == 0) {
    f.push_back(4);
    n /= 4;
  }
  if (n % 2 == 0) {
    f.push_back(2);
    n /= 2;
  }
  for (int64_t p = 3; p * p <= n; p += 2) {
    while (n % p == 0) {
      f.push_back(static_cast<int>(p));
      n /= p;
    }
  }
  if (n > 1) f.push_back(n > kMaxDirectPrime ? -1 : static_cast<int>(n));  // -1: needs Bluestein
  return f;
}

/** In-place scalar radix-2 FFT of a power-of-two length (plan set-up only: Bluestein's kernel). */
void scalar_fft_pow2(std::vector<std::complex<double>>& a) {
  const size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; i++) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    for (size_t k = 0; k < len / 2; k++) {
      double w[2];
      root(static_cast<int64_t>(k), static_cast<int64_t>(len), w);
      const std::complex<double> wk(w[0], w[1]);
      for (size_t i = 0; i < n; i += len) {
        const std::complex<double> u = a[i + k], v = a[i + k + len / 2] * wk;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
      }
    }
  }
}

/** Owns the arrays a Plan points into. */
struct PlanStorage {
  Plan plan{};
  std::vector<Stage> stages;
  std::vector<std::vector<double>> tables;
  std::vector<double> chirp, bhat;
};

std::mutex cache_mutex;
std::map<int64_t, std::unique_ptr<PlanStorage>> cache;

const Plan& get_plan_locked(int64_t n);

std::unique_ptr<PlanStorage> build(int64_t n) {
  auto st = std::make_unique<PlanStorage>();
  Plan& plan = st->plan;
  plan.n = n;
  const std::vector<int> radices = factorize(n);
  bool bluestein = false;
  for (int r : radices) bluestein = bluestein || r < 0;
  if (bluestein) {
    // X_k = w_k Σ_j (x_j w_j) conj(w_{k−j}), w_t = exp(−iπt²/n): a circular convolution of length
    // M ≥ 2n − 1 with the kernel b_t = conj(w_t) (t = −(n−1)..n−1, wrapped).
    int64_t M = 1;
    while (M < 2 * n - 1) M *= 2;
    plan.M = M;
    plan.inner = &get_plan_locked(M);
    st->chirp.resize(2 * n);
    for (int64_t k = 0; k < n; k++) {
      // k² mod 2n keeps the angle π·k²/n exact in integers before the one rounding.
      const int64_t k2 = static_cast<int64_t>((static_cast<unsigned __int128>(k) * k) % (2 * n));
      root(k2, 2 * n, &st->chirp[2 * k]);
    }
    std::vector<std::complex<double>> b(M);
    for (int64_t t = 0; t < n; t++) {
      const std::complex<double> c(st->chirp[2 * t], -st->chirp[2 * t + 1]);
      b[t] = c;
      if (t > 0) b[M - t] = c;
    }
    scalar_fft_pow2(b);
    st->bhat.resize(2 * M);
    for (int64_t k = 0; k < M; k++) {
      st->bhat[2 * k] = b[k].real() / static_cast<double>(M);
      st->bhat[2 * k + 1] = b[k].imag() / static_cast<double>(M);
    }
    plan.chirp = st->chirp.data();
    plan.bhat = st->bhat.data();
    plan.scratch_elems = 2 * M + plan.inner->scratch_elems;
    return st;
  }
  int64_t s = 1;
  int64_t length = n;
  for (int p : radices) {
    const int64_t m = length / p;
    std::vector<double> tw(2 * m * (p - 1));
    for (int64_t pp = 0; pp < m; pp++)
      for (int r = 1; r < p; r++) root(pp * r, length, &tw[2 * (pp * (p - 1) + r - 1)]);
    std::vector<double> roots(2 * p);
    for (int k = 0; k < p; k++) {
      double w[2];
      root(k, p, w);
      roots[2 * k] = w[0];
      roots[2 * k + 1] = -w[1];  // sin(2πk/p)
    }
    st->tables.push_back(std::move(tw));
    const double* twp = st->tables.back().data();
    st->tables.push_back(std::move(roots));
    st->stages.push_back(Stage{p, s, m, twp, st->tables.back().data()});
    s *= p;
    length = m;
  }
  plan.stages = st->stages.data();
  plan.nstages = static_cast<int>(st->stages.size());
  return st;
}

const Plan& get_plan_locked(int64_t n) {
  auto it = cache.find(n);
  if (it != cache.end()) return it->second->plan;
  auto built = build(n);
  const Plan& plan = built->plan;
  cache.emplace(n, std::move(built));
  return plan;
}

}  // namespace

const Plan& get_plan(int64_t n) {
  std::lock_guard<std::mutex> lock(cache_mutex);
  return get_plan_locked(n);
}

}  // namespace asterism::fft
