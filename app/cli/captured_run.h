// Runs the start of a text through a model with KV inspection on, for kv-stats and kv-block.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/input_rows.h"
#include "engine/llama_model.h"

namespace nqkv::cli {

// Evaluates the first params.n_ctx tokens of `text` (named `what` in errors) with the
// original K/V values captured; the returned context holds them. With pictures the text is
// read as `nqkv generate` reads it with pictures (special pieces parsed, each picture's rows
// where it marks them, else before it), and a picture that does not fit whole is left out
// with the text after it.
std::unique_ptr<InferenceContext> run_captured(
    const LlamaModel& model, const ContextParams& params, const std::string& text, const char* what,
    const std::vector<std::shared_ptr<const InputRows>>& pictures = {});

}  // namespace nqkv::cli
