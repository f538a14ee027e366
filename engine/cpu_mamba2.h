// The Mamba-2 mixer on the CPU (Granite 4.0-H, Nemotron-H): between a layer's in_proj and
// out_proj, the causal convolution over x, B and C, then each head's scan (LlamaHParams).
#pragma once

namespace nqkv {

class SsmState;
class ThreadPool;
struct LlamaHParams;
struct LlamaLayer;

// Mamba-2 layer `i` (counted among the state-space layers) on T rows of its in_proj output
// (`proj`, rows of z, x, B, C and dt) for the positions after the state's: writes the T rows of
// y that go to out_proj (ssm_inner each) and advances the layer's state.
void mamba2_mix(const LlamaHParams& hp, const LlamaLayer& L, SsmState& state, int i,
                const float* proj, int T, float* y, ThreadPool& pool);

}  // namespace nqkv
