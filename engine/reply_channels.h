// A chat reply's reasoning apart from its answer. Reasoning models write both into one reply:
// between <think> and </think> before the answer (DeepSeek-R1 and its distills, Qwen3, QwQ,
// SmolLM3, GLM-Z1, ...), [THINK] and [/THINK] (Magistral, Ministral 3's reasoning models) or
// <|channel>thought and <channel|> (Gemma 4), or, in gpt-oss's harmony format, as messages in
// channels
// ("<|channel|>analysis<|message|>...<|end|><|start|>assistant<|channel|>final<|message|>...").
// Chats show the reasoning set apart, and a conversation's earlier replies are given back to
// the model as their answers only, as these models' own templates do. Which of the two a reply
// uses is read from the reply itself (harmony replies begin with <|channel|>), so that a chat
// can be shown without knowing the model that wrote it.
#pragma once

#include <string>
#include <string_view>

namespace nqkv {

struct ReplyParts {
    std::string reasoning;  // analysis and commentary messages, or what <think> encloses
    std::string answer;     // the final message, or what follows </think>; else the whole reply
};

// The parts of a whole reply. A reply that opens no reasoning is all answer; one cut off inside
// its reasoning has an empty answer.
ReplyParts split_reply(std::string_view reply);

// The same for a reply as it streams in: each feed() returns what is new in either part. Text
// that could still turn out to be the start of a marker ("</thi", "<|en") is held back until
// it is decided, so each part only ever grows; finish() gives back whatever is still held.
class ReplyStream {
  public:
    ReplyParts feed(std::string_view piece);
    ReplyParts finish();
    const std::string& text() const { return text_; }  // everything fed so far

  private:
    ReplyParts advance(bool final);
    std::string text_;
    size_t reasoning_sent_ = 0, answer_sent_ = 0;
};

}  // namespace nqkv
