#include "engine/reply_channels.h"

namespace nqkv {
namespace {

// Reasoning blocks: <think> (DeepSeek-R1, Qwen3, ...), [THINK] (Magistral, Ministral 3's
// reasoning models), Gemma 4's thought channel or Seed-OSS's <seed:think>.
struct ThinkMarkers {
    std::string_view open, close;
};
constexpr ThinkMarkers kThinkMarkers[] = {{"<think>", "</think>"},
                                          {"[THINK]", "[/THINK]"},
                                          {"<|channel>thought", "<channel|>"},
                                          {"<seed:think>", "</seed:think>"}};
constexpr std::string_view kChannel = "<|channel|>", kMessage = "<|message|>", kEnd = "<|end|>";

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

// How many characters at the end of s could be the beginning of `marker` (not all of it).
size_t tail_of(std::string_view s, std::string_view marker) {
    for (size_t k = std::min(s.size(), marker.size() - 1); k > 0; --k)
        if (s.substr(s.size() - k) == marker.substr(0, k)) return k;
    return 0;
}

// s without what may still become `marker` (unless the reply is whole).
std::string_view undecided_cut(std::string_view s, std::string_view marker, bool final) {
    return final ? s : s.substr(0, s.size() - tail_of(s, marker));
}

ReplyParts parse_think(std::string_view text, bool final) {
    ReplyParts p;
    const size_t lead = text.find_first_not_of(" \t\r\n");
    const std::string_view rest = lead == text.npos ? std::string_view() : text.substr(lead);
    const ThinkMarkers* m = nullptr;
    for (const ThinkMarkers& k : kThinkMarkers) {
        if (starts_with(rest, k.open)) m = &k;
        if (!m && !final && starts_with(k.open, rest)) return p;  // may still open
    }
    if (!m) {
        p.answer = text;
        return p;
    }
    std::string_view inside = rest.substr(m->open.size());
    inside = inside.substr(std::min(inside.size(), inside.find_first_not_of("\r\n")));
    const size_t close = inside.find(m->close);
    if (close == inside.npos) {
        p.reasoning = undecided_cut(inside, m->close, final);
        return p;
    }
    p.reasoning = inside.substr(0, close);
    const std::string_view after = inside.substr(close + m->close.size());
    const size_t start = after.find_first_not_of(" \t\r\n");
    if (start != after.npos) p.answer = after.substr(start);
    return p;
}

// Messages one after another: a header ("<|channel|>analysis", "<|start|>assistant<|channel|>
// final"), <|message|>, the text, <|end|>. Analysis and commentary are reasoning; the final
// channel, or a message without one, the answer.
ReplyParts parse_harmony(std::string_view text, bool final) {
    ReplyParts p;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t message = text.find(kMessage, pos);
        if (message == text.npos) break;  // a header still being written
        const std::string_view header = text.substr(pos, message - pos);
        std::string_view channel;
        if (const size_t c = header.find(kChannel); c != header.npos) {
            channel = header.substr(c + kChannel.size());
            channel = channel.substr(0, channel.find_first_of(" <"));
        }
        std::string& part =
            channel == "analysis" || channel == "commentary" ? p.reasoning : p.answer;
        if (!part.empty()) part += "\n\n";
        const size_t body = message + kMessage.size();
        const size_t end = text.find(kEnd, body);
        if (end == text.npos) {
            part += undecided_cut(text.substr(body), kEnd, final);
            break;
        }
        part += text.substr(body, end - body);
        pos = end + kEnd.size();
    }
    return p;
}

ReplyParts parse(std::string_view text, bool final) {
    if (starts_with(text, kChannel)) return parse_harmony(text, final);
    if (!final && !text.empty() && starts_with(kChannel, text)) return {};  // may still be one
    return parse_think(text, final);
}

// What `now` adds to the `sent` characters already given out of it.
std::string news(const std::string& now, size_t& sent) {
    if (now.size() <= sent) return {};
    std::string more = now.substr(sent);
    sent = now.size();
    return more;
}

}  // namespace

ReplyParts split_reply(std::string_view reply) {
    return parse(reply, true);
}

ReplyParts ReplyStream::advance(bool final) {
    const ReplyParts now = parse(text_, final);
    ReplyParts delta;
    delta.reasoning = news(now.reasoning, reasoning_sent_);
    delta.answer = news(now.answer, answer_sent_);
    return delta;
}

ReplyParts ReplyStream::feed(std::string_view piece) {
    text_ += piece;
    return advance(false);
}

ReplyParts ReplyStream::finish() {
    return advance(true);
}

}  // namespace nqkv
