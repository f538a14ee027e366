// The float64 reference pass's state-space mixers (naive_llama.cpp): Mamba-2 and gated delta
// nets, one position at a time, written out as their papers define them.
#include "tests/naive_state_space.h"

#include <algorithm>
#include <cmath>

#include "engine/llama_model.h"

namespace nqkv::test {
namespace {

double silu(double x) {
    return x / (1 + std::exp(-x));
}

}  // namespace

// Mamba-2 on one position's in_proj output: causal convolution of x, B, C (zeros before the
// start) and SiLU; per head, state = exp(dt A) state + dt x B^T, y = state C + D x with
// dt = softplus(dt + bias); y * SiLU(z), RMS-normed per group.
Vec mamba2(const LlamaLayer& L, const LlamaHParams& hp, const Vec& proj, NaiveSsm& s) {
    const size_t inner = size_t(hp.ssm_inner), C = size_t(hp.ssm_channels()),
                 N = size_t(hp.ssm_state), G = size_t(hp.ssm_groups), heads = size_t(hp.ssm_heads),
                 hd = inner / heads, K = size_t(hp.conv_kernel);
    s.inputs.emplace_back(proj.begin() + ptrdiff_t(inner), proj.begin() + ptrdiff_t(inner + C));
    const size_t n = s.inputs.size();
    Vec c(C);
    for (size_t ch = 0; ch < C; ++ch) {
        double acc = L.ssm_conv_bias ? L.ssm_conv_bias[ch] : 0.0;
        for (size_t k = 0; k < K; ++k)
            if (n + k >= K) acc += double(L.ssm_conv[ch * K + k]) * s.inputs[n + k - K][ch];
        c[ch] = silu(acc);
    }
    if (s.state.empty()) s.state.assign(inner * N, 0.0);
    Vec y(inner);
    for (size_t h = 0; h < heads; ++h) {
        const size_t g = h / (heads / G);
        const double raw = proj[inner + C + h] + double(L.ssm_dt_bias[h]);
        const double dt = raw > 20 ? raw : std::log1p(std::exp(raw));
        const double dA = std::exp(dt * double(L.ssm_a[h]));
        for (size_t j = 0; j < hd; ++j) {
            const double x = c[h * hd + j];
            double sum = 0;
            for (size_t i = 0; i < N; ++i) {
                double& st = s.state[(h * hd + j) * N + i];
                st = st * dA + c[inner + g * N + i] * x * dt;
                sum += st * c[inner + G * N + g * N + i];
            }
            y[h * hd + j] = sum + double(L.ssm_d[h]) * x;
        }
    }
    for (size_t i = 0; i < inner; ++i) y[i] *= silu(proj[i]);
    const size_t gw = inner / G;
    for (size_t g = 0; L.ssm_norm && g < G; ++g) {
        double ss = 0;
        for (size_t i = 0; i < gw; ++i) ss += y[g * gw + i] * y[g * gw + i];
        const double scale = 1.0 / std::sqrt(ss / double(gw) + hp.rms_eps);
        for (size_t i = 0; i < gw; ++i) y[g * gw + i] *= scale * double(L.ssm_norm[g * gw + i]);
    }
    return y;
}

// A gated delta net on one position's projections (Qwen3.5): causal convolution of q, k, v
// (zeros before the start) and SiLU; q and k L2-normed, q by 1/sqrt(S) too; value head h reads
// key head h mod groups (h / (H / groups) in Qwen3-Next); its state S[j][i] (value j, key i) decays
// by exp(softplus(alpha + dt_bias) A), then S[j] += k (v[j] - S[j].k) sigmoid(beta); o[j] = S[j].q,
// RMS-normed per head, times SiLU(z).
static Vec delta_net(const LlamaLayer& L, const LlamaHParams& hp, const Vec& qkv, const Vec& z,
                     const Vec& beta, const Vec& alpha, NaiveSsm& s) {
    const size_t C = size_t(hp.ssm_channels()), S = size_t(hp.ssm_state), G = size_t(hp.ssm_groups),
                 H = size_t(hp.ssm_heads), K = size_t(hp.conv_kernel);
    s.inputs.push_back(qkv);
    const size_t n = s.inputs.size();
    Vec c(C);
    for (size_t ch = 0; ch < C; ++ch) {
        double acc = 0;
        for (size_t k = 0; k < K; ++k)
            if (n + k >= K) acc += double(L.ssm_conv[ch * K + k]) * s.inputs[n + k - K][ch];
        c[ch] = silu(acc);
    }
    const auto l2 = [&](size_t at, double scale) {
        double ss = 0;
        for (size_t i = 0; i < S; ++i) ss += c[at + i] * c[at + i];
        Vec v(S);
        for (size_t i = 0; i < S; ++i)
            v[i] = c[at + i] * scale / std::max(std::sqrt(ss), double(hp.rms_eps));
        return v;
    };
    if (s.state.empty()) s.state.assign(H * S * S, 0.0);
    Vec y(H * S);
    for (size_t h = 0; h < H; ++h) {
        const size_t g = hp.delta_net_grouped ? h / (H / G) : h % G;
        const Vec q = l2(g * S, 1.0 / std::sqrt(double(S))), k = l2(G * S + g * S, 1);
        const double raw = alpha[h] + double(L.ssm_dt_bias[h]);
        const double decay = std::exp((raw > 20 ? raw : std::log1p(std::exp(raw))) * L.ssm_a[h]);
        const double b = 1 / (1 + std::exp(-beta[h]));
        for (size_t j = 0; j < S; ++j) {
            double* row = &s.state[(h * S + j) * S];
            double read = 0, o = 0;
            for (size_t i = 0; i < S; ++i) read += (row[i] *= decay) * k[i];
            const double delta = (c[2 * G * S + h * S + j] - read) * b;
            for (size_t i = 0; i < S; ++i) o += (row[i] += k[i] * delta) * q[i];
            y[h * S + j] = o;
        }
        double ss = 0;
        for (size_t j = 0; j < S; ++j) ss += y[h * S + j] * y[h * S + j];
        const double scale = 1.0 / std::sqrt(ss / double(S) + hp.rms_eps);
        for (size_t j = 0; j < S; ++j)
            y[h * S + j] *= scale * double(L.ssm_norm[j]) * silu(z[h * S + j]);
    }
    return y;
}

// The delta net's projections of one position, Qwen3-Next's fused rows unpacked: per key
// head, q, k, its value heads' v and z (older files' ssm_in), and its value heads' betas and
// alphas (ssm_ba).
Vec delta_net_inputs(const LlamaLayer& L, const LlamaHParams& hp, const Vec& xb, NaiveSsm& state,
                     const MatVec& mv) {
    Vec qkv, z, beta, alpha;
    const size_t S = size_t(hp.ssm_state), G = size_t(hp.ssm_groups), r = size_t(hp.ssm_heads) / G;
    const auto take = [](Vec& to, const Vec& from, size_t at, size_t n) {
        to.insert(to.end(), from.begin() + long(at), from.begin() + long(at + n));
    };
    if (L.ssm_qkvz.rows) {
        const Vec f = mv(L.ssm_qkvz, xb);
        const size_t per = f.size() / G;
        for (size_t part : {0, 1})
            for (size_t g = 0; g < G; ++g) take(qkv, f, g * per + part * S, S);
        for (size_t g = 0; g < G; ++g) take(qkv, f, g * per + 2 * S, r * S);
        for (size_t g = 0; g < G; ++g) take(z, f, g * per + 2 * S + r * S, r * S);
    } else {
        qkv = mv(L.ssm_in, xb);
        z = mv(L.ssm_z, xb);
    }
    if (L.ssm_ba.rows) {
        const Vec f = mv(L.ssm_ba, xb);
        for (size_t g = 0; g < G; ++g) {
            take(beta, f, g * 2 * r, r);
            take(alpha, f, g * 2 * r + r, r);
        }
    } else {
        beta = mv(L.ssm_beta, xb);
        alpha = mv(L.ssm_alpha, xb);
    }
    return delta_net(L, hp, qkv, z, beta, alpha, state);
}

}  // namespace nqkv::test
