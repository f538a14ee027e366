// Kernel timings for `nqkv bench --kernels`: the decode attention kernel over a filled cache
// and the weight GEMV, each timed with CUDA events (median of repetitions after a warm-up),
// with the bytes each must read, so the caller reports effective bandwidth.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/half.h"
#include "engine/kv_config.h"
#include "kernels/bench_kernels.h"
#include "kernels/cuda_check.h"
#include "kernels/kv_device_cache.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

template <class F>
double median_ms(int reps, F&& launch) {
    cudaEvent_t a, b;
    CUDA_CHECK(cudaEventCreate(&a));
    CUDA_CHECK(cudaEventCreate(&b));
    launch();  // warm-up
    std::vector<float> ms;
    for (int r = 0; r < reps; ++r) {
        CUDA_CHECK(cudaEventRecord(a));
        launch();
        CUDA_CHECK(cudaEventRecord(b));
        CUDA_CHECK(cudaEventSynchronize(b));
        float t = 0;
        CUDA_CHECK(cudaEventElapsedTime(&t, a, b));
        ms.push_back(t);
    }
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

double bench_attention(const std::string& kv, int n_head, int n_head_kv, int head_dim, int n_keys,
                       int reps, double* bytes) {
    const KvConfig cfg = KvConfig::parse(kv, "kv");
    DeviceKvCache cache(cfg, KvShape{1, n_keys, n_head_kv, head_dim});
    const size_t row = size_t(n_head_kv) * size_t(head_dim);
    const int step = std::min(n_keys, 4096);
    std::vector<float> host(size_t(step) * row);
    std::mt19937 rng(7);
    std::normal_distribution<float> n01;
    for (auto& x : host) x = n01(rng);
    DeviceBuffer rows(host.size() * 4, "benchmark rows");
    CUDA_CHECK(cudaMemcpy(rows.as<float>(), host.data(), rows.bytes(), cudaMemcpyHostToDevice));
    for (int p = 0; p < n_keys; p += step) {
        kv_append(cache.side(KvKind::K), 0, p, std::min(step, n_keys - p), rows.as<float>(),
                  nullptr);
        kv_append(cache.side(KvKind::V), 0, p, std::min(step, n_keys - p), rows.as<float>(),
                  nullptr);
    }
    DeviceBuffer q(size_t(n_head) * size_t(head_dim) * 4, "query"), out(q.bytes(), "output");
    CUDA_CHECK(cudaMemcpy(q.as<float>(), host.data(), std::min(q.bytes(), rows.bytes()),
                          cudaMemcpyHostToDevice));
    AttnScratch sc;
    sc.max_queries = 1;
    sc.max_splits = (n_keys + kAttnChunk - 1) / kAttnChunk + 1;
    const size_t slots = size_t(n_head) * size_t(sc.max_splits);
    DeviceBuffer o(slots * size_t(head_dim) * 4, "partials"), m(slots * 4, "m"), l(slots * 4, "l");
    sc.o = o.as<float>();
    sc.m = m.as<float>();
    sc.l = l.as<float>();
    CUDA_CHECK(cudaDeviceSynchronize());
    const SideView &K = cache.side(KvKind::K), &V = cache.side(KvKind::V);
    *bytes = double(n_keys) *
             double(K.row_bytes + V.row_bytes + 2 * size_t(K.blocks_per_row + V.blocks_per_row));
    return median_ms(reps, [&] {
        attention(q.as<float>(), K, V, 0, n_keys - 1, 1, n_head, n_head_kv, head_dim, {}, sc,
                  out.as<float>(), nullptr);
    });
}

double bench_gemv(int rows, int cols, int reps, double* bytes) {
    DeviceBuffer w(size_t(rows) * size_t(cols) * 2, "benchmark matrix");
    DeviceBuffer x(size_t(cols) * 4, "x"), y(size_t(rows) * 4, "y");
    std::vector<uint16_t> host(size_t(rows) * size_t(cols));  // random values: never time zeros
    std::mt19937 rng(9);
    std::normal_distribution<float> n01;
    for (auto& h : host) h = fp32_to_fp16(n01(rng) * 0.05f);
    CUDA_CHECK(cudaMemcpy(w.as<uint16_t>(), host.data(), w.bytes(), cudaMemcpyHostToDevice));
    std::vector<float> xs(size_t(cols), 0.5f);
    CUDA_CHECK(cudaMemcpy(x.as<float>(), xs.data(), x.bytes(), cudaMemcpyHostToDevice));
    *bytes = double(rows) * double(cols) * 2 + double(cols) * 4 + double(rows) * 4;
    return median_ms(reps, [&] {
        gemv(w.as<__half>(), false, rows, cols, x.as<float>(), 1, y.as<float>(), nullptr);
    });
}

}  // namespace nqkv::cuda
