// Options shared by `nqkv ar` and `nqkv eval-ar`: loading the policy and the PRM, building the
// policy prompt with the chat template, and the AR parameters.
#pragma once

#include <memory>
#include <string>

#include "app/cli/args.h"
#include "engine/ar_sampling.h"
#include "engine/chat_template.h"
#include "engine/llama_model.h"

namespace nqkv::cli {

void add_ar_options(Args& a);

struct ArSetup {
    std::unique_ptr<LlamaModel> policy, prm;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<InferenceContext> policy_ctx;
    std::unique_ptr<PrmScorer> scorer;
    ArParams params;
    ChatFormat format = ChatFormat::Plain;
    std::string system;
    int n = 1;

    // The policy prompt for a question: the chat template, then "## Step 1: ".
    std::string prompt(const std::string& question) const;
};

// Reads the options; warnings (an unrecognised chat template) go to stderr.
ArSetup make_ar_setup(const Args& a);

// Trigger templates from a file: separated by lines holding only "---".
std::vector<std::string> read_trigger_file(const std::string& path);

}  // namespace nqkv::cli
