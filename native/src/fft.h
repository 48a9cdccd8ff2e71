// Native 2-D FFTs with numpy's conventions (numpy.fft.fft2/ifft2/rfft2/irfft2), exported to JS
// as fftComplex2d, fftReal2d, fftRealInverse2d and fftInfo; used by steps/lib/image/fft.ts.
#pragma once
#include <node_api.h>

#include <cstdint>

namespace asterism::fft {

/** One instruction-set build of the 2-D transforms (fft_kernels.inc); false = out of memory. */
struct Backend {
  const char* name;
  bool (*c2c)(const double* re, const double* im, double* out_re, double* out_im, int64_t width, int64_t height,
              bool inverse);
  bool (*r2c)(const double* data, double* out_re, double* out_im, int64_t width, int64_t height);
  bool (*c2r)(double* re, double* im, double* out, int64_t width, int64_t height, bool overwrite);
};

extern const Backend kAvx2Backend;
extern const Backend kScalarBackend;

}  // namespace asterism::fft

namespace asterism {

/** Adds fftComplex2d, fftReal2d, fftRealInverse2d, fftInfo and zogyFourier to the addon's exports. */
void register_fft(napi_env env, napi_value exports);

/** Adds zogyFourier (fft_zogy.cc); called by register_fft. */
void register_zogy(napi_env env, napi_value exports);

}  // namespace asterism
