#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

__global__ void add_kernel(float* x, const float* y, size_t n) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        x[i] += y[i];
}

__global__ void add_bias_kernel(float* x, const float* bias, size_t n_total, int n) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n_total;
         i += size_t(gridDim.x) * blockDim.x)
        x[i] += bias[i % size_t(n)];
}

}  // namespace

void add_bias(float* x, const float* bias, int T, int n, cudaStream_t s) {
    if (!bias) return;
    const size_t total = size_t(T) * size_t(n);
    const int blocks = int(std::min<size_t>((total + 255) / 256, 65535));
    add_bias_kernel<<<blocks, 256, 0, s>>>(x, bias, total, n);
    CUDA_CHECK(cudaGetLastError());
}

void add(float* x, const float* y, size_t n, cudaStream_t s) {
    const int blocks = int(std::min<size_t>((n + 255) / 256, 65535));
    add_kernel<<<blocks, 256, 0, s>>>(x, y, n);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
