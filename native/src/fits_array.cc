// Reading a FITS image data unit in the type astropy.io.fits gives it (steps/lib/fits/array-read.ts
// decides the mode from BITPIX, BSCALE, BZERO and BLANK; this file only executes it).
//
// One pass, no second buffer: the data unit is taken in blocks; each block is pread into the
// tail of its own range of the result and converted there, front to back, while its bytes are
// still in cache (a 256 KiB block fits in L2). For float32 data the result is the file's 4 bytes
// per pixel, byte-swapped in place: a 4096² read touches 64 MiB once, in hugepages (fits_io.h).
//
// Arithmetic is astropy's (numpy's): scaled BITPIX 8/16 and float32 data in float32
// (x = float(stored); x *= float(BSCALE) if BSCALE ≠ 1; x += float(BZERO) if BZERO ≠ 0), BITPIX
// 32/64 and float64 data in float64 the same way; no FMA (-ffp-contract=off). BLANK compares the
// stored integer.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "fits_io.h"
#include "fits_read.h"

namespace {

using namespace asterism::fits_io;

// Modes, as steps/lib/fits/array-read.ts numbers them.
enum Mode : int64_t {
  kStored = 0,    // the stored values, byte-swapped (BITPIX's own type)
  kUnsigned = 1,  // the unsigned-integer convention: stored xor sign bit (int8, uint16/32/64)
  kFloat32 = 2,   // BITPIX 8, 16, -32 → float32, scaled, BLANK → NaN
  kFloat64 = 3,   // BITPIX 32, 64, -64 → float64, scaled, BLANK → NaN
};

struct Scale {
  bool mul, add, has_blank;
  double bscale, bzero;
  float bscale32, bzero32;
  int64_t blank;
};

// Pixels per block: 64 Ki pixels is 256 KiB of float32, converted while still in L2.
constexpr size_t kBlock = size_t{1} << 16;
// Pixels widened per step through a stack buffer (see widen_block).
constexpr size_t kChunk = 2048;

// The loops below are compiled twice (target_clones): for AVX2, where the byte swap becomes one
// vpshufb per 32 bytes, and for baseline x86-64 (scalar bswap, 4-5× slower); the loader picks one.
#define ASTERISM_CLONES __attribute__((target_clones("avx2", "default")))

template <typename T>
__attribute__((always_inline)) inline void swap_in_place(T* q, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if constexpr (sizeof(T) == 2) q[i] = __builtin_bswap16(q[i]);
    if constexpr (sizeof(T) == 4) q[i] = __builtin_bswap32(q[i]);
    if constexpr (sizeof(T) == 8) q[i] = __builtin_bswap64(q[i]);
  }
}

template <typename T>
__attribute__((always_inline)) inline void flip_sign_in_place(T* q, size_t n) {
  const T sign = static_cast<T>(T{1} << (8 * sizeof(T) - 1));
  for (size_t i = 0; i < n; i++) q[i] ^= sign;
}

// Same-size conversions, in place: swap (and flip, or scale) a block of the result.
ASTERISM_CLONES void convert_in_place(uint8_t* p, int bitpix, int64_t mode, size_t n, const Scale& s) {
  const size_t b = static_cast<size_t>(std::abs(bitpix) / 8);
  if (b == 2) swap_in_place(reinterpret_cast<uint16_t*>(p), n);
  if (b == 4) swap_in_place(reinterpret_cast<uint32_t*>(p), n);
  if (b == 8) swap_in_place(reinterpret_cast<uint64_t*>(p), n);
  if (mode == kUnsigned) {
    if (b == 1) flip_sign_in_place(p, n);
    if (b == 2) flip_sign_in_place(reinterpret_cast<uint16_t*>(p), n);
    if (b == 4) flip_sign_in_place(reinterpret_cast<uint32_t*>(p), n);
    if (b == 8) flip_sign_in_place(reinterpret_cast<uint64_t*>(p), n);
  } else if (mode == kFloat32 && (s.mul || s.add)) {  // float32 data
    float* f = reinterpret_cast<float*>(p);
    if (s.mul)
      for (size_t i = 0; i < n; i++) f[i] = f[i] * s.bscale32;
    if (s.add)
      for (size_t i = 0; i < n; i++) f[i] = f[i] + s.bzero32;
  } else if (mode == kFloat64 && (s.mul || s.add)) {  // float64 data
    double* d = reinterpret_cast<double*>(p);
    if (s.mul)
      for (size_t i = 0; i < n; i++) d[i] = d[i] * s.bscale;
    if (s.add)
      for (size_t i = 0; i < n; i++) d[i] = d[i] + s.bzero;
  }
}

