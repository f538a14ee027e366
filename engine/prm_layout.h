// What a PRM reads around the question and the steps. Math-Shepherd PRMs read the question and
// the steps back to back, each step followed by " ки", scored at that tag. Chat-trained PRMs
// (RLHFlow's Llama3.1-8B-PRM models, the AR-Sampling paper's PRM) read each step as a user turn
// and are scored where the assistant would answer "+" or "-". A GGUF declares its layout in the
// nqkv.prm.* keys; without them a Llama 3 chat template means the RLHFlow layout.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace nqkv {

class GgufFile;

struct PrmLayout {
    std::string name;               // "math-shepherd", "rlhflow-llama3" or "keys"
    std::string question_template;  // read before the first step; holds {question}
    std::string first_step_prefix;  // read with the first step, before it
    std::string step_separator;     // read with every later step, before it
    std::string step_tag;           // read after every step; the score is taken at its end
    std::string good = "+", bad = "-";
    std::string source;  // why this layout: "nqkv.prm.* keys", "default", ...
};

// The layout names --prm-layout takes.
std::vector<std::string> prm_layout_names();

// The layout a PRM file declares (nqkv.prm.* keys), or the one its chat template implies, or
// Math-Shepherd's. `name`, when not empty, picks a preset instead (Error for an unknown name).
// Throws Error naming the file when the question template has no {question}.
PrmLayout prm_layout_for(const GgufFile& f, const std::string& name = "");

}  // namespace nqkv
