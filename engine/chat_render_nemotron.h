// NVIDIA's chat templates without tools, as their Jinja sources render them: Nemotron Nano 2's
// (nemotron-h) and Nemotron 3's (nemotron3). The reasoning that opens a reply is the session's
// (ChatSession::reply_start), as every format's.
#pragma once

#include <string>
#include <vector>

#include "engine/chat_template.h"

namespace nqkv {

// A system turn always (empty without a system prompt), contents trimmed with the /think and
// /no_think switches taken out, replies closed by <SPECIAL_12>. Earlier replies come as answers.
std::string render_nemotron_h(const std::vector<ChatMessage>& m, bool add_generation_prompt);

// ChatML with a system turn always (as written), users' messages as written, and each earlier
// reply as "<think></think>" and what followed its reasoning, trimmed (the whole reply after an
// empty block where it has no reasoning). Replies come as the model wrote them.
std::string render_nemotron3(const std::vector<ChatMessage>& m, bool add_generation_prompt);

}  // namespace nqkv
