// Attention over the stored cache, for decoding (T = 1) and prefill (T queries, causal) alike.
// Split along the keys (flash-decoding): block (head, split, query) scores its chunk of up to
// kAttnChunk keys — one warp per key, K dequantized in registers from codes and the block
// scale, the codebook in shared memory — takes the chunk's softmax statistics and its share of
// the V sum; a second kernel combines the chunks of each query and head. Long contexts thus
// spread over n_head x chunks blocks and use the whole GPU.
#include <cfloat>

#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

constexpr int kThreads = 128;
constexpr int kWarps = kThreads / 32;

__device__ float block_max(float v, float* red) {
    for (int off = 16; off > 0; off /= 2) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
    if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = v;
    __syncthreads();
    float m = red[0];
    for (int k = 1; k < kWarps; ++k) m = fmaxf(m, red[k]);
    __syncthreads();
    return m;
}

__device__ float block_sum(float v, float* red) {
    for (int off = 16; off > 0; off /= 2) v += __shfl_xor_sync(0xffffffffu, v, off);
    if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = v;
    __syncthreads();
    float s = 0;
    for (int k = 0; k < kWarps; ++k) s += red[k];
    __syncthreads();
    return s;
}

__global__ void attn_split(const float* q, SideView K, SideView V, int layer, int n_past,
                           int q_first, int n_head, int group, int hd, float scale, float softcap,
                           int window, float* part_o, float* part_m, float* part_l,
                           int max_splits) {
    const int h = blockIdx.x, split = blockIdx.y, qi = blockIdx.z;
    const int t = q_first + qi;         // query index within this eval
    const int n_keys = n_past + t + 1;  // causal: keys up to the query's own position
    const int first_key = window > 0 ? max(0, n_keys - window) : 0;
    const int k0 = max(split * kAttnChunk, first_key);
    const size_t slot = (size_t(qi) * size_t(n_head) + size_t(h)) * size_t(max_splits) + split;
    float* o = part_o + slot * size_t(hd);
    if (k0 >= min(split * kAttnChunk + kAttnChunk, n_keys)) {
        for (int i = threadIdx.x; i < hd; i += kThreads) o[i] = 0.f;
        if (threadIdx.x == 0) {
            part_m[slot] = -FLT_MAX;
            part_l[slot] = 0.f;
        }
        return;
    }
    const int k1 = min(split * kAttnChunk + kAttnChunk, n_keys), n = k1 - k0;
    const int kvh = h / group;

    __shared__ float qs[kAttnMaxHeadDim];
    __shared__ float w[kAttnChunk];
    __shared__ float lk[256], lv[256];
    __shared__ float red[kWarps];
    const float* qrow = q + (size_t(t) * size_t(n_head) + size_t(h)) * size_t(hd);
    for (int i = threadIdx.x; i < hd; i += kThreads) qs[i] = qrow[i];
    if (K.kind == SideView::Quant)
        for (int i = threadIdx.x; i < (1 << K.bits); i += kThreads) lk[i] = K.levels[i];
    if (V.kind == SideView::Quant)
        for (int i = threadIdx.x; i < (1 << V.bits); i += kThreads) lv[i] = V.levels[i];
    __syncthreads();

    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    for (int p = warp; p < n; p += kWarps) {
        const size_t r = K.row_index(layer, k0 + p);
        float acc = 0;
        for (int i = lane; i < hd; i += 32) acc += qs[i] * load_value(K, lk, r, kvh * hd + i);
        for (int off = 16; off > 0; off /= 2) acc += __shfl_xor_sync(0xffffffffu, acc, off);
        if (lane == 0) w[p] = softcap > 0 ? softcap * tanhf(acc * scale / softcap) : acc * scale;
    }
    __syncthreads();

    float m = -FLT_MAX;
    for (int p = threadIdx.x; p < n; p += kThreads) m = fmaxf(m, w[p]);
    m = block_max(m, red);
    float l = 0;
    for (int p = threadIdx.x; p < n; p += kThreads) {
        const float e = expf(w[p] - m);
        w[p] = e;
        l += e;
    }
    l = block_sum(l, red);  // also orders the writes to w before the reads below

    // V: each warp sums its share of the keys with lanes across the dimensions (coalesced
    // reads, every thread busy), then the warps' partial sums are added in shared memory.
    constexpr int kPerLane = kAttnMaxHeadDim / 32;
    float acc[kPerLane];
#pragma unroll
    for (int k = 0; k < kPerLane; ++k) acc[k] = 0.f;
    for (int p = warp; p < n; p += kWarps) {
        const size_t r = V.row_index(layer, k0 + p);
        const float wp = w[p];
#pragma unroll
        for (int k = 0; k < kPerLane; ++k) {
            const int i = lane + 32 * k;
            if (i < hd) acc[k] += wp * load_value(V, lv, r, kvh * hd + i);
        }
    }
    __shared__ float partial[kWarps][kAttnMaxHeadDim];
#pragma unroll
    for (int k = 0; k < kPerLane; ++k) {
        const int i = lane + 32 * k;
        if (i < hd) partial[warp][i] = acc[k];
    }
    __syncthreads();
    for (int i = threadIdx.x; i < hd; i += kThreads) {
        float sum = 0;
        for (int k = 0; k < kWarps; ++k) sum += partial[k][i];
        o[i] = sum;
    }
    if (threadIdx.x == 0) {
        part_m[slot] = m;
        part_l[slot] = l;
    }
}

