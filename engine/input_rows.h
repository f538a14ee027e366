// Rows that stand in for tokens: a picture's embeddings, read by the language model at the
// positions its placeholder tokens hold. A context keeps which positions read which rows, so
// that everything that works on token ids (prompt reuse, regenerate, rollbacks) keeps working:
// the ids are placeholders, the rows are what the model reads there.
#pragma once

#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace nqkv {

struct InputRows {
    std::vector<float> data;  // n rows of the language model's width
    int n = 0;
    // The rows attend to each other both ways, as one batch (Gemma 3's pictures); the tokens
    // around them stay causal.
    bool bidirectional = false;
};

// One stretch of an eval: tokens, or one attachment's rows read whole.
struct EvalSegment {
    int pos = 0, n = 0;
    const InputRows* rows = nullptr;  // null: tokens
};

// Which positions read which rows, by first position.
using RowAttachments = std::vector<std::pair<int, std::shared_ptr<const InputRows>>>;

class InputRowSpans {
  public:
    // Replaces the attachments. Returns the first position that reads other rows (or tokens
    // instead of rows, or rows instead of tokens) than before, where the caller's cache stops
    // holding what it will read, or -1 when nothing changed. Throws Error on overlapping or
    // empty attachments.
    int replace(const RowAttachments& spans);
    bool empty() const { return spans_.empty(); }

    // n, or the start of the attachment n falls inside: rows are only ever read whole.
    int whole(int n) const;
    // [pos, pos + n) cut into tokens and attachments. Throws Error when the range starts or
    // ends inside an attachment.
    std::vector<EvalSegment> segments(int pos, int n) const;

  private:
    std::map<int, std::shared_ptr<const InputRows>> spans_;  // by first position
};

}  // namespace nqkv
