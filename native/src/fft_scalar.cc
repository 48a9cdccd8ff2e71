// The FFT kernels (fft_kernels.inc) in portable C++ for CPUs without AVX2/FMA: the lane vector is
// four doubles in a struct, which the compiler keeps in SSE2 registers where it can.
#include "fft.h"
#include "fft_plan.h"

namespace asterism::fft {
namespace scalar {

struct V {
  double v[4];
};
static inline V vload(const double* p) { return V{{p[0], p[1], p[2], p[3]}}; }
static inline void vstore(double* p, V a) {
  for (int i = 0; i < 4; i++) p[i] = a.v[i];
}
static inline V vset1(double a) { return V{{a, a, a, a}}; }
static inline V vzero() { return vset1(0.0); }
#define ASTERISM_LANEWISE(name, expr)        \
  static inline V name(V a, V b) {           \
    V r;                                     \
    for (int i = 0; i < 4; i++) r.v[i] = expr; \
    return r;                                \
  }
ASTERISM_LANEWISE(vadd, a.v[i] + b.v[i])
ASTERISM_LANEWISE(vsub, a.v[i] - b.v[i])
ASTERISM_LANEWISE(vmul, a.v[i] * b.v[i])
#undef ASTERISM_LANEWISE
static inline V vneg(V a) { return V{{-a.v[0], -a.v[1], -a.v[2], -a.v[3]}}; }
static inline V vfma(V a, V b, V c) { return vadd(vmul(a, b), c); }
static inline V vfms(V a, V b, V c) { return vsub(vmul(a, b), c); }
static inline void vtranspose(V& a, V& b, V& c, V& d) {
  const V r[4] = {a, b, c, d};
  V* out[4] = {&a, &b, &c, &d};
  for (int i = 0; i < 4; i++) *out[i] = V{{r[0].v[i], r[1].v[i], r[2].v[i], r[3].v[i]}};
}

#include "fft_kernels.inc"
#include "fft_2d.inc"

}  // namespace scalar

extern const Backend kScalarBackend = {"scalar", scalar::c2c, scalar::r2c, scalar::c2r};

}  // namespace asterism::fft
