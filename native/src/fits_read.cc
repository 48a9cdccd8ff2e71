// Reading a FITS image data unit (big-endian, Standard §5) straight into memory that V8 then
// owns as an external ArrayBuffer.
//
// Why native: one pass per block of pixels (pread into the tail of the block's own output, then
// byte-swap and widen in place while the bytes are still in cache), two threads taking blocks in
// turn, and no copy: the float64 read costs exactly its result. The buffer is 2 MiB aligned so
// that madvise(MADV_HUGEPAGE) can be tried (ASTERISM_FITS_HUGEPAGES=1); it is off by default
// because it was measured slower here (see huge_alloc).
//
// Arithmetic matches the JS path bit for bit: physical = bzero + bscale × stored in double, no
// FMA (-ffp-contract=off), BLANK compared as a double, as JS compares numbers.
#include "fits_read.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
// Pixels converted per step: the raw chunk is copied to a stack buffer first, so the in-place
// widening never reads memory that a write of the same step may have overwritten.
constexpr size_t kChunk = 2048;

bool throw_error(napi_env env, const std::string& msg) {
  napi_throw_error(env, "ASTERISM_NATIVE", msg.c_str());
  return false;
}

size_t rounded_size(size_t bytes) { return bytes == 0 ? kHugePage : (bytes + kHugePage - 1) / kHugePage * kHugePage; }

void* huge_alloc(size_t bytes) {
  const size_t rounded = rounded_size(bytes);
  void* p = nullptr;
  if (posix_memalign(&p, kHugePage, rounded) != 0) return nullptr;
  // Transparent hugepages are opt-in: in the Firecracker VM this was measured on, faulting in
  // fresh 2 MiB pages made a 4096² read 2-3× slower than 4 KiB pages (docs/fits.md).
  const char* huge = getenv("ASTERISM_FITS_HUGEPAGES");
  if (huge != nullptr && strcmp(huge, "1") == 0) madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void free_external(napi_env env, void* data, void* hint) {
  const int64_t bytes = static_cast<int64_t>(reinterpret_cast<uintptr_t>(hint));
  int64_t ignored;
  napi_adjust_external_memory(env, -bytes, &ignored);
  free(data);
}

// An ArrayBuffer over a fresh block that V8 frees through free_external.
bool external_buffer(napi_env env, void* data, size_t bytes, napi_value* out) {
  if (napi_create_external_arraybuffer(env, data, bytes, free_external,
                                       reinterpret_cast<void*>(static_cast<uintptr_t>(bytes)), out) != napi_ok) {
    free(data);
    return throw_error(env, "could not create an external ArrayBuffer");
  }
  int64_t ignored;
  napi_adjust_external_memory(env, static_cast<int64_t>(bytes), &ignored);
  return true;
}

int open_or_throw(napi_env env, const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_error(env, path + ": cannot open: " + strerror(errno));
  return fd;
}

// Reads exactly `bytes`; returns "" or why not (no N-API calls: runs on worker threads too).
std::string pread_exact(int fd, uint8_t* dst, size_t bytes, int64_t offset) {
  size_t done = 0;
  while (done < bytes) {
    const ssize_t n = pread(fd, dst + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return "reading " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) +
             " failed: " + (n < 0 ? strerror(errno) : "the file ends early");
    }
    done += static_cast<size_t>(n);
  }
  return "";
}

bool pread_all(napi_env env, const std::string& path, uint8_t* dst, size_t bytes, int64_t offset) {
  const int fd = open_or_throw(env, path);
  if (fd < 0) return false;
  const std::string why = pread_exact(fd, dst, bytes, offset);
  close(fd);
  if (!why.empty()) return throw_error(env, path + ": " + why);
  return true;
}

struct Scaling {
  double bscale, bzero;
  bool has_blank;
  double blank;
};

