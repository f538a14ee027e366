// Writes the fuzz targets' starting corpora: tiny random models of every family the engine
// reads (tests/tiny_model.h, tiny_deepseek2.h, tiny_gemma4.h, tiny_gemma3n.h, tiny_deci.h), with
// SentencePiece and byte-level BPE vocabularies, into DIR/models, and texts of each kind
// fuzz_text reads into DIR/texts.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/chat_template.h"
#include "engine/error.h"
#include "engine/llama_model.h"
#include "tests/tiny_deci.h"
#include "tests/tiny_deepseek2.h"
#include "tests/tiny_gemma3n.h"
#include "tests/tiny_gemma4.h"
#include "tests/tiny_model.h"
#include "tests/tiny_vision.h"

namespace fs = std::filesystem;
using namespace nqkv;

namespace {

void write_text(const fs::path& dir, int n, char reader, const std::string& text) {
    std::ofstream(dir / ("seed-" + std::to_string(n)), std::ios::binary) << reader << text;
}

struct Family {
    const char* arch;
    int experts;  // 0: dense
    int window;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::puts(
            "usage: fuzz_seeds DIR\nWrites tiny models to DIR/models and texts to DIR/texts.");
        return argc == 2 ? 0 : 1;
    }
    const fs::path dir = argv[1];
    fs::create_directories(dir / "models");
    fs::create_directories(dir / "texts");
    const Family families[] = {
        {"llama", 0, 0},         {"llama", 4, 0},        {"qwen2", 0, 0},
        {"qwen2moe", 4, 0},      {"qwen3", 0, 0},        {"qwen3moe", 4, 0},
        {"phi3", 0, 0},          {"gemma", 0, 0},        {"gemma2", 0, 4},
        {"gemma3", 0, 4},        {"granite", 0, 0},      {"granitemoe", 4, 0},
        {"smollm3", 0, 0},       {"olmo2", 0, 4},        {"glm4", 0, 0},
        {"exaone4", 0, 4},       {"lfm2", 0, 0},         {"lfm2moe", 4, 0},
        {"seed_oss", 0, 0},      {"ernie4_5-moe", 4, 0}, {"qwen2vl", 0, 0},
        {"qwen3vl", 0, 0},       {"nemotron_h", 0, 0},   {"nemotron_h_moe", 4, 0},
        {"granitehybrid", 0, 0}, {"qwen35", 0, 0},       {"qwen35moe", 4, 0},
        {"qwen3next", 4, 0},     {"falcon-h1", 0, 0},    {"command-r", 0, 0},
        {"cohere2", 0, 3},       {"olmoe", 4, 0},        {"hunyuan-dense", 0, 0},
        {"hunyuan-moe", 4, 0},   {"llama4", 4, 0},       {"arcee", 0, 0},
        {"apertus", 0, 0},       {"gpt-oss", 4, 4},      {"deepseek", 4, 0},
        {"dots1", 4, 0},         {"bailingmoe2", 4, 0},  {"internlm2", 0, 0},
        {"minimax-m2", 4, 0},    {"smallthinker", 4, 4},
    };
    int written = 0;
    for (const Family& f : families) {
        test::TinySpec spec;
        spec.arch = f.arch;
        spec.n_embd = 32;
        spec.n_head = 2;
        spec.n_head_kv = 1;
        spec.n_ff = 32;
        spec.n_layer = 3;
        spec.n_ctx = 32;
        spec.n_expert = f.experts;
        spec.n_expert_used = f.experts ? 2 : 0;
        spec.swa_window = f.window;
        spec.matrix_type = written % 3 == 1 ? TensorType::F16 : TensorType::F32;
        spec.bpe_pre = written % 4 == 3 ? "llama-bpe" : "";
        try {
            const std::string path = test::write_tiny_model(spec);
            LlamaModel::load(path);  // only files the engine reads make good seeds
            fs::copy_file(
                path,
                dir / "models" / (std::string(f.arch) + "-" + std::to_string(written) + ".gguf"),
                fs::copy_options::overwrite_existing);
            ++written;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "fuzz_seeds: %s left out: %s\n", f.arch, e.what());
        }
    }
    // One small llama per quantized weight format the tests' writer can write, so that every
    // block decoder meets bytes.
    for (uint32_t id = 0; id < 64; ++id) {
        const TypeTraits* tr = type_traits(id);
        if (!tr || !tr->supported || tr->block_elems == 1) continue;
        test::TinySpec spec;
        spec.n_embd = 256;
        spec.n_head = 2;
        spec.n_head_kv = 1;
        spec.n_ff = 256;
        spec.n_layer = 1;
        spec.n_ctx = 32;
        spec.matrix_type = TensorType(id);
        try {
            fs::copy_file(test::write_tiny_model(spec),
                          dir / "models" / (std::string("llama-") + tr->name + ".gguf"),
                          fs::copy_options::overwrite_existing);
            ++written;
        } catch (const Error&) {  // a format the tests' writer cannot quantize into
        }
    }
    for (const bool legacy : {false, true}) {  // DeepSeek's latent attention, both layouts
        test::TinyDeepSeek2 g;
        g.legacy = legacy;
        fs::copy_file(test::write_tiny_deepseek2(g),
                      dir / "models" / (legacy ? "deepseek2-kv_b.gguf" : "deepseek2.gguf"),
                      fs::copy_options::overwrite_existing);
        ++written;
    }
    fs::copy_file(test::write_tiny_minicpm3(), dir / "models" / "minicpm3.gguf",
                  fs::copy_options::overwrite_existing);
    ++written;
    test::TinyGemma4 g4;  // E2B-like: shared layers, per-layer inputs, widths per layer
    g4.shared_kv = g4.per_layer_inputs = g4.widths_per_layer = true;
    g4.matrix_type = TensorType::F16;
    fs::copy_file(test::write_tiny_gemma4(g4), dir / "models" / "gemma4.gguf",
                  fs::copy_options::overwrite_existing);
    test::TinyGemma3n g3n;
    g3n.matrix_type = TensorType::Q8_0;
    fs::copy_file(test::write_tiny_gemma3n(g3n), dir / "models" / "gemma3n.gguf",
                  fs::copy_options::overwrite_existing);
    test::TinyDeci deci;  // every kind of layer
    deci.matrix_type = TensorType::Q8_0;
    fs::copy_file(test::write_tiny_deci(deci), dir / "models" / "deci.gguf",
                  fs::copy_options::overwrite_existing);
    written += 3;
    for (const TensorType type : {TensorType::F32, TensorType::Q8_0}) {  // Gemma 3's projector
        test::TinyVision v;
        v.matrix_type = type;
        v.n_ff = 64;
        fs::copy_file(test::write_tiny_vision(v),
                      dir / "models" / (std::string("mmproj-") + type_name(type) + ".gguf"),
                      fs::copy_options::overwrite_existing);
        ++written;
    }

    const fs::path texts = dir / "texts";
    int n = 0;
    write_text(texts, n++, 0,
               R"({"format": "nqkv.conversation/1", "title": "Sums", "messages": [{"role": )"
               R"("user", "content": "2+2?"}, {"role": "assistant", "content": "4", )"
               R"("left_out": 2, "trace": {"steps": [0.5, 1e-3, -2]}}], "x": [true, null]})");
    write_text(texts, n++, 0, R"(["\u00e9\ud83d\ude00", 1.5e300, -0, {"a": {"b": []}}])");
    const char* templates[] = {
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
        "{% if add_generation_prompt %}<|im_start|>assistant\n<think>\n{% endif %}",
        "{%- set default_system_message = 'You are ' + \"helpful\" + '.\\n' %}[INST] {{ x }}",
        "{%- set today = strftime_now(\"%Y-%m-%d\") %}{%- set g4_default_system_message = 'Today: '"
        " + today %}<|start_of_role|>",
        "{{ bos_token }}<|start_header_id|>system<|end_header_id|>\n\n{{ enable_thinking }}",
        "<start_of_turn>user\n{{ m.content | trim }}<end_of_turn>\n<start_of_turn>model\n",
    };
    for (const char* t : templates) write_text(texts, n++, 1, t);
    for (const char* s : {"k=nq4,v=nq2", "nq8", "k=lm3,v=int4,block=32", "64M", "1.5GiB", "fp16"})
        write_text(texts, n++, 2, s);
    for (const char* r : {"<think>\nhm</think>\n\n## Step 1: 2 + 2 = 4. The answer is 4.",
                          "<|channel|>analysis<|message|>x<|end|><|start|>assistant<|channel|>"
                          "final<|message|>\\boxed{3.50}",
                          "The answer is $1,200.00."})
        write_text(texts, n++, 3, r);
    write_text(texts, n++, 4,
               std::string("Be brief.") + '\0' + "What is 2+2?" + '\0' + "4" + '\0' +
                   "And 3+3? /no_think");
    for (const char* t : {"Ana has 12 apples. Ünïcode 名字 😀", "<|im_start|>user\n<s> x</s>",
                          "   leading\tand\ntrailing   "})
        write_text(texts, n++, 5, t);
    std::printf("fuzz_seeds: %d models in %s, %d texts in %s\n", written, (dir / "models").c_str(),
                n, texts.c_str());
    return 0;
}
