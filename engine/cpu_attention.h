// Self-attention on the CPU: the projections, head norms and RoPE of one layer's queries, keys
// and values, the keys and values into the KV cache, and each query head's softmax over the
// cached positions (a window of them in sliding-window layers). Heads may differ in size and
// count from layer to layer (Gemma 4), a layer may read another's keys and values, and keys and
// values may come from one latent (DeepSeek's multi-head latent attention).
#pragma once

#include <vector>

#include "engine/aligned_vector.h"
#include "engine/cpu_matmul.h"
#include "engine/kv_cache.h"
#include "engine/llama_model.h"

namespace nqkv {

class CpuAttention {
  public:
    CpuAttention(const LlamaHParams& hp, CpuMatmul& matmul, KvCache& kv, int n_ctx);

    // RoPE's cos and sin for the T positions from n_past; once per batch, before run().
    // Bidirectional: every row of the batch also attends to the rows after it (a picture's).
    void prepare(int T, int n_past, bool bidirectional = false);
    // Layer l on the T normed rows in x (n_embd each) at positions n_past..: its output
    // projection's rows into out (n_embd each; out may be x).
    void run(const LlamaLayer& L, int l, int T, int n_past, const float* x, float* out);

  private:
    void rope_table(int pos, float* cs, bool local) const;
    void rope(float* x, int n_heads, int hd, int rot, const float* cs) const;
    void head_norm(float* x, const float* w, int rows, int width, int heads) const;
    void gated_queries(const LlamaLayer& L, int l, int T, const float* x);
    void attend(const LlamaLayer& L, int l, int T, int n_past, float* out);
    // Multi-head latent attention (cpu_latent_attention.cpp): the latent and the rotated key
    // into the cache as one head, each query head taken into the latent, the heads' latent
    // outputs out through their own value projections.
    void run_latent(const LlamaLayer& L, int l, int T, int n_past, const float* x, float* out);
    // For each head h and row t < T: w[h] times the w[h].cols values at in + t * in_row +
    // h * in_head, into out + t * out_row + h * out_head.
    void per_head(const std::vector<WeightMatrix>& w, int T, const float* in, int in_row,
                  int in_head, float* out, int out_row, int out_head);

    const LlamaHParams& hp_;
    CpuMatmul& matmul_;
    KvCache& kv_;
    int n_ctx_;
    bool local_rope_;
    bool bidirectional_ = false;  // this batch's rows see each other both ways  // windowed layers
                                  // rotate with their own base and width (Gemma 3 and 4)
    std::vector<int> kv_layer_;   // each layer's cache layer (its own, or the one it reads)
    AlignedVector<float> q_, k_, v_, o_, rope_cs_, rope_cs_local_, scores_;
    AlignedVector<float> q_gates_, gates_;  // Qwen3.5's query projection, and its gates apart
    // Multi-head latent attention's: the low-rank queries, the projected queries, one head's
    // rows in and out of its own matrix and their rounding (per worker when heads run apart).
    AlignedVector<float> lat_qa_, lat_q_, lat_in_, lat_out_;
    std::vector<std::vector<uint8_t>> lat_acts_;
};

// x = c tanh(x / c) for n values; nothing for c = 0.
void softcap(float* x, int n, float c);

}  // namespace nqkv