template <typename Out>
__attribute__((always_inline)) inline Out scaled(int64_t v, const Scale& s) {
  if (s.has_blank && v == s.blank) return static_cast<Out>(NAN);
  Out x = static_cast<Out>(v);
  if constexpr (sizeof(Out) == 4) {
    if (s.mul) x = x * s.bscale32;
    if (s.add) x = x + s.bzero32;
  } else {
    if (s.mul) x = x * s.bscale;
    if (s.add) x = x + s.bzero;
  }
  return x;
}

// Integer → float widening (8/16 → float32, 32/64 → float64). `raw` is the tail of `out`'s own
// memory: each chunk is copied to the stack first, so no write can clobber a value not yet read.
template <typename Out>
__attribute__((always_inline)) inline void widen_block(const uint8_t* raw, int bitpix, size_t n, const Scale& s,
                                                       Out* out) {
  const size_t b = static_cast<size_t>(bitpix / 8);
  alignas(64) uint8_t chunk[kChunk * 8];
  for (size_t i0 = 0; i0 < n; i0 += kChunk) {
    const size_t m = std::min(kChunk, n - i0);
    memcpy(chunk, raw + i0 * b, m * b);
    Out* o = out + i0;
    switch (bitpix) {
      case 8:
        for (size_t i = 0; i < m; i++) o[i] = scaled<Out>(chunk[i], s);
        break;
      case 16:
        for (size_t i = 0; i < m; i++) o[i] = scaled<Out>(static_cast<int16_t>(load_be16(chunk + 2 * i)), s);
        break;
      case 32:
        for (size_t i = 0; i < m; i++) o[i] = scaled<Out>(static_cast<int32_t>(load_be32(chunk + 4 * i)), s);
        break;
      default:  // 64
        for (size_t i = 0; i < m; i++) o[i] = scaled<Out>(static_cast<int64_t>(load_be64(chunk + 8 * i)), s);
    }
  }
}

ASTERISM_CLONES void widen_to_float32(const uint8_t* raw, int bitpix, size_t n, const Scale& s, float* out) {
  widen_block(raw, bitpix, n, s, out);
}

ASTERISM_CLONES void widen_to_float64(const uint8_t* raw, int bitpix, size_t n, const Scale& s, double* out) {
  widen_block(raw, bitpix, n, s, out);
}

size_t out_bytes_per_pixel(int bitpix, int64_t mode) {
  if (mode == kFloat32) return 4;
  if (mode == kFloat64) return 8;
  return static_cast<size_t>(std::abs(bitpix) / 8);
}

bool mode_fits_bitpix(int bitpix, int64_t mode) {
  switch (mode) {
    case kStored:
      return true;
    case kUnsigned:
      return bitpix > 0;
    case kFloat32:
      return bitpix == 8 || bitpix == 16 || bitpix == -32;
    case kFloat64:
      return bitpix == 32 || bitpix == 64 || bitpix == -64;
    default:
      return false;
  }
}

}  // namespace

