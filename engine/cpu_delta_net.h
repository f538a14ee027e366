// The gated delta net mixer on the CPU (Qwen3.5's linear-attention layers): between the layer's
// projections and ssm_out, the causal convolution over q, k and v, then each value head's
// delta-rule update of its state (LlamaHParams::delta_net).
#pragma once

namespace nqkv {

class SsmState;
class ThreadPool;
struct LlamaHParams;
struct LlamaLayer;

// The rows of T positions a gated delta net layer reads: attn_qkv's (ssm_channels each),
// attn_gate's (ssm_inner), ssm_beta's and ssm_alpha's (ssm_heads each).
struct DeltaNetInputs {
    const float *qkv, *z, *beta, *alpha;
};

// Layer `i` (counted among the state-space layers) on T positions after the state's: writes the
// T rows that go to ssm_out (ssm_inner each) and advances the layer's state.
void delta_net_mix(const LlamaHParams& hp, const LlamaLayer& L, SsmState& state, int i,
                   const DeltaNetInputs& in, int T, float* y, ThreadPool& pool);

}  // namespace nqkv
