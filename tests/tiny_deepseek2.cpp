#include "tests/tiny_deepseek2.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "engine/gguf_writer.h"
#include "engine/half.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

std::string write_tiny_deepseek2(const TinyDeepSeek2& g) {
    constexpr int D = 64, L = 3, H = 4, FF = 48, FFE = 16, NE = 8;
    constexpr int RANK = 32, ROPE = 16, NOPE = 16, VD = 24, QR = 24;
    constexpr int GLM_KV = 2, GLM_HD = 24, GLM_ROT = 12;
    GgufWriter w;
    const std::string arch = g.glm4moe    ? "glm4moe"
                             : g.mistral4 ? "mistral4"
                                          : "deepseek2",
                      P = arch + ".";
    w.set("general.architecture", GgufValue::str(arch));
    w.set("general.name", GgufValue::str("tiny-deepseek2"));
    w.set(P + "context_length", GgufValue::u32(128));
    w.set(P + "embedding_length", GgufValue::u32(D));
    w.set(P + "block_count", GgufValue::u32(L + (g.nextn ? 1 : 0)));
    if (g.nextn) w.set(P + "nextn_predict_layers", GgufValue::u32(1));
    w.set(P + "feed_forward_length", GgufValue::u32(FF));
    w.set(P + "attention.head_count", GgufValue::u32(H));
    if (g.glm4moe) {
        w.set(P + "attention.head_count_kv", GgufValue::u32(GLM_KV));
        w.set(P + "attention.key_length", GgufValue::u32(GLM_HD));
        w.set(P + "attention.value_length", GgufValue::u32(GLM_HD));
    } else {
        w.set(P + "attention.head_count_kv", GgufValue::u32(g.legacy ? H : 1));
        w.set(P + "attention.key_length", GgufValue::u32(g.legacy ? NOPE + ROPE : RANK + ROPE));
        w.set(P + "attention.value_length", GgufValue::u32(g.legacy ? VD : RANK));
    }
    if (!g.legacy && !g.glm4moe) {
        w.set(P + "attention.key_length_mla", GgufValue::u32(NOPE + ROPE));
        w.set(P + "attention.value_length_mla", GgufValue::u32(VD));
    }
    if (!g.glm4moe) {
        w.set(P + "attention.kv_lora_rank", GgufValue::u32(RANK));
        w.set(P + "attention.q_lora_rank", GgufValue::u32(g.q_lora ? QR : 0));
    }
    w.set(P + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-6f));
    w.set(P + "rope.freq_base", GgufValue::f32(1e4f));
    w.set(P + "rope.dimension_count", GgufValue::u32(g.glm4moe ? GLM_ROT : ROPE));
    w.set(P + "leading_dense_block_count", GgufValue::u32(g.experts ? 1 : L));
    w.set(P + "expert_feed_forward_length", GgufValue::u32(FFE));
    w.set(P + "expert_shared_count", GgufValue::u32(g.experts ? 1 : 0));
    if (g.experts) {
        w.set(P + "expert_count", GgufValue::u32(NE));
        w.set(P + "expert_used_count", GgufValue::u32(2));
    }
    if (g.v3_routing) {
        w.set(P + "expert_gating_func", GgufValue::u32(2));
        w.set(P + "expert_weights_norm", GgufValue::boolean(true));
        w.set(P + "expert_weights_scale", GgufValue::f32(2.5f));
        w.set(P + "expert_group_count", GgufValue::u32(4));
        w.set(P + "expert_group_used_count", GgufValue::u32(2));
    }
    if (g.yarn) {
        w.set(P + "rope.scaling.type", GgufValue::str("yarn"));
        w.set(P + "rope.scaling.factor", GgufValue::f32(4.f));
        w.set(P + "rope.scaling.original_context_length", GgufValue::u32(32));
        w.set(P + "rope.scaling.yarn_log_multiplier", GgufValue::f32(0.0707f));
    }
    if (g.temperature > 0) {
        w.set(P + "attention.temperature_scale", GgufValue::f32(g.temperature));
        w.set(P + "attention.temperature_length", GgufValue::u32(4));
    }
    const int n_vocab = set_tiny_vocab(w);

    RandomTensors rt(g.seed);
    const auto random = [&](size_t n, float gain) { return rt.normal(n, gain); };
    // rows x cols (n of them: a 3-D tensor), gain / sqrt(cols) apart.
    const auto matrix = [&](const std::string& name, int rows, int cols, float gain, int n = 1) {
        const auto v = random(size_t(n) * size_t(rows) * size_t(cols), gain / std::sqrt(cols));
        if (n == 1)
            w.add_f32(name, {uint64_t(cols), uint64_t(rows)}, v);
        else
            w.add_f32(name, {uint64_t(cols), uint64_t(rows), uint64_t(n)}, v);
    };
    const auto norm = [&](const std::string& name, int n, float scale = 1.f) {
        w.add_f32(name, {uint64_t(n)}, rt.norm(n, scale));
    };
    matrix("token_embd.weight", n_vocab, D, 1.f);
    for (int l = 0; l < L; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        norm(p + "attn_norm.weight", D);
        if (g.glm4moe) {
            matrix(p + "attn_q.weight", H * GLM_HD, D, 1.5f);
            matrix(p + "attn_k.weight", GLM_KV * GLM_HD, D, 1.5f);
            matrix(p + "attn_v.weight", GLM_KV * GLM_HD, D, 1.5f);
            w.add_f32(p + "attn_q.bias", {H * GLM_HD}, random(H * GLM_HD, 0.3f));
            w.add_f32(p + "attn_k.bias", {GLM_KV * GLM_HD}, random(GLM_KV * GLM_HD, 0.3f));
            w.add_f32(p + "attn_v.bias", {GLM_KV * GLM_HD}, random(GLM_KV * GLM_HD, 0.3f));
            norm(p + "attn_q_norm.weight", GLM_HD, 0.4f);
            norm(p + "attn_k_norm.weight", GLM_HD, 0.4f);
            matrix(p + "attn_output.weight", D, H * GLM_HD, 2.f);
        } else if (g.q_lora) {
            matrix(p + "attn_q_a.weight", QR, D, 1.5f);
            norm(p + "attn_q_a_norm.weight", QR);
            matrix(p + "attn_q_b.weight", H * (NOPE + ROPE), QR, 1.5f);
        } else {
            matrix(p + "attn_q.weight", H * (NOPE + ROPE), D, 1.5f);
        }
        matrix(p + "attn_kv_a_mqa.weight", RANK + ROPE, D, 1.5f);
        norm(p + "attn_kv_a_norm.weight", RANK);
        if (!g.glm4moe) {  // attn_k_b and attn_v_b, or an older file's attn_kv_b of them
            const auto k_b = random(size_t(H) * RANK * NOPE, 1.5f / std::sqrt(NOPE));
            const auto v_b = random(size_t(H) * VD * RANK, 1.5f / std::sqrt(RANK));
            const auto put = [&](const std::string& name, std::vector<uint64_t> dims,
                                 const std::vector<float>& v) {
                if (!g.f16_latent) return w.add_f32(name, std::move(dims), v);
                std::vector<uint8_t> bytes(v.size() * 2);
                for (size_t i = 0; i < v.size(); ++i) {
                    const uint16_t half = fp32_to_fp16(v[i]);
                    std::memcpy(&bytes[2 * i], &half, 2);
                }
                w.add_tensor(name, TensorType::F16, std::move(dims), std::move(bytes));
            };
            if (g.legacy) {  // joined as older converters joined them
                std::vector<float> kv_b;
                for (int h = 0; h < H; ++h) {
                    for (int c = 0; c < NOPE; ++c)  // each unrotated key dim's row: transposed
                        for (int r = 0; r < RANK; ++r)
                            kv_b.push_back(k_b[(size_t(h) * RANK + size_t(r)) * NOPE + size_t(c)]);
                    kv_b.insert(kv_b.end(), v_b.begin() + ptrdiff_t(h) * VD * RANK,
                                v_b.begin() + ptrdiff_t(h + 1) * VD * RANK);
                }
                put(p + "attn_kv_b.weight", {RANK, uint64_t(H) * (NOPE + VD)}, kv_b);
            } else {
                put(p + "attn_k_b.weight", {NOPE, RANK, H}, k_b);
                put(p + "attn_v_b.weight", {RANK, VD, H}, v_b);
            }
        }
        if (!g.glm4moe) matrix(p + "attn_output.weight", D, H * VD, 2.f);
        norm(p + (g.glm4moe ? "post_attention_norm.weight" : "ffn_norm.weight"), D);
        if (l == 0 || !g.experts) {
            matrix(p + "ffn_gate.weight", FF, D, 1.5f);
            matrix(p + "ffn_up.weight", FF, D, 1.5f);
            matrix(p + "ffn_down.weight", D, FF, 2.f);
            continue;
        }
        matrix(p + "ffn_gate_inp.weight", NE, D, 3.f);
        if (g.v3_routing || g.glm4moe) w.add_f32(p + "exp_probs_b.bias", {NE}, random(NE, 0.3f));
        matrix(p + "ffn_gate_exps.weight", FFE, D, 1.5f, NE);
        matrix(p + "ffn_up_exps.weight", FFE, D, 1.5f, NE);
        matrix(p + "ffn_down_exps.weight", D, FFE, 2.f, NE);
        matrix(p + "ffn_gate_shexp.weight", FFE, D, 1.5f);
        matrix(p + "ffn_up_shexp.weight", FFE, D, 1.5f);
        matrix(p + "ffn_down_shexp.weight", D, FFE, 2.f);
    }
    norm("output_norm.weight", D);
    matrix("output.weight", n_vocab, D, 3.f);
    const std::string path = temp_dir() + "/tiny-" + arch + ".gguf";
    w.write(path);
    return path;
}

