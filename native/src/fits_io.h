// Helpers shared by the FITS readers (fits_read.cc, fits_array.cc): argument parsing, result
// memory (a V8 ArrayBuffer in hugepages), exact preads, and the block loop that spreads
// a data unit over two threads.
#pragma once
#include <fcntl.h>
#include <node_api.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "napi_args.h"

namespace asterism::fits_io {

using napi::throw_error;

constexpr size_t kHugePage = size_t{2} << 20;

// A new ArrayBuffer of `bytes` that V8 allocates and owns, for the result.
//
// Owned by V8, not external: Node 20 runs the finalizers of external ArrayBuffers from the event
// loop, so a synchronous loop over frames kept every result alive until it returned (20 reads of
// a 4096² float32 image held 1.3 GiB); V8's own buffers are freed by its GC alone.
//
// Hugepages: the buffer's fresh pages are still untouched (Node's allocator callocs, and glibc
// maps large blocks fresh), so results of 4 MiB or more get madvise(MADV_HUGEPAGE) on their
// 2 MiB-aligned interior, as numpy does for every large array: a 64 MiB result then costs 32
// page faults instead of 16384 (docs/fits.md). ASTERISM_FITS_HUGEPAGES=0 turns it off.
inline bool new_result(napi_env env, size_t bytes, void** data, napi_value* out) {
  if (napi_create_arraybuffer(env, bytes, data, out) != napi_ok) {
    return throw_error(env, "out of memory allocating " + std::to_string(bytes) + " bytes for the image");
  }
  const char* huge = getenv("ASTERISM_FITS_HUGEPAGES");
  if (bytes >= (size_t{4} << 20) && (huge == nullptr || strcmp(huge, "0") != 0)) {
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(*data) + kHugePage - 1) & ~(kHugePage - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(*data) + bytes) & ~(kHugePage - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
  return true;
}

inline int open_or_throw(napi_env env, const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_error(env, path + ": cannot open: " + strerror(errno));
  return fd;
}

// Reads exactly `bytes`; returns "" or why not (no N-API calls: runs on worker threads too).
inline std::string pread_exact(int fd, uint8_t* dst, size_t bytes, int64_t offset) {
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

// Runs work(first, count) over [0, n) in blocks of `block` items (the first one `lead` items when
// lead > 0), on two threads when there are at least four blocks: one thread's pread (a kernel
// copy) overlaps the other's conversion, and both share the page faults of a fresh result. work
// returns "" or why it failed; the first failure stops both threads and is returned.
template <typename Work>
std::string for_blocks(size_t n, size_t block, const Work& work, size_t lead = 0) {
  lead = std::min(lead, n);
  const size_t blocks = (lead > 0 ? 1 : 0) + (n - lead + block - 1) / block;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::string errors[2];
  auto run = [&](int id) {
    for (size_t k; !failed.load(std::memory_order_relaxed) && (k = next.fetch_add(1)) < blocks;) {
      const size_t first = lead == 0 ? k * block : k == 0 ? 0 : lead + (k - 1) * block;
      const size_t end = lead > 0 && k == 0 ? lead : std::min(n, first + block);
      std::string why = work(first, end - first);
      if (!why.empty()) {
        errors[id] = std::move(why);
        failed = true;
        return;
      }
    }
  };
  if (blocks >= 4 && std::thread::hardware_concurrency() >= 2) {
    std::thread helper(run, 1);
    run(0);
    helper.join();
  } else {
    run(0);
  }
  return !errors[0].empty() ? errors[0] : errors[1];
}

inline bool valid_bitpix(int64_t bitpix) {
  return bitpix == 8 || bitpix == 16 || bitpix == 32 || bitpix == 64 || bitpix == -32 || bitpix == -64;
}

inline bool get_string(napi_env env, napi_value v, std::string* out) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return throw_error(env, "path must be a string");
  out->resize(len + 1);
  napi_get_value_string_utf8(env, v, out->data(), len + 1, &len);
  out->resize(len);
  return true;
}

inline bool get_i64(napi_env env, napi_value v, int64_t* out, const char* name) {
  if (napi_get_value_int64(env, v, out) != napi_ok || *out < 0)
    return throw_error(env, std::string(name) + " must be a non-negative number");
  return true;
}

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

}  // namespace asterism::fits_io
