// The recurrent state of a model's state-space layers on the CPU (Mamba-2: Granite 4.0-H,
// Nemotron-H; gated delta nets: Qwen3.5): per layer, the causal convolution's latest inputs and
// every head's state matrix, with snapshots of the whole to go back to. The mixers that read and
// advance it are in cpu_mamba2.h and cpu_delta_net.h.
//
// A recurrent state cannot be taken back a token at a time the way a KV cache is truncated, so
// the context keeps whole copies of it: after every eval of several tokens (a prompt, a trigger
// sentence: the places chats and rethinks go back to) and every kSnapshotSpacing positions of
// decoding, as many as ssm_snapshots() allows. Going back to a position between them restores
// the latest one before it and reads the rest of the text again (keepable).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace nqkv {

struct LlamaHParams;
struct LlamaLayer;

// log(1 + e^x), as both kinds of layer take their time steps through it (x itself past 20).
inline float ssm_softplus(float x) {
    return x > 20.f ? x : std::log1p(std::exp(x));
}

// Floats of one whole state: every such layer's convolution inputs and head states.
size_t ssm_state_floats(const LlamaHParams& hp);
// How many snapshots a context keeps besides its live state (0 without such layers).
int ssm_snapshots(const LlamaHParams& hp);

class SsmState {
  public:
    explicit SsmState(const LlamaHParams& hp);

    // Layer `i` (counted among the state-space layers): the causal convolution of its
    // ssm_channels() channels over T new rows (row t's at in + t * stride), after the layer's
    // conv_kernel - 1 latest inputs, with the filter's bias where there is one, through SiLU.
    // Returns the T output rows (valid until the next call); the layer's inputs move on.
    const float* convolve(const LlamaLayer& L, int i, const float* in, size_t stride, int T);
    // Layer i's head states: ssm_heads matrices of (ssm_inner / ssm_heads) x ssm_state.
    float* heads(int i);

    // After an eval of n tokens that ended at position pos: keeps a snapshot where it should.
    void evaluated(int pos, int n);
    // The latest position at most n the state can go back to (0, the empty state, always).
    int restorable(int n) const;
    // Goes back to position n, which restorable() gave; later snapshots are dropped.
    void restore(int n);

  private:
    struct Snapshot {
        int pos;
        bool anchor;  // taken after an eval of several tokens: kept longer
        std::vector<float> state;
    };
    float* tail(int i);  // conv_kernel - 1 rows of the convolution's channels

    int kernel_, channels_;
    size_t layer_floats_ = 0;
    std::vector<float> state_;
    std::vector<Snapshot> snapshots_;  // oldest first
    int max_snapshots_ = 0;
    std::vector<float> window_;  // a convolution's inputs: the tail, then the new rows
    std::vector<float> out_;     // and its outputs
};

}  // namespace nqkv
