// Kernel timings for `nqkv bench --kernels` (median milliseconds; *bytes gets what the kernel
// must read, so bytes / time is its effective bandwidth).
#pragma once

#include <string>

namespace nqkv::cuda {

// One decode step of attention for every head over n_keys tokens of one layer's cache.
double bench_attention(const std::string& kv, int n_head, int n_head_kv, int head_dim, int n_keys,
                       int reps, double* bytes);
// y = W x for one fp16 rows x cols matrix.
double bench_gemv(int rows, int cols, int reps, double* bytes);

}  // namespace nqkv::cuda
