// Prefill matrix products with cuBLAS: activations converted to fp16, fp32 accumulation and
// output. Row-major Y[T][rows] = X[T][cols] W^T is column-major Y^T = W^T(op T) X^T.
#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {

void gemm(cublasHandle_t h, const void* w, bool w_f32, int rows, int cols, const float* x,
          __half* x16, int T, float* y, cudaStream_t s) {
    CUBLAS_CHECK(cublasSetStream(h, s));
    const float one = 1.f, zero = 0.f;
    if (w_f32) {
        CUBLAS_CHECK(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, rows, T, cols, &one, w, CUDA_R_32F,
                                  cols, x, CUDA_R_32F, cols, &zero, y, CUDA_R_32F, rows,
                                  CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        return;
    }
    to_half(x, x16, size_t(T) * size_t(cols), s);
    CUBLAS_CHECK(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, rows, T, cols, &one, w, CUDA_R_16F, cols,
                              x16, CUDA_R_16F, cols, &zero, y, CUDA_R_32F, rows, CUBLAS_COMPUTE_32F,
                              CUBLAS_GEMM_DEFAULT));
}

}  // namespace nqkv::cuda
