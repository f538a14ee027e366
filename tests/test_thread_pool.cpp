// The CPU backend's thread pool: every index runs exactly once, each chunk knows which thread
// runs it, and the chunks go to whichever thread is free, so one stalled thread does not hold
// up the work it would have been given in a fixed split.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/thread_pool.h"
#include "tests/test_support.h"

using namespace nqkv;

class TestThreadPool : public QObject {
    Q_OBJECT
  private slots:
    void covers_every_index_once() {
        for (int threads : {1, 2, 3, 8}) {
            ThreadPool pool(threads);
            for (int64_t n : {1, 2, 7, 100, 1001}) {
                std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
                for (int rep = 0; rep < 50; ++rep)
                    pool.parallel_for(n, [&](int64_t b, int64_t e, int) {
                        for (int64_t i = b; i < e; ++i) hits[size_t(i)]++;
                    });
                for (auto& h : hits) QCOMPARE(h.load(), 50);
            }
        }
    }

    void a_worker_runs_one_chunk_at_a_time() {
        for (int threads : {2, 3, 8}) {
            ThreadPool pool(threads);
            std::vector<std::atomic<int>> busy(static_cast<size_t>(threads));
            std::atomic<int> bad_index{0}, overlaps{0}, calls{0};
            for (int rep = 0; rep < 20; ++rep)
                pool.parallel_for(997, [&](int64_t, int64_t, int w) {
                    calls++;
                    if (w < 0 || w >= threads) {
                        bad_index++;
                        return;
                    }
                    if (busy[size_t(w)].fetch_add(1) != 0) overlaps++;
                    std::this_thread::yield();
                    busy[size_t(w)].fetch_sub(1);
                });
            QCOMPARE(bad_index.load(), 0);
            QCOMPARE(overlaps.load(), 0);
            QVERIFY(calls.load() > 20 * threads);  // more than one chunk per thread
        }
    }

    // The thread that takes the first chunk waits there until every other index is done. With a
    // fixed share per thread the rest of its share could never be done (the wait times out);
    // with chunks claimed as threads come free, the others take it all.
    void a_stalled_thread_leaves_its_work_to_the_others() {
        for (int threads : {2, 4}) {
            ThreadPool pool(threads);
            const int64_t n = 400;
            std::atomic<int64_t> done{0};
            std::atomic<int> stalled_worker{-1}, chunks_of_stalled{0};
            std::atomic<bool> timed_out{false};
            int64_t first_len = 0;
            pool.parallel_for(n, [&](int64_t b, int64_t e, int w) {
                if (b == 0) {
                    stalled_worker = w;
                    first_len = e - b;
                    const auto give_up =
                        std::chrono::steady_clock::now() + std::chrono::seconds(20);
                    while (done.load() < n - (e - b))
                        if (std::chrono::steady_clock::now() > give_up) {
                            timed_out = true;
                            break;
                        } else {
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                        }
                } else if (w == stalled_worker.load()) {
                    chunks_of_stalled++;
                }
                done += e - b;
            });
            QVERIFY(!timed_out.load());
            QCOMPARE(done.load(), n);
            QVERIFY(first_len < n / threads);
            QCOMPARE(chunks_of_stalled.load(), 0);
        }
    }

    void physical_cores_are_counted() { QVERIFY(physical_core_count() >= 1); }
};

QTEST_GUILESS_MAIN(TestThreadPool)
#include "test_thread_pool.moc"
