#include "engine/chat_render_glm.h"

namespace nqkv {

std::string render_glm45(const std::vector<ChatMessage>& m, bool add_generation_prompt,
                         bool thinking) {
    std::string out = "[gMASK]<sop>";
    for (const ChatMessage& x : m) {
        if (x.role == "user") {
            out += "<|user|>\n" + x.content;
            if (!thinking && !x.content.ends_with("/nothink")) out += "/nothink";
        } else if (x.role == "assistant") {
            const std::string answer = template_trim(x.content);
            out += "<|assistant|>\n<think></think>" + (answer.empty() ? "" : "\n" + answer);
        } else {
            out += "<|system|>\n" + x.content;
        }
    }
    if (add_generation_prompt) out += "<|assistant|>";
    return out;
}

std::string render_glm47(const std::vector<ChatMessage>& m, bool add_generation_prompt) {
    std::string out = "[gMASK]<sop>";
    for (const ChatMessage& x : m)
        out += x.role == "assistant" ? "<|assistant|></think>" + template_trim(x.content)
                                     : "<|" + x.role + "|>" + x.content;
    if (add_generation_prompt) out += "<|assistant|>";
    return out;
}

}  // namespace nqkv
