// One readable path from a prompt to streamed text: tokenize, prefill, then
// forward -> sample -> stream until EOS, a stop string, the token budget or a cancel.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/llama_model.h"
#include "engine/sampler.h"

namespace nqkv {

struct GenerateParams {
    int max_tokens = 256;
    std::vector<std::string> stop;  // generation ends before the first occurrence of any
    SamplingParams sampling;
    int add_bos = -1;         // -1: the tokenizer's default
    bool ignore_eos = false;  // keep going past EOS (benchmarks, stress tests)
};

enum class StopReason { Eos, StopString, MaxTokens, ContextFull, Cancelled };
const char* stop_reason_name(StopReason r);

struct GenerateResult {
    std::vector<int> prompt_ids;
    int reused_tokens = 0;  // prompt tokens kept from the context rather than evaluated
    std::vector<int> ids;   // generated tokens (the stop string's tokens included)
    std::string text;       // generated text, cut before a stop string
    StopReason reason = StopReason::MaxTokens;
    double prompt_seconds = 0;
    double generate_seconds = 0;
};

// Receives each generated token id and the text that became final with it (may be empty).
// An id below 0 carries text the model did not write (a reply prefix, a trigger sentence).
using TokenSink = std::function<void(int id, const std::string& text)>;

// Runs generation on a fresh context (the context is reset to empty first). Throws Error when
// the prompt is invalid UTF-8 or does not fit the context; the message says which.
GenerateResult generate(const LlamaModel& model, InferenceContext& ctx, const std::string& prompt,
                        const GenerateParams& params, const TokenSink& sink = {},
                        const std::atomic<bool>* cancel = nullptr);

// The same from token ids, keeping the first `reuse` positions already in the context (the
// caller vouches they hold prompt_ids[0, reuse)); the rest of the prompt is evaluated.
GenerateResult generate_from_ids(const LlamaModel& model, InferenceContext& ctx,
                                 std::vector<int> prompt_ids, int reuse,
                                 const GenerateParams& params, const TokenSink& sink = {},
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace nqkv
