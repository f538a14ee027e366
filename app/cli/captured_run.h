// Runs the start of a text through a model with KV inspection on, for kv-stats and kv-block.
#pragma once

#include <memory>
#include <string>

#include "engine/backend.h"
#include "engine/llama_model.h"

namespace nqkv::cli {

// Evaluates the first params.n_ctx tokens of `text` (named `what` in errors) with the
// original K/V values captured; the returned context holds them.
std::unique_ptr<InferenceContext> run_captured(const LlamaModel& model, const ContextParams& params,
                                               const std::string& text, const char* what);

}  // namespace nqkv::cli
