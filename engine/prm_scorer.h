// A process reward model scoring reasoning steps incrementally. The PRM reads the question once,
// then each new step followed by the step tag; the score of a step is
// softmax(logit[good], logit[bad])[0] at the tag's last token. Rolling back (when a rethought
// step replaces a rejected one) truncates the PRM's own KV cache, so nothing is read twice. What
// surrounds question and steps is the PrmLayout (prm_layout.h): Math-Shepherd's " ки", "+", "-"
// by default, the nqkv.prm.* keys of the file, or RLHFlow's chat layout.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/prm_layout.h"

namespace nqkv {

class LlamaModel;

class PrmScorer {
  public:
    // `layout`: a preset name (prm_layout_names()), or empty for the file's own. Throws Error
    // naming the PRM file when a tag or good/bad token cannot be tokenized.
    PrmScorer(const LlamaModel& model, Backend& backend, const ContextParams& params,
              const std::string& layout = "");

    // Starts over with a question; it is read now and shared by every candidate after it.
    void reset(const std::string& question);
    // Position to roll back to; mark() right after reset() is the shared question prefix.
    int mark() const { return ctx_->n_past(); }
    void rollback(int mark);
    // Reads a step plus the tag and returns the step's score in [0, 1].
    float score_step(const std::string& step);

    // Scores a whole solution from scratch in one pass (for checks and baselines).
    std::vector<float> score_all(const std::string& question,
                                 const std::vector<std::string>& steps);

    // Every token the PRM reads for a whole solution; tag_ends (if given) gets the position of
    // each step's scored token.
    std::vector<int> solution_tokens(const std::string& question,
                                     const std::vector<std::string>& steps,
                                     std::vector<size_t>* tag_ends = nullptr) const;

    int tokens_read() const { return tokens_read_; }
    const std::string& step_tag() const { return layout_.step_tag; }
    const PrmLayout& layout() const { return layout_; }
    const InferenceContext& context() const { return *ctx_; }

  private:
    std::vector<int> question_tokens(const std::string& question) const;
    std::vector<int> step_tokens(const std::string& step, bool first) const;
    float score_at(const float* logits) const;

    const LlamaModel& model_;
    std::unique_ptr<InferenceContext> ctx_;
    PrmLayout layout_;
    std::vector<int> tag_ids_;
    int question_end_ = 0;
    std::vector<int> held_;  // the tokens the context holds, to read again after a rollback
    int good_ = 0, bad_ = 0;
    int tokens_read_ = 0;
    std::vector<float> logits_;
};

}  // namespace nqkv
