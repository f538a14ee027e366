// Tiny random Gemma 3n models for the tests: four AltUp streams, LAuReL, per-layer inputs,
// windowed layers with one full layer in five (the file's default), query and key norms,
// normed values, the last layers reading earlier layers' keys and values, sparse gates, and
// capped logits.
#pragma once

#include <cstdint>
#include <string>

#include "engine/ggml_types.h"

namespace nqkv::test {

struct TinyGemma3n {
    int layers = 6;
    int shared_kv = 1;    // written only when `keys` (else llama.cpp's: from layer 20 on)
    int per_layer = 8;    // each layer's input width (llama.cpp fixes 256)
    int laurel_rank = 4;  // (llama.cpp's models: 64)
    int window = 64;
    // Written keys: the shared layers, each layer's sparsity multiplier (the first 1.645, the
    // second 0.5, the rest none), the windows as a list of flags, a soft cap of 6. Without them
    // a file says what llama.cpp fixes instead (and real files state).
    bool keys = true;
    int active = 0;  // altup.active_idx (only 0 is supported)
    TensorType matrix_type = TensorType::F32;
    uint64_t seed = 1;
};

// Writes the model (with the trained SentencePiece tokenizer) into a fresh temporary directory
// and returns its path.
std::string write_tiny_gemma3n(const TinyGemma3n& spec);

}  // namespace nqkv::test
