// A persistent thread pool. parallel_for hands out task indices dynamically; every task writes a
// disjoint part of the output and computes it the same way whichever thread runs it, so results
// do not depend on the thread count or on scheduling (the CPU path is deterministic).
//
// The caller runs tasks too and waits only for tasks in flight, never for a worker to wake up:
// on a busy machine a descheduled worker costs nothing, it just finds no work left.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
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
  struct Job {
    const std::function<void(int64_t)>* fn;
    int64_t n;
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> done{0};
  };

  ThreadPool();
  void stop_workers();
  void worker_loop();
  void run_tasks(Job& job);

  int threads_ = 0;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, finished_;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  std::shared_ptr<Job> job_;
};

}  // namespace asterism
