// A persistent thread pool. parallel_for hands out task indices dynamically; every task writes a
// disjoint part of the output and computes it the same way whichever thread runs it, so results
// do not depend on the thread count or on scheduling (the CPU path is deterministic).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace asterism {

class ThreadPool {
 public:
  static ThreadPool& instance();
  // Total threads including the caller; at least 1.
  void set_threads(int n);
  int threads() const { return threads_; }
  // Runs fn(i) for every i in [0, n) and returns when all are done. Not reentrant.
  void parallel_for(int64_t n, const std::function<void(int64_t)>& fn);
  ~ThreadPool();

 private:
  ThreadPool();
  void stop_workers();
  void worker_loop();
  void run_tasks();

  int threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  int active_ = 0;
  const std::function<void(int64_t)>* fn_ = nullptr;
  int64_t n_ = 0;
  std::atomic<int64_t> next_{0};
};

}  // namespace asterism
