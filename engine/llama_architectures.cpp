// The architectures this engine runs (general.architecture), with the models that use each:
// what `nqkv info` and a refusal of another architecture list.
#include <string>

#include "engine/llama_hparams.h"

namespace nqkv {
namespace {

struct Architecture {
    const char* name;
    const char* models;
};
constexpr Architecture kArchitectures[] = {
    {"llama", "Llama 1/2/3, TinyLlama, Mistral, Mixtral, Falcon 3, llama2.c exports"},
    {"llama4", "Llama 4 Scout, Maverick (text)"},
    {"deci",
     "Llama-3.1-Nemotron-51B, Llama-3.3-Nemotron-Super-49B, Llama-3.1-Nemotron-Ultra-253B "
     "(llama's layers, each its own heads and width)"},
    {"internlm2", "InternLM2, InternLM2.5 (llama's layers)"},
    {"xverse", "XVERSE (llama's layers)"},
    {"qwen2", "Qwen2, Qwen2.5"},
    {"qwen2moe", "Qwen1.5-MoE, Qwen2-MoE (experts beside a gated shared expert)"},
    {"qwen3", "Qwen3"},
    {"qwen3moe", "Qwen3's mixtures of experts"},
    {"phi3", "Phi-3, Phi-3.5, Phi-4"},
    {"gemma", "Gemma"},
    {"gemma2", "Gemma 2"},
    {"gemma3", "Gemma 3"},
    {"granite", "IBM Granite 3"},
    {"granitemoe", "IBM Granite 3's mixtures of experts"},
    {"minicpm", "MiniCPM 1B/2B, MiniCPM4 (Granite's layers)"},
    {"smollm3", "SmolLM3"},
    {"arcee", "Arcee AFM-4.5B (llama's layers, a feed-forward of ReLU squared)"},
    {"apertus", "Apertus (query and key norms, a feed-forward of xIELU)"},
    {"olmo2", "OLMo 2, OLMo 3"},
    {"olmoe", "OLMoE (OLMo's mixture of experts)"},
    {"hunyuan-dense", "Tencent Hunyuan 0.5B, 1.8B, 4B, 7B"},
    {"hunyuan-moe", "Tencent Hunyuan-A13B"},
    {"glm4", "GLM-4, GLM-Z1, GLM-4.1V (text)"},
    {"exaone", "EXAONE 3, 3.5"},
    {"mistral3", "Ministral 3, Devstral Small 2"},
    {"ernie4_5", "ERNIE 4.5's dense models"},
    {"seed_oss", "ByteDance Seed-OSS"},
    {"command-r", "Cohere Command-R, Command R+, Aya 23, Aya Expanse"},
    {"cohere2", "Cohere Command R7B, Command A"},
    {"ernie4_5-moe", "ERNIE 4.5's mixtures of experts (21B-A3B, 300B-A47B)"},
    {"gpt-oss", "gpt-oss"},
    {"smallthinker",
     "SmallThinker-4B-A0.6B, SmallThinker-21B-A3B (experts of ReLU gates routed on each layer's "
     "input)"},
    {"exaone4", "EXAONE 4.0"},
    {"lfm2", "LFM2, LFM2.5"},
    {"lfm2moe", "LFM2's mixtures of experts"},
    {"qwen2vl", "Qwen2-VL, Qwen2.5-VL (text)"},
    {"qwen3vl", "Qwen3-VL (text)"},
    {"qwen3vlmoe", "Qwen3-VL's mixtures of experts (text)"},
    {"granitehybrid", "IBM Granite 4.0-H (Mamba-2 and attention layers)"},
    {"nemotron_h",
     "NVIDIA Nemotron-H, Nemotron Nano 2 (Mamba-2, attention and feed-forward layers)"},
    {"nemotron_h_moe", "NVIDIA Nemotron 3 Nano (Mamba-2, attention and mixture-of-experts layers)"},
    {"qwen35", "Qwen3.5, Qwen3.6 (gated delta net and gated attention layers)"},
    {"qwen35moe", "Qwen3.5's and Qwen3.6's mixtures of experts"},
    {"qwen3next", "Qwen3-Next (gated delta nets, gated attention and experts)"},
    {"falcon-h1", "Falcon-H1 (attention and Mamba-2 side by side in every layer)"},
    {"gemma3n", "Gemma 3n E2B, E4B (text)"},
    {"gemma4", "Gemma 4 (text: E2B, E4B, 31B, 26B-A4B)"},
    {"deepseek", "DeepSeek-MoE 16B, DeepSeek LLM's mixtures of experts (llama's attention)"},
    {"dots1", "rednote dots.llm1 (Qwen3's attention, DeepSeek-V3's experts)"},
    {"bailingmoe2", "Ant Group's Ling 2.0 and Ring 2.0 (dots.llm1's layers, fused QKV)"},
    {"minimax-m2", "MiniMax-M2 (whole-width query and key norms, experts in every layer)"},
    {"deepseek2", "DeepSeek-V2, V2.5, V3, R1, GLM-4.7-Flash, Kimi K2, Moonlight"},
    {"mistral4", "Mistral 4 (DeepSeek's layers)"},
    {"minicpm3", "MiniCPM3 (DeepSeek's latent attention with MiniCPM's multipliers)"},
    {"glm4moe", "GLM-4.5, GLM-4.5-Air, GLM-4.6, GLM-4.7"},
};

}  // namespace

bool supported_architecture(const std::string& arch) {
    for (const auto& a : kArchitectures)
        if (arch == a.name) return true;
    return false;
}

std::string supported_architectures() {
    std::string s;
    for (const auto& a : kArchitectures)
        s += (s.empty() ? "" : "; ") + std::string(a.name) + " for " + a.models;
    return s;
}

}  // namespace nqkv
