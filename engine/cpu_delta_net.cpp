#include "engine/cpu_delta_net.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/cpu_ssm_state.h"
#include "engine/llama_model.h"
#include "engine/thread_pool.h"

namespace nqkv {
namespace {

// x / max(|x|, eps), as llama.cpp's L2 norm, times `scale`.
void l2_normed(const float* x, int n, float eps, float scale, float* out) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += double(x[i]) * double(x[i]);
    const float s = scale / std::max(float(std::sqrt(sum)), eps);
    for (int i = 0; i < n; ++i) out[i] = x[i] * s;
}

}  // namespace

void unpack_beta_alpha(const LlamaHParams& hp, const float* ba, int T, float* beta, float* alpha) {
    const size_t H = size_t(hp.ssm_heads), r = H / size_t(hp.ssm_groups);
    for (size_t t = 0; t < size_t(T); ++t)
        for (size_t g = 0; g < size_t(hp.ssm_groups); ++g) {
            const float* in = ba + t * 2 * H + g * 2 * r;
            std::copy_n(in, r, beta + t * H + g * r);
            std::copy_n(in + r, r, alpha + t * H + g * r);
        }
}

void unpack_qkvz(const LlamaHParams& hp, const float* qkvz, int T, float* qkv, float* z) {
    const size_t S = size_t(hp.ssm_state), G = size_t(hp.ssm_groups), C = size_t(hp.ssm_channels()),
                 inner = size_t(hp.ssm_inner), vg = inner / G;  // a key head's values
    const size_t per_group = 2 * S + 2 * vg;
    for (size_t t = 0; t < size_t(T); ++t)
        for (size_t g = 0; g < G; ++g) {
            const float* in = qkvz + t * (C + inner) + g * per_group;
            float* row = qkv + t * C;
            std::copy_n(in, S, row + g * S);
            std::copy_n(in + S, S, row + G * S + g * S);
            std::copy_n(in + 2 * S, vg, row + 2 * G * S + g * vg);
            std::copy_n(in + 2 * S + vg, vg, z + t * inner + g * vg);
        }
}

void delta_net_mix(const LlamaHParams& hp, const LlamaLayer& L, SsmState& state, int i,
                   const DeltaNetInputs& in, int T, float* y, ThreadPool& pool) {
    const int C = hp.ssm_channels(), S = hp.ssm_state, H = hp.ssm_heads, G = hp.ssm_groups;
    const int inner = hp.ssm_inner, key_dim = G * S;
    const float* x = state.convolve(L, i, in.qkv, size_t(C), T);  // q, k, v rows after SiLU
    float* states = state.heads(i);
    const float q_scale = 1.f / std::sqrt(float(S));

    // One value head per job. Its state's row j (value dimension j) holds S key-dimension
    // entries, so every step is a pass over contiguous rows: decay, read with k, write the
    // delta, read with q.
    pool.parallel_for(H, [&](int64_t h0, int64_t h1, int) {
        std::vector<float> q(static_cast<size_t>(S)), k(q.size());
        for (int64_t h = h0; h < h1; ++h) {
            // Value heads take the key heads in turn (Qwen3.5), or in groups (Qwen3-Next).
            const int g = hp.delta_net_grouped ? int(h / (H / G)) : int(h % G);
            float* s = states + size_t(h) * size_t(S) * size_t(S);
            for (int t = 0; t < T; ++t) {
                const float* xt = x + size_t(t) * size_t(C);
                l2_normed(xt + size_t(g) * size_t(S), S, hp.rms_eps, q_scale, q.data());
                l2_normed(xt + size_t(key_dim + g * S), S, hp.rms_eps, 1.f, k.data());
                const float* v = xt + size_t(2 * key_dim) + size_t(h) * size_t(S);
                const size_t th = size_t(t) * size_t(H) + size_t(h);
                const float decay =
                    std::exp(ssm_softplus(in.alpha[th] + L.ssm_dt_bias[h]) * L.ssm_a[h]);
                const float beta = 1.f / (1.f + std::exp(-in.beta[th]));
                float* out = y + size_t(t) * size_t(inner) + size_t(h) * size_t(S);
                for (int j = 0; j < S; ++j) {
                    float* row = s + size_t(j) * size_t(S);
                    float read = 0;
                    for (int c = 0; c < S; ++c) {
                        row[c] *= decay;
                        read += row[c] * k[size_t(c)];
                    }
                    const float delta = (v[j] - read) * beta;
                    float o = 0;
                    for (int c = 0; c < S; ++c) {
                        row[c] += k[size_t(c)] * delta;
                        o += row[c] * q[size_t(c)];
                    }
                    out[j] = o;
                }
            }
        }
    });

    // Each head's output RMS-normed (one weight vector for every head), gated by SiLU(z).
    for (int t = 0; t < T; ++t)
        for (int h = 0; h < H; ++h) {
            float* o = y + size_t(t) * size_t(inner) + size_t(h) * size_t(S);
            const float* z = in.z + size_t(t) * size_t(inner) + size_t(h) * size_t(S);
            double sum = 0;
            for (int j = 0; j < S; ++j) sum += double(o[j]) * double(o[j]);
            const float scale = 1.0f / std::sqrt(float(sum / S) + hp.rms_eps);
            for (int j = 0; j < S; ++j)
                o[j] = o[j] * scale * L.ssm_norm[j] * (z[j] / (1.f + std::exp(-z[j])));
        }
}

}  // namespace nqkv
