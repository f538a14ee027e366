// Chat prompt formats: llama-2 [INST], mistral, chatml, zephyr, llama3, deepseek2 (DeepSeek LLM,
// V2 and V2-Lite), deepseek3 (DeepSeek-V3, R1 and the R1 distills), phi3, phi4 (Phi-4's
// <|im_sep|>), gemma, granite (IBM Granite 3), glm4 (GLM-4's [gMASK]<sop>), glm45 and glm47
// (GLM-4.5/4.6's and GLM-4.7's), exaone3, gpt-oss (harmony), nemotron-h (Nemotron Nano 2),
// nemotron3 (Nemotron 3: ChatML, earlier replies its own way), gemma4, seed-oss, kimi-k2 (Kimi
// K2), command-r (Cohere's), hunyuan-dense and hunyuan-moe (Tencent Hunyuan's), llama4 and plain.
// A GGUF's tokenizer.chat_template (Jinja) is recognised by its markers and mapped to one of
// these; anything else falls back to plain with a warning. Special tokens in the rendered text
// (<s>, </s>,
// <|im_start|>, <|eot_id|>, ...) are turned into their ids by Tokenizer::encode_special.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/input_rows.h"

namespace nqkv {

// Mistral: the classic [INST] x [/INST] (system text opening the first instruction);
// MistralV1/V3/V3Tekken/V7: Mistral's official templates as llama.cpp renders them (V3-Tekken:
// Mistral Nemo; V7: Mistral Large 2411 and Small 3, with a system prompt of its own).
enum class ChatFormat {
    Plain,
    Llama2,
    Mistral,
    MistralV1,
    MistralV3,
    MistralV3Tekken,
    MistralV7,
    ChatML,
    Zephyr,
    Llama3,
    DeepSeek2,
    DeepSeek3,
    Phi3,
    Phi4,
    Gemma,
    Granite,
    Glm4,
    Exaone3,
    GptOss,
    NemotronH,
    Nemotron3,
    Gemma4,
    Glm45,
    Glm47,
    SeedOss,
    KimiK2,
    CommandR,
    HunyuanDense,
    HunyuanMoe,
    Llama4,
    Tulu,
    Apertus
};

struct ChatMessage {
    std::string role;  // "system", "user" or "assistant"
    std::string content;
    // Pictures the message shows before its text, as a vision encoder's rows (ChatSession
    // places them; picture_prompt.h).
    std::vector<std::shared_ptr<const InputRows>> pictures = {};
};

// DeepSeek's markers (U+FF5C, a fullwidth vertical line, and U+2581 in UTF-8).
inline const std::string kDeepSeekUser = "<｜User｜>";
inline const std::string kDeepSeekAssistant = "<｜Assistant｜>";
inline const std::string kDeepSeekEnd = "<｜end▁of▁sentence｜>";

// Hunyuan's dense models' markers (U+FF5C and U+2581 as DeepSeek's).
inline const std::string kHunyuanUser = "<｜hy_User｜>";
inline const std::string kHunyuanAssistant = "<｜hy_Assistant｜>";
inline const std::string kHunyuanEnd = "<｜hy_place▁holder▁no▁2｜>";
inline const std::string kHunyuanSystemEnd = "<｜hy_place▁holder▁no▁3｜>";

const char* chat_format_name(ChatFormat f);
// Every format's name, comma-separated, for help texts and messages.
std::string chat_format_names();
// The format with this name (one of chat_format_names()); nullopt otherwise.
std::optional<ChatFormat> parse_chat_format(const std::string& name);

// How a template lets its model reason before the answer (<think>...</think>).
enum class ThinkingPrompt {
    None,    // it says nothing of it: the model opens <think> itself, or never reasons
    Switch,  // enable_thinking (Qwen3, SmolLM3): the model reasons unless told not to
    Opened,  // the reply's prompt opens <think> (QwQ, Qwen3's Thinking-2507, later DeepSeek-R1s)
};
const char* thinking_prompt_name(ThinkingPrompt t);  // "none", "switch", "opened"

struct DetectedChatFormat {
    ChatFormat format = ChatFormat::Plain;
    bool recognised = false;
    std::string warning;  // set when falling back to plain
    ThinkingPrompt thinking = ThinkingPrompt::None;
    // The system message the template writes when the conversation has none (Granite 4.0's,
    // Mistral Small 3's, Devstral's, Ministral 3's reasoning models': template_default_system).
    std::string default_system;
    // The template trims every message's text (Qwen3.5's): ChatRenderOptions::trim_content.
    bool trims_content = false;
    // What opens the reply's reasoning where the template writes it otherwise than
    // opened_thinking(format) (OLMo 3 Think's "<think>" without a line break); else empty.
    std::string opened;
};
DetectedChatFormat detect_chat_format(const std::optional<std::string>& jinja_template);

// The text a template sets as its default system message (`{%- set default_system_message =
// '...' %}`, also under a prefixed name such as Granite 4.0's g4_default_system_message): string
// literals joined by +, and `today` where the template sets it to strftime_now("%Y-%m-%d")
// (then `date`). Empty when there is none or it is built any other way.
std::string template_default_system(std::string_view jinja_template, const std::string& date);

// What a template that can skip the reasoning puts before a reply that skips it: Qwen's
// "<think>\n\n</think>\n\n", Nemotron-H's "<think></think>", Gemma 4's empty thought channel,
// GLM-4.5's "\n<think></think>", GLM-4.7's "</think>".
std::string empty_thinking_block(ChatFormat f);
// What a template that opens the reply's reasoning (ThinkingPrompt::Opened) ends the prompt
// with: "<think>\n", GLM-4.7's "<think>".
std::string opened_thinking(ChatFormat f);
// Nemotron Nano 2's switch in the text: the last "/think" or "/no_think" in a system or user
// message decides whether it reasons (true: "/no_think" came last).
bool no_think_marked(const std::vector<ChatMessage>& messages);

// A Jinja string literal at t[i] ('...' or "..."): its text, escapes read, and i moved past
// it; nullopt when there is none.
std::optional<std::string> template_string_literal(std::string_view t, size_t& i);

// Text without the whitespace around it, as a template's trim filter leaves it.
std::string template_trim(const std::string& s);

// The text that ends an assistant turn in a format (so the model's next "User:" is not shown).
std::vector<std::string> end_of_turn_strings(ChatFormat f);

// What a format may take besides the messages.
struct ChatRenderOptions {
    // gpt-oss: how long it reasons before answering, "low", "medium" or "high" (its system
    // message's "Reasoning:"); other formats have no such setting.
    std::string reasoning_effort = "medium";
    // false: ask for the answer without reasoning first, where the template has a way to
    // (ThinkingPrompt Switch or Opened: an empty <think></think> block opens the reply).
    bool thinking = true;
    // false: no system message where the conversation has none, even where the template
    // would write its default one (DetectedChatFormat::default_system).
    bool default_system = true;
    // Every message's text without leading and trailing whitespace, as the template writes it
    // (DetectedChatFormat::trims_content; a chat session sets it from the model's template).
    bool trim_content = false;
    // The end-of-text token's text, which the Tulu format writes after earlier replies (a chat
    // session sets it from the model's vocabulary).
    std::string eos_text = "<|endoftext|>";
};
// "low", "medium" or "high"; throws Error naming `what` otherwise.
std::string checked_reasoning_effort(const std::string& effort, const std::string& what);

// Renders the conversation; with add_generation_prompt the text ends where the assistant's
// reply begins. Earlier replies are given as their answers, without their reasoning
// (reply_channels.h). Throws Error on an unknown role or a system message out of place.
std::string render_chat(ChatFormat f, const std::vector<ChatMessage>& messages,
                        bool add_generation_prompt, const ChatRenderOptions& options = {});

// A reply prefix (GGUF nqkv.chat.reply_prefix: text after the rendered prompt where the reply
// begins) as the reader sees it at the start of the reply: without its leading whitespace.
std::string shown_reply_prefix(const std::string& prefix);

// The conversation as the model wrote it: an assistant message that begins with the shown
// form of the prefix gets the whole prefix back, so that a past reply is rendered with the
// same text (and tokens) the model read and wrote when it made it.
std::vector<ChatMessage> with_reply_prefix(std::vector<ChatMessage> messages,
                                           const std::string& prefix);

}  // namespace nqkv
