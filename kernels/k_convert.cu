#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

__global__ void to_half_kernel(const float* x, __half* out, size_t n) {
    for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x)
        out[i] = __float2half_rn(x[i]);
}

}  // namespace

void to_half(const float* x, __half* out, size_t n, cudaStream_t s) {
    const int blocks = int(std::min<size_t>((n + 255) / 256, 65535));
    to_half_kernel<<<blocks, 256, 0, s>>>(x, out, n);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
