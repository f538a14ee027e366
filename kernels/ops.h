// The CUDA ops, one .cu file each, as host functions that launch on a stream. Activations are
// fp32 rows of [tokens][width]; weights are fp16 rows of [out][in], as GGUF stores them.
#pragma once

#include <cublas_v2.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "kernels/kv_device.h"

namespace nqkv::cuda {

// out[t] = table[ids[t]] (fp16 or fp32 rows to fp32).
void embed(const void* table, bool f32, const int* ids, int T, int d, float* out, cudaStream_t s);
// out[t] = x[t] / rms(x[t]) * w.
void rmsnorm(const float* x, const float* w, float* out, int T, int d, float eps, cudaStream_t s);
struct RopeParams {
    int n_rot;
    float base, scale;          // positions are divided by `scale`
    const float* freq_factors;  // pair i's angle is divided by freq_factors[i]; may be null
    bool neox;                  // pairs (i, i + n_rot/2) instead of adjacent (2i, 2i+1)
    float attn_factor;          // cos and sin are scaled by this
};
// Rotates the pairs of the first n_rot dimensions of every head of T rows at positions
// pos0 .. pos0 + T - 1 (GGUF's RoPE).
void rope(float* x, int T, int n_heads, int head_dim, int pos0, const RopeParams& p,
          cudaStream_t s);
// g = silu(g) * u.
void swiglu(float* g, const float* u, size_t n, cudaStream_t s);
// g = gelu(g) * u, GELU in its tanh form (Gemma).
void geglu(float* g, const float* u, size_t n, cudaStream_t s);
// x *= f (nothing when f is 1).
void scale(float* x, size_t n, float f, cudaStream_t s);
// x = cap * tanh(x / cap) (nothing when cap <= 0).
void softcap(float* x, size_t n, float cap, cudaStream_t s);
// x += y.
void add(float* x, const float* y, size_t n, cudaStream_t s);
// x[t] += bias for T rows of n; nothing when bias is null.
void add_bias(float* x, const float* bias, int T, int n, cudaStream_t s);
// out = half(x).
void to_half(const float* x, __half* out, size_t n, cudaStream_t s);
// y[t][r] = W[r] . x[t] for T <= kGemvMaxBatch: one warp per row, the weights (fp16, or fp32
// when w_f32) read once for all T rows.
constexpr int kGemvMaxBatch = 8;
void gemv(const void* w, bool w_f32, int rows, int cols, const float* x, int T, float* y,
          cudaStream_t s);
// The same for any T with cuBLAS, fp32 accumulation and output: fp16 weights take x converted
// to fp16 (x16: scratch of T * cols halves), fp32 weights take x as it is.
void gemm(cublasHandle_t h, const void* w, bool w_f32, int rows, int cols, const float* x,
          __half* x16, int T, float* y, cudaStream_t s);
// Stores T rows at positions pos .. pos + T - 1 of a layer: quantize-on-append for NQKV sides
// (absmax scale, nearest level, packing), fp16 or fp32 otherwise.
void kv_append(const SideView& side, int layer, int pos, int T, const float* rows, cudaStream_t s);

// Attention for T queries at positions n_past .. n_past + T - 1 over the cache, split along the
// keys in chunks of kAttnChunk (flash-decoding); partial results are combined per query.
constexpr int kAttnChunk = 256;
constexpr int kAttnMaxHeadDim = 256;
struct AttnScratch {
    float* o = nullptr;  // [queries][n_head][splits][head_dim]
    float* m = nullptr;  // [queries][n_head][splits]
    float* l = nullptr;
    int max_queries = 0, max_splits = 0;
};
// Scores are q.k * scale, then softcap * tanh(score / softcap) when softcap > 0; with a window,
// a query sees only the `window` latest keys (its own included).
struct AttnParams {
    float scale = 0;  // 0: 1/sqrt(head_dim)
    float softcap = 0;
    int window = 0;
};
void attention(const float* q, const SideView& k, const SideView& v, int layer, int n_past, int T,
               int n_head, int n_head_kv, int head_dim, const AttnParams& p,
               const AttnScratch& scratch, float* out, cudaStream_t s);

}  // namespace nqkv::cuda
