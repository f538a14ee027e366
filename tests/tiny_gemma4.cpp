#include "tests/tiny_gemma4.h"

#include <cmath>
#include <vector>

#include "engine/gguf_writer.h"
#include "engine/quant_blocks.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

std::string write_tiny_gemma4(const TinyGemma4& g) {
    constexpr int D = 64, L = 6, H = 4, FF = 48, FFE = 24, NE = 6, PL = 8;
    constexpr int HDS = 16, KVS = 4, HDF = 32, KVF = 1;
    const bool swa[L] = {true, false, true, false, true, false};
    const int shared = g.shared_kv ? 2 : 0;
    GgufWriter w;
    const std::string P = set_tiny_header(w, "gemma4", D, L);
    std::vector<int> widths;
    for (int l = 0; l < L; ++l)
        widths.push_back(g.widths_per_layer && l >= L - shared ? 2 * FF : FF);
    if (g.widths_per_layer) {
        std::vector<GgufValue> v;
        for (int x : widths) v.push_back(GgufValue::u32(uint32_t(x)));
        w.set(P + "feed_forward_length", GgufValue::array(GgufType::U32, v));
    } else {
        w.set(P + "feed_forward_length", GgufValue::u32(FF));
    }
    w.set(P + "attention.head_count", GgufValue::u32(H));
    std::vector<GgufValue> kv_heads, pattern;
    for (bool s : swa) {
        kv_heads.push_back(GgufValue::u32(s ? KVS : KVF));
        pattern.push_back(GgufValue::boolean(s));
    }
    w.set(P + "attention.head_count_kv", GgufValue::array(GgufType::U32, kv_heads));
    w.set(P + "attention.sliding_window_pattern", GgufValue::array(GgufType::BOOL, pattern));
    w.set(P + "attention.key_length", GgufValue::u32(HDF));
    w.set(P + "attention.value_length", GgufValue::u32(HDF));
    w.set(P + "attention.key_length_swa", GgufValue::u32(HDS));
    w.set(P + "attention.value_length_swa", GgufValue::u32(HDS));
    w.set(P + "attention.sliding_window", GgufValue::u32(uint32_t(g.window)));
    w.set(P + "attention.shared_kv_layers", GgufValue::u32(uint32_t(shared)));
    w.set(P + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-6f));
    w.set(P + "rope.freq_base", GgufValue::f32(1e6f));
    w.set(P + "rope.freq_base_swa", GgufValue::f32(1e4f));
    w.set(P + "rope.dimension_count", GgufValue::u32(HDF));
    w.set(P + "rope.dimension_count_swa", GgufValue::u32(HDS));
    w.set(P + "embedding_length_per_layer_input", GgufValue::u32(g.per_layer_inputs ? PL : 0));
    w.set(P + "final_logit_softcapping", GgufValue::f32(6.f));  // small, so that tanh bends
    if (g.experts) {
        w.set(P + "expert_count", GgufValue::u32(NE));
        w.set(P + "expert_used_count", GgufValue::u32(2));
        w.set(P + "expert_feed_forward_length", GgufValue::u32(FFE));
    }
    const int n_vocab = set_tiny_vocab(w);

    RandomTensors rt(g.seed);
    const auto random = [&](size_t n, float gain) { return rt.normal(n, gain); };
    const auto matrix = [&](const std::string& name, int rows, int cols, float gain) {
        const auto v = random(size_t(rows) * size_t(cols), gain / std::sqrt(float(cols)));
        w.add_tensor(name, g.matrix_type, {uint64_t(cols), uint64_t(rows)},
                     quantize_values(v.data(), int64_t(v.size()), g.matrix_type));
    };
    const auto experts = [&](const std::string& name, int rows, int cols, float gain) {
        const auto v =
            random(size_t(NE) * size_t(rows) * size_t(cols), gain / std::sqrt(float(cols)));
        w.add_tensor(name, g.matrix_type, {uint64_t(cols), uint64_t(rows), uint64_t(NE)},
                     quantize_values(v.data(), int64_t(v.size()), g.matrix_type));
    };
    // Norm weights around `scale`: the query and key norms' small, so that scores stay soft.
    const auto norm = [&](const std::string& name, int n, float scale = 1.f) {
        w.add_f32(name, {uint64_t(n)}, rt.norm(n, scale));
    };
    matrix("token_embd.weight", n_vocab, D, 1.f);
    if (g.per_layer_inputs) {
        matrix("per_layer_token_embd.weight", n_vocab, PL * L, std::sqrt(float(PL * L)) * 0.5f);
        matrix("per_layer_model_proj.weight", PL * L, D, 1.f);
        norm("per_layer_proj_norm.weight", PL);
    }
    std::vector<float> factors(HDF / 2, 1e30f);  // proportional RoPE: a quarter of pairs turn
    std::fill(factors.begin(), factors.begin() + HDF / 8, 1.f);
    w.add_f32("rope_freqs.weight", {uint64_t(factors.size())}, factors);
    for (int l = 0; l < L; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        const int hd = swa[l] ? HDS : HDF, kv = (swa[l] ? KVS : KVF) * hd;
        norm(p + "attn_norm.weight", D);
        matrix(p + "attn_q.weight", H * hd, D, 1.5f);
        if (l < L - shared) {  // the shared layers read another layer's keys and values
            matrix(p + "attn_k.weight", kv, D, 1.5f);
            if (swa[l] || !g.keys_as_values) matrix(p + "attn_v.weight", kv, D, 1.5f);
            norm(p + "attn_k_norm.weight", hd, 0.35f);
        }
        norm(p + "attn_q_norm.weight", hd, 0.35f);
        matrix(p + "attn_output.weight", D, H * hd, 2.f);
        norm(p + "post_attention_norm.weight", D);
        norm(p + "ffn_norm.weight", D);
        const int ff = widths[size_t(l)];
        matrix(p + "ffn_gate.weight", ff, D, 1.5f);
        matrix(p + "ffn_up.weight", ff, D, 1.5f);
        matrix(p + "ffn_down.weight", D, ff, 2.f);
        norm(p + "post_ffw_norm.weight", D);
        if (g.experts) {
            w.add_f32(p + "ffn_gate_inp.weight", {D, NE}, random(size_t(NE) * D, 3.f / 8.f));
            norm(p + "ffn_gate_inp.scale", D);
            norm(p + "pre_ffw_norm_2.weight", D);
            norm(p + "post_ffw_norm_1.weight", D);
            norm(p + "post_ffw_norm_2.weight", D);
            experts(p + "ffn_gate_exps.weight", FFE, D, 1.5f);
            experts(p + "ffn_up_exps.weight", FFE, D, 1.5f);
            experts(p + "ffn_down_exps.weight", D, FFE, 2.f);
            norm(p + "ffn_down_exps.scale", NE);
        }
        if (g.per_layer_inputs) {
            matrix(p + "inp_gate.weight", PL, D, 1.5f);
            matrix(p + "proj.weight", D, PL, 1.5f);
            norm(p + "post_norm.weight", D);
        }
        norm(p + "layer_output_scale.weight", 1, 0.7f);
    }
    norm("output_norm.weight", D);
    matrix("output.weight", n_vocab, D, 3.f);
    const std::string path = temp_dir() + "/tiny-gemma4.gguf";
    w.write(path);
    return path;
}

}  // namespace nqkv::test
