#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

__global__ void embed_kernel(const __half* table, const int* ids, int d, float* out) {
    const int t = blockIdx.y;
    const __half* row = table + size_t(ids[t]) * size_t(d);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < d; i += gridDim.x * blockDim.x)
        out[size_t(t) * size_t(d) + size_t(i)] = __half2float(row[i]);
}

}  // namespace

void embed(const __half* table, const int* ids, int T, int d, float* out, cudaStream_t s) {
    const dim3 grid((d + 255) / 256, T);
    embed_kernel<<<grid, 256, 0, s>>>(table, ids, d, out);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
