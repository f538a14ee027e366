#include "engine/thread_pool.h"

#include <immintrin.h>

#include <fstream>
#include <set>
#include <string>
#include <utility>

namespace nqkv {
namespace {
constexpr int kSpinIterations = 20000;
// Enough chunks that a thread slowed down leaves its work to the others, few enough that
// claiming them costs nothing next to the work.
constexpr int64_t kChunksPerThread = 4;
}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(n_threads < 1 ? 1 : n_threads) {
    for (int i = 1; i < n_threads_; ++i) threads_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

void ThreadPool::run_chunks(int worker) {
    for (;;) {
        const int64_t c = next_chunk_.fetch_add(1, std::memory_order_relaxed);
        if (c >= n_chunks_) return;
        const int64_t begin = c * chunk_;
        (*job_)(begin, begin + chunk_ < job_n_ ? begin + chunk_ : job_n_, worker);
    }
}

void ThreadPool::parallel_for(int64_t n, const Job& fn) {
    if (n <= 0) return;
    if (n_threads_ == 1 || n == 1) {
        fn(0, n, 0);
        return;
    }
    job_ = &fn;
    job_n_ = n;
    const int64_t want = int64_t(n_threads_) * kChunksPerThread;
    chunk_ = (n + want - 1) / want;
    n_chunks_ = (n + chunk_ - 1) / chunk_;
    next_chunk_.store(0, std::memory_order_relaxed);
    uint64_t generation;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        generation = generation_.fetch_add(1, std::memory_order_release) + 1;
    }
    wake_.notify_all();
    run_chunks(0);
    // Every chunk is claimed. Close the job to threads that have not joined it yet (asleep, or
    // preempted by the system) and wait only for those inside it: a worker joins, then checks
    // `closed_`, and the caller closes, then checks `active_` (all sequentially consistent),
    // so either the worker sees the job closed or the caller sees the worker.
    closed_.store(generation);
    while (active_.load() != 0) _mm_pause();
}

void ThreadPool::worker(int index) {
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
            _mm_pause();
            ++spins;
        }
        if (generation_.load(std::memory_order_acquire) == seen) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load() != seen; });
        }
        seen = generation_.load(std::memory_order_acquire);
        if (stop_) return;
        active_.fetch_add(1);
        if (closed_.load() < seen) run_chunks(index);
        active_.fetch_sub(1);
    }
}

int physical_core_count() {
    // Count distinct (package, core) pairs; fall back to the logical count.
    std::set<std::pair<std::string, std::string>> cores;
    for (unsigned cpu = 0; cpu < 4096; ++cpu) {
        const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
        std::ifstream core(base + "core_id"), pkg(base + "physical_package_id");
        if (!core) break;
        std::string c, p;
        core >> c;
        pkg >> p;
        cores.insert({p, c});
    }
    if (!cores.empty()) return int(cores.size());
    const unsigned n = std::thread::hardware_concurrency();
    return n ? int(n) : 1;
}

}  // namespace nqkv
