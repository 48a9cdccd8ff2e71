// N-API entry points. Every function works on caller-allocated Float32Arrays (the tfjs CPU
// backend's own buffers) and returns undefined; shapes arrive as plain numbers.
#include <node_api.h>

#include <cstdint>
#include <string>

#include "conv.h"
#include "elementwise.h"
#include "fft.h"
#include "epilogue.h"
#include "fits_read.h"
#include "gemm.h"
#include "napi_args.h"
#include "pool.h"
#include "pooling.h"
#include "svm.h"

namespace {

using namespace asterism;
using napi::get_args;
using napi::throw_error;

// A Float32Array's data, checked to hold at least `need` floats; null argument → nullptr.
bool get_floats(napi_env env, napi_value v, int64_t need, float** out, bool nullable, const char* name) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (nullable && (t == napi_null || t == napi_undefined)) {
    *out = nullptr;
    return true;
  }
  size_t length = 0;
  void* data = nullptr;
  if (!napi::typed_array_of(env, v, napi_float32_array, &length, &data))
    return throw_error(env, std::string(name) + " must be a Float32Array");
  if (static_cast<int64_t>(length) < need)
    return throw_error(env, std::string(name) + " holds " + std::to_string(length) + " floats, need " +
                                std::to_string(need));
  *out = static_cast<float*>(data);
  return true;
}

bool get_ints(napi_env env, napi_value arr, int64_t* out, uint32_t count) {
  uint32_t len = 0;
  if (napi_get_array_length(env, arr, &len) != napi_ok || len < count)
    return throw_error(env, "expected an array of " + std::to_string(count) + " integers");
  for (uint32_t i = 0; i < count; i++) {
    napi_value e;
    napi_get_element(env, arr, i, &e);
    if (napi_get_value_int64(env, e, &out[i]) != napi_ok) return throw_error(env, "shape entries must be numbers");
  }
  return true;
}

bool get_geom(napi_env env, napi_value arr, ConvGeom* g) {
  int64_t v[15];
  if (!get_ints(env, arr, v, 15)) return false;
  *g = ConvGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  for (int64_t e : v)
    if (e < 0) return throw_error(env, "negative convolution geometry");
  if (g->sh < 1 || g->sw < 1 || g->dh < 1 || g->dw < 1) return throw_error(env, "strides and dilations must be >= 1");
  return true;
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// conv2d(x, filter, y, geom)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  ConvGeom g;
  float *x, *f, *y;
  if (!get_args(env, info, 4, argv) || !get_geom(env, argv[3], &g)) return nullptr;
  if (!get_floats(env, argv[0], g.n * g.h * g.w * g.cin, &x, false, "x") ||
      !get_floats(env, argv[1], g.kh * g.kw * g.cin * g.cout, &f, false, "filter") ||
      !get_floats(env, argv[2], g.n * g.oh * g.ow * g.cout, &y, false, "y"))
    return nullptr;
  conv2d(g, x, f, y);
  return undefined(env);
}

// conv2dBackpropInput(dy, filter, dx, geom)
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  ConvGeom g;
  float *dy, *f, *dx;
  if (!get_args(env, info, 4, argv) || !get_geom(env, argv[3], &g)) return nullptr;
  if (!get_floats(env, argv[0], g.n * g.oh * g.ow * g.cout, &dy, false, "dy") ||
      !get_floats(env, argv[1], g.kh * g.kw * g.cin * g.cout, &f, false, "filter") ||
      !get_floats(env, argv[2], g.n * g.h * g.w * g.cin, &dx, false, "dx"))
    return nullptr;
  conv2d_backprop_input(g, dy, f, dx);
  return undefined(env);
}

// conv2dBackpropFilter(x, dy, dfilter, geom)
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  ConvGeom g;
  float *x, *dy, *df;
  if (!get_args(env, info, 4, argv) || !get_geom(env, argv[3], &g)) return nullptr;
  if (!get_floats(env, argv[0], g.n * g.h * g.w * g.cin, &x, false, "x") ||
      !get_floats(env, argv[1], g.n * g.oh * g.ow * g.cout, &dy, false, "dy") ||
      !get_floats(env, argv[2], g.kh * g.kw * g.cin * g.cout, &df, false, "dfilter"))
    return nullptr;
  conv2d_backprop_filter(g, x, dy, df);
  return undefined(env);
}

