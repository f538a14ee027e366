#include "engine/cpu_mamba2.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/error.h"
#include "engine/llama_model.h"
#include "engine/thread_pool.h"

namespace nqkv {
namespace {

// Decoding keeps a snapshot every this many positions: a rethought step or a dropped reply goes
// back at most this far past one.
constexpr int kSnapshotSpacing = 32;
// Snapshots take at most this much memory, but there are always at least two (the last prompt's
// and one while decoding) and at most eight.
constexpr size_t kSnapshotBudget = size_t(128) << 20;

float softplus(float x) {
    return x > 20.f ? x : std::log1p(std::exp(x));
}

float silu(float x) {
    return x / (1.f + std::exp(-x));
}

size_t layer_floats(const LlamaHParams& hp) {
    return size_t(hp.conv_kernel - 1) * size_t(hp.ssm_channels()) +
           size_t(hp.ssm_inner) * size_t(hp.ssm_state);
}

}  // namespace

size_t mamba2_state_floats(const LlamaHParams& hp) {
    return size_t(hp.n_ssm_layer()) * layer_floats(hp);
}

int mamba2_snapshots(const LlamaHParams& hp) {
    const size_t bytes = mamba2_state_floats(hp) * sizeof(float);
    if (!bytes) return 0;
    return int(std::clamp<size_t>(kSnapshotBudget / bytes, 2, 8));
}

Mamba2State::Mamba2State(const LlamaHParams& hp)
    : kernel_(hp.conv_kernel),
      channels_(hp.ssm_channels()),
      inner_(hp.ssm_inner),
      state_size_(hp.ssm_state),
      heads_(hp.ssm_heads),
      groups_(hp.ssm_groups),
      eps_(hp.rms_eps),
      layer_floats_(layer_floats(hp)),
      state_(mamba2_state_floats(hp), 0.f),
      max_snapshots_(mamba2_snapshots(hp)) {}

float* Mamba2State::tail(int i) {
    return state_.data() + size_t(i) * layer_floats_;
}

float* Mamba2State::heads(int i) {
    return tail(i) + size_t(kernel_ - 1) * size_t(channels_);
}

void Mamba2State::mix(const LlamaLayer& L, int i, const float* proj, int T, float* y,
                      ThreadPool& pool) {
    const int K = kernel_, C = channels_, inner = inner_, N = state_size_;
    const size_t row = size_t(inner) + size_t(C) + size_t(heads_);  // z, x B C, dt
    // The causal convolution over x, B and C: the layer's K - 1 latest inputs, then these.
    window_.resize(size_t(K - 1 + T) * size_t(C));
    std::copy_n(tail(i), size_t(K - 1) * size_t(C), window_.begin());
    for (int t = 0; t < T; ++t)
        std::copy_n(proj + size_t(t) * row + size_t(inner), C,
                    window_.begin() + ptrdiff_t(size_t(K - 1 + t) * size_t(C)));
    xbc_.resize(size_t(T) * size_t(C));
    for (int t = 0; t < T; ++t)
        for (int c = 0; c < C; ++c) {
            float acc = L.ssm_conv_bias ? L.ssm_conv_bias[c] : 0.f;
            for (int k = 0; k < K; ++k)
                acc += window_[size_t(t + k) * size_t(C) + size_t(c)] * L.ssm_conv[c * K + k];
            xbc_[size_t(t) * size_t(C) + size_t(c)] = silu(acc);
        }
    std::copy_n(window_.begin() + ptrdiff_t(size_t(T) * size_t(C)), size_t(K - 1) * size_t(C),
                tail(i));

    // The scan, one head per job: its state decays by exp(dt A) and takes dt x B^T each token,
    // and y = state C + D x.
    const int hd = inner / heads_, per_group = heads_ / groups_;
    float* states = heads(i);
    pool.parallel_for(heads_, [&](int64_t h0, int64_t h1, int) {
        for (int64_t h = h0; h < h1; ++h) {
            const int g = int(h) / per_group;
            float* s = states + size_t(h) * size_t(hd) * size_t(N);
            for (int t = 0; t < T; ++t) {
                const float* xt = &xbc_[size_t(t) * size_t(C)];
                const float* B = xt + inner + size_t(g) * size_t(N);
                const float* Cm = xt + inner + size_t(groups_) * size_t(N) + size_t(g) * size_t(N);
                const float dt = softplus(proj[size_t(t) * row + size_t(inner + C) + size_t(h)] +
                                          L.ssm_dt_bias[h]);
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
    const int gw = inner / groups_;
    for (int t = 0; t < T; ++t) {
        float* yt = y + size_t(t) * size_t(inner);
        const float* z = proj + size_t(t) * row;
        for (int j = 0; j < inner; ++j) yt[j] *= silu(z[j]);
        if (!L.ssm_norm) continue;
        for (int g = 0; g < groups_; ++g) {
            float* v = yt + size_t(g) * size_t(gw);
            double sum = 0;
            for (int j = 0; j < gw; ++j) sum += double(v[j]) * double(v[j]);
            const float scale = 1.0f / std::sqrt(float(sum / gw) + eps_);
            for (int j = 0; j < gw; ++j) v[j] = v[j] * scale * L.ssm_norm[g * gw + j];
        }
    }
}

void Mamba2State::evaluated(int pos, int n) {
    if (!max_snapshots_) return;
    const int newest = snapshots_.empty() ? 0 : snapshots_.back().pos;
    const bool anchor = n > 1;
    if (!anchor && pos - newest < kSnapshotSpacing) return;
    if (int(snapshots_.size()) == max_snapshots_) {
        // The oldest snapshot taken while decoding goes first; prompts' stay longer.
        auto victim = std::find_if(snapshots_.begin(), snapshots_.end(),
                                   [](const Snapshot& s) { return !s.anchor; });
        if (victim == snapshots_.end()) victim = snapshots_.begin();
        Snapshot reused = std::move(*victim);
        snapshots_.erase(victim);
        reused.pos = pos;
        reused.anchor = anchor;
        reused.state = state_;
        snapshots_.push_back(std::move(reused));
        return;
    }
    snapshots_.push_back({pos, anchor, state_});
}

int Mamba2State::restorable(int n) const {
    int best = 0;
    for (const Snapshot& s : snapshots_)
        if (s.pos <= n) best = std::max(best, s.pos);
    return best;
}

void Mamba2State::restore(int n) {
    const auto at = std::find_if(snapshots_.begin(), snapshots_.end(),
                                 [n](const Snapshot& s) { return s.pos == n; });
    if (n != 0 && at == snapshots_.end())
        fail("internal: the Mamba-2 state has no snapshot at position ", n,
             " (a context goes back to what keepable() gives)");
    if (n == 0)
        std::fill(state_.begin(), state_.end(), 0.f);
    else
        std::copy(at->state.begin(), at->state.end(), state_.begin());
    snapshots_.erase(std::remove_if(snapshots_.begin(), snapshots_.end(),
                                    [n](const Snapshot& s) { return s.pos > n; }),
                     snapshots_.end());
}

}  // namespace nqkv
