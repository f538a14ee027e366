// The float64 reference pass's state-space mixers, one position at a time: Mamba-2 (Granite
// 4.0-H, Nemotron-H, Falcon-H1) and gated delta nets (Qwen3.5, Qwen3-Next).
#pragma once

#include <functional>
#include <vector>

namespace nqkv {
struct LlamaHParams;
struct LlamaLayer;
struct WeightMatrix;
}  // namespace nqkv

namespace nqkv::test {

using Vec = std::vector<double>;
using MatVec = std::function<Vec(const WeightMatrix&, const Vec&)>;

// A state-space layer's inputs to its convolution so far and its head states.
struct NaiveSsm {
    std::vector<Vec> inputs;  // x, B, C (or q, k, v) per position
    Vec state;                // heads x head size x state size
};

// Mamba-2 on one position's in_proj output: its output of ssm_inner values.
Vec mamba2(const LlamaLayer& L, const LlamaHParams& hp, const Vec& proj, NaiveSsm& s);

// A gated delta net on one position's normed input xb: its output of ssm_inner values.
Vec delta_net_inputs(const LlamaLayer& L, const LlamaHParams& hp, const Vec& xb, NaiveSsm& state,
                     const MatVec& mv);

}  // namespace nqkv::test
