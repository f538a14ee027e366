// llama2.c checkpoints: the "legacy" (version 0) .bin that run.c reads — seven int32 (dim,
// hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means a
// separate classifier) then float32 weights — turned into a GGUF the engine loads. Tensors are
// copied from the checkpoint while the GGUF is written, so a large one is never held in memory.
// The vocabulary comes from llama2.c's tokenizer.bin or a SentencePiece tokenizer.model.
#pragma once

#include <string>

#include "engine/gguf_writer.h"

namespace nqkv {

struct Llama2cConfig {
    int dim = 0, hidden_dim = 0, n_layers = 0, n_heads = 0, n_kv_heads = 0, vocab_size = 0,
        seq_len = 0;
    bool shared_classifier = true;
};

// Reads and checks the header, and that the file holds exactly the weights it announces.
// Throws Error naming the file.
Llama2cConfig read_llama2c_config(const std::string& checkpoint);

// A writer holding the whole model: llama.* keys as llama.cpp's converter writes them, the
// vocabulary (types as llama.cpp assigns them: <unk> 0, <s> 1, </s> 2, <0xXX> bytes), and every
// tensor F32 (output.weight repeats token_embd.weight when the classifier is shared).
GgufWriter llama2c_to_gguf(const std::string& checkpoint, const std::string& tokenizer,
                           const std::string& name);

}  // namespace nqkv
