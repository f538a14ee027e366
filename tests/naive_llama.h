// A deliberately plain llama forward pass in double precision over dequantized weights: no
// threads, no SIMD, no cache tricks. The engine's CPU backend is tested against it.
#pragma once

#include <vector>

namespace nqkv {
class LlamaModel;
}

namespace nqkv::test {

// Logits (n_vocab each) for every position of `tokens`. round_acts: each matmul's input is
// first rounded as the engine rounds activations for quantized weights (activation_quant.h),
// so that the engine's integer dot products can be checked; otherwise exact.
std::vector<std::vector<double>> naive_forward(const LlamaModel& model,
                                               const std::vector<int>& tokens,
                                               bool round_acts = false);

// The largest difference of the engine's logits (all positions, end to end) from the float64
// reference, and the largest reference logit.
struct Gap {
    double worst = 0, scale = 0;
};
Gap gap(const std::vector<std::vector<double>>& want, const std::vector<float>& got);

}  // namespace nqkv::test
