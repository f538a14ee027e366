// Decode-time matrix-vector products: one warp per weight row, 16-byte loads of fp16 weights
// (8 values; fp32 weights of tiny models take two), the T <= 8 activation rows read from L1/L2.
// Weights dominate the bytes, so each is read once per step for all T rows (the compare view's
// small batches).
#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

constexpr int kWarpsPerBlock = 8;

// Eight weights of row `wr` from column c (16 bytes of fp16, or 32 of fp32).
__device__ __forceinline__ void load8(const __half* wr, int c, float* wv) {
    const uint4 raw = *reinterpret_cast<const uint4*>(wr + c);
    const __half2* h2 = reinterpret_cast<const __half2*>(&raw);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        const float2 f = __half22float2(h2[k]);
        wv[2 * k] = f.x;
        wv[2 * k + 1] = f.y;
    }
}
__device__ __forceinline__ void load8(const float* wr, int c, float* wv) {
    const float4 a = *reinterpret_cast<const float4*>(wr + c);
    const float4 b = *reinterpret_cast<const float4*>(wr + c + 4);
    wv[0] = a.x, wv[1] = a.y, wv[2] = a.z, wv[3] = a.w;
    wv[4] = b.x, wv[5] = b.y, wv[6] = b.z, wv[7] = b.w;
}
__device__ __forceinline__ float load1(const __half* wr, int c) {
    return __half2float(wr[c]);
}
__device__ __forceinline__ float load1(const float* wr, int c) {
    return wr[c];
}

template <int T, class W>
__global__ void gemv_kernel(const W* __restrict__ w, int rows, int cols,
                            const float* __restrict__ x, float* __restrict__ y) {
    const int row = blockIdx.x * kWarpsPerBlock + threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    if (row >= rows) return;
    const W* wr = w + size_t(row) * size_t(cols);
    float acc[T];
#pragma unroll
    for (int t = 0; t < T; ++t) acc[t] = 0.f;
    if (cols % 8 == 0) {
        for (int c = lane * 8; c < cols; c += 32 * 8) {
            float wv[8];
            load8(wr, c, wv);
#pragma unroll
            for (int t = 0; t < T; ++t) {
                const float4* xv = reinterpret_cast<const float4*>(x + size_t(t) * cols + c);
                const float4 a = xv[0], b = xv[1];
                acc[t] += wv[0] * a.x + wv[1] * a.y + wv[2] * a.z + wv[3] * a.w + wv[4] * b.x +
                          wv[5] * b.y + wv[6] * b.z + wv[7] * b.w;
            }
        }
    } else {
        for (int c = lane; c < cols; c += 32) {
            const float wv = load1(wr, c);
#pragma unroll
            for (int t = 0; t < T; ++t) acc[t] += wv * x[size_t(t) * cols + c];
        }
    }
#pragma unroll
    for (int t = 0; t < T; ++t) {
        float v = acc[t];
        for (int off = 16; off > 0; off /= 2) v += __shfl_xor_sync(0xffffffffu, v, off);
        if (lane == 0) y[size_t(t) * rows + row] = v;
    }
}

template <int T>
void launch(const void* w, bool f32, int rows, int cols, const float* x, float* y, cudaStream_t s) {
    const int blocks = (rows + kWarpsPerBlock - 1) / kWarpsPerBlock;
    if (f32)
        gemv_kernel<T>
            <<<blocks, kWarpsPerBlock * 32, 0, s>>>(static_cast<const float*>(w), rows, cols, x, y);
    else
        gemv_kernel<T><<<blocks, kWarpsPerBlock * 32, 0, s>>>(static_cast<const __half*>(w), rows,
                                                              cols, x, y);
}

}  // namespace

void gemv(const void* w, bool w_f32, int rows, int cols, const float* x, int T, float* y,
          cudaStream_t s) {
    // The batch is a template parameter so the accumulators stay in registers.
    using Launch = void (*)(const void*, bool, int, int, const float*, float*, cudaStream_t);
    static constexpr Launch by_batch[kGemvMaxBatch] = {launch<1>, launch<2>, launch<3>, launch<4>,
                                                       launch<5>, launch<6>, launch<7>, launch<8>};
    if (T < 1 || T > kGemvMaxBatch) throw std::logic_error("gemv: batch outside 1..kGemvMaxBatch");
    by_batch[T - 1](w, w_f32, rows, cols, x, y, s);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
