// Prompts with pictures: the text marks where each picture goes, and the picture becomes its
// projector's opening text, one placeholder token per row the encoder wrote, and its closing
// text (Gemma 3: <start_of_image>, 256 rows, <end_of_image>), as llama.cpp's mtmd lays it out.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/chat_template.h"
#include "engine/input_rows.h"
#include "engine/tokenizer.h"

namespace nqkv {

// Where a picture goes in prompt text: llama.cpp's marker.
inline constexpr std::string_view kPictureMarker = "<__media__>";

struct PicturePrompt {
    std::vector<int> ids;     // placeholders where the pictures' rows are read
    RowAttachments pictures;  // the pictures' rows, at their positions
};

// Tokenizes text with its special pieces (<start_of_turn>, ...) and one picture per marker, in
// order. Without pictures the text is read as it is (a marker stays text). Throws Error when
// the markers and pictures do not pair up.
PicturePrompt tokenize_with_pictures(const Tokenizer& tok, std::string_view text,
                                     const std::vector<std::shared_ptr<const InputRows>>& pictures,
                                     bool add_bos);

// A conversation's pictures, message by message, where its rendering marks them: one marker per
// picture at the start of the message's text (before the words, as the message shows them).
// Throws Error when a message holds the marker as text while the conversation has pictures.
std::vector<ChatMessage> mark_message_pictures(std::vector<ChatMessage> messages);
// Every message's pictures, in the order mark_message_pictures marks them.
std::vector<std::shared_ptr<const InputRows>> message_pictures(
    const std::vector<ChatMessage>& messages);

}  // namespace nqkv
