// Finding a model's vision projector: releases put it beside the model as mmproj*.gguf.
#pragma once

#include <string>
#include <vector>

#include "engine/llama_model.h"

namespace nqkv::app {

// The mmproj*.gguf files (any case) in the model's folder that pair with it, sorted.
std::vector<std::string> projectors_beside(const LlamaModel& model);

// The only one of them; throws Error saying what to do when there are none or several.
std::string projector_beside(const LlamaModel& model);

}  // namespace nqkv::app
