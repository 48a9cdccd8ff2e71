// FITS image data units read natively into new ArrayBuffers (fits_read.cc, fits_array.cc).
#pragma once
#include <node_api.h>

namespace asterism {

/** Adds fitsReadPixels and fitsReadArray to the addon's exports. */
void register_fits_read(napi_env env, napi_value exports);

/** fitsReadArray (fits_array.cc): a data unit in its astropy type. */
napi_value FitsReadArray(napi_env env, napi_callback_info info);

}  // namespace asterism
