// Tiny random Gemma 4 models for the tests: six layers, windowed and full attention in turn,
// the windowed ones with four key/value heads of 16 (RoPE on all 16, base 10000), the full ones
// with one of 32 (proportional RoPE: a quarter of the pairs turn, base 1000000), query and key
// norms, normed values, a scale on each layer's output and logits capped at 6.
#pragma once

#include <cstdint>
#include <string>

#include "engine/ggml_types.h"

namespace nqkv::test {

struct TinyGemma4 {
    bool shared_kv = false;         // the last two layers read layers 2 and 3's keys and values
    bool per_layer_inputs = false;  // E2B/E4B's per-layer inputs, 8 wide
    bool keys_as_values = false;    // full-attention layers without attn_v
    bool experts = false;           // 6 experts of 24 (2 used) beside each dense feed-forward
    bool widths_per_layer = false;  // feed_forward_length listed, the shared layers' doubled
    int window = 5;
    TensorType matrix_type = TensorType::F32;
    uint64_t seed = 1;
};

// Writes the model (with the trained SentencePiece tokenizer) into a fresh temporary directory
// and returns its path.
std::string write_tiny_gemma4(const TinyGemma4& spec);

}  // namespace nqkv::test
