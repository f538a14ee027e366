#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

constexpr int kThreads = 256;

__global__ void rmsnorm_kernel(const float* x, const float* w, float* out, int d, float eps) {
    const float* row = x + size_t(blockIdx.x) * size_t(d);
    float* o = out + size_t(blockIdx.x) * size_t(d);
    float sum = 0;
    for (int i = threadIdx.x; i < d; i += kThreads) sum += row[i] * row[i];
    for (int off = 16; off > 0; off /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, off);
    __shared__ float warp_sums[kThreads / 32];
    if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = sum;
    __syncthreads();
    float total = 0;
    for (int k = 0; k < kThreads / 32; ++k) total += warp_sums[k];
    const float scale = rsqrtf(total / float(d) + eps);
    for (int i = threadIdx.x; i < d; i += kThreads) o[i] = (row[i] * scale) * w[i];
}

}  // namespace

void rmsnorm(const float* x, const float* w, float* out, int T, int d, float eps, cudaStream_t s) {
    rmsnorm_kernel<<<T, kThreads, 0, s>>>(x, w, out, d, eps);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
