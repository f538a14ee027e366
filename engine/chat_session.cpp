#include "engine/chat_session.h"

#include <algorithm>

#include "engine/error.h"
#include "engine/picture_prompt.h"

namespace nqkv {
namespace {

size_t leading_system(const std::vector<ChatMessage>& m) {
    size_t n = 0;
    while (n < m.size() && m[n].role == "system") ++n;
    return n;
}

}  // namespace

ChatSession::ChatSession(const LlamaModel& model, InferenceContext& ctx)
    : model_(model), ctx_(ctx) {
    const DetectedChatFormat d =
        detect_chat_format(model.file().get_string("tokenizer.chat_template"));
    format_ = detected_ = d.format;
    thinking_ = detected_thinking_ = d.thinking;
    opened_ = detected_opened_ = d.opened;
    default_system_ = detected_default_system_ = d.default_system;
    trims_ = detected_trims_ = d.trims_content;
    warning_ = d.warning;
    // A model without any template is simply a plain-text model: nothing to warn about.
    if (!model.file().find("tokenizer.chat_template")) warning_.clear();
    reply_prefix_ = model.file().get_string("nqkv.chat.reply_prefix").value_or("");
}

void ChatSession::set_format(ChatFormat f) {
    format_ = f;
    thinking_ = f == detected_ ? detected_thinking_ : ThinkingPrompt::None;
    opened_ = f == detected_ ? detected_opened_ : std::string();
    default_system_ = f == detected_ ? detected_default_system_ : std::string();
    trims_ = f == detected_ && detected_trims_;
    warning_.clear();
}

std::string ChatSession::reply_start() const {
    const bool opened = thinking_ == ThinkingPrompt::Opened && options_.thinking;
    return (opened ? (opened_.empty() ? opened_thinking(format_) : opened_) : "") + reply_prefix_;
}

bool ChatSession::skips_thinking(const std::vector<ChatMessage>& m) const {
    return thinking_ != ThinkingPrompt::None &&
           (!options_.thinking || (format_ == ChatFormat::NemotronH && no_think_marked(m)));
}

std::string ChatSession::reply_start(const std::vector<ChatMessage>& m) const {
    return skips_thinking(m) ? reply_prefix_ : reply_start();
}

void ChatSession::reset() {
    ctx_.truncate(0);
    cached_.clear();
    dropped_ = 0;
    first_kept_.clear();
}

size_t ChatSession::known() const {
    // The context may have been truncated or reset behind our back; trust only what it holds.
    return std::min(cached_.size(), size_t(std::max(0, ctx_.n_past())));
}

std::vector<int> ChatSession::held_tokens() const {
    return {cached_.begin(), cached_.begin() + std::ptrdiff_t(known())};
}

void ChatSession::set_held_tokens(std::vector<int> ids) {
    cached_ = std::move(ids);
    cached_.resize(known());
}

int ChatSession::cut_hint(const std::vector<ChatMessage>& m) const {
    // The last cut applies only to the same conversation: its first kept message is still there.
    const size_t i = leading_system(m) + size_t(dropped_);
    return dropped_ > 0 && i < m.size() && m[i].content == first_kept_ ? dropped_ : 0;
}

std::string ChatSession::render(const std::vector<ChatMessage>& messages) const {
    // Qwen's own way of asking for no reasoning, for both kinds of template (llama.cpp closes
    // an opened block the same way).
    const bool skip = skips_thinking(messages);
    const std::string start = reply_start(messages);
    std::vector<ChatMessage> m = with_reply_prefix(messages, start);
    if (options_.default_system && !default_system_.empty() && leading_system(m) == 0)
        m.insert(m.begin(), ChatMessage{"system", default_system_});
    m = mark_message_pictures(std::move(m));
    ChatRenderOptions o = options_;
    o.trim_content = trims_;
    if (const int eos = model_.tokenizer().eos(); eos >= 0)
        o.eos_text = model_.tokenizer().piece(eos);
    return render_chat(format_, m, true, o) + (skip ? empty_thinking_block(format_) : "") + start;
}

PicturePrompt ChatSession::tokenize(const std::vector<ChatMessage>& messages) const {
    const Tokenizer& tok = model_.tokenizer();
    const std::vector<std::shared_ptr<const InputRows>> pictures = message_pictures(messages);
    if (pictures.empty())
        return {tok.encode_special(render(messages), tok.add_bos(), "conversation"), {}};
    return tokenize_with_pictures(tok, render(messages), pictures, tok.add_bos());
}

GenerateResult ChatSession::reply(const std::vector<ChatMessage>& messages,
                                  const GenerateParams& params, const TokenSink& sink,
                                  const std::atomic<bool>* cancel) {
    const FittedConversation fitted = fit_conversation_ids(
        messages, [&](const std::vector<ChatMessage>& m) { return tokenize(m).ids; }, ctx_.n_ctx(),
        reply_room(params.max_tokens, ctx_.n_ctx()), overflow_, cut_hint(messages));
    const std::vector<int>& ids = fitted.ids;
    // Where the kept messages' pictures are read; the cache forgets from the first that differs.
    // (Found again only when there are pictures: the fit kept the ids, not the positions.)
    const bool pictures = std::any_of(fitted.messages.begin(), fitted.messages.end(),
                                      [](const ChatMessage& m) { return !m.pictures.empty(); });
    ctx_.set_rows(pictures ? tokenize(fitted.messages).pictures : RowAttachments{});
    dropped_ = fitted.dropped;
    first_kept_ = dropped_ > 0 ? fitted.messages[leading_system(messages)].content : std::string();

    cached_.resize(known());
    const auto mismatch = std::mismatch(cached_.begin(), cached_.end(), ids.begin(), ids.end());
    const int common = int(mismatch.first - cached_.begin());

    GenerateParams p = params;
    for (auto& s : end_of_turn_strings(format_)) p.stop.push_back(s);
    // The prefix is part of the prompt but, for the reader, the reply's first words.
    const std::string shown = shown_reply_prefix(reply_start(messages));
    if (sink && !shown.empty()) sink(-1, shown);
    GenerateResult res = generate_from_ids(model_, ctx_, ids, common, p, sink, cancel);
    res.text.insert(0, shown);
    reused_ = res.reused_tokens;

    cached_ = res.prompt_ids;
    cached_.insert(cached_.end(), res.ids.begin(), res.ids.end());
    cached_.resize(std::min(cached_.size(), size_t(ctx_.n_past())));
    return res;
}

}  // namespace nqkv
