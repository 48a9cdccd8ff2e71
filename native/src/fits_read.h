// FITS image data units read natively into hugepage-backed external ArrayBuffers.
#pragma once
#include <node_api.h>

namespace asterism {

/** Adds fitsReadPixels and fitsReadRaw to the addon's exports. */
void register_fits_read(napi_env env, napi_value exports);

}  // namespace asterism
