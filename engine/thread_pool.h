// A small fork-join pool for the CPU backend. Workers spin briefly between jobs before they
// sleep, because a decode step issues dozens of short parallel loops and waking sleeping
// threads for each would cost more than the work.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nqkv {

class ThreadPool {
  public:
    explicit ThreadPool(int n_threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return n_threads_; }

    // Runs fn(begin, end) over [0, n) split into contiguous ranges, one per thread, and
    // returns when all are done. The calling thread takes the first range.
    void parallel_for(int64_t n, const std::function<void(int64_t, int64_t)>& fn);

  private:
    void worker(int index);
    void run_share(int index);

    int n_threads_;
    std::vector<std::thread> threads_;
    const std::function<void(int64_t, int64_t)>* job_ = nullptr;
    int64_t job_n_ = 0;
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> pending_{0};
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
};

// Physical cores of this machine (hyper-threads not counted); at least 1.
int physical_core_count();

}  // namespace nqkv
