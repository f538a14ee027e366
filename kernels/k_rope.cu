#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

// theta_i = (pos / scale) * theta_scale^i / factor_i, accumulated by repeated multiplication
// exactly as the CPU backend does, so both see the same angles.
__global__ void rope_kernel(float* x, int n_heads, int head_dim, int n_rot, int pos0,
                            float theta_scale, float scale, const float* freq_factors, bool neox,
                            float attn_factor) {
    const int t = blockIdx.y;
    const int pairs = n_rot / 2;
    const int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= n_heads * pairs) return;
    const int h = idx / pairs, i = idx % pairs;
    float theta = float(pos0 + t) / scale;
    for (int k = 0; k < i; ++k) theta *= theta_scale;
    if (freq_factors) theta /= freq_factors[i];
    float* v = x + size_t(t) * size_t(n_heads) * size_t(head_dim) + size_t(h) * size_t(head_dim);
    const float c = cosf(theta) * attn_factor, s = sinf(theta) * attn_factor;
    if (neox)
        dm::rope_pair(v[i], v[i + pairs], c, s);
    else
        dm::rope_pair(v[2 * i], v[2 * i + 1], c, s);
}

}  // namespace

void rope(float* x, int T, int n_heads, int head_dim, int pos0, const RopeParams& p,
          cudaStream_t s) {
    const float theta_scale = powf(p.base, -2.0f / float(p.n_rot));
    const int work = n_heads * (p.n_rot / 2);
    const dim3 grid((work + 127) / 128, T);
    rope_kernel<<<grid, 128, 0, s>>>(x, n_heads, head_dim, p.n_rot, pos0, theta_scale, p.scale,
                                     p.freq_factors, p.neox, p.attn_factor);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
