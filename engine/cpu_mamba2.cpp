#include "engine/cpu_mamba2.h"

#include <cmath>
#include <cstdint>

#include "engine/cpu_ssm_state.h"
#include "engine/llama_model.h"
#include "engine/thread_pool.h"

namespace nqkv {
namespace {

float silu(float x) {
    return x / (1.f + std::exp(-x));
}

}  // namespace

void mamba2_mix(const LlamaHParams& hp, const LlamaLayer& L, SsmState& state, int i,
                const float* proj, int T, float* y, ThreadPool& pool) {
    const int C = hp.ssm_channels(), inner = hp.ssm_inner, N = hp.ssm_state;
    const int heads = hp.ssm_heads, groups = hp.ssm_groups;
    const size_t row = size_t(inner) + size_t(C) + size_t(heads);  // z, x B C, dt
    const float* xbc = state.convolve(L, i, proj + inner, row, T);

    // The scan, one head per job: its state decays by exp(dt A) and takes dt x B^T each token,
    // and y = state C + D x.
    const int hd = inner / heads, per_group = heads / groups;
    float* states = state.heads(i);
    pool.parallel_for(heads, [&](int64_t h0, int64_t h1, int) {
        for (int64_t h = h0; h < h1; ++h) {
            const int g = int(h) / per_group;
            float* s = states + size_t(h) * size_t(hd) * size_t(N);
            for (int t = 0; t < T; ++t) {
                const float* xt = &xbc[size_t(t) * size_t(C)];
                const float* B = xt + inner + size_t(g) * size_t(N);
                const float* Cm = xt + inner + size_t(groups) * size_t(N) + size_t(g) * size_t(N);
                const float dt = ssm_softplus(
                    proj[size_t(t) * row + size_t(inner + C) + size_t(h)] + L.ssm_dt_bias[h]);
                const float dA = std::exp(dt * L.ssm_a[h]);
                for (int j = 0; j < hd; ++j) {
                    const float x = xt[h * hd + j], xdt = x * dt;
                    float* sj = s + size_t(j) * size_t(N);
                    float sum = 0;
                    for (int n = 0; n < N; ++n) {
                        sj[n] = sj[n] * dA + B[n] * xdt;
                        sum += sj[n] * Cm[n];
                    }
                    y[size_t(t) * size_t(inner) + size_t(h * hd + j)] = sum + L.ssm_d[h] * x;
                }
            }
        }
    });

    // Gated by SiLU(z), then RMS-normed over each group's share of the inner width.
    const int gw = inner / groups;
    for (int t = 0; t < T; ++t) {
        float* yt = y + size_t(t) * size_t(inner);
        const float* z = proj + size_t(t) * row;
        for (int j = 0; j < inner; ++j) yt[j] *= silu(z[j]);
        if (!L.ssm_norm) continue;
        for (int g = 0; g < groups; ++g) {
            float* v = yt + size_t(g) * size_t(gw);
            double sum = 0;
            for (int j = 0; j < gw; ++j) sum += double(v[j]) * double(v[j]);
            const float scale = 1.0f / std::sqrt(float(sum / gw) + hp.rms_eps);
            for (int j = 0; j < gw; ++j) v[j] = v[j] * scale * L.ssm_norm[g * gw + j];
        }
    }
}

}  // namespace nqkv