inline uint16_t load_be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t load_be32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline uint64_t load_be64(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

template <typename Stored>
inline double physical(Stored v, const Scaling& s) {
  const double d = static_cast<double>(v);
  if (s.has_blank && d == s.blank) return NAN;
  return s.bzero + s.bscale * d;
}

// Widen `n` big-endian pixels at `raw` into out[0..n); raw may be the tail of out's own memory.
void widen(const uint8_t* raw, int bitpix, size_t n, const Scaling& s, double* out) {
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
// independent: up to two threads take them in turn, overlapping one's pread with the other's
// widening and sharing the page faults of the fresh result.
std::string read_and_widen(int fd, int64_t offset, int bitpix, size_t n, size_t b, const Scaling& s, double* out) {
  const size_t blocks = (n + kBlock - 1) / kBlock;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::string errors[2];
  auto work = [&](int id) {
    for (size_t k; !failed.load(std::memory_order_relaxed) && (k = next.fetch_add(1)) < blocks;) {
      const size_t first = k * kBlock;
      const size_t m = std::min(kBlock, n - first);
      uint8_t* tail = reinterpret_cast<uint8_t*>(out + first) + m * (8 - b);
      std::string why = pread_exact(fd, tail, m * b, offset + static_cast<int64_t>(first * b));
      if (!why.empty()) {
        errors[id] = std::move(why);
        failed = true;
        return;
      }
      widen(tail, bitpix, m, s, out + first);
    }
  };
  const unsigned cores = std::thread::hardware_concurrency();
  if (blocks >= 4 && cores >= 2) {
    std::thread helper(work, 1);
    work(0);
    helper.join();
  } else {
    work(0);
  }
  return !errors[0].empty() ? errors[0] : errors[1];
}

bool valid_bitpix(int64_t bitpix) {
  return bitpix == 8 || bitpix == 16 || bitpix == 32 || bitpix == 64 || bitpix == -32 || bitpix == -64;
}

bool get_string(napi_env env, napi_value v, std::string* out) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return throw_error(env, "path must be a string");
  out->resize(len + 1);
  napi_get_value_string_utf8(env, v, out->data(), len + 1, &len);
  out->resize(len);
  return true;
}

bool get_i64(napi_env env, napi_value v, int64_t* out, const char* name) {
  if (napi_get_value_int64(env, v, out) != napi_ok || *out < 0)
    return throw_error(env, std::string(name) + " must be a non-negative number");
  return true;
}

// fitsReadPixels(path, offset, bitpix, count, bscale, bzero, blank | null, out | null)
//   → Float64Array of `count` physical values: `out` (its first count elements) when given,
//     else a new external array.
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
    void* mem = huge_alloc(n * 8);
    if (mem == nullptr) {
      throw_error(env, "out of memory allocating " + std::to_string(n * 8) + " bytes");
      return nullptr;
    }
    napi_value ab;
    if (!external_buffer(env, mem, n * 8, &ab)) return nullptr;
    napi_create_typedarray(env, napi_float64_array, n, ab, 0, &result);
    out = static_cast<double*>(mem);
  } else {
    napi_typedarray_type type;
    size_t length;
    void* data;
    bool is_ta = false;
    napi_is_typedarray(env, argv[7], &is_ta);
    if (!is_ta || napi_get_typedarray_info(env, argv[7], &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float64_array || length < n) {
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

// fitsReadRaw(path, offset, bitpix, count) → ArrayBuffer of the stored values in native byte
// order (external, 2 MiB aligned), for the caller to view with the typed array of its BITPIX.
napi_value FitsReadRaw(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 4) {
    throw_error(env, "fitsReadRaw expects 4 arguments");
    return nullptr;
  }
  std::string path;
  int64_t offset, bitpix, count;
  if (!get_string(env, argv[0], &path) || !get_i64(env, argv[1], &offset, "offset") ||
      napi_get_value_int64(env, argv[2], &bitpix) != napi_ok || !get_i64(env, argv[3], &count, "count"))
    return nullptr;
  if (!valid_bitpix(bitpix)) {
    throw_error(env, "BITPIX " + std::to_string(bitpix) + " is not valid");
    return nullptr;
  }
  const size_t n = static_cast<size_t>(count);
  const size_t b = static_cast<size_t>(std::abs(bitpix) / 8);
  void* mem = huge_alloc(n * b);
  if (mem == nullptr) {
    throw_error(env, "out of memory allocating " + std::to_string(n * b) + " bytes");
    return nullptr;
  }
  if (!pread_all(env, path, static_cast<uint8_t*>(mem), n * b, offset)) {
    free(mem);
    return nullptr;
  }
  uint8_t* p = static_cast<uint8_t*>(mem);
  if (b == 2) {
    uint16_t* q = reinterpret_cast<uint16_t*>(p);
    for (size_t i = 0; i < n; i++) q[i] = __builtin_bswap16(q[i]);
  } else if (b == 4) {
    uint32_t* q = reinterpret_cast<uint32_t*>(p);
    for (size_t i = 0; i < n; i++) q[i] = __builtin_bswap32(q[i]);
  } else if (b == 8) {
    uint64_t* q = reinterpret_cast<uint64_t*>(p);
    for (size_t i = 0; i < n; i++) q[i] = __builtin_bswap64(q[i]);
  }
  napi_value ab;
  if (!external_buffer(env, mem, n * b, &ab)) return nullptr;
  return ab;
}

}  // namespace

namespace asterism {

void register_fits_read(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"fitsReadPixels", nullptr, FitsReadPixels, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fitsReadRaw", nullptr, FitsReadRaw, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace asterism
