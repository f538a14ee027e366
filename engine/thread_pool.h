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
    // fn(begin, end, worker): one chunk [begin, end); worker (0 .. size() - 1) is the thread
    // running it, and no two chunks run on the same worker at once (for per-thread scratch).
    using Job = std::function<void(int64_t, int64_t, int)>;

    explicit ThreadPool(int n_threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return n_threads_; }

    // Runs fn over [0, n) in contiguous chunks (about four per thread) that the threads claim
    // one at a time as they finish the last, and returns when all are done; the calling thread
    // is worker 0. Claiming instead of a fixed share per thread keeps every core busy when some
    // are slower than others (efficiency cores, a thread the system preempts), and the caller
    // does not wait for a thread that has not joined by the time every chunk is taken.
    void parallel_for(int64_t n, const Job& fn);

  private:
    void worker(int index);
    void run_chunks(int worker);

    int n_threads_;
    std::vector<std::thread> threads_;
    const Job* job_ = nullptr;
    int64_t job_n_ = 0, chunk_ = 1, n_chunks_ = 0;
    std::atomic<int64_t> next_chunk_{0};
    std::atomic<uint64_t> generation_{0};
    std::atomic<uint64_t> closed_{0};  // the last generation whose chunks are all claimed
    std::atomic<int> active_{0};       // workers inside a job
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
};

// Physical cores of this machine (hyper-threads not counted); at least 1.
int physical_core_count();

}  // namespace nqkv
