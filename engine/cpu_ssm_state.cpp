#include "engine/cpu_ssm_state.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"
#include "engine/llama_model.h"

namespace nqkv {
namespace {

// Decoding keeps a snapshot every this many positions: a rethought step or a dropped reply goes
// back at most this far past one.
constexpr int kSnapshotSpacing = 32;
// Snapshots take at most this much memory, but there are always at least two (the last prompt's
// and one while decoding) and at most eight.
constexpr size_t kSnapshotBudget = size_t(128) << 20;

size_t layer_floats(const LlamaHParams& hp) {
    return size_t(hp.conv_kernel - 1) * size_t(hp.ssm_channels()) +
           size_t(hp.ssm_inner) * size_t(hp.ssm_state);
}

}  // namespace

size_t ssm_state_floats(const LlamaHParams& hp) {
    return size_t(hp.n_ssm_layer()) * layer_floats(hp);
}

int ssm_snapshots(const LlamaHParams& hp) {
    const size_t bytes = ssm_state_floats(hp) * sizeof(float);
    if (!bytes) return 0;
    return int(std::clamp<size_t>(kSnapshotBudget / bytes, 2, 8));
}

SsmState::SsmState(const LlamaHParams& hp)
    : kernel_(hp.conv_kernel),
      channels_(hp.ssm_channels()),
      layer_floats_(layer_floats(hp)),
      state_(ssm_state_floats(hp), 0.f),
      max_snapshots_(ssm_snapshots(hp)) {}

float* SsmState::tail(int i) {
    return state_.data() + size_t(i) * layer_floats_;
}

float* SsmState::heads(int i) {
    return tail(i) + size_t(kernel_ - 1) * size_t(channels_);
}

const float* SsmState::convolve(const LlamaLayer& L, int i, const float* in, size_t stride, int T) {
    const int K = kernel_, C = channels_;
    window_.resize(size_t(K - 1 + T) * size_t(C));
    std::copy_n(tail(i), size_t(K - 1) * size_t(C), window_.begin());
    for (int t = 0; t < T; ++t)
        std::copy_n(in + size_t(t) * stride, C,
                    window_.begin() + ptrdiff_t(size_t(K - 1 + t) * size_t(C)));
    out_.resize(size_t(T) * size_t(C));
    for (int t = 0; t < T; ++t)
        for (int c = 0; c < C; ++c) {
            float acc = L.ssm_conv_bias ? L.ssm_conv_bias[c] : 0.f;
            for (int k = 0; k < K; ++k)
                acc += window_[size_t(t + k) * size_t(C) + size_t(c)] * L.ssm_conv[c * K + k];
            out_[size_t(t) * size_t(C) + size_t(c)] = acc / (1.f + std::exp(-acc));  // SiLU
        }
    std::copy_n(window_.begin() + ptrdiff_t(size_t(T) * size_t(C)), size_t(K - 1) * size_t(C),
                tail(i));
    return out_.data();
}

void SsmState::evaluated(int pos, int n) {
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

int SsmState::restorable(int n) const {
    int best = 0;
    for (const Snapshot& s : snapshots_)
        if (s.pos <= n) best = std::max(best, s.pos);
    return best;
}

void SsmState::restore(int n) {
    const auto at = std::find_if(snapshots_.begin(), snapshots_.end(),
                                 [n](const Snapshot& s) { return s.pos == n; });
    if (n != 0 && at == snapshots_.end())
        fail("internal: the recurrent state has no snapshot at position ", n,
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
