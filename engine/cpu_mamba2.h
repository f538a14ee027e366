// Mamba-2 layers (Granite 4.0-H, Nemotron-H) on the CPU: the recurrent state of every such layer
// (the convolution's latest inputs and each head's state matrix), snapshots of it to go back to,
// and the mixer between the layer's in_proj and out_proj.
//
// A recurrent state cannot be taken back a token at a time the way a KV cache is truncated, so
// the context keeps whole copies of it: after every eval of several tokens (a prompt, a trigger
// sentence: the places chats and rethinks go back to) and every kSnapshotSpacing positions of
// decoding, as many as mamba2_snapshots() allows. Going back to a position between them
// restores the latest one before it and reads the rest of the text again (keepable).
#pragma once

#include <cstddef>
#include <vector>

namespace nqkv {

class ThreadPool;
struct LlamaHParams;
struct LlamaLayer;

// Floats of one whole state: every Mamba-2 layer's convolution inputs and head states.
size_t mamba2_state_floats(const LlamaHParams& hp);
// How many snapshots a context keeps besides its live state (0 without Mamba-2 layers).
int mamba2_snapshots(const LlamaHParams& hp);

class Mamba2State {
  public:
    explicit Mamba2State(const LlamaHParams& hp);

    // Mamba-2 layer `i` (counted among the Mamba-2 layers) on T rows of its in_proj output
    // (`proj`, rows of z, x, B, C and dt) for the positions after the state's: writes the T
    // rows of y that go to out_proj (ssm_inner each) and advances the layer's state.
    void mix(const LlamaLayer& L, int i, const float* proj, int T, float* y, ThreadPool& pool);

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
    float* tail(int i);   // conv_kernel - 1 rows of x, B, C before the next position
    float* heads(int i);  // ssm_heads x head size x ssm_state

    int kernel_, channels_, inner_, state_size_, heads_, groups_;
    float eps_;
    size_t layer_floats_ = 0;
    std::vector<float> state_;
    std::vector<Snapshot> snapshots_;  // oldest first
    int max_snapshots_ = 0;
    std::vector<float> window_;  // a mix's convolution inputs: the tail, then the new rows
    std::vector<float> xbc_;     // and its outputs
};

}  // namespace nqkv
