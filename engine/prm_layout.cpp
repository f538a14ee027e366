#include "engine/prm_layout.h"

#include "engine/error.h"
#include "engine/gguf_file.h"

namespace nqkv {
namespace {

PrmLayout math_shepherd() {
    PrmLayout l;
    l.name = "math-shepherd";
    l.question_template = "{question}";
    l.step_tag = " \xD0\xBA\xD0\xB8";  // " ки"
    return l;
}

// RLHFlow's PRMs read apply_chat_template([{user: question + " " + step 1}, {assistant: "+"},
// {user: step 2}, {assistant: "+"}, ...]) and are scored at the position that predicts each
// "+". Llama 3.1's template puts a dated system turn first when it has one.
PrmLayout rlhflow_llama3(const GgufFile& f) {
    PrmLayout l;
    l.name = "rlhflow-llama3";
    static const std::string system =
        "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December "
        "2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>";
    static const std::string user = "<|start_header_id|>user<|end_header_id|>\n\n{question}";
    const std::string tmpl = f.get_string("tokenizer.chat_template").value_or("");
    const bool dated = tmpl.find("Cutting Knowledge Date") != std::string::npos;
    l.question_template = dated ? system + user : user;
    l.first_step_prefix.assign(1, ' ');  // question + " " + step 1 is one user turn
    l.step_tag = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
    l.step_separator = "+<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n";
    return l;
}

}  // namespace

std::vector<std::string> prm_layout_names() {
    return {"math-shepherd", "rlhflow-llama3"};
}

PrmLayout prm_layout_for(const GgufFile& f, const std::string& name) {
    PrmLayout l;
    if (name == "math-shepherd") {
        l = math_shepherd();
        l.source = "chosen";
    } else if (name == "rlhflow-llama3") {
        l = rlhflow_llama3(f);
        l.source = "chosen";
    } else if (!name.empty()) {
        fail("PRM layout \"", name, "\" is unknown (math-shepherd or rlhflow-llama3)");
    } else if (f.find("nqkv.prm.step_tag") || f.find("nqkv.prm.question_template")) {
        l = math_shepherd();
        l.name = "keys";
        l.source = "the file's nqkv.prm.* keys";
    } else if (f.get_string("tokenizer.chat_template").value_or("").find("<|start_header_id|>") !=
               std::string::npos) {
        l = rlhflow_llama3(f);
        l.source = "the file's Llama 3 chat template";
    } else {
        l = math_shepherd();
        l.source = "default";
    }
    // Keys refine what the file implies, so a file can adjust one part of a preset; a layout
    // chosen by name is taken as it is.
    if (!name.empty()) return l;
    if (auto v = f.get_string("nqkv.prm.step_tag")) l.step_tag = *v;
    if (auto v = f.get_string("nqkv.prm.question_template")) l.question_template = *v;
    if (auto v = f.get_string("nqkv.prm.step_separator")) l.step_separator = *v;
    if (auto v = f.get_string("nqkv.prm.first_step_prefix")) l.first_step_prefix = *v;
    if (auto v = f.get_string("nqkv.prm.good_token")) l.good = *v;
    if (auto v = f.get_string("nqkv.prm.bad_token")) l.bad = *v;
    if (l.question_template.find("{question}") == std::string::npos)
        fail(f.path(), ": nqkv.prm.question_template \"", l.question_template,
             "\" has no {question} placeholder");
    return l;
}

}  // namespace nqkv
