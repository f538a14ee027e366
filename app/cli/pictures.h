// The command line's pictures: --mmproj and --image, read and encoded with progress on stderr.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "engine/input_rows.h"
#include "engine/llama_model.h"
#include "engine/vision_model.h"

namespace nqkv::cli {

void add_picture_options(Args& a);

struct CliPictures {
    std::unique_ptr<VisionModel> vision;  // null without --image
    std::vector<std::string> paths;
    std::vector<std::shared_ptr<const InputRows>> rows;  // one per path; empty when cancelled
};

// Reads --mmproj and every --image for `model` (errors name the option and file), encoding
// each picture with n_threads and a progress line on stderr; a set cancel stops between layers.
// --mmproj alone is an error unless `later` (pictures come later: nqkv chat's /image); without
// --mmproj, the only mmproj*.gguf beside the model that pairs with it is used.
CliPictures read_pictures(const Args& a, const LlamaModel& model, int n_threads,
                          const std::atomic<bool>* cancel, bool later = false);

// One more picture from `path` through the projector read_pictures loaded, or else the one
// beside the model (Error without either); null when cancelled.
std::shared_ptr<const InputRows> encode_picture(CliPictures& p, const LlamaModel& model,
                                                const std::string& path, int n_threads,
                                                const std::atomic<bool>* cancel);

// The prompt with one picture marker in front for each picture it does not mark itself (as
// llama.cpp's multimodal command line does); unchanged without pictures.
std::string mark_pictures(const std::string& prompt, size_t n_pictures);

}  // namespace nqkv::cli