std::string write_tiny_minicpm3(uint64_t seed) {
    constexpr int D = 64, L = 3, H = 4, FF = 48, RANK = 32, ROPE = 16, NOPE = 16, QR = 24;
    constexpr int VD = D / H;  // no value_length: llama.cpp's default, as MiniCPM3's files have
    GgufWriter w;
    const std::string P = "minicpm3.";
    w.set("general.architecture", GgufValue::str("minicpm3"));
    w.set("general.name", GgufValue::str("tiny-minicpm3"));
    w.set(P + "context_length", GgufValue::u32(128));
    w.set(P + "embedding_length", GgufValue::u32(D));
    w.set(P + "block_count", GgufValue::u32(L));
    w.set(P + "feed_forward_length", GgufValue::u32(FF));
    w.set(P + "attention.head_count", GgufValue::u32(H));
    w.set(P + "attention.head_count_kv", GgufValue::u32(H));
    w.set(P + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-5f));
    w.set(P + "attention.q_lora_rank", GgufValue::u32(QR));
    w.set(P + "attention.kv_lora_rank", GgufValue::u32(RANK));
    w.set(P + "attention.key_length", GgufValue::u32(NOPE + ROPE));
    w.set(P + "rope.dimension_count", GgufValue::u32(ROPE));
    const int n_vocab = set_tiny_vocab(w);
    RandomTensors rt(seed);
    const auto matrix = [&](const std::string& name, int rows, int cols, float gain) {
        w.add_f32(name, {uint64_t(cols), uint64_t(rows)},
                  rt.normal(size_t(rows) * size_t(cols), gain / std::sqrt(float(cols))));
    };
    const auto norm = [&](const std::string& name, int n) {
        w.add_f32(name, {uint64_t(n)}, rt.norm(n));
    };
    matrix("token_embd.weight", n_vocab, D, 0.3f);           // times 12 on the way in
    std::vector<float> shorter(ROPE / 2), longer(ROPE / 2);  // LongRoPE's divisors
    for (int i = 0; i < ROPE / 2; ++i) {
        shorter[size_t(i)] = 1.f + 0.1f * float(i);
        longer[size_t(i)] = 2.f + 0.5f * float(i);
    }
    w.add_f32("rope_factors_short.weight", {ROPE / 2}, shorter);
    w.add_f32("rope_factors_long.weight", {ROPE / 2}, longer);
    for (int l = 0; l < L; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        norm(p + "attn_norm.weight", D);
        matrix(p + "attn_q_a.weight", QR, D, 1.5f);
        norm(p + "attn_q_a_norm.weight", QR);
        matrix(p + "attn_q_b.weight", H * (NOPE + ROPE), QR, 1.5f);
        matrix(p + "attn_kv_a_mqa.weight", RANK + ROPE, D, 1.5f);
        norm(p + "attn_kv_a_norm.weight", RANK);
        matrix(p + "attn_kv_b.weight", H * (NOPE + VD), RANK, 1.5f);
        matrix(p + "attn_output.weight", D, H * VD, 2.f);
        norm(p + "ffn_norm.weight", D);
        matrix(p + "ffn_gate.weight", FF, D, 1.5f);
        matrix(p + "ffn_up.weight", FF, D, 1.5f);
        matrix(p + "ffn_down.weight", D, FF, 2.f);
    }
    norm("output_norm.weight", D);
    matrix("output.weight", n_vocab, D, 3.f);
    const std::string path = temp_dir() + "/tiny-minicpm3.gguf";
    w.write(path);
    return path;
}

}  // namespace nqkv::test
