#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

__global__ void scale_kernel(float* x, size_t n, float f) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        x[i] *= f;
}

__global__ void softcap_kernel(float* x, size_t n, float cap) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        x[i] = cap * tanhf(x[i] / cap);
}

int blocks_for(size_t n) {
    return int(std::min<size_t>((n + 255) / 256, 65535));
}

}  // namespace

void scale(float* x, size_t n, float f, cudaStream_t s) {
    if (f == 1.f || n == 0) return;
    scale_kernel<<<blocks_for(n), 256, 0, s>>>(x, n, f);
    CUDA_CHECK(cudaGetLastError());
}

void softcap(float* x, size_t n, float cap, cudaStream_t s) {
    if (cap <= 0 || n == 0) return;
    softcap_kernel<<<blocks_for(n), 256, 0, s>>>(x, n, cap);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
