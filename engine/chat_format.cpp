// The chat formats' names and the text that ends an assistant's turn in each.
#include "engine/chat_template.h"

namespace nqkv {
namespace {

constexpr ChatFormat kFormats[] = {
    ChatFormat::Plain,        ChatFormat::Llama2,     ChatFormat::Mistral,
    ChatFormat::MistralV1,    ChatFormat::MistralV3,  ChatFormat::MistralV3Tekken,
    ChatFormat::MistralV7,    ChatFormat::ChatML,     ChatFormat::Zephyr,
    ChatFormat::Llama3,       ChatFormat::DeepSeek2,  ChatFormat::DeepSeek3,
    ChatFormat::Phi3,         ChatFormat::Phi4,       ChatFormat::Gemma,
    ChatFormat::Granite,      ChatFormat::Glm4,       ChatFormat::Exaone3,
    ChatFormat::GptOss,       ChatFormat::NemotronH,  ChatFormat::Nemotron3,
    ChatFormat::Gemma4,       ChatFormat::Glm45,      ChatFormat::Glm47,
    ChatFormat::SeedOss,      ChatFormat::KimiK2,     ChatFormat::CommandR,
    ChatFormat::HunyuanDense, ChatFormat::HunyuanMoe, ChatFormat::Llama4,
    ChatFormat::Tulu,         ChatFormat::Apertus};

}  // namespace

const char* chat_format_name(ChatFormat f) {
    switch (f) {
        case ChatFormat::Plain:
            return "plain";
        case ChatFormat::Llama2:
            return "llama2";
        case ChatFormat::Mistral:
            return "mistral";
        case ChatFormat::MistralV1:
            return "mistral-v1";
        case ChatFormat::MistralV3:
            return "mistral-v3";
        case ChatFormat::MistralV3Tekken:
            return "mistral-v3-tekken";
        case ChatFormat::MistralV7:
            return "mistral-v7";
        case ChatFormat::ChatML:
            return "chatml";
        case ChatFormat::Zephyr:
            return "zephyr";
        case ChatFormat::Llama3:
            return "llama3";
        case ChatFormat::DeepSeek2:
            return "deepseek2";
        case ChatFormat::DeepSeek3:
            return "deepseek3";
        case ChatFormat::Phi3:
            return "phi3";
        case ChatFormat::Phi4:
            return "phi4";
        case ChatFormat::Gemma:
            return "gemma";
        case ChatFormat::Gemma4:
            return "gemma4";
        case ChatFormat::Glm45:
            return "glm45";
        case ChatFormat::Glm47:
            return "glm47";
        case ChatFormat::SeedOss:
            return "seed-oss";
        case ChatFormat::KimiK2:
            return "kimi-k2";
        case ChatFormat::CommandR:
            return "command-r";
        case ChatFormat::HunyuanDense:
            return "hunyuan-dense";
        case ChatFormat::HunyuanMoe:
            return "hunyuan-moe";
        case ChatFormat::Llama4:
            return "llama4";
        case ChatFormat::Tulu:
            return "tulu";
        case ChatFormat::Apertus:
            return "apertus";
        case ChatFormat::Granite:
            return "granite";
        case ChatFormat::Glm4:
            return "glm4";
        case ChatFormat::Exaone3:
            return "exaone3";
        case ChatFormat::GptOss:
            return "gpt-oss";
        case ChatFormat::NemotronH:
            return "nemotron-h";
        case ChatFormat::Nemotron3:
            return "nemotron3";
    }
    return "?";
}

std::string chat_format_names() {
    std::string s;
    for (ChatFormat f : kFormats) s += (s.empty() ? "" : ", ") + std::string(chat_format_name(f));
    return s;
}

std::optional<ChatFormat> parse_chat_format(const std::string& name) {
    for (ChatFormat f : kFormats)
        if (name == chat_format_name(f)) return f;
    return std::nullopt;
}

std::vector<std::string> end_of_turn_strings(ChatFormat f) {
    switch (f) {
        case ChatFormat::Plain:
            return {"\nUser:"};
        case ChatFormat::Llama2:
        case ChatFormat::Mistral:
        case ChatFormat::MistralV1:
        case ChatFormat::MistralV3:
        case ChatFormat::MistralV3Tekken:
        case ChatFormat::MistralV7:
            return {"[INST]"};
        case ChatFormat::ChatML:
        case ChatFormat::Nemotron3:
            return {"<|im_end|>", "<|im_start|>"};
        case ChatFormat::Zephyr:
            return {"</s>", "<|user|>"};
        case ChatFormat::Tulu:
            return {"<|endoftext|>", "<|end_of_text|>", "<|user|>"};
        case ChatFormat::Apertus:
            return {"<|assistant_end|>", "<|user_start|>"};
        case ChatFormat::Llama3:
            return {"<|eot_id|>", "<|start_header_id|>"};
        case ChatFormat::Phi3:
            return {"<|end|>", "<|user|>"};
        case ChatFormat::Phi4:
            return {"<|im_end|>", "<|im_start|>"};
        case ChatFormat::DeepSeek2:
            return {kDeepSeekEnd, "\n\nUser:"};
        case ChatFormat::DeepSeek3:
            return {kDeepSeekUser, kDeepSeekEnd};
        case ChatFormat::Gemma:
            return {"<end_of_turn>", "<start_of_turn>"};
        case ChatFormat::Gemma4:  // <turn|> ends a reply as a token
            return {"<|turn>user"};
        case ChatFormat::Granite:
            return {"<|end_of_text|>", "<|start_of_role|>"};
        case ChatFormat::Glm4:
        case ChatFormat::Glm45:
        case ChatFormat::Glm47:
            return {"<|user|>", "<|observation|>"};
        case ChatFormat::Exaone3:
            return {"[|endofturn|]", "[|user|]"};
        case ChatFormat::GptOss:  // <|return|> and <|call|> end a reply as tokens
            return {"<|start|>user"};
        case ChatFormat::NemotronH:  // <SPECIAL_12> ends a reply as a token
            return {"<SPECIAL_11>User"};
        case ChatFormat::SeedOss:
            return {"<seed:eos>", "<seed:bos>user"};
        case ChatFormat::KimiK2:
            return {"<|im_end|>", "<|im_user|>"};
        case ChatFormat::CommandR:
            return {"<|END_OF_TURN_TOKEN|>", "<|START_OF_TURN_TOKEN|><|USER_TOKEN|>"};
        case ChatFormat::HunyuanDense:
            return {kHunyuanEnd, kHunyuanUser};
        case ChatFormat::HunyuanMoe:
            return {"<|eos|>", "<|startoftext|>"};
        case ChatFormat::Llama4:
            return {"<|eot|>", "<|header_start|>"};
    }
    return {};
}

}  // namespace nqkv
