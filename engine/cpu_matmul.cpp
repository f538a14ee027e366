#include "engine/cpu_matmul.h"

#include <algorithm>
#include <cmath>

#include "engine/activation_quant.h"

namespace nqkv {

void rmsnorm(const float* x, const float* w, float* out, int n, float eps) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += double(x[i]) * double(x[i]);
    const float scale = 1.0f / std::sqrt(float(sum / n) + eps);
    if (!w) {
        for (int i = 0; i < n; ++i) out[i] = x[i] * scale;
        return;
    }
    for (int i = 0; i < n; ++i) out[i] = (x[i] * scale) * w[i];
}

void layernorm(const float* x, const float* w, float* out, int n, float eps) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += double(x[i]);
    const float mean = float(sum / n);
    double sum2 = 0;
    for (int i = 0; i < n; ++i) {
        const float v = x[i] - mean;
        out[i] = v;
        sum2 += double(v * v);
    }
    const float scale = 1.0f / std::sqrt(float(sum2 / n) + eps);
    for (int i = 0; i < n; ++i) out[i] = (out[i] * scale) * (w ? w[i] : 1.f);
}

namespace {
// The activations one block holds (see run()): a quarter of a core's L2 on current CPUs.
constexpr int64_t kActBlockBytes = 512 * 1024;
}  // namespace

void CpuMatmul::operator()(const WeightMatrix& w, const float* x, int T, float* y) {
    run(w, x, T, y, acts_, w.rows * w.cols * T >= kParallelMinWork);
}

void CpuMatmul::serial(const WeightMatrix& w, const float* x, int T, float* y,
                       std::vector<uint8_t>& acts) const {
    run(w, x, T, y, acts, false);
}

void CpuMatmul::run(const WeightMatrix& w, const float* x, int T, float* y,
                    std::vector<uint8_t>& acts, bool parallel) const {
    const TensorType type = w.info->type;
    const TensorType act = float_acts_ ? TensorType::F32 : activation_type(type);
    const auto split = [&](int64_t n, const ThreadPool::Job& fn) {
        if (parallel)
            pool_.parallel_for(n, fn);
        else
            fn(0, n, 0);
    };
    if (act == TensorType::F32) {
        // Activation rows in blocks that stay in the core's cache while the thread's weight
        // rows pass over them: a batch of thousands (a picture's patches) would otherwise be
        // read again from far memory for every few weight rows. Every dot product is summed
        // in the same order either way.
        const int block = int(std::clamp<int64_t>(kActBlockBytes / (w.cols * 4), 8, 1 << 30));
        split(w.rows, [&](int64_t r0, int64_t r1, int) {
            if (T >= 4) {  // a batch: several weight and activation rows at once
                for (int t0 = 0; t0 < T; t0 += block) {
                    const int n = std::min(block, T - t0);
                    kern_.gemm_rows(type, w.row(r0), w.row_stride, r1 - r0, w.cols,
                                    x + int64_t(t0) * w.cols, w.cols, n,
                                    y + int64_t(t0) * w.rows + r0, w.rows);
                }
                return;
            }
            for (int64_t r = r0; r < r1; ++r)
                kern_.dot_rows(type, w.row(r), w.cols, x, w.cols, T, y + r, w.rows);
        });
        return;
    }
    const size_t stride = activation_row_bytes(act, w.cols);
    acts.resize(stride * size_t(T));
    split(T, [&](int64_t t0, int64_t t1, int) {
        for (int64_t t = t0; t < t1; ++t)
            kern_.quantize_act(act, x + t * w.cols, w.cols, acts.data() + size_t(t) * stride);
    });
    // Whole groups of eight rows per thread: batches of the super-block formats take eight
    // rows per vector, and a thread's leftover rows would go the slower one-row way.
    const int block = int(std::clamp<int64_t>(kActBlockBytes / int64_t(stride), 8, 1 << 30));
    split((w.rows + 7) / 8, [&](int64_t g0, int64_t g1, int) {
        const int64_t r0 = g0 * 8, r1 = std::min<int64_t>(g1 * 8, w.rows);
        for (int t0 = 0; t0 < T; t0 += block)
            kern_.gemm_rows_act(type, w.row(r0), w.row_stride, r1 - r0, w.cols,
                                acts.data() + size_t(t0) * stride, stride, std::min(block, T - t0),
                                y + int64_t(t0) * w.rows + r0, w.rows);
    });
}

}  // namespace nqkv
