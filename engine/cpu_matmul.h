// The CPU backend's matrix product, shared by its units: weights stay in their file type and
// each row is a dot product with the activations, rounded once to the weights' activation type.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/cpu_kernels.h"
#include "engine/llama_model.h"
#include "engine/thread_pool.h"

namespace nqkv {

// Below this many multiply-adds work runs on one thread: waking workers costs more.
constexpr int64_t kParallelMinWork = 96 * 1024;

class CpuMatmul {
  public:
    CpuMatmul(ThreadPool& pool, bool float_activations)
        : kern_(cpu_kernels()), pool_(pool), float_acts_(float_activations) {}

    // Y[t][r] = W[r] . X[t] for t < T. X is rounded once to the weights' activation type
    // (unless float activations were asked for) and every row is an integer dot product.
    void operator()(const WeightMatrix& w, const float* x, int T, float* y);
    // The same product on the calling thread alone, rounding X into `acts`: for callers that
    // spread many small products over the pool themselves (one per head). Bit for bit the same.
    void serial(const WeightMatrix& w, const float* x, int T, float* y,
                std::vector<uint8_t>& acts) const;

    ThreadPool& pool() const { return pool_; }
    const CpuKernels& kernels() const { return kern_; }

  private:
    void run(const WeightMatrix& w, const float* x, int T, float* y, std::vector<uint8_t>& acts,
             bool parallel) const;

    const CpuKernels& kern_;
    ThreadPool& pool_;
    bool float_acts_;
    std::vector<uint8_t> acts_;  // the rounded activations
};

// RMSNorm of n values: out = x / rms(x) * w (w null: no weight).
void rmsnorm(const float* x, const float* w, float* out, int n, float eps);
// LayerNorm of n values without a bias, as ggml's norm and a weight: out = (x - mean) /
// sqrt(variance + eps) * w.
void layernorm(const float* x, const float* w, float* out, int n, float eps);
// The model's norm: LayerNorm where it says so (Cohere's), RMSNorm otherwise.
inline void model_norm(const LlamaHParams& hp, const float* x, const float* w, float* out, int n) {
    if (hp.layer_norm)
        layernorm(x, w, out, n, hp.rms_eps);
    else
        rmsnorm(x, w, out, n, hp.rms_eps);
}

// GELU in its tanh form, as Gemma and llama.cpp use it.
inline float gelu(float x) {
    return 0.5f * x * (1.0f + std::tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
}

}  // namespace nqkv
