// Tiny random Llama-Nemotron (deci) models for the tests: seven layers of every kind its files
// hold — attention with 2, 4, 1 and 2 key/value heads, attention replaced by one projection, a
// feed-forward without attention, a layer with neither — and feed-forwards of four widths.
#pragma once

#include <cstdint>
#include <string>

#include "engine/ggml_types.h"

namespace nqkv::test {

struct TinyDeci {
    bool per_layer = true;  // the lists per layer; false: one count and width for all (DeciLM-7B)
    // For the refusals: layer 3's query heads (4 like the others'), and key/value heads listed
    // for the layer without attention (0).
    int layer3_heads = 4, free_layer_kv = 0;
    TensorType matrix_type = TensorType::F32;
    uint64_t seed = 1;
};

// Writes the model (with the trained SentencePiece tokenizer) into a fresh temporary directory
// and returns its path.
std::string write_tiny_deci(const TinyDeci& spec);

}  // namespace nqkv::test
