// Perplexity of a text under several KV cache configurations, computed the way llama.cpp's
// perplexity tool does (chunks of n_ctx tokens, BOS first, only the second half of each chunk
// scored), plus how far each configuration's predictions move from fp16's.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/input_rows.h"
#include "engine/kv_config.h"

namespace nqkv {

class LlamaModel;

struct PplOptions {
    int n_ctx = 256;
    int n_threads = 0;
    bool float_activations = false;  // ContextParams::float_activations
    int max_chunks = 0;              // 0: all
    // Position in each chunk from which tokens are scored (the prediction made there is of the
    // token after it); -1: n_ctx / 2, like llama.cpp. A whole text scored as one chunk from its
    // prompt's end uses n_ctx = the text's length and score_from = prompt tokens - 1.
    int score_from = -1;
    bool per_token = false;      // fill PplRow's per-token vectors
    bool parse_special = false;  // <s>, <|im_start|> ... in the text become their ids
    std::vector<KvConfig> configs;
    // Pictures' rows, read where the text marks them (picture_prompt.h); the text is then one
    // chunk (n_ctx about its length in tokens, the pictures' rows included).
    std::vector<std::shared_ptr<const InputRows>> pictures;
    // Called after each chunk with (chunks done, chunks in all).
    std::function<void(int, int)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct PplRow {
    KvConfig config;
    double ppl = 0;
    double delta_pct = 0;   // against fp16
    double mean_kl = 0;     // KL(fp16 || config) per scored token, nats
    double top1_agree = 0;  // share of scored tokens where the argmax equals fp16's
    size_t bytes_per_token = 0;
    size_t ctx_in_1gib = 0;
    int tokens_scored = 0;
    // With per_token: for each scored position, the log-probability of the actual next token,
    // and KL(fp16 || config) (0 for fp16 itself); next_tokens are those tokens' ids.
    std::vector<double> token_logprob, token_kl;
    std::vector<int> next_tokens;
};

// The fp16 baseline is always computed, whether or not it is in `configs`. Throws Error when
// the text has fewer than n_ctx tokens, or when cancelled.
std::vector<PplRow> compare_perplexity(const LlamaModel& model, Backend& backend,
                                       const std::string& text, const PplOptions& opt);

}  // namespace nqkv
