#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

__global__ void add_kernel(float* x, const float* y, size_t n) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        x[i] += y[i];
}

}  // namespace

void add(float* x, const float* y, size_t n, cudaStream_t s) {
    const int blocks = int(std::min<size_t>((n + 255) / 256, 65535));
    add_kernel<<<blocks, 256, 0, s>>>(x, y, n);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
