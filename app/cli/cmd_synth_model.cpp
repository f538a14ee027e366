// `nqkv synth-model`: writes a llama model of a chosen shape with random weights (F16 or one of
// the formats the engine's simple quantizers write), using the project's GGUF writer and the
// tokenizer of an existing model. Benchmarks use it to get a
// model of a given size (about 1B parameters by default) on a machine with nothing downloaded.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/common/bundled_models.h"
#include "engine/error.h"
#include "engine/ggml_types.h"
#include "engine/gguf_file.h"
#include "engine/gguf_writer.h"
#include "engine/quant_blocks.h"

namespace nqkv::cli {
namespace {

// A fast, seeded generator: N(0,1) approximated by a sum of four uniforms (the values only
// need a realistic spread; 2e9 of them must be quick).
struct FastNormal {
    uint64_t s;
    float operator()() {
        float sum = 0;
        for (int k = 0; k < 4; ++k) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            sum += float(s >> 40) * (1.0f / 16777216.0f);
        }
        return (sum - 2.0f) * 1.7320508f;  // variance of the sum is 4/12
    }
};

}  // namespace

int cmd_synth_model(int argc, char** argv) {
    Args a("nqkv synth-model",
           "nqkv synth-model -o OUT.gguf [--dim 2048] [--layers 22] [--ff 5632] [--heads 32] "
           "[--kv-heads 4] [--ctx 32768] [--type F16]",
           "Writes a llama-architecture GGUF with random weights of the given shape (by\n"
           "default about 1B parameters, TinyLlama's layout) and the tokenizer of --tokenizer\n"
           "(default: the bundled policy). For benchmarks: the numbers it produces are speed,\n"
           "not text.");
    a.option("-o,--output", "FILE", "where to write the model");
    a.option("--dim", "N", "embedding width (default 2048)");
    a.option("--layers", "N", "transformer blocks (default 22)");
    a.option("--ff", "N", "feed-forward width (default 5632)");
    a.option("--heads", "N", "attention heads (default 32)");
    a.option("--kv-heads", "N", "key/value heads (default 4)");
    a.option("--ctx", "N", "training context written into the file (default 32768)");
    a.option("--tokenizer", "MODEL", "GGUF whose tokenizer is copied (default: bundled policy)");
    a.option("--seed", "S", "random seed (default 1)");
    a.option(
        "--type", "TYPE",
        "matrix format: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K, IQ4_NL, IQ4_XS, MXFP4, IQ1_S, "
        "IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, TQ1_0, TQ2_0, Q1_0 or Q2_0 (default F16; "
        "quantized by simple rounding, not llama-quantize's search)");
    if (!a.parse(argc, argv)) return 0;

    const std::string out = a.require("--output");
    const int d = a.get_int("--dim", 2048, 32, 65536), layers = a.get_int("--layers", 22, 1, 1024);
    const int ff = a.get_int("--ff", 5632, 32, 1 << 20), heads = a.get_int("--heads", 32, 1, 1024);
    const int kv_heads = a.get_int("--kv-heads", 4, 1, heads),
              ctx = a.get_int("--ctx", 32768, 16, 1 << 22);
    if (d % heads) fail("--dim ", d, " is not a multiple of --heads ", heads);
    if (heads % kv_heads) fail("--heads ", heads, " is not a multiple of --kv-heads ", kv_heads);
    const std::string type_name = a.get("--type").value_or("F16");
    const TensorType writable[] = {TensorType::F32,     TensorType::F16,    TensorType::BF16,
                                   TensorType::Q8_0,    TensorType::Q4_0,   TensorType::Q4_K,
                                   TensorType::Q6_K,    TensorType::IQ4_NL, TensorType::IQ4_XS,
                                   TensorType::MXFP4,   TensorType::IQ1_S,  TensorType::IQ1_M,
                                   TensorType::IQ2_XXS, TensorType::IQ2_XS, TensorType::IQ2_S,
                                   TensorType::IQ3_XXS, TensorType::IQ3_S,  TensorType::TQ1_0,
                                   TensorType::TQ2_0,   TensorType::Q1_0,   TensorType::Q2_0};
    const auto* found = std::find_if(std::begin(writable), std::end(writable),
                                     [&](TensorType t) { return type_name == nqkv::type_name(t); });
    if (found == std::end(writable)) {
        std::string names;
        for (TensorType t : writable)
            names += (names.empty() ? "" : ", ") + std::string(nqkv::type_name(t));
        fail("--type \"", type_name, "\" is not one of ", names);
    }
    const TensorType type = *found;
    const int64_t block = int64_t(type_traits(uint32_t(type))->block_elems);
    if (d % block || ff % block)
        fail("--type ", type_name, " stores rows in blocks of ", block, ": --dim ", d, " and --ff ",
             ff, " must be multiples of it");
    const GgufFile tok =
        GgufFile::open(app::model_or_bundled(a.get("--tokenizer"), "policy.gguf", "--tokenizer"));

    GgufWriter w;
    for (const auto& [key, value] : tok.metadata())
        if (key.rfind("tokenizer.", 0) == 0) w.set(key, value);
    const GgufValue* tokens = tok.find("tokenizer.ggml.tokens");
    if (!tokens || !tokens->as_array()) fail(tok.path(), ": no tokenizer.ggml.tokens to copy");
    const int vocab = int(tokens->as_array()->size());
    w.set("general.architecture", GgufValue::str("llama"));
    w.set("general.name",
          GgufValue::str("nqkv-synth-" + std::to_string(d) + "x" + std::to_string(layers)));
    w.set("llama.context_length", GgufValue::u32(uint32_t(ctx)));
    w.set("llama.embedding_length", GgufValue::u32(uint32_t(d)));
    w.set("llama.block_count", GgufValue::u32(uint32_t(layers)));
    w.set("llama.feed_forward_length", GgufValue::u32(uint32_t(ff)));
    w.set("llama.attention.head_count", GgufValue::u32(uint32_t(heads)));
    w.set("llama.attention.head_count_kv", GgufValue::u32(uint32_t(kv_heads)));
    w.set("llama.attention.layer_norm_rms_epsilon", GgufValue::f32(1e-5f));
    w.set("llama.rope.freq_base", GgufValue::f32(10000.f));

    FastNormal rng{uint64_t(a.get_u64("--seed", 1)) * 0x9E3779B97F4A7C15ull | 1};
    uint64_t params = 0;
    const auto matrix = [&](const std::string& name, int rows, int cols) {
        std::vector<float> values(size_t(rows) * size_t(cols));
        const float gain = 1.0f / std::sqrt(float(cols));
        for (float& v : values) v = rng() * gain;
        w.add_tensor(name, type, {uint64_t(cols), uint64_t(rows)},
                     quantize_values(values.data(), int64_t(values.size()), type));
        params += uint64_t(rows) * uint64_t(cols);
    };
    const auto ones = [&](const std::string& name) {
        w.add_f32(name, {uint64_t(d)}, std::vector<float>(size_t(d), 1.0f));
        params += uint64_t(d);
    };
    const int kv = kv_heads * (d / heads);
    matrix("token_embd.weight", vocab, d);
    for (int l = 0; l < layers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        ones(p + "attn_norm.weight");
        matrix(p + "attn_q.weight", d, d);
        matrix(p + "attn_k.weight", kv, d);
        matrix(p + "attn_v.weight", kv, d);
        matrix(p + "attn_output.weight", d, d);
        ones(p + "ffn_norm.weight");
        matrix(p + "ffn_gate.weight", ff, d);
        matrix(p + "ffn_up.weight", ff, d);
        matrix(p + "ffn_down.weight", d, ff);
        std::fprintf(stderr, "\rlayer %d/%d", l + 1, layers);
    }
    ones("output_norm.weight");
    matrix("output.weight", vocab, d);
    std::fprintf(stderr, "\rwriting %s\n", out.c_str());
    w.write(out);
    std::printf("%s: %.3gB parameters (%d x %d, ff %d, %d/%d heads, vocab %d), %s\n", out.c_str(),
                double(params) / 1e9, layers, d, ff, heads, kv_heads, vocab, type_name.c_str());
    return 0;
}

}  // namespace nqkv::cli
