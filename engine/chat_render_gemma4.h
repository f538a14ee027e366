// Gemma 4's chat template without tools, as its Jinja source renders it: turns between <|turn>
// and <turn|>, the assistant named "model", a system turn only with a system prompt or with
// reasoning asked for (then <|think|> opens it), contents trimmed, earlier replies without
// their reasoning channel. A reply's reasoning comes in <|channel>thought ... <channel|>; the
// empty channel that skips it is the session's (empty_thinking_block), as every format's.
#pragma once

#include <string>
#include <vector>

#include "engine/chat_template.h"

namespace nqkv {

std::string render_gemma4(const std::vector<ChatMessage>& m, bool add_generation_prompt,
                          bool thinking);

}  // namespace nqkv
