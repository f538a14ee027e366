// How a mixture-of-experts layer sends each token to its experts: the router's softmax (or
// sigmoid: LFM2-MoE, Nemotron 3) gives every expert a weight; the n_expert_used highest (after
// a selection bias where the layer has one; the lower index on a tie) are picked, their weights
// renormalised to sum to 1 unless the model says not to, and scaled where it says so. With
// expert groups (DeepSeek-V3) only the experts of the best groups are picked. Llama 4 picks by
// the router's logits and weighs by their sigmoid (expert_weight_first).
#pragma once

#include <vector>

namespace nqkv {

struct LlamaHParams;

struct ExpertUse {
    int token;     // the row among those routed
    float weight;  // what the expert's output is multiplied by
};

// T rows of router logits (n_expert each, turned into the weights in place) and the layer's
// selection bias (n_expert, or null): for every expert, the tokens that picked it.
std::vector<std::vector<ExpertUse>> route_experts(const LlamaHParams& hp, float* logits, int T,
                                                  const float* select_bias);

}  // namespace nqkv
