#include "engine/chat_render_apertus.h"

namespace nqkv {

std::string render_apertus(const std::vector<ChatMessage>& m, bool add_generation_prompt) {
    std::string out;
    size_t i = 0;
    if (!m.empty() && m[0].role == "system") {
        out += "<|system_start|>" + m[0].content + "<|system_end|>";
        i = 1;
    }
    out +=
        "<|developer_start|>Deliberation: disabled\nTool Capabilities: disabled<|developer_end|>";
    for (; i < m.size(); ++i) {
        if (m[i].role == "user")
            out += "<|user_start|>" + m[i].content + "<|user_end|>";
        else if (m[i].role == "assistant")
            out += "<|assistant_start|>" + m[i].content + "<|assistant_end|>";
    }
    if (add_generation_prompt) out += "<|assistant_start|>";
    return out;
}

std::string apertus_default_system(std::string_view t, const std::string& date) {
    constexpr std::string_view kLead = "system_token + ";
    for (size_t at = t.find(kLead); at != t.npos; at = t.find(kLead, at + 1)) {
        size_t i = at + kLead.size();
        const auto text = template_string_literal(t, i);
        if (!text) continue;  // messages[0].content: the conversation's own
        const size_t next = t.find_first_not_of(' ', i);
        const bool dated =
            next != t.npos && t.substr(next).starts_with("+ strftime_now('%Y-%m-%d')");
        return *text + (dated ? date : "");
    }
    return {};
}

}  // namespace nqkv
