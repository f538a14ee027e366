#include "engine/prm_scorer.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/llama_model.h"

namespace nqkv {
namespace {

int last_token(const Tokenizer& tok, const std::string& text, const std::string& path,
               const char* key) {
    const std::vector<int> ids = tok.encode(text, false, key);
    if (ids.empty()) fail(path, ": ", key, " \"", text, "\" tokenizes to nothing");
    return ids.back();
}

}  // namespace

PrmScorer::PrmScorer(const LlamaModel& model, Backend& backend, const ContextParams& params,
                     const std::string& layout)
    : model_(model), ctx_(backend.create_context(model, params)) {
    const GgufFile& f = model.file();
    const Tokenizer& tok = model.tokenizer();
    layout_ = prm_layout_for(f, layout);
    tag_ids_ = tok.encode_special(layout_.step_tag, false, "nqkv.prm.step_tag");
    if (tag_ids_.empty())
        fail(f.path(), ": nqkv.prm.step_tag \"", layout_.step_tag, "\" tokenizes to nothing");
    // As in Math-Shepherd, the good and bad tokens are the last pieces of their texts.
    good_ = last_token(tok, layout_.good, f.path(), "nqkv.prm.good_token");
    bad_ = last_token(tok, layout_.bad, f.path(), "nqkv.prm.bad_token");
    if (good_ == bad_) fail(f.path(), ": the PRM's good and bad tokens are the same token ", good_);
    logits_.resize(size_t(model.hparams().n_vocab));
}

std::vector<int> PrmScorer::question_tokens(const std::string& question) const {
    // The template's own text may hold special tokens (chat headers); the question may not.
    static constexpr std::string_view placeholder = "{question}";
    std::string text = layout_.question_template;
    const size_t at = text.find(placeholder);
    text.replace(at, placeholder.size(), question);
    return model_.tokenizer().encode_special_in(text,
                                                {{0, at}, {at + question.size(), text.size()}},
                                                model_.tokenizer().add_bos(), "question");
}

void PrmScorer::reset(const std::string& question) {
    ctx_->truncate(0);
    const std::vector<int> ids = question_tokens(question);
    held_ = ids;
    question_end_ = int(ids.size());
    if (ids.empty()) return;
    ctx_->eval(ids.data(), int(ids.size()), logits_.data());
    tokens_read_ += int(ids.size());
}

void PrmScorer::rollback(int mark) {
    mark = std::clamp(mark, 0, int(held_.size()));
    tokens_read_ += truncate_to(*ctx_, mark, held_.data());  // a ring may need them again
    held_.resize(size_t(mark));
}

std::vector<int> PrmScorer::step_tokens(const std::string& step, bool first) const {
    // The separator is read with the step, as one text, so it tokenizes the way the policy
    // wrote it; special tokens count only in the separator.
    const std::string& before = first ? layout_.first_step_prefix : layout_.step_separator;
    std::vector<int> ids =
        model_.tokenizer().encode_special_in(before + step, {{0, before.size()}}, false, "step");
    ids.insert(ids.end(), tag_ids_.begin(), tag_ids_.end());
    return ids;
}

float PrmScorer::score_at(const float* logits) const {
    const double g = logits[good_], b = logits[bad_], m = std::max(g, b);
    const double eg = std::exp(g - m), eb = std::exp(b - m);
    return float(eg / (eg + eb));
}

float PrmScorer::score_step(const std::string& step) {
    const std::vector<int> ids = step_tokens(step, ctx_->n_past() <= question_end_);
    ctx_->eval(ids.data(), int(ids.size()), logits_.data());
    held_.insert(held_.end(), ids.begin(), ids.end());
    tokens_read_ += int(ids.size());
    return score_at(logits_.data());
}

std::vector<int> PrmScorer::solution_tokens(const std::string& question,
                                            const std::vector<std::string>& steps,
                                            std::vector<size_t>* tag_ends) const {
    std::vector<int> ids = question_tokens(question);
    for (size_t i = 0; i < steps.size(); ++i) {
        const auto part = step_tokens(steps[i], i == 0);
        ids.insert(ids.end(), part.begin(), part.end());
        if (tag_ends) tag_ends->push_back(ids.size() - 1);
    }
    return ids;
}

std::vector<float> PrmScorer::score_all(const std::string& question,
                                        const std::vector<std::string>& steps) {
    std::vector<size_t> tag_ends;
    const std::vector<int> ids = solution_tokens(question, steps, &tag_ends);
    const size_t nv = size_t(model_.hparams().n_vocab);
    std::vector<float> all(ids.size() * nv);
    ctx_->truncate(0);
    ctx_->eval(ids.data(), int(ids.size()), all.data(), true);
    held_ = ids;
    tokens_read_ += int(ids.size());
    std::vector<float> scores;
    for (size_t end : tag_ends) scores.push_back(score_at(all.data() + end * nv));
    return scores;
}

}  // namespace nqkv