__global__ void attn_combine(const float* part_o, const float* part_m, const float* part_l,
                             int q_first, int n_head, int hd, int splits, int max_splits,
                             float* out) {
    const int h = blockIdx.x, qi = blockIdx.y;
    const size_t base = (size_t(qi) * size_t(n_head) + size_t(h)) * size_t(max_splits);
    float M = -FLT_MAX;
    for (int s = 0; s < splits; ++s) M = fmaxf(M, part_m[base + s]);
    float L = 0;
    for (int s = 0; s < splits; ++s) L += expf(part_m[base + s] - M) * part_l[base + s];
    float* o = out + (size_t(q_first + qi) * size_t(n_head) + size_t(h)) * size_t(hd);
    for (int i = threadIdx.x; i < hd; i += blockDim.x) {
        float acc = 0;
        for (int s = 0; s < splits; ++s)
            acc += expf(part_m[base + s] - M) * part_o[(base + s) * size_t(hd) + size_t(i)];
        o[i] = acc / L;
    }
}

}  // namespace

void attention(const float* q, const SideView& k, const SideView& v, int layer, int n_past, int T,
               int n_head, int n_head_kv, int head_dim, const AttnParams& p,
               const AttnScratch& scratch, float* out, cudaStream_t s) {
    if (head_dim > kAttnMaxHeadDim)
        throw std::runtime_error("CUDA attention: head_dim above " +
                                 std::to_string(kAttnMaxHeadDim));
    const int splits = (n_past + T + kAttnChunk - 1) / kAttnChunk;
    if (splits > scratch.max_splits) throw std::logic_error("CUDA attention: scratch too small");
    const float scale = p.scale > 0 ? p.scale : 1.0f / sqrtf(float(head_dim));
    const int group = n_head / n_head_kv;
    for (int first = 0; first < T; first += scratch.max_queries) {
        const int nq = std::min(scratch.max_queries, T - first);
        attn_split<<<dim3(n_head, splits, nq), kThreads, 0, s>>>(
            q, k, v, layer, n_past, first, n_head, group, head_dim, scale, p.softcap, p.window,
            scratch.o, scratch.m, scratch.l, scratch.max_splits);
        CUDA_CHECK(cudaGetLastError());
        attn_combine<<<dim3(n_head, nq), 128, 0, s>>>(scratch.o, scratch.m, scratch.l, first,
                                                      n_head, head_dim, splits, scratch.max_splits,
                                                      out);
        CUDA_CHECK(cudaGetLastError());
    }
}

}  // namespace nqkv::cuda
