// Gemma 3n's AltUp streams and LAuReL on the CPU (LlamaHParams::n_altup, AltupWeights and
// LlamaLayer in llama_model.h). The backend's residual rows carry the active stream's
// prediction through each layer; this unit keeps every stream between layers.
#pragma once

#include <vector>

#include "engine/aligned_vector.h"
#include "engine/cpu_matmul.h"
#include "engine/cpu_per_layer_inputs.h"
#include "engine/llama_model.h"

namespace nqkv {

// Gemma 3n's sparse gate: each of T rows of n values less its mean plus std_mul standard
// deviations (over n - 1), cut at 0.
void gaussian_top_k(float* rows, int T, int n, float std_mul);

class CpuAltup {
  public:
    CpuAltup(const LlamaModel& model, CpuMatmul& matmul);

    // The streams of T tokens from their scaled embeddings (x, n_embd each).
    void stack(int T, const float* x);
    // Layer l's predictions of every stream; x (T rows) gets the active one's.
    void predict(const LlamaLayer& L, int T, float* x);
    // LAuReL of the layer's normed input rows xb, kept for add_laurel.
    void laurel(const LlamaLayer& L, int T, const float* xb);
    // x = (x + LAuReL) / sqrt(2): the attention block's output joined with LAuReL's.
    void add_laurel(int T, float* x);
    // Every stream corrected by the layer's output x, then the per-layer input, gated by the
    // corrected active stream, added to the streams after the first.
    void correct(const LlamaLayer& L, int l, int T, const float* x, CpuPerLayerInputs& inputs);
    // x = the streams merged: the mean of the first and the others unembedded to its magnitude.
    void merge(int T, float* x);

  private:
    // The streams' modalities for T rows at x: tanh(router (RMSNorm(x) / n_embd)).
    void modalities(const LlamaLayer& L, int T, const float* x);
    float* stream(int k, int t) { return &streams_[(size_t(k) * size_t(T_) + size_t(t)) * d_]; }

    const LlamaModel& model_;
    CpuMatmul& matmul_;
    size_t d_;
    int n_;                                // streams
    int T_ = 0;                            // tokens in the current batch
    AlignedVector<float> streams_, pred_;  // [stream][token][n_embd]
    AlignedVector<float> normed_, mod_, coef_, rank_, laurel_, proj_, gated_, pl_out_;
};

}  // namespace nqkv
