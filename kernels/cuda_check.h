// The one place CUDA and cuBLAS errors are turned into messages with file and line.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace nqkv::cuda {

[[noreturn]] inline void raise_error(const char* what, const char* detail, const char* file,
                                     int line) {
    throw std::runtime_error(std::string(what) + " failed at " + file + ":" + std::to_string(line) +
                             ": " + detail);
}

}  // namespace nqkv::cuda

#define CUDA_CHECK(expr)                                                                    \
    do {                                                                                    \
        const cudaError_t err_ = (expr);                                                    \
        if (err_ != cudaSuccess)                                                            \
            ::nqkv::cuda::raise_error(#expr, cudaGetErrorString(err_), __FILE__, __LINE__); \
    } while (0)

#define CUBLAS_CHECK(expr)                                                                    \
    do {                                                                                      \
        const cublasStatus_t st_ = (expr);                                                    \
        if (st_ != CUBLAS_STATUS_SUCCESS)                                                     \
            ::nqkv::cuda::raise_error(#expr, cublasGetStatusString(st_), __FILE__, __LINE__); \
    } while (0)