// matmul(a, b, c, [batchA, batchB, m, n, k, transA, transB]): c[i] = op(a[i or 0]) · op(b[i or 0])
napi_value MatMul(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int64_t d[7];
  float *a, *b, *c;
  if (!get_args(env, info, 4, argv) || !get_ints(env, argv[3], d, 7)) return nullptr;
  const int64_t batchA = d[0], batchB = d[1], m = d[2], n = d[3], k = d[4];
  const bool ta = d[5] != 0, tb = d[6] != 0;
  if (batchA != batchB && batchA != 1 && batchB != 1) {
    throw_error(env, "batch sizes must match or be 1");
    return nullptr;
  }
  const int64_t batch = batchA > batchB ? batchA : batchB;
  if (!get_floats(env, argv[0], batchA * m * k, &a, false, "a") ||
      !get_floats(env, argv[1], batchB * k * n, &b, false, "b") ||
      !get_floats(env, argv[2], batch * m * n, &c, false, "c"))
    return nullptr;
  for (int64_t i = 0; i < batch; i++) {
    const float* ai = a + (batchA == 1 ? 0 : i) * m * k;
    const float* bi = b + (batchB == 1 ? 0 : i) * k * n;
    const DenseA pa(ai, m, ta ? m : k, ta);
    sgemm(pa, DenseB(bi, n, tb ? k : n, tb), m, n, k, c + i * m * n, n);
  }
  return undefined(env);
}

// biasActivation(y, bias | null, cols, activation, alpha)
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int64_t ints[2];
  if (!get_args(env, info, 5, argv)) return nullptr;
  napi_value pair;
  napi_create_array_with_length(env, 2, &pair);
  napi_set_element(env, pair, 0, argv[2]);
  napi_set_element(env, pair, 1, argv[3]);
  if (!get_ints(env, pair, ints, 2)) return nullptr;
  double alpha = 0;
  napi_get_value_double(env, argv[4], &alpha);
  float *y, *bias;
  size_t length = 0;
  napi_get_typedarray_info(env, argv[0], nullptr, &length, nullptr, nullptr, nullptr);
  const int64_t cols = ints[0];
  if (cols <= 0 || ints[1] < 0 || ints[1] > 5) {
    throw_error(env, "bad columns or activation code");
    return nullptr;
  }
  if (!get_floats(env, argv[0], 0, &y, false, "y") || !get_floats(env, argv[1], cols, &bias, true, "bias"))
    return nullptr;
  bias_activation(y, static_cast<int64_t>(length) / cols, cols, bias, static_cast<Activation>(ints[1]),
                  static_cast<float>(alpha));
  return undefined(env);
}

bool get_bytes(napi_env env, napi_value v, int64_t need, uint8_t** out, const char* name) {
  size_t length = 0;
  void* data = nullptr;
  if (!napi::typed_array_of(env, v, napi_uint8_array, &length, &data))
    return throw_error(env, std::string(name) + " must be a Uint8Array");
  if (static_cast<int64_t>(length) < need) return throw_error(env, std::string(name) + " is too short");
  *out = static_cast<uint8_t*>(data);
  return true;
}

// binary(big, small, out, [op, n, period, bigIsA]); out is a Uint8Array for comparisons
napi_value Binary(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int64_t d[4];
  if (!get_args(env, info, 4, argv) || !get_ints(env, argv[3], d, 4)) return nullptr;
  const int64_t n = d[1], p = d[2];
  if (d[0] < 0 || d[0] >= static_cast<int64_t>(BinaryOp::kCount) || p < 1 || n % p != 0) {
    throw_error(env, "bad binary op, size or period");
    return nullptr;
  }
  const BinaryOp op = static_cast<BinaryOp>(d[0]);
  float *big, *small, *out_f = nullptr;
  uint8_t* out_b = nullptr;
  if (!get_floats(env, argv[0], n, &big, false, "big") || !get_floats(env, argv[1], p, &small, false, "small"))
    return nullptr;
  if (is_comparison(op) ? !get_bytes(env, argv[2], n, &out_b, "out") : !get_floats(env, argv[2], n, &out_f, false, "out"))
    return nullptr;
  binary_repeat(op, big, n, small, p, d[3] != 0, out_f, out_b);
  return undefined(env);
}

