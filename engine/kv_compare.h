// The same prompt under several KV cache configurations: each one generates with the same seed,
// and fp16's output is then teacher-forced through all of them (compare_perplexity on the prompt
// plus that output, scored from the prompt's end), so quality loss is measured on one text.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/input_rows.h"
#include "engine/kv_config.h"
#include "engine/perplexity.h"
#include "engine/sampler.h"

namespace nqkv {

class LlamaModel;

struct CompareOptions {
    std::vector<KvConfig> configs;  // fp16 runs first whether listed or not
    int max_tokens = 96;
    SamplingParams sampling;  // the same seed for every configuration
    int n_threads = 0;
    size_t budget_bytes = 0;  // KV memory for "the context that fits" (0: 1 GiB)
    // Pictures' rows, read where the prompt marks them (picture_prompt.h), in every run and in
    // the scoring.
    std::vector<std::shared_ptr<const InputRows>> pictures;
    // (step done, steps in all, what is running); steps are the generations plus scoring.
    std::function<void(int, int, const std::string&)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct CompareRow {
    KvConfig config;
    std::string text;  // generated
    std::vector<int> ids;
    std::vector<std::string> pieces;  // the text each token completed (joined: the output)
    int first_divergence = -1;        // first index where ids differ from fp16's; -1: identical
    double tokens_per_second = 0;
    size_t kv_bytes = 0;  // the cache holding prompt and output
    size_t bytes_per_token = 0;
    size_t ctx_in_budget = 0;
    PplRow ppl;  // on the fp16 output; per-token vectors filled
};

struct CompareResult {
    std::string model;        // the model's name
    size_t budget_bytes = 0;  // the KV memory ctx_in_budget is counted in
    int prompt_tokens = 0;
    int ppl_ctx = 0;          // the scored text's length in tokens (one chunk)
    int ppl_score_from = 0;   // the position scoring starts at
    std::string ppl_text;     // prompt + fp16 output: `nqkv ppl --special --ctx N --score-from P`
    std::string reply_start;  // the end of the prompt that begins each reply (a reply prefix)
    int pictures = 0;         // read with the prompt (and with ppl_text)
    std::vector<CompareRow> rows;  // rows[0] is fp16
};

// The result as one JSON object (`nqkv compare --json`, the compare view's Export JSON…): the
// summary fields, and per configuration its output, token ids, where it leaves fp16's, speed,
// KV bytes, perplexity figures and the per-token KL and log-probabilities. The output's
// token pieces are kept too, so that where it leaves fp16's shows again when it is read back.
std::string compare_json(const CompareResult& r);

// Reads what compare_json writes (files written before the token pieces were kept show each
// output as one piece). Throws Error naming `what`, the row and the member on malformed input.
CompareResult compare_from_json(const std::string& text, const std::string& what);

// Throws Error when cancelled or when fp16 produces no token to score.
CompareResult compare_kv(const LlamaModel& model, Backend& backend, const std::string& prompt,
                         const CompareOptions& opt);

}  // namespace nqkv
