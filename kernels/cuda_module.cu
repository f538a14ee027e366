// Entry points of libnqkv_cuda.so, a plain C ABI so the engine can dlopen it without CUDA
// headers. Errors never cross the boundary as exceptions: they become return codes and text.
#include <cstring>
#include <exception>

#include "kernels/cuda_check.h"

namespace {

void copy_message(const char* msg, char* out, size_t out_len) {
    if (!out || out_len == 0) return;
    std::strncpy(out, msg, out_len - 1);
    out[out_len - 1] = '\0';
}

}  // namespace

extern "C" {

// Number of usable CUDA devices; 0 with a reason in `err` when there are none.
__attribute__((visibility("default"))) int nqkv_cuda_device_count(char* err, size_t err_len) {
    int n = 0;
    const cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        copy_message(cudaGetErrorString(e), err, err_len);
        return 0;
    }
    if (n == 0) copy_message("no CUDA device", err, err_len);
    return n;
}

// Name, memory and compute capability of one device; also proves cuBLAS can start on it.
__attribute__((visibility("default"))) int nqkv_cuda_device_info(int index, char* name,
                                                                 size_t name_len, size_t* total,
                                                                 size_t* free, int* major,
                                                                 int* minor) {
    try {
        cudaDeviceProp prop{};
        CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
        CUDA_CHECK(cudaSetDevice(index));
        CUDA_CHECK(cudaMemGetInfo(free, total));
        cublasHandle_t handle = nullptr;
        CUBLAS_CHECK(cublasCreate(&handle));
        CUBLAS_CHECK(cublasDestroy(handle));
        copy_message(prop.name, name, name_len);
        *major = prop.major;
        *minor = prop.minor;
        return 0;
    } catch (const std::exception& ex) {
        copy_message(ex.what(), name, name_len);
        return -1;
    }
}

}  // extern "C"
