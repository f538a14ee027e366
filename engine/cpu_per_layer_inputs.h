// Gemma 4 E2B/E4B's (and Gemma 3n's) per-layer inputs on the CPU (PerLayerInputWeights in
// llama_model.h): one vector per token and layer, made once per batch, that each layer gates with
// its output.
#pragma once

#include <vector>

#include "engine/aligned_vector.h"
#include "engine/cpu_matmul.h"
#include "engine/llama_model.h"

namespace nqkv {

class CpuPerLayerInputs {
  public:
    CpuPerLayerInputs(const LlamaModel& model, CpuMatmul& matmul);

    // Every layer's input for the T tokens, from their ids and scaled embeddings (x, n_embd
    // each).
    void prepare(const int* tokens, int T, const float* x);
    // x (T rows of n_embd) += RMSNorm(pl_proj (GELU(pl_gate x) * layer l's input)).
    void apply(const LlamaLayer& L, int l, int T, float* x);
    // out = that sum's second term for the rows at in (Gemma 3n adds it to its streams).
    void project(const LlamaLayer& L, int l, int T, const float* in, float* out);

  private:
    const LlamaModel& model_;
    CpuMatmul& matmul_;
    int width_;                // n_embd_per_layer
    AlignedVector<float> in_;  // [token][layer][width_]
    AlignedVector<float> proj_, gate_, out_;
};

}  // namespace nqkv
