#include "engine/chat_render_gemma4.h"

namespace nqkv {

std::string render_gemma4(const std::vector<ChatMessage>& m, bool add_generation_prompt,
                          bool thinking) {
    std::string out;  // <bos> is the BOS the tokenizer adds
    const bool system = !m.empty() && m[0].role == "system";
    if (thinking || system) {
        out += "<|turn>system\n";
        if (thinking) out += "<|think|>\n";
        if (system) out += template_trim(m[0].content);
        out += "<turn|>\n";
    }
    for (size_t i = system ? 1 : 0; i < m.size(); ++i) {
        const bool model = m[i].role == "assistant";
        // Replies come as their answers already (answers_only), which the template trims too.
        out += std::string("<|turn>") + (model ? "model" : m[i].role) + "\n" +
               template_trim(m[i].content) + "<turn|>\n";
    }
    if (add_generation_prompt) out += "<|turn>model\n";
    return out;
}

}  // namespace nqkv
