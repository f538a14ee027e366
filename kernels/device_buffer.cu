#include "kernels/device_buffer.h"

#include "engine/error.h"
#include "kernels/cuda_check.h"

namespace nqkv::cuda {

void* device_alloc(size_t bytes, const std::string& what) {
    void* p = nullptr;
    const cudaError_t e = cudaMalloc(&p, bytes);
    if (e == cudaSuccess) return p;
    cudaGetLastError();  // an allocation failure is not sticky; clear it for the next call
    size_t free = 0, total = 0;
    cudaMemGetInfo(&free, &total);
    const auto mib = [](size_t b) { return (b + (size_t(1) << 19)) >> 20; };
    if (e == cudaErrorMemoryAllocation)
        fail("CUDA: not enough GPU memory for ", what, ": ", mib(bytes), " MiB needed, ", mib(free),
             " MiB free of ", mib(total),
             " MiB; use the CPU backend (--backend cpu), a smaller context or a quantized KV "
             "cache");
    fail("CUDA: allocating ", mib(bytes), " MiB for ", what, " failed: ", cudaGetErrorString(e));
}

}  // namespace nqkv::cuda
