// Reading a FITS image data unit (big-endian, Standard §5) as physical float64 values, straight
// into a new ArrayBuffer (or into a caller's Float64Array).
//
// Why native: one pass per block of pixels (pread into the tail of the block's own output, then
// byte-swap and widen in place while the bytes are still in cache), two threads taking blocks in
// turn, and no copy: the float64 read costs exactly its result, in hugepages (fits_io.h).
//
// Arithmetic matches the JS path bit for bit: physical = bzero + bscale × stored in double, no
// FMA (-ffp-contract=off), BLANK compared as a double, as JS compares numbers.
#include "fits_read.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fits_io.h"

namespace {

using namespace asterism::fits_io;

// Pixels converted per step: the raw chunk is copied to a stack buffer first, so the in-place
// widening never reads memory that a write of the same step may have overwritten.
constexpr size_t kChunk = 2048;

struct Scaling {
  double bscale, bzero;
  bool has_blank;
  double blank;
};

template <typename Stored>
__attribute__((always_inline)) inline double physical(Stored v, const Scaling& s) {
  const double d = static_cast<double>(v);
  if (s.has_blank && d == s.blank) return NAN;
  return s.bzero + s.bscale * d;
}

// Widen `n` big-endian pixels at `raw` into out[0..n); raw may be the tail of out's own memory.
// Compiled for AVX2 and for baseline x86-64 (target_clones; the loader picks one): with AVX2 the
// swap and the float32 → float64 conversion are vectorised.
__attribute__((target_clones("avx2", "default"))) void widen(const uint8_t* raw, int bitpix, size_t n,
                                                              const Scaling& s, double* out) {
  const size_t b = static_cast<size_t>(std::abs(bitpix) / 8);
  const bool identity = s.bscale == 1 && s.bzero == 0 && !s.has_blank;
  alignas(64) uint8_t chunk[kChunk * 8];
  for (size_t i0 = 0; i0 < n; i0 += kChunk) {
    const size_t m = n - i0 < kChunk ? n - i0 : kChunk;
    memcpy(chunk, raw + i0 * b, m * b);
    double* o = out + i0;
    switch (bitpix) {
      case 8:
        for (size_t i = 0; i < m; i++) o[i] = physical(chunk[i], s);
        break;
      case 16:
        for (size_t i = 0; i < m; i++) o[i] = physical(static_cast<int16_t>(load_be16(chunk + 2 * i)), s);
        break;
      case 32:
        for (size_t i = 0; i < m; i++) o[i] = physical(static_cast<int32_t>(load_be32(chunk + 4 * i)), s);
        break;
      case 64:
        for (size_t i = 0; i < m; i++) o[i] = physical(static_cast<int64_t>(load_be64(chunk + 8 * i)), s);
        break;
      case -32:
        if (identity) {
          for (size_t i = 0; i < m; i++) {
            const uint32_t u = load_be32(chunk + 4 * i);
            float f;
            memcpy(&f, &u, 4);
            o[i] = static_cast<double>(f);
          }
        } else {
          for (size_t i = 0; i < m; i++) {
            const uint32_t u = load_be32(chunk + 4 * i);
            float f;
            memcpy(&f, &u, 4);
            o[i] = s.bzero + s.bscale * static_cast<double>(f);
          }
        }
        break;
      default:  // -64
        for (size_t i = 0; i < m; i++) {
          const uint64_t u = load_be64(chunk + 8 * i);
          double d;
          memcpy(&d, &u, 8);
          o[i] = identity ? d : s.bzero + s.bscale * d;
        }
    }
  }
}

// Pixels per block: the block's raw bytes (≤ 1 MiB) are still in cache when widened.
constexpr size_t kBlock = size_t{1} << 17;

// The data unit in blocks, each read into the tail of its own output range and widened there
// (out[i] never overtakes raw pixel j > i of the same block, at tail + j·b), so blocks are
// independent and for_blocks can hand them to two threads.
std::string read_and_widen(int fd, int64_t offset, int bitpix, size_t n, size_t b, const Scaling& s, double* out) {
  return for_blocks(n, kBlock, [&](size_t first, size_t m) {
    uint8_t* tail = reinterpret_cast<uint8_t*>(out + first) + m * (8 - b);
    std::string why = pread_exact(fd, tail, m * b, offset + static_cast<int64_t>(first * b));
    if (why.empty()) widen(tail, bitpix, m, s, out + first);
    return why;
  });
}

// fitsReadPixels(path, offset, bitpix, count, bscale, bzero, blank | null, out | null)
//   → Float64Array of `count` physical values: `out` (its first count elements) when given,
//     else a new array.
napi_value FitsReadPixels(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 8) {
    throw_error(env, "fitsReadPixels expects 8 arguments");
    return nullptr;
  }
  std::string path;
  int64_t offset, bitpix, count;
  Scaling s{};
  if (!get_string(env, argv[0], &path) || !get_i64(env, argv[1], &offset, "offset") ||
      napi_get_value_int64(env, argv[2], &bitpix) != napi_ok || !get_i64(env, argv[3], &count, "count") ||
      napi_get_value_double(env, argv[4], &s.bscale) != napi_ok ||
      napi_get_value_double(env, argv[5], &s.bzero) != napi_ok)
    return nullptr;
  if (!valid_bitpix(bitpix)) {
    throw_error(env, "BITPIX " + std::to_string(bitpix) + " is not valid");
    return nullptr;
  }
  napi_valuetype t;
  napi_typeof(env, argv[6], &t);
  s.has_blank = t == napi_number;
  if (s.has_blank) napi_get_value_double(env, argv[6], &s.blank);

  const size_t n = static_cast<size_t>(count);
  const size_t b = static_cast<size_t>(std::abs(bitpix) / 8);
  napi_value result;
  double* out;
  napi_typeof(env, argv[7], &t);
  if (t == napi_null || t == napi_undefined) {
    void* mem = nullptr;
    napi_value ab;
    if (!new_result(env, n * 8, &mem, &ab)) return nullptr;
    napi_create_typedarray(env, napi_float64_array, n, ab, 0, &result);
    out = static_cast<double*>(mem);
  } else {
    size_t length = 0;
    void* data = nullptr;
    if (!asterism::napi::typed_array_of(env, argv[7], napi_float64_array, &length, &data) || length < n) {
      throw_error(env, "out must be a Float64Array of at least count elements");
      return nullptr;
    }
    result = argv[7];
    out = static_cast<double*>(data);
  }
  const int fd = open_or_throw(env, path);
  if (fd < 0) return nullptr;
  const std::string why = read_and_widen(fd, offset, static_cast<int>(bitpix), n, b, s, out);
  close(fd);
  if (!why.empty()) {
    throw_error(env, path + ": " + why);
    return nullptr;
  }
  return result;
}

}  // namespace

namespace asterism {

void register_fits_read(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"fitsReadPixels", nullptr, FitsReadPixels, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fitsReadArray", nullptr, FitsReadArray, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace asterism
