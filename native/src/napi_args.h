// Argument checks shared by every N-API entry point (addon.cc, fft_napi.cc, fft_zogy.cc,
// svm.cc, the FITS readers): one error code and one way of reading typed arrays, so a misuse
// from JavaScript reads the same whichever kernel it reached.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <string>

namespace asterism::napi {

// Throws a JavaScript Error with code ASTERISM_NATIVE; returns false so checks can `return`.
inline bool throw_error(napi_env env, const std::string& msg) {
  napi_throw_error(env, "ASTERISM_NATIVE", msg.c_str());
  return false;
}

// The first `want` arguments into argv, or an error when fewer were passed.
inline bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < want)
    return throw_error(env, "expected " + std::to_string(want) + " arguments");
  return true;
}

// True when `v` is a typed array of `type`, with its element count and data; false (nothing
// thrown: each caller words its own error) for anything else.
inline bool typed_array_of(napi_env env, napi_value v, napi_typedarray_type type, size_t* length,
                           void** data) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type actual = napi_int8_array;
  if (napi_get_typedarray_info(env, v, &actual, length, data, nullptr, nullptr) != napi_ok) return false;
  return actual == type;
}

enum class Length { kExact, kAtLeast };

// A Float64Array's data, checked to hold exactly (or at least) `need` values.
inline bool get_float64s(napi_env env, napi_value v, int64_t need, Length rule, double** out,
                         const char* name) {
  size_t length = 0;
  void* data = nullptr;
  if (!typed_array_of(env, v, napi_float64_array, &length, &data))
    return throw_error(env, std::string(name) + " must be a Float64Array");
  const auto have = static_cast<int64_t>(length);
  if (rule == Length::kExact ? have != need : have < need)
    return throw_error(env, std::string(name) + " holds " + std::to_string(length) + " values, " +
                                (rule == Length::kExact ? "expected " : "need ") + std::to_string(need));
  *out = static_cast<double*>(data);
  return true;
}

}  // namespace asterism::napi
