// Swiss AI's Apertus chat template without tools or reasoning, as its Jinja source renders a
// plain conversation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/chat_template.h"

namespace nqkv {

// The system message in <|system_start|> … <|system_end|> (where the conversation has one), a
// developer turn that turns deliberation and tools off, then <|user_start|> … <|user_end|> and
// <|assistant_start|> … <|assistant_end|> turns.
std::string render_apertus(const std::vector<ChatMessage>& m, bool add_generation_prompt);

// The system message its template writes where the conversation has none: the literal that
// follows "system_token + ", with `date` where strftime_now('%Y-%m-%d') follows it; empty
// where there is none.
std::string apertus_default_system(std::string_view jinja_template, const std::string& date);

}  // namespace nqkv
