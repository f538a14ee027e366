// The gated delta net mixer on the CPU (Qwen3.5's and Qwen3-Next's linear-attention layers):
// between the layer's projections and ssm_out, the causal convolution over q, k and v, then each
// value head's delta-rule update of its state (LlamaHParams::delta_net).
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

// Qwen3-Next's fused rows, per key head (ssm_groups of them), into the rows above: ssm_ba's
// (2 ssm_heads: each key head's value heads' betas, then their alphas) into `beta` and `alpha`;
// an older file's ssm_in (ssm_channels + ssm_inner: each key head's q, k, then its value heads'
// v and z) into `qkv` (every q, every k, every v) and `z`.
void unpack_beta_alpha(const LlamaHParams& hp, const float* ba, int T, float* beta, float* alpha);
void unpack_qkvz(const LlamaHParams& hp, const float* qkvz, int T, float* qkv, float* z);

// Layer `i` (counted among the state-space layers) on T positions after the state's: writes the
// T rows that go to ssm_out (ssm_inner each) and advances the layer's state.
void delta_net_mix(const LlamaHParams& hp, const LlamaLayer& L, SsmState& state, int i,
                   const DeltaNetInputs& in, int T, float* y, ThreadPool& pool);

}  // namespace nqkv
