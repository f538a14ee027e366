// The CUDA backend: contexts whose forward pass, KV cache and attention live on one GPU, with
// one stream per context and the logits copied to the host once per step.
#pragma once

#include <memory>

#include "engine/backend.h"

namespace nqkv::cuda {

std::unique_ptr<Backend> make_backend(int device);

}  // namespace nqkv::cuda
