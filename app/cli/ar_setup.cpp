#include "app/cli/ar_setup.h"
#include "app/common/bundled_models.h"

#include <algorithm>
#include <cstdio>

#include "app/cli/commands.h"
#include "engine/backend_registry.h"
#include "engine/error.h"

namespace nqkv::cli {

void add_ar_options(Args& a) {
    a.option("-m,--model", "POLICY", "policy model (GGUF; default: the bundled policy)");
    a.option("--prm", "PRM", "process reward model (GGUF; default: the bundled PRM)");
    a.option("--threshold", "P", "rethink a step scoring below P (default 0.3)");
    a.option("--max-rethink", "N", "rethinks allowed per step (default 1)");
    a.flag("--rethink-free",
           "let a rethought step repeat the rejected one, and a repeat rethink read every "
           "version before it (default: where the policy was least sure of a rejected version, "
           "the rethink takes another token, and a repeat rethink is written after the step's "
           "first trigger again)");
    a.option("--n", "N", "candidates (default 1)");
    a.option("--temp", "T", "policy temperature (default 0.8)");
    a.option("--seed", "S", "random seed; candidate i uses S + i (default 12648430)");
    a.option("--max-tokens", "N", "policy tokens per candidate (default 512)");
    a.option("--max-steps", "N", "steps per candidate (default 16)");
    a.option("--delimiter", "TEXT", "step delimiter (default two newlines)");
    a.option("--trigger", "TEXT", "trigger template, {n} = step number", true);
    a.option("--trigger-file", "FILE", "trigger templates separated by lines of ---");
    a.option("--answer-regex", "RE", "final-answer regex; its first group is the answer");
    a.option("--chat", "FORMAT", chat_format_names() + " (default: the model's)");
    a.option("--system", "TEXT", "system prompt");
    a.option("--kv", "SPEC", "policy KV cache (default fp16)");
    a.option("--prm-kv", "SPEC", "PRM KV cache (default fp16)");
    a.option("--prm-layout", "NAME",
             "what the PRM reads around the steps: math-shepherd (\" ки\" after each step) or "
             "rlhflow-llama3 (each step a chat turn); default: the PRM file's nqkv.prm.* keys, "
             "else rlhflow-llama3 for a Llama 3 chat template, else math-shepherd");
    a.option("--ctx", "N", "context size for both models (default 2048)");
    a.option("--threads", "N", "CPU threads (default, or 0: physical cores)");
    a.option("--backend", "NAME", "cpu, cuda or auto (default auto: cuda when a GPU is usable)");
}

std::vector<std::string> read_trigger_file(const std::string& path) {
    const std::string text = read_text_file(path);
    std::vector<std::string> out;
    std::string cur;
    size_t pos = 0;
    while (pos <= text.size()) {
        const size_t eol = text.find('\n', pos);
        const std::string line =
            text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        if (line == "---") {
            if (!cur.empty() && cur.back() == '\n')
                cur.pop_back();  // the separator's own line break
            out.push_back(cur);
            cur.clear();
        } else {
            cur += line;
            if (eol != std::string::npos) cur += '\n';
        }
        if (eol == std::string::npos) break;
        pos = eol + 1;
    }
    if (!cur.empty()) out.push_back(cur);
    for (const auto& t : out)
        if (t.find("{n}") == std::string::npos)
            fail(path, ": trigger template \"", t.substr(0, 40),
                 "\" has no {n} for the step number");
    if (out.empty()) fail(path, ": no trigger template in the file");
    return out;
}

std::string ArSetup::prompt(const std::string& question) const {
    std::vector<ChatMessage> m;
    if (!system.empty()) m.push_back({"system", system});
    m.push_back({"user", question});
    return ar_policy_prompt(format, m);
}

ArSetup make_ar_setup(const Args& a) {
    ArSetup s;
    ArParams& p = s.params;
    p.threshold = float(a.get_double("--threshold", 0.3, 0, 1));
    p.max_rethink = a.get_int("--max-rethink", 1, 0, 1000);
    p.rethink_leaves_weakest = !a.has("--rethink-free");
    s.n = a.get_int("--n", 1, 1, 1024);
    p.sampling.temperature = float(a.get_double("--temp", 0.8, 0, 100));
    p.sampling.seed = a.get_u64("--seed", p.sampling.seed);
    p.max_tokens = a.get_int("--max-tokens", 512, 1, 1 << 20);
    p.max_steps = a.get_int("--max-steps", 16, 1, 1 << 16);
    if (auto d = a.get("--delimiter")) p.delimiter = *d;
    if (auto f = a.get("--trigger-file")) p.triggers = read_trigger_file(*f);
    if (a.has("--trigger")) p.triggers = a.get_all("--trigger");
    for (const auto& t : p.triggers)
        if (t.find("{n}") == std::string::npos)
            fail("--trigger: \"", t, "\" has no {n} for the step number");
    p.answer_regex = a.get("--answer-regex").value_or("");
    s.system = a.get("--system").value_or("");

    if (auto l = a.get("--prm-layout")) {
        const auto names = prm_layout_names();
        if (std::find(names.begin(), names.end(), *l) == names.end())
            fail("--prm-layout: unknown layout \"", *l, "\" (math-shepherd or rlhflow-llama3)");
    }
    s.policy = LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    s.prm = LlamaModel::load(app::model_or_bundled(a.get("--prm"), "prm.gguf", "--prm"));
    // Both run on one backend: the one that can run both.
    s.backend = create_backend(a.get("--backend").value_or("auto"),
                               s.prm->hparams().n_expert ? s.prm->hparams() : s.policy->hparams());
    if (auto c = a.get("--chat")) {
        auto f = parse_chat_format(*c);
        if (!f) fail("--chat: unknown format \"", *c, "\" (", chat_format_names(), ")");
        s.format = *f;
    } else {
        const DetectedChatFormat d =
            detect_chat_format(s.policy->file().get_string("tokenizer.chat_template"));
        s.format = d.format;
        if (!d.recognised && s.policy->file().find("tokenizer.chat_template"))
            std::fprintf(stderr, "warning: %s: %s\n", s.policy->file().path().c_str(),
                         d.warning.c_str());
    }
    ContextParams cp;
    cp.n_ctx = a.get_int("--ctx", 2048, 16, 1 << 20);
    cp.n_threads = a.get_int("--threads", 0, 0, 1024);
    cp.kv = KvConfig::parse(a.get("--kv").value_or("fp16"), "--kv");
    s.policy_ctx = s.backend->create_context(*s.policy, cp);
    ContextParams pp = cp;
    pp.kv = KvConfig::parse(a.get("--prm-kv").value_or("fp16"), "--prm-kv");
    s.scorer =
        std::make_unique<PrmScorer>(*s.prm, *s.backend, pp, a.get("--prm-layout").value_or(""));
    const PrmLayout& layout = s.scorer->layout();
    if (layout.name == "rlhflow-llama3")
        std::fprintf(stderr, "PRM layout: %s (%s)\n", layout.name.c_str(), layout.source.c_str());
    return s;
}

}  // namespace nqkv::cli
