#include "engine/chat_template.h"

#include <ctime>
#include <string_view>

#include "engine/chat_render_apertus.h"
#include "engine/chat_render_gemma4.h"
#include "engine/chat_render_glm.h"
#include "engine/chat_render_nemotron.h"
#include "engine/error.h"
#include "engine/reply_channels.h"

namespace nqkv {
namespace {

bool contains(const std::string& s, const std::string& needle) {
    return s.find(needle) != std::string::npos;
}

void check_roles(const std::vector<ChatMessage>& messages) {
    for (size_t i = 0; i < messages.size(); ++i) {
        const std::string& r = messages[i].role;
        if (r != "system" && r != "user" && r != "assistant")
            fail("chat message ", i, ": unknown role \"", r, "\" (system, user or assistant)");
        if (r == "system" && i != 0)
            fail("chat message ", i, ": a system message may only come first");
    }
}

// [INST] formats. llama-2 puts the system prompt in <<SYS>> inside the first instruction;
// mistral has no system slot, so it is prepended to the first user message.
std::string render_inst(const std::vector<ChatMessage>& m, bool llama2) {
    std::string out, system;
    size_t i = 0;
    if (!m.empty() && m[0].role == "system") system = m[i++].content;
    bool first = true;
    for (; i < m.size(); ++i) {
        if (m[i].role == "user") {
            if (!first) out += "<s>";
            out += "[INST] ";
            if (first && !system.empty())
                out += llama2 ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n" : system + "\n\n";
            out += m[i].content + " [/INST]";
            first = false;
        } else {
            out += " " + m[i].content + " </s>";
        }
    }
    return out;
}

// Mistral's official v1/v3/v3-tekken templates, as llama.cpp renders them: v1 has a space
// before [INST] and [/INST], v3 a space after [INST] and before a (trimmed) reply, v3-tekken no
// spaces at all; the system text opens the instruction it comes with.
std::string render_mistral_official(const std::vector<ChatMessage>& m, ChatFormat f) {
    const std::string lead = f == ChatFormat::MistralV1 ? " " : "";
    const std::string trail = f == ChatFormat::MistralV3Tekken ? "" : " ";
    std::string out;
    bool in_turn = false;
    for (const auto& x : m) {
        if (!in_turn) out += lead + "[INST]" + trail;
        in_turn = true;
        if (x.role == "system") {
            out += x.content + "\n\n";
        } else if (x.role == "user") {
            out += x.content + lead + "[/INST]";
        } else {
            out += trail + (f == ChatFormat::MistralV3 ? template_trim(x.content) : x.content) +
                   "</s>";
            in_turn = false;
        }
    }
    return out;
}

std::string today() {
    char date[16] = "";
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    if (localtime_r(&now, &local)) std::strftime(date, sizeof date, "%Y-%m-%d", &local);
    return date;
}

// A ChatML template's whole default system turn as one literal (Qwen2.5's '<|im_start|>system\n
// You are Qwen, created by Alibaba Cloud. ...<|im_end|>\n', written when the conversation has
// no system message): its text, else empty.
std::string chatml_default_system(std::string_view t) {
    constexpr std::string_view kEnd = "<|im_end|>";
    // Jinja sources write the line break as an escape; some files hold a real one (OLMo 3's).
    for (std::string_view open : {"<|im_start|>system\\n", "<|im_start|>system\n"}) {
        for (size_t at = t.find(open); at != t.npos; at = t.find(open, at + 1)) {
            size_t i = at - 1;
            if (at == 0 || (t[i] != '\'' && t[i] != '"')) continue;
            const auto turn = template_string_literal(t, i);
            const size_t end = turn ? turn->find(kEnd) : std::string::npos;
            constexpr size_t head = std::string_view("<|im_start|>system\n").size();
            if (end != std::string::npos && end > head) return turn->substr(head, end - head);
        }
    }
    return {};
}

// gpt-oss's own template (harmony) without tools: a fixed system message with today's date and
// the default reasoning effort, the system prompt as the developer's instructions, earlier
// replies as final-channel messages.
std::string render_harmony(const std::vector<ChatMessage>& m, bool add_generation_prompt,
                           const std::string& effort) {
    std::string out =
        "<|start|>system<|message|>You are ChatGPT, a large language model trained by "
        "OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: " +
        today() + "\n\nReasoning: " + checked_reasoning_effort(effort, "reasoning effort") +
        "\n\n# Valid channels: analysis, commentary, final. Channel must "
        "be included for every message.<|end|>";
    for (const auto& x : m) {
        if (x.role == "system" && !x.content.empty())
            out += "<|start|>developer<|message|># Instructions\n\n" + x.content + "\n\n<|end|>";
        else if (x.role == "user")
            out += "<|start|>user<|message|>" + x.content + "<|end|>";
        else if (x.role == "assistant")
            out += "<|start|>assistant<|channel|>final<|message|>" + x.content + "<|end|>";
    }
    if (add_generation_prompt) out += "<|start|>assistant";
    return out;
}

// Tulu's turns (OLMo 2's, OLMoE's, Tulu 3's): '<|user|>\n' + message['content'] + '\n', a
// line break after the user's text where Zephyr's template writes eos_token.
bool tulu_turns(std::string_view t) {
    for (size_t at = t.find("<|user|>"); at != t.npos; at = t.find("<|user|>", at + 1)) {
        const std::string_view after = t.substr(at, 80);
        size_t i = after.find("content");
        if (i == after.npos) continue;
        i = after.find_first_not_of("'\"] ", i + 7);  // message['content'] or message.content
        if (i == after.npos || after[i] != '+') continue;
        i = after.find_first_not_of(' ', i + 1);
        if (i == after.npos) continue;
        for (std::string_view nl : {"'\\n'", "'\n'", "\"\\n\"", "\"\n\""})
            if (after.substr(i).starts_with(nl)) return true;
    }
    return false;
}

// OLMo 3 Think's {{ '<|im_start|>assistant\n<think>' }}: a literal that ends right after
// <think> and is written as it is (not '...<think>' + reasoning, an earlier reply's text).
bool opens_unbroken(std::string_view t) {
    for (std::string_view header : {"assistant\\n<think>", "assistant\n<think>"})
        for (size_t at = t.find(header); at != t.npos; at = t.find(header, at + 1)) {
            size_t next = at + header.size();
            if (next >= t.size() || (t[next] != '\'' && t[next] != '"')) continue;
            next = t.find_first_not_of(" \t\n", next + 1);
            if (next != t.npos &&
                (t.substr(next).starts_with("}}") || t.substr(next).starts_with("-}}")))
                return true;
        }
    return false;
}

// A template opens the reply's reasoning when one of its string literals ends the assistant's
// header with <think> and a line break ('<|im_start|>assistant\n<think>\n' in QwQ and Qwen3's
// Thinking-2507, '<｜Assistant｜><think>\n' in DeepSeek-R1's later template) or with <think>
// alone (OLMo 3 Think's). Qwen3's hybrid template writes <think> after a history message's role
// instead, and its empty block as a literal of its own, so neither counts. Jinja sources write
// the line breaks as \n escapes; some files hold real ones. Qwen3.5 writes <think> after the
// header in a literal of its own.
ThinkingPrompt detect_thinking(std::string_view t) {
    for (std::string_view header :
         {"assistant\\n<think>", "assistant\n<think>", "｜Assistant｜><think>"}) {
        for (size_t at = t.find(header); at != t.npos; at = t.find(header, at + 1)) {
            const std::string_view rest = t.substr(at + header.size());
            if (rest.starts_with("\\n") || rest.starts_with("\n")) return ThinkingPrompt::Opened;
        }
    }
    if (opens_unbroken(t)) return ThinkingPrompt::Opened;
    // Qwen3.5's: after the assistant's header, '<think>\n' in the else branch of "enable_thinking
    // is false" (the default; templates that open it only when asked write it under an if).
    if (const size_t gen = t.rfind("add_generation_prompt"); gen != t.npos) {
        for (std::string_view open : {"'<think>\\n'", "\"<think>\\n\""}) {
            const size_t at = t.find(open, gen);
            const size_t tag = at == t.npos ? t.npos : t.rfind("{%", at);
            if (tag == t.npos || tag < gen) continue;
            std::string_view head = t.substr(tag + 2, at - tag - 2);
            while (!head.empty() && (head.front() == '-' || head.front() == ' '))
                head.remove_prefix(1);
            if (head.starts_with("else")) return ThinkingPrompt::Opened;
        }
    }
    return t.find("enable_thinking") != t.npos ? ThinkingPrompt::Switch : ThinkingPrompt::None;
}

// Earlier replies without their reasoning.
std::vector<ChatMessage> answers_only(std::vector<ChatMessage> m) {
    for (ChatMessage& x : m)
        if (x.role == "assistant") x.content = split_reply(x.content).answer;
    return m;
}

}  // namespace

std::optional<std::string> template_string_literal(std::string_view t, size_t& i) {
    if (i >= t.size() || (t[i] != '\'' && t[i] != '"')) return std::nullopt;
    const char quote = t[i];
    std::string out;
    for (size_t k = i + 1; k < t.size(); ++k) {
        if (t[k] == quote) {
            i = k + 1;
            return out;
        }
        if (t[k] != '\\' || k + 1 == t.size()) {
            out += t[k];
            continue;
        }
        const char e = t[++k];
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
    return std::nullopt;
}

std::string template_trim(const std::string& s) {
    const char* ws = " \t\n\r\f\v";
    const size_t b = s.find_first_not_of(ws);
    return b == std::string::npos ? std::string() : s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string template_default_system(std::string_view t, const std::string& date) {
    constexpr std::string_view kName = "default_system_message";
    for (size_t at = t.find(kName); at != t.npos; at = t.find(kName, at + 1)) {
        // `{%- set [prefix]default_system_message = ...`: the name ends there and is being set.
        const size_t set = t.rfind("set ", at);
        size_t i = at + kName.size();
        while (i < t.size() && t[i] == ' ') ++i;
        if (set == t.npos || i >= t.size() || t[i] != '=' ||
            t.substr(set + 4, at - set - 4).find_first_of(" =%}") != t.npos)
            continue;
        std::string text;
        bool term = true;  // a literal or `today` is expected next
        for (++i; i < t.size();) {
            if (t[i] == ' ' || t[i] == '\n') {
                ++i;
            } else if (term && t.substr(i, 5) == "today") {
                if (t.find("today = strftime_now(\"%Y-%m-%d\")") == t.npos) return {};
                text += date;
                i += 5;
                term = false;
            } else if (term) {
                const auto s = template_string_literal(t, i);
                if (!s) return {};
                text += *s;
                term = false;
            } else if (t[i] == '+') {
                ++i;
                term = true;
            } else {
                return t.substr(i, 2) == "%}" || t.substr(i, 3) == "-%}" ? text : std::string();
            }
        }
        return {};
    }
    return {};
}

std::string empty_thinking_block(ChatFormat f) {
    if (f == ChatFormat::Gemma4) return "<|channel>thought\n<channel|>";
    if (f == ChatFormat::Glm45) return "\n<think></think>";
    if (f == ChatFormat::Glm47) return "</think>";
    return f == ChatFormat::NemotronH || f == ChatFormat::Nemotron3 ? "<think></think>"
                                                                    : "<think>\n\n</think>\n\n";
}

std::string opened_thinking(ChatFormat f) {
    return f == ChatFormat::Glm47 ? "<think>" : "<think>\n";
}

bool no_think_marked(const std::vector<ChatMessage>& messages) {
    bool off = false;
    for (const ChatMessage& m : messages) {
        if (m.role == "assistant") continue;
        const size_t on = m.content.rfind("/think"), no = m.content.rfind("/no_think");
        if (on != std::string::npos || no != std::string::npos)  // the later of the two
            off = no != std::string::npos && (on == std::string::npos || no > on);
    }
    return off;
}

const char* thinking_prompt_name(ThinkingPrompt t) {
    switch (t) {
        case ThinkingPrompt::None:
            return "none";
        case ThinkingPrompt::Switch:
            return "switch";
        case ThinkingPrompt::Opened:
            return "opened";
    }
    return "?";
}

DetectedChatFormat detect_chat_format(const std::optional<std::string>& t) {
    DetectedChatFormat d;
    if (!t || t->empty()) {
        d.warning = "the model has no chat template; using plain";
        return d;
    }
    d.recognised = true;
    if (contains(*t, "<|start|>") && contains(*t, "<|channel|>"))
        d.format = ChatFormat::GptOss;
    else if (contains(*t, "<SPECIAL_10>System") && contains(*t, "<SPECIAL_11>Assistant"))
        d.format = ChatFormat::NemotronH;
    else if (contains(*t, "<|start_header_id|>"))
        d.format = ChatFormat::Llama3;
    else if (contains(*t, "<|header_start|>") && contains(*t, "<|header_end|>"))
        d.format = ChatFormat::Llama4;
    else if (contains(*t, "<|developer_start|>") && contains(*t, "<|assistant_start|>"))
        d.format = ChatFormat::Apertus;
    else if (contains(*t, "<|start_of_role|>"))
        d.format = ChatFormat::Granite;
    else if (contains(*t, "[|system|]") && contains(*t, "[|assistant|]") &&
             contains(*t, "[|endofturn|]"))
        d.format = ChatFormat::Exaone3;
    else if (contains(*t, "[gMASK]<sop>") && contains(*t, "<think>"))  // GLM-4.5 and later
        d.format = contains(*t, "'/nothink'") ? ChatFormat::Glm45 : ChatFormat::Glm47;
    else if (contains(*t, "[gMASK]<sop>"))  // before zephyr: GLM-4 has <|user|>, <|assistant|>
        d.format = ChatFormat::Glm4;
    else if (contains(*t, "<seed:bos>"))
        d.format = ChatFormat::SeedOss;
    else if (contains(*t, "<|im_assistant|>assistant<|im_middle|>"))
        d.format = ChatFormat::KimiK2;
    else if (contains(*t, "<|START_OF_TURN_TOKEN|>") && contains(*t, "<|USER_TOKEN|>"))
        d.format = ChatFormat::CommandR;
    else if (contains(*t, "<|extra_0|>") && contains(*t, "<|extra_4|>"))
        d.format = ChatFormat::HunyuanMoe;
    else if (contains(*t, kHunyuanAssistant) && contains(*t, kHunyuanSystemEnd) &&
             !contains(*t, "<｜hy_begin▁of▁sentence｜>"))  // HunyuanVL's is another
        d.format = ChatFormat::HunyuanDense;
    else if (contains(*t, "'Assistant: ' + message['content'] + eos_token"))  // DeepSeek-V2's
        d.format = ChatFormat::DeepSeek2;
    else if (contains(*t, kDeepSeekUser) && contains(*t, kDeepSeekAssistant))
        d.format = ChatFormat::DeepSeek3;
    else if (contains(*t, "<|im_start|>") && contains(*t, "truncate_history_thinking"))
        d.format = ChatFormat::Nemotron3;  // ChatML's markers, replies given back its own way
    else if (contains(*t, "<|im_sep|>"))   // before chatml: Phi-4 has both markers
        d.format = ChatFormat::Phi4;
    else if (contains(*t, "<|im_start|>"))
        d.format = ChatFormat::ChatML;
    else if (contains(*t, "<start_of_turn>"))
        d.format = ChatFormat::Gemma;
    else if (contains(*t, "<|turn>") && contains(*t, "<turn|>"))
        d.format = ChatFormat::Gemma4;
    else if (contains(*t, "<|assistant|>") && contains(*t, "<|end|>"))
        d.format = ChatFormat::Phi3;
    else if (contains(*t, "<|user|>") && contains(*t, "<|assistant|>"))
        d.format = tulu_turns(*t) ? ChatFormat::Tulu : ChatFormat::Zephyr;
    // As llama.cpp tells Mistral's templates apart.
    else if (contains(*t, "[INST]") && contains(*t, "[SYSTEM_PROMPT]"))
        d.format = ChatFormat::MistralV7;
    else if (contains(*t, "[INST]") &&
             (contains(*t, "' [INST] ' + system_message") || contains(*t, "[AVAILABLE_TOOLS]")))
        d.format = contains(*t, " [INST]")      ? ChatFormat::MistralV1
                   : contains(*t, "\"[INST]\"") ? ChatFormat::MistralV3Tekken
                                                : ChatFormat::MistralV3;
    else if (contains(*t, "[INST]") && contains(*t, "<<SYS>>"))
        d.format = ChatFormat::Llama2;
    else if (contains(*t, "[INST]"))
        d.format = ChatFormat::Mistral;
    else {
        d.recognised = false;
        d.warning =
            "the model's chat template is not one of " + chat_format_names() + "; using plain";
    }
    if (d.recognised) {
        // Nemotron's templates open every reply with <think> unless told not to.
        // Gemma 4's reasons when enable_thinking is set (<|think|> in its system turn).
        d.thinking = d.format == ChatFormat::NemotronH || d.format == ChatFormat::Nemotron3
                         ? ThinkingPrompt::Opened
                     : d.format == ChatFormat::Gemma4 || d.format == ChatFormat::Glm45
                         ? ThinkingPrompt::Switch
                     : d.format == ChatFormat::Glm47 ? ThinkingPrompt::Opened
                                                     : detect_thinking(*t);
        if (d.thinking == ThinkingPrompt::Opened && opens_unbroken(*t)) d.opened = "<think>";
        d.default_system = d.format == ChatFormat::Apertus ? apertus_default_system(*t, today())
                                                           : template_default_system(*t, today());
        // Qwen3.5's: every message's text trimmed (render_content(...)|trim).
        d.trims_content = contains(*t, "render_content(message.content, true)|trim");
        if (d.format == ChatFormat::ChatML && d.default_system.empty())
            d.default_system = chatml_default_system(*t);
    }
    return d;
}

std::string checked_reasoning_effort(const std::string& effort, const std::string& what) {
    if (effort != "low" && effort != "medium" && effort != "high")
        fail(what, " \"", effort, "\" is not one of low, medium, high");
    return effort;
}

std::string render_chat(ChatFormat f, const std::vector<ChatMessage>& messages,
                        bool add_generation_prompt, const ChatRenderOptions& options) {
    check_roles(messages);
    // Nemotron 3 gives back what followed an earlier reply's reasoning as it was written.
    std::vector<ChatMessage> m = f == ChatFormat::Nemotron3 ? messages : answers_only(messages);
    if (options.trim_content)
        for (ChatMessage& x : m) x.content = template_trim(x.content);
    std::string out;
    switch (f) {
        case ChatFormat::GptOss:
            return render_harmony(m, add_generation_prompt, options.reasoning_effort);
        case ChatFormat::Llama2:
            return render_inst(m, true);
        case ChatFormat::Mistral:
            return render_inst(m, false);
        case ChatFormat::MistralV1:
        case ChatFormat::MistralV3:
        case ChatFormat::MistralV3Tekken:
            return render_mistral_official(m, f);
        case ChatFormat::MistralV7:
            for (const auto& x : m)
                out += x.role == "system" ? "[SYSTEM_PROMPT] " + x.content + "[/SYSTEM_PROMPT]"
                       : x.role == "user" ? "[INST] " + x.content + "[/INST]"
                                          : " " + x.content + "</s>";
            return out;
        case ChatFormat::ChatML:
            for (const auto& x : m)
                out += "<|im_start|>" + x.role + "\n" + x.content + "<|im_end|>\n";
            if (add_generation_prompt) out += "<|im_start|>assistant\n";
            return out;
        case ChatFormat::Zephyr:
            for (const auto& x : m) out += "<|" + x.role + "|>\n" + x.content + "</s>\n";
            if (add_generation_prompt) out += "<|assistant|>\n";
            return out;
        case ChatFormat::Apertus:
            return render_apertus(m, add_generation_prompt);
        case ChatFormat::Tulu:  // as its template: replies end with the end-of-text token
            for (const auto& x : m) {
                out += "<|" + x.role + "|>\n" + x.content;
                if (x.role != "assistant")
                    out += "\n";
                else
                    out += options.eos_text + (&x == &m.back() ? "" : "\n");
            }
            if (add_generation_prompt) out += "<|assistant|>\n";
            return out;
        case ChatFormat::Llama3:  // <|begin_of_text|> is the BOS the tokenizer adds
            for (const auto& x : m)
                out += "<|start_header_id|>" + x.role + "<|end_header_id|>\n\n" +
                       template_trim(x.content) + "<|eot_id|>";
            if (add_generation_prompt) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
            return out;
        case ChatFormat::Llama4:  // as llama.cpp's llama4: Llama 3's turns, markers renamed
            for (const auto& x : m)
                out += "<|header_start|>" + x.role + "<|header_end|>\n\n" +
                       template_trim(x.content) + "<|eot|>";
            if (add_generation_prompt) out += "<|header_start|>assistant<|header_end|>\n\n";
            return out;
        case ChatFormat::Phi3:
            for (const auto& x : m) out += "<|" + x.role + "|>\n" + x.content + "<|end|>\n";
            if (add_generation_prompt) out += "<|assistant|>\n";
            return out;
        case ChatFormat::Phi4:  // as llama.cpp's phi4: chatml with <|im_sep|>, no line breaks
            for (const auto& x : m)
                out += "<|im_start|>" + x.role + "<|im_sep|>" + x.content + "<|im_end|>";
            if (add_generation_prompt) out += "<|im_start|>assistant<|im_sep|>";
            return out;
        case ChatFormat::DeepSeek2:  // as llama.cpp's deepseek2: "User: " and "Assistant: " turns
            for (const auto& x : m)
                out += x.role == "system" ? x.content + "\n\n"
                       : x.role == "user" ? "User: " + x.content + "\n\n"
                                          : "Assistant: " + x.content + kDeepSeekEnd;
            if (add_generation_prompt) out += "Assistant:";
            return out;
        case ChatFormat::SeedOss:  // as llama.cpp's seed_oss: replies trimmed
            for (const auto& x : m)
                out += "<seed:bos>" + x.role + "\n" +
                       (x.role == "assistant" ? template_trim(x.content) : x.content) +
                       "<seed:eos>";
            if (add_generation_prompt) out += "<seed:bos>assistant\n";
            return out;
        case ChatFormat::CommandR:  // as llama.cpp's command-r: contents trimmed
            for (const auto& x : m)
                out += "<|START_OF_TURN_TOKEN|>" +
                       std::string(x.role == "system" ? "<|SYSTEM_TOKEN|>"
                                   : x.role == "user" ? "<|USER_TOKEN|>"
                                                      : "<|CHATBOT_TOKEN|>") +
                       template_trim(x.content) + "<|END_OF_TURN_TOKEN|>";
            if (add_generation_prompt) out += "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>";
            return out;
        case ChatFormat::HunyuanDense:  // as llama.cpp's hunyuan-dense: a user turn opens the reply
            for (size_t i = 0; i < m.size(); ++i) {
                const ChatMessage& x = m[i];
                if (i == 0 && x.role == "system") out += x.content + kHunyuanSystemEnd;
                if (x.role == "assistant") out += kHunyuanAssistant + x.content + kHunyuanEnd;
                if (x.role == "user") out += kHunyuanUser + x.content + kHunyuanAssistant;
            }
            return out;
        case ChatFormat::HunyuanMoe:  // as llama.cpp's hunyuan-moe: replies unmarked
            for (const auto& x : m)
                out += x.role == "system"      ? "<|startoftext|>" + x.content + "<|extra_4|>"
                       : x.role == "assistant" ? x.content + "<|eos|>"
                                               : "<|startoftext|>" + x.content + "<|extra_0|>";
            return out;
        case ChatFormat::KimiK2:  // as llama.cpp's kimi-k2: each role has a marker of its own
            for (const auto& x : m)
                out +=
                    "<|im_" + x.role + "|>" + x.role + "<|im_middle|>" + x.content + "<|im_end|>";
            if (add_generation_prompt) out += "<|im_assistant|>assistant<|im_middle|>";
            return out;
        case ChatFormat::DeepSeek3:  // as llama.cpp's deepseek3: the system text comes first, bare
            for (const auto& x : m)
                out += x.role == "system" ? x.content
                       : x.role == "user" ? kDeepSeekUser + x.content
                                          : kDeepSeekAssistant + x.content + kDeepSeekEnd;
            if (add_generation_prompt) out += kDeepSeekAssistant;
            return out;
        case ChatFormat::Gemma: {
            // As llama.cpp's gemma: no system turn, its text opens the first user turn; the
            // assistant is "model"; contents trimmed.
            std::string system;
            for (const auto& x : m) {
                if (x.role == "system") {
                    system = template_trim(x.content);
                    continue;
                }
                const bool user = x.role == "user";
                out += std::string("<start_of_turn>") + (user ? "user" : "model") + "\n";
                if (user && !system.empty()) out += system + "\n\n";
                if (user) system.clear();
                out += template_trim(x.content) + "<end_of_turn>\n";
            }
            if (add_generation_prompt) out += "<start_of_turn>model\n";
            return out;
        }
        case ChatFormat::Granite:  // as llama.cpp's granite (Granite 3's template)
            for (const auto& x : m)
                out += "<|start_of_role|>" + x.role + "<|end_of_role|>" + x.content +
                       "<|end_of_text|>\n";
            if (add_generation_prompt) out += "<|start_of_role|>assistant<|end_of_role|>";
            return out;
        case ChatFormat::Exaone3:  // as llama.cpp's exaone3: contents trimmed
            for (const auto& x : m)
                out += x.role == "system"
                           ? "[|system|]" + template_trim(x.content) + "[|endofturn|]\n"
                       : x.role == "user"
                           ? "[|user|]" + template_trim(x.content) + "\n"
                           : "[|assistant|]" + template_trim(x.content) + "[|endofturn|]\n";
            if (add_generation_prompt) out += "[|assistant|]";
            return out;
        case ChatFormat::NemotronH:  // as Nemotron Nano 2's template, without tools
            return render_nemotron_h(m, add_generation_prompt);
        case ChatFormat::Nemotron3:
            return render_nemotron3(m, add_generation_prompt);
        case ChatFormat::Gemma4:
            return render_gemma4(m, add_generation_prompt, options.thinking);
        case ChatFormat::Glm45:
            return render_glm45(m, add_generation_prompt, options.thinking);
        case ChatFormat::Glm47:
            return render_glm47(m, add_generation_prompt);
        case ChatFormat::Glm4:  // as llama.cpp's chatglm4 (the vocabulary has no BOS)
            out = "[gMASK]<sop>";
            for (const auto& x : m) out += "<|" + x.role + "|>\n" + x.content;
            if (add_generation_prompt) out += "<|assistant|>\n";
            return out;
        case ChatFormat::Plain:
            for (size_t i = 0; i < m.size(); ++i) {
                if (m[i].role == "system")
                    out += m[i].content + "\n\n";
                else if (m[i].role == "user")
                    out += "User: " + m[i].content + "\n";
                else  // a reply that begins with a line break (a reply prefix) keeps it
                    out += "Assistant:" + std::string(m[i].content.rfind('\n', 0) == 0 ? "" : " ") +
                           m[i].content + "\n";
            }
            if (add_generation_prompt) out += "Assistant:";
            return out;
    }
    return out;
}

std::string shown_reply_prefix(const std::string& prefix) {
    const size_t lead = prefix.find_first_not_of(" \t\r\n");
    return lead == std::string::npos ? std::string() : prefix.substr(lead);
}

std::vector<ChatMessage> with_reply_prefix(std::vector<ChatMessage> messages,
                                           const std::string& prefix) {
    const std::string shown = shown_reply_prefix(prefix);
    if (shown.empty() || shown == prefix) return messages;
    for (ChatMessage& m : messages)
        if (m.role == "assistant" && m.content.rfind(shown, 0) == 0)
            m.content = prefix + m.content.substr(shown.size());
    return messages;
}

}  // namespace nqkv
