#include "engine/chat_fit.h"

#include <algorithm>
#include <optional>

#include "engine/error.h"
#include "engine/tokenizer.h"

namespace nqkv {

ContextOverflow parse_context_overflow(const std::string& text) {
    if (text == "drop-oldest") return ContextOverflow::DropOldest;
    if (text == "refuse") return ContextOverflow::Refuse;
    fail("context overflow \"", text, "\": expected drop-oldest or refuse");
}

const char* context_overflow_name(ContextOverflow o) {
    return o == ContextOverflow::DropOldest ? "drop-oldest" : "refuse";
}

int reply_room(int max_tokens, int n_ctx) {
    return std::clamp(max_tokens, 1, std::max(1, n_ctx / 4));
}

FittedConversation fit_conversation(
    const Tokenizer& tok, const std::vector<ChatMessage>& messages,
    const std::function<std::string(const std::vector<ChatMessage>&)>& render, int n_ctx, int room,
    ContextOverflow overflow, int previous_dropped) {
    return fit_conversation_ids(
        messages,
        [&](const std::vector<ChatMessage>& m) {
            return tok.encode_special(render(m), tok.add_bos(), "conversation");
        },
        n_ctx, room, overflow, previous_dropped);
}

FittedConversation fit_conversation_ids(
    const std::vector<ChatMessage>& messages,
    const std::function<std::vector<int>(const std::vector<ChatMessage>&)>& tokenize, int n_ctx,
    int room, ContextOverflow overflow, int previous_dropped) {
    size_t n_system = 0;
    while (n_system < messages.size() && messages[n_system].role == "system") ++n_system;

    // Where the kept part may begin: at a user message (so the model still sees a turn that
    // starts an exchange), or at the last message, which always stays.
    std::vector<size_t> starts;
    for (size_t i = n_system; i < messages.size(); ++i)
        if (messages[i].role == "user" || i + 1 == messages.size()) starts.push_back(i);
    if (starts.empty() || starts.front() != n_system) starts.insert(starts.begin(), n_system);

    const auto build = [&](size_t start) {
        FittedConversation f;
        f.messages.assign(messages.begin(), messages.begin() + std::ptrdiff_t(n_system));
        f.messages.insert(f.messages.end(), messages.begin() + std::ptrdiff_t(start),
                          messages.end());
        f.ids = tokenize(f.messages);
        f.dropped = int(start - n_system);
        return f;
    };
    const auto fits = [&](const FittedConversation& f, int free) {
        return int(f.ids.size()) + free <= n_ctx;
    };

    FittedConversation whole = build(n_system);
    if (fits(whole, room) || overflow == ContextOverflow::Refuse || starts.size() < 2) {
        if (int(whole.ids.size()) >= n_ctx)
            fail("the conversation: ", whole.ids.size(), " tokens do not fit the context of ",
                 n_ctx,
                 overflow == ContextOverflow::Refuse && starts.size() > 1
                     ? " (older messages are kept, as the settings ask; leave them out or raise "
                       "the context size)"
                     : " (shorten the message or raise the context size)");
        return whole;
    }
    // The last cut, while it still leaves room: the prompt keeps its beginning, so the cache
    // that holds it is reused instead of the whole prompt being read again.
    const size_t previous = n_system + size_t(std::max(0, previous_dropped));
    if (previous_dropped > 0 && std::binary_search(starts.begin(), starts.end(), previous)) {
        FittedConversation f = build(previous);
        if (fits(f, room)) return f;
    }
    // The earliest start leaving `free` tokens (later starts give shorter prompts), by bisection
    // over starts[1..]: starts[0] is the whole conversation, known not to fit.
    const auto earliest = [&](int free) -> std::optional<FittedConversation> {
        size_t lo = 1, hi = starts.size() - 1;
        FittedConversation best = build(starts[hi]);
        if (!fits(best, free)) return std::nullopt;
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            FittedConversation f = build(starts[mid]);
            if (fits(f, free)) {
                hi = mid;
                best = std::move(f);
            } else {
                lo = mid + 1;
            }
        }
        return best;
    };
    // A new cut also leaves a quarter of the context free, so that the next few turns fit
    // behind it without another cut.
    if (auto f = earliest(room + n_ctx / 4)) return *f;
    if (auto f = earliest(room)) return *f;
    FittedConversation last = build(starts.back());
    if (int(last.ids.size()) < n_ctx) return last;  // the reply gets what is left
    fail("the last message", n_system ? " and the system prompt" : "", " alone: ", last.ids.size(),
         " tokens do not fit the context of ", n_ctx, " (shorten it or raise the context size)");
}

}  // namespace nqkv
