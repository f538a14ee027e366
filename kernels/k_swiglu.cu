#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

__global__ void swiglu_kernel(float* g, const float* u, size_t n) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        g[i] = dm::silu_mul(g[i], u[i], expf(-g[i]));
}

__global__ void geglu_kernel(float* g, const float* u, size_t n) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        g[i] = dm::gelu_mul(g[i], u[i], tanhf(dm::gelu_inner(g[i])));
}

}  // namespace

void swiglu(float* g, const float* u, size_t n, cudaStream_t s) {
    const int blocks = int(std::min<size_t>((n + 255) / 256, 65535));
    swiglu_kernel<<<blocks, 256, 0, s>>>(g, u, n);
    CUDA_CHECK(cudaGetLastError());
}

void geglu(float* g, const float* u, size_t n, cudaStream_t s) {
    const int blocks = int(std::min<size_t>((n + 255) / 256, 65535));
    geglu_kernel<<<blocks, 256, 0, s>>>(g, u, n);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
