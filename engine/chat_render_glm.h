// GLM-4.5's and GLM-4.7's chat templates without tools, as their Jinja sources render them:
// [gMASK]<sop>, then <|system|>, <|user|> and <|assistant|> turns. GLM-4.5 and 4.6 (glm45) put a
// line break after each marker, give earlier replies an empty "\n<think></think>" and, with
// reasoning turned off, end every user turn with /nothink; GLM-4.7 and 4.7-Flash (glm47) write
// the turns without line breaks, earlier replies after a bare </think>, and open the reply's
// reasoning in the prompt (<think>, or </think> to skip it: the session's opened_thinking and
// empty_thinking_block, as every format's).
#pragma once

#include <string>
#include <vector>

#include "engine/chat_template.h"

namespace nqkv {

std::string render_glm45(const std::vector<ChatMessage>& m, bool add_generation_prompt,
                         bool thinking);
std::string render_glm47(const std::vector<ChatMessage>& m, bool add_generation_prompt);

}  // namespace nqkv
