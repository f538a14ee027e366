#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

template <class T>
__device__ float to_float(T v);
template <>
__device__ float to_float(__half v) {
    return __half2float(v);
}
template <>
__device__ float to_float(float v) {
    return v;
}

template <class T>
__global__ void embed_kernel(const T* table, const int* ids, int d, float* out) {
    const int t = blockIdx.y;
    const T* row = table + size_t(ids[t]) * size_t(d);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < d; i += gridDim.x * blockDim.x)
        out[size_t(t) * size_t(d) + size_t(i)] = to_float(row[i]);
}

}  // namespace

void embed(const void* table, bool f32, const int* ids, int T, int d, float* out, cudaStream_t s) {
    const dim3 grid((d + 255) / 256, T);
    if (f32)
        embed_kernel<<<grid, 256, 0, s>>>(static_cast<const float*>(table), ids, d, out);
    else
        embed_kernel<<<grid, 256, 0, s>>>(static_cast<const __half*>(table), ids, d, out);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
