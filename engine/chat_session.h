// A multi-turn conversation on one inference context. Each reply renders the whole
// conversation with the model's chat format and keeps the KV cache of the longest prefix it
// shares with what the context already holds, so a follow-up only evaluates the new turn.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/chat_fit.h"
#include "engine/chat_template.h"
#include "engine/generator.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"

namespace nqkv {

class ChatSession {
  public:
    // The format comes from the model's tokenizer.chat_template (plain when absent).
    ChatSession(const LlamaModel& model, InferenceContext& ctx);

    ChatFormat format() const { return format_; }
    // Overrides the format the template named (--chat); the template's way of asking for
    // reasoning no longer applies unless the format stays the same.
    void set_format(ChatFormat f);
    // How the model's template asks for reasoning (chat_template.h); with ChatRenderOptions'
    // thinking off, Switch and Opened templates get an empty <think></think> block before the
    // reply, and with it on, an Opened template's reply starts inside its reasoning.
    ThinkingPrompt thinking_prompt() const { return thinking_; }
    // The system message the template writes when a conversation has none (empty: none); used
    // unless ChatRenderOptions' default_system is off. A format set by hand has none.
    const std::string& default_system() const { return default_system_; }
    // Set when the model's template was not recognised and plain is used instead.
    const std::string& format_warning() const { return warning_; }

    // Text appended after the rendered prompt, where the reply begins: the model's
    // nqkv.chat.reply_prefix key (the bundled policy's "\n## Step 1: ", the layout it was
    // trained on), empty for most models. Replies start with it, leading whitespace removed.
    const std::string& reply_prefix() const { return reply_prefix_; }
    void set_reply_prefix(std::string p) { reply_prefix_ = std::move(p); }
    // Everything the prompt ends with that belongs to the reply: the reply prefix, after an
    // opened "<think>\n" when the template opens the reasoning. Replies start with its shown
    // form (shown_reply_prefix), so that a reply's reasoning is found in it (reply_channels.h).
    std::string reply_start() const;
    // The same for a reply to `messages`, which may ask for no reasoning themselves (Nemotron
    // Nano 2's "/no_think").
    std::string reply_start(const std::vector<ChatMessage>& messages) const;

    // What the format takes besides the messages (gpt-oss's reasoning effort).
    void set_render_options(ChatRenderOptions o) { options_ = std::move(o); }
    // The prompt a reply to `messages` reads, as this session renders it.
    std::string render(const std::vector<ChatMessage>& messages) const;

    // Generates the assistant's next message after `messages` (which end with a user turn).
    // Stops at the format's end-of-turn text as well as at params.stop. A conversation that
    // outgrows the context loses its oldest exchanges from the prompt, unless set_overflow()
    // says to refuse (chat_fit.h).
    GenerateResult reply(const std::vector<ChatMessage>& messages, const GenerateParams& params,
                         const TokenSink& sink = {}, const std::atomic<bool>* cancel = nullptr);

    // Prompt tokens the last reply found already in the cache.
    int reused_tokens() const { return reused_; }
    // Messages the last reply's prompt left out to fit the context.
    int dropped_messages() const { return dropped_; }
    void set_overflow(ContextOverflow o) { overflow_ = o; }
    // Forgets the cache (after the context's configuration changed, for instance).
    void reset();
    // The tokens the context holds at its first positions, as far as this session knows; and,
    // after someone else used the context (an AR-Sampling reply), what it holds now.
    std::vector<int> held_tokens() const;
    void set_held_tokens(std::vector<int> ids);

    // The prompt a reply to `messages` reads as tokens, with the messages' pictures where
    // they go (every message's before its text). Throws Error when a message with pictures
    // around holds the picture marker as text.
    PicturePrompt tokenize(const std::vector<ChatMessage>& messages) const;

  private:
    // Whether a reply to `messages` starts after an empty reasoning block.
    bool skips_thinking(const std::vector<ChatMessage>& messages) const;

    const LlamaModel& model_;
    InferenceContext& ctx_;
    ChatFormat format_ = ChatFormat::Plain;
    ChatFormat detected_ = ChatFormat::Plain;
    ThinkingPrompt detected_thinking_ = ThinkingPrompt::None, thinking_ = ThinkingPrompt::None;
    std::string detected_opened_, opened_;  // DetectedChatFormat::opened
    std::string warning_;
    std::string default_system_, detected_default_system_;
    bool trims_ = false, detected_trims_ = false;  // the template trims messages (Qwen3.5)
    std::string reply_prefix_;
    ChatRenderOptions options_;
    std::vector<int> cached_;  // token ids at positions 0 .. ctx_.n_past()-1
    int reused_ = 0;
    int dropped_ = 0;
    std::string first_kept_;  // the first message the last cut kept (a conversation's marker)
    int cut_hint(const std::vector<ChatMessage>& m) const;
    size_t known() const;  // leading entries of cached_ the context still holds
    ContextOverflow overflow_ = ContextOverflow::DropOldest;
};

}  // namespace nqkv