namespace asterism {

// fitsReadArray(path, offset, bitpix, count, mode, bscale, bzero, blank | null) → ArrayBuffer
//   of `count` values of the mode's type (see Mode), in native byte order.
napi_value FitsReadArray(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 8) {
    throw_error(env, "fitsReadArray expects 8 arguments");
    return nullptr;
  }
  std::string path;
  int64_t offset, bitpix64, count, mode;
  Scale s{};
  if (!get_string(env, argv[0], &path) || !get_i64(env, argv[1], &offset, "offset") ||
      !get_i64(env, argv[3], &count, "count"))
    return nullptr;
  if (napi_get_value_int64(env, argv[2], &bitpix64) != napi_ok || napi_get_value_int64(env, argv[4], &mode) != napi_ok ||
      napi_get_value_double(env, argv[5], &s.bscale) != napi_ok || napi_get_value_double(env, argv[6], &s.bzero) != napi_ok) {
    throw_error(env, "fitsReadArray: bitpix, mode, bscale and bzero must be numbers");
    return nullptr;
  }
  const int bitpix = static_cast<int>(bitpix64);
  if (!valid_bitpix(bitpix64) || !mode_fits_bitpix(bitpix, mode)) {
    throw_error(env, "BITPIX " + std::to_string(bitpix64) + " cannot be read in mode " + std::to_string(mode));
    return nullptr;
  }
  napi_valuetype t;
  napi_typeof(env, argv[7], &t);
  s.has_blank = t == napi_number;
  if (s.has_blank) {
    double blank;
    napi_get_value_double(env, argv[7], &blank);
    // BLANK is an integer card; one beyond int64 can match no stored value.
    s.has_blank = blank >= -9.2e18 && blank <= 9.2e18;
    s.blank = s.has_blank ? static_cast<int64_t>(blank) : 0;
  }
  s.mul = s.bscale != 1;
  s.add = s.bzero != 0;
  s.bscale32 = static_cast<float>(s.bscale);
  s.bzero32 = static_cast<float>(s.bzero);

  const size_t n = static_cast<size_t>(count);
  const size_t ib = static_cast<size_t>(std::abs(bitpix) / 8);
  const size_t ob = out_bytes_per_pixel(bitpix, mode);
  void* mem = nullptr;
  napi_value ab;
  if (!new_result(env, n * ob, &mem, &ab)) return nullptr;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw_error(env, path + ": cannot open: " + strerror(errno));
    return nullptr;
  }
  uint8_t* out = static_cast<uint8_t*>(mem);
  // Integers become floats through the stack (BITPIX 64 → float64 keeps 8 bytes but converts).
  const bool widens = bitpix > 0 && (mode == kFloat32 || mode == kFloat64);
  // One block: pread into the tail of its range of the result, convert there.
  auto block = [&](size_t first, size_t m) {
    uint8_t* start = out + first * ob;
    uint8_t* tail = start + m * (ob - ib);
    std::string err = pread_exact(fd, tail, m * ib, offset + static_cast<int64_t>(first * ib));
    if (!err.empty()) return err;
    if (!widens)
      convert_in_place(start, bitpix, mode, m, s);
    else if (ob == 4)
      widen_to_float32(tail, bitpix, m, s, reinterpret_cast<float*>(start));
    else
      widen_to_float64(tail, bitpix, m, s, reinterpret_cast<double*>(start));
    return err;
  };
  // Threads take whole hugepages of the result (2 MiB spans, the first one up to the first 2 MiB
  // boundary), so each faults in its own instead of both waiting on the same one; within a
  // span, blocks stay small enough for L2. (A buffer not 16-byte aligned would only shift the
  // spans off the boundaries.)
  const size_t span = kHugePage / ob;
  const size_t lead = ((kHugePage - reinterpret_cast<uintptr_t>(out) % kHugePage) % kHugePage) / ob;
  const std::string why = for_blocks(
      n, span,
      [&](size_t first, size_t m) {
        for (size_t done = 0; done < m; done += kBlock) {
          std::string err = block(first + done, std::min(kBlock, m - done));
          if (!err.empty()) return err;
        }
        return std::string();
      },
      lead);
  close(fd);
  if (!why.empty()) {
    throw_error(env, path + ": " + why);
    return nullptr;
  }
  return ab;
}

}  // namespace asterism
