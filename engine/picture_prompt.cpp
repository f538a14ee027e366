#include "engine/picture_prompt.h"

#include <algorithm>

#include "engine/error.h"

namespace nqkv {
namespace {

// The id placeholders hold: Gemma 3's own soft token where the vocabulary has it.
int placeholder_id(const Tokenizer& tok) {
    const std::vector<int> soft = tok.encode_special("<image_soft_token>", false);
    if (soft.size() == 1) return soft[0];
    return std::max(0, tok.unk());
}

void append(std::vector<int>& ids, const std::vector<int>& more) {
    ids.insert(ids.end(), more.begin(), more.end());
}

}  // namespace

PicturePrompt tokenize_with_pictures(const Tokenizer& tok, std::string_view text,
                                     const std::vector<std::shared_ptr<const InputRows>>& pictures,
                                     bool add_bos) {
    if (pictures.empty()) return {tok.encode_special(text, add_bos, "prompt"), {}};
    std::vector<std::string_view> parts;
    for (size_t at = 0;;) {
        const size_t m = text.find(kPictureMarker, at);
        parts.push_back(text.substr(at, m == std::string_view::npos ? m : m - at));
        if (m == std::string_view::npos) break;
        at = m + kPictureMarker.size();
    }
    if (parts.size() - 1 != pictures.size())
        fail("the prompt marks ", parts.size() - 1, " picture(s) with ", kPictureMarker, " and ",
             pictures.size(), " picture(s) were given");
    // Gemma 3's opening and closing text (the only projector read so far).
    const std::string open = "<start_of_image>", close = "<end_of_image>";
    const int placeholder = placeholder_id(tok);
    PicturePrompt out;
    out.ids = tok.encode_special(parts[0], add_bos, "prompt");
    for (size_t i = 0; i < pictures.size(); ++i) {
        if (!pictures[i]) fail("picture ", i + 1, " has no rows");
        append(out.ids, tok.encode_special(open, false));
        out.pictures.emplace_back(int(out.ids.size()), pictures[i]);
        out.ids.insert(out.ids.end(), size_t(pictures[i]->n), placeholder);
        append(out.ids, tok.encode_special(close, false));
        append(out.ids, tok.encode_special(parts[i + 1], false, "prompt"));
    }
    return out;
}

std::vector<std::shared_ptr<const InputRows>> message_pictures(
    const std::vector<ChatMessage>& messages) {
    std::vector<std::shared_ptr<const InputRows>> out;
    for (const ChatMessage& m : messages)
        out.insert(out.end(), m.pictures.begin(), m.pictures.end());
    return out;
}

std::vector<ChatMessage> mark_message_pictures(std::vector<ChatMessage> messages) {
    const bool pictures = std::any_of(messages.begin(), messages.end(),
                                      [](const ChatMessage& m) { return !m.pictures.empty(); });
    if (!pictures) return messages;
    for (ChatMessage& m : messages) {
        if (m.content.find(kPictureMarker) != std::string::npos)
            fail("a message holds the text ", kPictureMarker,
                 ", which marks where pictures go; it cannot be sent with pictures in the chat");
        std::string marks;
        for (size_t i = 0; i < m.pictures.size(); ++i) marks += kPictureMarker;
        m.content.insert(0, marks);
    }
    return messages;
}

}  // namespace nqkv
