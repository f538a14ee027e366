// Fitting a conversation into a context. A chat outgrows a small context within a few turns
// (the bundled models have 512 tokens); rather than refusing every further reply, the oldest
// exchanges are left out of the prompt, the way a reader forgets the start of a long talk.
// Nothing is deleted: the caller's messages stay as they were, only the prompt is shorter.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/chat_template.h"

namespace nqkv {

class Tokenizer;

enum class ContextOverflow {
    DropOldest,  // leave out the oldest exchanges until the prompt leaves room for the reply
    Refuse,      // use the whole conversation, and fail when it does not fit
};
// "drop-oldest" or "refuse"; throws Error naming `text` otherwise.
ContextOverflow parse_context_overflow(const std::string& text);
const char* context_overflow_name(ContextOverflow o);

struct FittedConversation {
    std::vector<ChatMessage> messages;  // the ones the prompt holds
    std::vector<int> ids;               // the rendered prompt's tokens
    int dropped = 0;                    // messages left out
};

// Renders `messages` with `render` and tokenizes it. When the prompt and `room` tokens for the
// reply exceed `n_ctx`, DropOldest leaves out whole exchanges from the oldest on, so that the kept
// part still begins with a user message; leading system messages and the last message always
// stay. The last cut (`previous_dropped` messages) is kept while it still leaves the room, so
// the prompt's beginning, and the cache holding it, stay the same from turn to turn; a new cut
// is the smallest that leaves another quarter of the context free (or, failing that, just the
// room), found by bisection over where the kept part begins. Fails, naming the sizes, when even
// the shortest prompt fills the context.
FittedConversation fit_conversation(
    const Tokenizer& tok, const std::vector<ChatMessage>& messages,
    const std::function<std::string(const std::vector<ChatMessage>&)>& render, int n_ctx, int room,
    ContextOverflow overflow, int previous_dropped = 0);

// The same with the prompt's tokens from `tokenize` (a conversation with pictures, whose rows
// take many tokens each).
FittedConversation fit_conversation_ids(
    const std::vector<ChatMessage>& messages,
    const std::function<std::vector<int>(const std::vector<ChatMessage>&)>& tokenize, int n_ctx,
    int room, ContextOverflow overflow, int previous_dropped = 0);

// The room a reply gets when the conversation has to be cut: its token limit, but at most a
// quarter of the context, so that cutting keeps most of the conversation.
int reply_room(int max_tokens, int n_ctx);

}  // namespace nqkv