// select(cond, t, e, out)
napi_value Select(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return nullptr;
  size_t length = 0;
  napi_get_typedarray_info(env, argv[3], nullptr, &length, nullptr, nullptr, nullptr);
  const int64_t n = static_cast<int64_t>(length);
  uint8_t* cond;
  float *t, *e, *out;
  if (!get_bytes(env, argv[0], n, &cond, "condition") || !get_floats(env, argv[1], n, &t, false, "t") ||
      !get_floats(env, argv[2], n, &e, false, "e") || !get_floats(env, argv[3], n, &out, false, "out"))
    return nullptr;
  select(cond, t, e, out, n);
  return undefined(env);
}

bool get_pool_geom(napi_env env, napi_value arr, PoolGeom* g) {
  int64_t v[12];
  if (!get_ints(env, arr, v, 12)) return false;
  *g = PoolGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  for (int64_t e : v)
    if (e < 0) return throw_error(env, "negative pooling geometry");
  if (g->sh < 1 || g->sw < 1) return throw_error(env, "strides must be >= 1");
  return true;
}

// maxPool(x, y, geom) with geom = [n,h,w,c, kh,kw, oh,ow, sh,sw, padTop,padLeft]
napi_value MaxPool(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  PoolGeom g;
  float *x, *y;
  if (!get_args(env, info, 3, argv) || !get_pool_geom(env, argv[2], &g)) return nullptr;
  if (!get_floats(env, argv[0], g.n * g.h * g.w * g.c, &x, false, "x") ||
      !get_floats(env, argv[1], g.n * g.oh * g.ow * g.c, &y, false, "y"))
    return nullptr;
  max_pool(g, x, y);
  return undefined(env);
}

// maxPoolGrad(x, dy, dx, geom)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  PoolGeom g;
  float *x, *dy, *dx;
  if (!get_args(env, info, 4, argv) || !get_pool_geom(env, argv[3], &g)) return nullptr;
  if (!get_floats(env, argv[0], g.n * g.h * g.w * g.c, &x, false, "x") ||
      !get_floats(env, argv[1], g.n * g.oh * g.ow * g.c, &dy, false, "dy") ||
      !get_floats(env, argv[2], g.n * g.h * g.w * g.c, &dx, false, "dx"))
    return nullptr;
  max_pool_grad(g, x, dy, dx);
  return undefined(env);
}

// unary(x, y, op, alpha)
napi_value Unary(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return nullptr;
  int32_t op = 0;
  double alpha = 0;
  napi_get_value_int32(env, argv[2], &op);
  napi_get_value_double(env, argv[3], &alpha);
  size_t length = 0;
  napi_get_typedarray_info(env, argv[0], nullptr, &length, nullptr, nullptr, nullptr);
  float *x, *y;
  if (!get_floats(env, argv[0], 0, &x, false, "x") ||
      !get_floats(env, argv[1], static_cast<int64_t>(length), &y, false, "y"))
    return nullptr;
  unary(op, x, y, static_cast<int64_t>(length), alpha);
  return undefined(env);
}

// sumLeading(x, out, [rows, cols])
napi_value SumLeading(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int64_t d[2];
  if (!get_args(env, info, 3, argv) || !get_ints(env, argv[2], d, 2)) return nullptr;
  float *x, *out;
  if (!get_floats(env, argv[0], d[0] * d[1], &x, false, "x") || !get_floats(env, argv[1], d[1], &out, false, "out"))
    return nullptr;
  sum_leading(x, out, d[0], d[1]);
  return undefined(env);
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t n;
  if (!get_args(env, info, 1, argv)) return nullptr;
  if (napi_get_value_int64(env, argv[0], &n) != napi_ok || n < 1 || n > 1024) {
    throw_error(env, "threads must be an integer from 1 to 1024");
    return nullptr;
  }
  ThreadPool::instance().set_threads(static_cast<int>(n));
  return undefined(env);
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, threads, simd;
  napi_create_object(env, &obj);
  napi_create_int32(env, ThreadPool::instance().threads(), &threads);
  napi_create_string_utf8(env, simd_name(), NAPI_AUTO_LENGTH, &simd);
  napi_set_named_property(env, obj, "threads", threads);
  napi_set_named_property(env, obj, "simd", simd);
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasActivation", nullptr, BiasActivation, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"select", nullptr, Select, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, MaxPool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumLeading", nullptr, SumLeading, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  register_fits_read(env, exports);
  register_fft(env, exports);
  register_svm(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
