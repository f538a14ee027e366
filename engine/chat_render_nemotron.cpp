#include "engine/chat_render_nemotron.h"

#include <string_view>

namespace nqkv {

std::string render_nemotron_h(const std::vector<ChatMessage>& m, bool add_generation_prompt) {
    const auto clean = [](std::string s) {
        for (const std::string_view mark : {"/no_think", "/think"})
            for (size_t at = s.find(mark); at != s.npos; at = s.find(mark, at))
                s.erase(at, mark.size());
        return template_trim(s);
    };
    const bool system = !m.empty() && m[0].role == "system";
    std::string out = "<SPECIAL_10>System\n" + (system ? clean(m[0].content) : "") + "\n\n";
    for (size_t i = system ? 1 : 0; i < m.size(); ++i)
        out += m[i].role == "user"
                   ? "<SPECIAL_11>User\n" + clean(m[i].content) + "\n"
                   : "<SPECIAL_11>Assistant\n" + template_trim(m[i].content) + "\n<SPECIAL_12>\n";
    if (add_generation_prompt) out += "<SPECIAL_11>Assistant\n";
    return out;
}

std::string render_nemotron3(const std::vector<ChatMessage>& m, bool add_generation_prompt) {
    const bool system = !m.empty() && m[0].role == "system";
    std::string out = "<|im_start|>system\n" + (system ? m[0].content : "") + "<|im_end|>\n";
    for (size_t i = system ? 1 : 0; i < m.size(); ++i) {
        if (m[i].role != "assistant") {
            out += "<|im_start|>" + m[i].role + "\n" + m[i].content + "<|im_end|>\n";
            continue;
        }
        std::string c = m[i].content;
        const size_t open = c.find("<think>"), close = c.rfind("</think>");
        if (open != c.npos && close != c.npos)
            c = "<think></think>" + c.substr(close + 8);
        else if (open == c.npos && close == c.npos)
            c = "<think></think>" + c;
        out += "<|im_start|>assistant\n" + template_trim(c) + "<|im_end|>\n";
    }
    if (add_generation_prompt) out += "<|im_start|>assistant\n";
    return out;
}

}  // namespace nqkv
