// Tiny random DeepSeek-V2/V3 models for the tests: three layers (the first dense), four heads
// whose keys and values come from a latent of 32 with 16 rotated key dims (queries of 16 + 16,
// values of 24), eight experts of 16 with a shared one; or GLM-4.5's, with the same experts.
#pragma once

#include <cstdint>
#include <string>

namespace nqkv::test {

struct TinyDeepSeek2 {
    bool q_lora = true;       // queries through attn_q_a (24), its norm and attn_q_b
    bool v3_routing = false;  // a sigmoid router, a selection bias, renormalised weights times
                              // 2.5, and the best 2 of 4 expert groups
    bool experts = true;      // false: dense throughout
    bool yarn = false;        // YaRN (factor 4 of 32 positions) with DeepSeek's log multiplier
    float temperature = 0;    // Mistral Large 3's attention temperature (length 4); 0: none
    bool nextn = false;       // one more block stated, that predicts further tokens (absent)
    bool legacy = false;      // an older conversion: one attn_kv_b per layer, no *_mla sizes
    bool mistral4 = false;    // the same file under Mistral 4's architecture name
    bool f16_latent = false;  // attn_k_b and attn_v_b (or attn_kv_b) stored in F16
    // GLM-4.5's architecture (glm4moe) instead: the same experts (a sigmoid router and a
    // selection bias by default) under ordinary attention, 4 query and 2 KV heads of 24 with
    // biases, query and key norms and NeoX RoPE on 12 dims, the feed-forward's norm named
    // post_attention_norm.
    bool glm4moe = false;
    uint64_t seed = 1;
};

// Writes the model (with the trained SentencePiece tokenizer) into a fresh temporary directory
// and returns its path.
std::string write_tiny_deepseek2(const TinyDeepSeek2& spec);

// A tiny random MiniCPM3 (minicpm3): three dense layers, four heads whose queries come through
// a low rank (24) and whose keys and values come from a latent of 32 in the older layout (one
// attn_kv_b per layer; keys of 16 + 16 rotated with LongRoPE's short and long divisors, values
// of n_embd / n_head = 16, the length left unstated as MiniCPM3's files leave it).
std::string write_tiny_minicpm3(uint64_t seed = 1);

}  // namespace nqkv::test
