#include "tests/tiny_model.h"

#include <QtGlobal>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/half.h"
#include "engine/quant_blocks.h"
#include "engine/sp_model_proto.h"
#include "engine/tokenizer.h"
#include "tests/test_support.h"

namespace nqkv::test {
namespace {

std::vector<uint8_t> encode_matrix(const std::vector<float>& w, TensorType type) {
    return quantize_values(w.data(), int64_t(w.size()), type);
}

}  // namespace

std::string set_tiny_header(GgufWriter& w, const std::string& arch, int n_embd, int n_layer) {
    const std::string P = arch + ".";
    w.set("general.architecture", GgufValue::str(arch));
    w.set("general.name", GgufValue::str("tiny-" + arch));
    w.set(P + "context_length", GgufValue::u32(128));
    w.set(P + "embedding_length", GgufValue::u32(uint32_t(n_embd)));
    w.set(P + "block_count", GgufValue::u32(uint32_t(n_layer)));
    return P;
}

GgufWriter tiny_model_writer(const TinySpec& s) {
    GgufWriter w;
    w.set("general.architecture", GgufValue::str(s.arch));
    w.set("general.name", GgufValue::str("tiny-test"));
    const std::string P = s.arch + ".";
    w.set(P + "context_length", GgufValue::u32(uint32_t(s.n_ctx)));
    w.set(P + "embedding_length", GgufValue::u32(uint32_t(s.n_embd)));
    w.set(P + "block_count", GgufValue::u32(uint32_t(s.n_layer)));
    const bool gpt_oss = s.arch == "gpt-oss";
    if (!gpt_oss)  // which states only its experts' width, as its files may
        w.set(P + "feed_forward_length", GgufValue::u32(uint32_t(s.n_ff)));
    if (s.n_expert) {
        w.set(P + "expert_count", GgufValue::u32(uint32_t(s.n_expert)));
        w.set(P + "expert_used_count", GgufValue::u32(uint32_t(s.n_expert_used)));
        if (s.arch == "qwen3moe" || s.arch == "qwen35moe" || s.arch == "qwen3next" ||
            s.arch == "nemotron_h_moe" || gpt_oss || s.arch == "qwen2moe" ||
            s.arch == "smallthinker")
            w.set(P + "expert_feed_forward_length", GgufValue::u32(uint32_t(s.n_ff)));
    }
    w.set(P + "attention.head_count", GgufValue::u32(uint32_t(s.n_head)));
    const bool lfm2 = s.arch == "lfm2" || s.arch == "lfm2moe";
    // LFM2-MoE: the first layer dense (8 wider than the experts), then experts weighed by a
    // sigmoid and picked with a selection bias.
    const bool lfm2moe = s.arch == "lfm2moe" && s.n_expert;
    // ERNIE 4.5's: the same dense first layer, then softmax-weighed experts picked with a
    // selection bias, and an ungated shared expert 16 wider.
    const bool ernie_moe = s.arch == "ernie4_5-moe" && s.n_expert;
    // DeepSeek-MoE's first version: the same dense first layer, then softmax-weighed experts
    // scaled by 1.5 beside two shared experts' worth (as wide as two experts). dots.llm1's: the
    // same with Qwen3's per-head query and key norms and DeepSeek-V3's routing (a sigmoid, a
    // selection bias, the weights renormalised and scaled by 2.5).
    // Ling 2.0's (bailingmoe2): dots.llm1's with fused Q, K and V, RoPE on half of each head,
    // two groups of experts of which the best one, two shared experts each 16 wider than an
    // expert, and one more block stated that predicts further tokens (absent).
    const bool bailing2 = s.arch == "bailingmoe2" && s.n_expert;
    const bool dots1 = (s.arch == "dots1" || bailing2) && s.n_expert;  // and Ling 2.0's
    // MiniMax-M2's: OLMoE's whole-width query and key norms, RoPE on half of each head, and in
    // every layer experts weighed by a sigmoid, picked with a selection bias, renormalised.
    const bool minimax = s.arch == "minimax-m2" && s.n_expert;
    const bool deepseek1 = (s.arch == "deepseek" || dots1) && s.n_expert;
    // Llama 4's: experts (and a shared one as wide) in every other layer, the others dense and
    // 8 wider.
    const bool llama4 = s.arch == "llama4";
    const auto dense = [&](int l) {
        return !s.n_expert || ((lfm2moe || ernie_moe || deepseek1) && l == 0) ||
               (llama4 && l % 2 == 0);
    };
    if (llama4) w.set(P + "interleave_moe_layer_step", GgufValue::u32(2));
    if (deepseek1) {
        w.set(P + "expert_shared_count", GgufValue::u32(2));
        w.set(P + "expert_weights_scale", GgufValue::f32(dots1 ? 2.5f : 1.5f));
    }
    if (dots1) {
        w.set(P + "expert_gating_func", GgufValue::u32(2));
        w.set(P + "expert_weights_norm", GgufValue::boolean(true));
    }
    if (minimax || s.arch == "smallthinker") w.set(P + "expert_gating_func", GgufValue::u32(2));
    if (bailing2) {
        w.set(P + "expert_shared_feed_forward_length", GgufValue::u32(uint32_t(s.n_ff + 16)));
        w.set(P + "expert_group_count", GgufValue::u32(2));
        w.set(P + "expert_group_used_count", GgufValue::u32(1));
        w.set(P + "block_count", GgufValue::u32(uint32_t(s.n_layer + 1)));
        w.set(P + "nextn_predict_layers", GgufValue::u32(1));
    }
    if (lfm2moe || ernie_moe || llama4 || deepseek1) {
        w.set(P + "feed_forward_length", GgufValue::u32(uint32_t(s.n_ff + 8)));
        w.set(P + "expert_feed_forward_length", GgufValue::u32(uint32_t(s.n_ff)));
        if (!llama4) w.set(P + "leading_dense_block_count", GgufValue::u32(1));
    }
    if (lfm2moe) w.set(P + "expert_gating_func", GgufValue::u32(2));
    const bool hunyuan = s.arch == "hunyuan-dense" || s.arch == "hunyuan-moe";
    if (ernie_moe) w.set(P + "interleave_moe_layer_step", GgufValue::u32(1));
    const bool qwen2moe = s.arch == "qwen2moe" && s.n_expert;
    if (ernie_moe || (hunyuan && s.n_expert) || qwen2moe)
        w.set(P + "expert_shared_feed_forward_length", GgufValue::u32(uint32_t(s.n_ff + 16)));
    const auto conv_layer = [&](int l) { return lfm2 && l % 3 != 2; };
    // Granite 4's hybrid: Mamba-2 layers twice as wide inside, heads of 16, two groups, states
    // of 16, 4 taps; every third layer attention without RoPE, as the released files.
    const bool hybrid = s.arch == "granitehybrid";
    // Falcon-H1: every layer attention and the same Mamba-2 mixer side by side.
    const bool falcon_h1 = s.arch == "falcon-h1";
    // Nemotron-H: blocks of one part each, M - * M - M ... (Mamba-2, feed-forward, attention).
    const bool nemotron = s.arch == "nemotron_h" || s.arch == "nemotron_h_moe";
    const auto nemotron_part = [&](int l) { return "M-*M-M"[l % 6]; };
    const auto ssm_layer = [&](int l) {
        return (hybrid && l % 3 != 2) || (nemotron && nemotron_part(l) == 'M');
    };
    const auto ffn_only = [&](int l) { return nemotron && nemotron_part(l) == '-'; };
    const int inner = 2 * s.n_embd, ssm_heads = inner / 16, ssm_channels = inner + 2 * 2 * 16;
    // Qwen3.5: gated delta nets and gated attention in turn (full_attention_interval 2), value
    // heads of 16 on two key heads of 16, 4 taps, then one block that predicts further tokens.
    const bool qwen3next = s.arch == "qwen3next";
    const bool qwen35 = s.arch == "qwen35" || s.arch == "qwen35moe" || qwen3next;
    const auto delta_layer = [&](int l) { return qwen35 && l % 2 == 0; };
    constexpr int kDeltaHeads = 4, kDeltaChannels = 2 * 2 * 16 + kDeltaHeads * 16;
    if (qwen35) {
        w.set(P + "block_count", GgufValue::u32(uint32_t(s.n_layer + 1)));
        w.set(P + "nextn_predict_layers", GgufValue::u32(1));
        w.set(P + "full_attention_interval", GgufValue::u32(2));
        w.set(P + "ssm.conv_kernel", GgufValue::u32(4));
        w.set(P + "ssm.inner_size", GgufValue::u32(kDeltaHeads * 16));
        w.set(P + "ssm.state_size", GgufValue::u32(16));
        w.set(P + "ssm.time_step_rank", GgufValue::u32(kDeltaHeads));
        w.set(P + "ssm.group_count", GgufValue::u32(2));
        if (s.n_expert)
            w.set(P + "expert_shared_feed_forward_length", GgufValue::u32(uint32_t(s.n_ff + 16)));
    }
    if (nemotron) {  // a width per layer, 0 for the mixers
        std::vector<GgufValue> widths;
        for (int l = 0; l < s.n_layer; ++l)
            widths.push_back(GgufValue::i32(ffn_only(l) ? s.n_ff : 0));
        w.set(P + "feed_forward_length", GgufValue::array(GgufType::I32, std::move(widths)));
    }
    if (hybrid || nemotron || falcon_h1) {
        w.set(P + "ssm.conv_kernel", GgufValue::u32(4));
        w.set(P + "ssm.inner_size", GgufValue::u32(uint32_t(inner)));
        w.set(P + "ssm.state_size", GgufValue::u32(16));
        w.set(P + "ssm.time_step_rank", GgufValue::u32(uint32_t(ssm_heads)));
        w.set(P + "ssm.group_count", GgufValue::u32(2));
        if (hybrid) w.set(P + "rope.scaling.finetuned", GgufValue::boolean(false));
        if (nemotron && s.n_expert) {  // Nemotron 3's: not renormalised, scaled by 2.5
            w.set(P + "expert_weights_norm", GgufValue::boolean(false));
            w.set(P + "expert_weights_scale", GgufValue::f32(2.5f));
        }
        if (s.n_expert)
            w.set(P + "expert_shared_feed_forward_length", GgufValue::u32(uint32_t(s.n_ff + 16)));
    }
    if (lfm2 || hybrid || nemotron) {  // a count per layer, 0 where there is no attention
        std::vector<GgufValue> counts;
        for (int l = 0; l < s.n_layer; ++l)
            counts.push_back(
                GgufValue::i32(conv_layer(l) || ssm_layer(l) || ffn_only(l) ? 0 : s.n_head_kv));
        w.set(P + "attention.head_count_kv", GgufValue::array(GgufType::I32, std::move(counts)));
        if (lfm2) w.set(P + "shortconv.l_cache", GgufValue::u32(3));
    } else {
        w.set(P + "attention.head_count_kv", GgufValue::u32(uint32_t(s.n_head_kv)));
    }
    w.set(P + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-5f));
    const bool cohere = s.arch == "command-r" || s.arch == "cohere2";
    if (cohere) {  // LayerNorm's epsilon under its own key; logits times 0.8
        w.set(P + "attention.layer_norm_epsilon", GgufValue::f32(1e-5f));
        w.set(P + "logit_scale", GgufValue::f32(0.8f));
    }
    w.set(P + "rope.freq_base", GgufValue::f32(s.arch == "gemma3" ? 200000.f : 10000.f));
    if (s.arch == "apertus") {  // xIELU's constants, different in every layer
        const auto per_layer = [&](float first, float step) {
            std::vector<GgufValue> v;
            for (int l = 0; l < s.n_layer; ++l)
                v.push_back(GgufValue::f32(first + step * float(l)));
            return GgufValue::array(GgufType::F32, std::move(v));
        };
        w.set("xielu.alpha_n", per_layer(0.8f, 0.3f));
        w.set("xielu.alpha_p", per_layer(-0.5f, 0.4f));
        w.set("xielu.beta", per_layer(0.5f, 0.f));
        w.set("xielu.eps", per_layer(-1e-6f, 0.f));
    }
    if (s.swa_window) w.set(P + "attention.sliding_window", GgufValue::u32(uint32_t(s.swa_window)));
    if (s.arch == "qwen2vl" || s.arch == "qwen3vl" || (qwen35 && !qwen3next)) {
        std::vector<GgufValue> sections;
        for (int n : s.arch == "qwen2vl" ? std::vector<int>{3, 2, 1, 2}
                     : qwen35            ? std::vector<int>{2, 1, 1, 0}
                                         : std::vector<int>{3, 1, 1, 0})
            sections.push_back(GgufValue::i32(n));
        w.set(P + "rope.dimension_sections", GgufValue::array(GgufType::I32, std::move(sections)));
    }
    if (s.arch.rfind("granite", 0) == 0) {  // none of them 1, as IBM's files
        w.set(P + "embedding_scale", GgufValue::f32(3.f));
        w.set(P + "residual_scale", GgufValue::f32(0.6f));
        w.set(P + "attention.scale", GgufValue::f32(0.09f));
        w.set(P + "logit_scale", GgufValue::f32(2.5f));
    }
    if (s.arch == "gemma2") {
        w.set(P + "attn_logit_softcapping", GgufValue::f32(8.f));
        w.set(P + "final_logit_softcapping", GgufValue::f32(6.f));
    }
    if (s.rope_scale != 1.f) {
        w.set(P + "rope.scaling.type", GgufValue::str("linear"));
        w.set(P + "rope.scaling.factor", GgufValue::f32(s.rope_scale));
    }
    const int n_vocab = set_tiny_vocab(w, s.bpe_pre, s.controls);

    std::mt19937_64 rng(s.seed);
    std::normal_distribution<float> normal(0.f, 1.f);
    auto matrix_values = [&](int rows, int cols, float gain) {
        std::vector<float> v(static_cast<size_t>(rows) * static_cast<size_t>(cols));
        for (float& x : v) x = normal(rng) * gain / std::sqrt(float(cols));
        return v;
    };
    auto matrix = [&](const std::string& name, int rows, int cols, float gain, TensorType type) {
        w.add_tensor(name, type, {uint64_t(cols), uint64_t(rows)},
                     encode_matrix(matrix_values(rows, cols, gain), type));
    };
    auto expert_values = [&](int rows, int cols, float gain) {
        std::vector<float> v(static_cast<size_t>(s.n_expert) * size_t(rows) * size_t(cols));
        for (float& x : v) x = normal(rng) * gain / std::sqrt(float(cols));
        return v;
    };
    auto add_experts = [&](const std::string& name, int rows, int cols,
                           const std::vector<float>& v) {
        w.add_tensor(name, s.matrix_type, {uint64_t(cols), uint64_t(rows), uint64_t(s.n_expert)},
                     encode_matrix(v, s.matrix_type));
    };
    auto expert_tensor = [&](const std::string& name, int rows, int cols, float gain) {
        add_experts(name, rows, cols, expert_values(rows, cols, gain));
    };
    auto norm = [&](const std::string& name, int n) {
        std::uniform_real_distribution<float> u(0.6f, 1.4f);
        std::vector<float> v(static_cast<size_t>(n));
        for (float& x : v) x = u(rng);
        w.add_f32(name, {uint64_t(n)}, v);
    };
    auto bias = [&](const std::string& name, int n) {
        std::vector<float> v(static_cast<size_t>(n));
        for (float& x : v) x = normal(rng) * 0.5f;
        w.add_f32(name, {uint64_t(n)}, v);
    };
    // n values per expert, for m experts (one row when m is 1).
    auto expert_bias = [&](const std::string& name, int n, int m, float gain) {
        std::vector<float> v(static_cast<size_t>(n) * static_cast<size_t>(m));
        for (float& x : v) x = normal(rng) * gain;
        w.add_f32(name,
                  m == 1 ? std::vector<uint64_t>{uint64_t(n)}
                         : std::vector<uint64_t>{uint64_t(n), uint64_t(m)},
                  v);
    };
    const int hd = s.head_dim ? s.head_dim : s.n_embd / s.n_head, kv = s.n_head_kv * hd,
              qd = s.n_head * hd;
    if (qwen35) w.set(P + "rope.dimension_count", GgufValue::u32(uint32_t(hd / 4)));
    if (bailing2 || minimax) w.set(P + "rope.dimension_count", GgufValue::u32(uint32_t(hd / 2)));
    std::uniform_real_distribution<float> uniform(-1.f, 1.f);
    const auto values = [&](const std::string& name, std::vector<uint64_t> shape, float lo,
                            float hi, bool log_scale = false) {
        std::vector<float> v(size_t(shape[0] * (shape.size() > 1 ? shape[1] : 1)));
        for (float& x : v) {
            const float r = lo + (hi - lo) * (uniform(rng) + 1.f) / 2.f;
            x = log_scale ? -std::exp(r) : r;
        }
        w.add_f32(name, shape, v);
    };
    // Qwen3.5's attention: each head's query, then as many gates.
    const auto attention = [&](const std::string& p) {
        matrix(p + "attn_q.weight", qwen35 ? 2 * qd : qd, s.n_embd, 1.f, s.matrix_type);
        matrix(p + "attn_k.weight", kv, s.n_embd, 1.f, s.matrix_type);
        matrix(p + "attn_v.weight", kv, s.n_embd, 1.5f, s.matrix_type);
    };
    if (s.head_dim) {
        w.set(P + "attention.key_length", GgufValue::u32(uint32_t(hd)));
        w.set(P + "attention.value_length", GgufValue::u32(uint32_t(hd)));
    }
    if (s.arch == "phi3") {  // Phi-3.5's long RoPE: short and long factors, scaled cos and sin
        std::vector<float> sf(size_t(hd / 2)), lf(size_t(hd / 2));
        for (size_t i = 0; i < sf.size(); ++i) {
            sf[i] = 1.f + 2.f * float(i) / float(sf.size());
            lf[i] = 1.f + 8.f * float(i) / float(lf.size());
        }
        w.add_f32("rope_factors_short.weight", {uint64_t(sf.size())}, sf);
        w.add_f32("rope_factors_long.weight", {uint64_t(lf.size())}, lf);
        w.set(P + "rope.scaling.original_context_length", GgufValue::u32(uint32_t(s.n_ctx / 2)));
        w.set(P + "rope.scaling.attn_factor", GgufValue::f32(1.19f));
    }
    if (s.rope_freqs) {
        std::vector<float> f(size_t(hd / 2));
        for (size_t i = 0; i < f.size(); ++i)
            f[i] = 4 * i < f.size()       ? 1.f
                   : 4 * i < 3 * f.size() ? 1.f + 3.5f * float(i) / float(f.size())
                                          : 8.f;
        w.add_f32("rope_freqs.weight", {uint64_t(f.size())}, f);
    }
    // The embedding is read row by row, so it stays F32 or F16 (Q types need 32-wide rows).
    // Gemma multiplies embeddings by sqrt(n_embd): they are stored that much smaller.
    const bool gemma = s.arch.rfind("gemma", 0) == 0;
    matrix("token_embd.weight", n_vocab, s.n_embd, gemma ? 1.f : std::sqrt(float(s.n_embd)),
           s.matrix_type == TensorType::F16 ? TensorType::F16 : TensorType::F32);
    for (int l = 0; l < s.n_layer; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        const bool olmo2 = s.arch == "olmo2";  // norms after each block only, whole-width q/k norms
        const bool exaone4 = s.arch == "exaone4";  // the same with per-head q/k norms
        if (!olmo2 && !exaone4) norm(p + "attn_norm.weight", s.n_embd);
        const bool glm4 = s.arch == "glm4";  // fused like phi3's, with biases, and post norms
        if (conv_layer(l)) {
            matrix(p + "shortconv.in_proj.weight", 3 * s.n_embd, s.n_embd, 1.5f, s.matrix_type);
            std::vector<float> taps(size_t(s.n_embd) * 3);
            for (float& x : taps) x = normal(rng) * 0.8f;
            w.add_f32(p + "shortconv.conv.weight", {3, uint64_t(s.n_embd)}, taps);
            matrix(p + "shortconv.out_proj.weight", s.n_embd, s.n_embd, 2.f, s.matrix_type);
        } else if (ffn_only(l) && s.n_expert) {  // Nemotron 3: experts and a shared one, no gates
            matrix(p + "ffn_gate_inp.weight", s.n_expert, s.n_embd, 3.f, TensorType::F32);
            values(p + "exp_probs_b.bias", {uint64_t(s.n_expert)}, -0.3f, 0.3f);
            expert_tensor(p + "ffn_up_exps.weight", s.n_ff, s.n_embd, 1.5f);
            expert_tensor(p + "ffn_down_exps.weight", s.n_embd, s.n_ff, 1.f);
            matrix(p + "ffn_up_shexp.weight", s.n_ff + 16, s.n_embd, 1.5f, s.matrix_type);
            matrix(p + "ffn_down_shexp.weight", s.n_embd, s.n_ff + 16, 1.f, s.matrix_type);
            continue;
        } else if (ffn_only(l)) {  // Nemotron-H: ReLU squared, no gate
            matrix(p + "ffn_up.weight", s.n_ff, s.n_embd, 1.5f, s.matrix_type);
            matrix(p + "ffn_down.weight", s.n_embd, s.n_ff, 1.f, s.matrix_type);
            continue;
        } else if (delta_layer(l)) {
            const auto qkv = matrix_values(kDeltaChannels, s.n_embd, 1.5f),
                       z = matrix_values(kDeltaHeads * 16, s.n_embd, 1.5f);
            const auto add = [&](const std::string& name, int rows, const std::vector<float>& v) {
                w.add_tensor(name, s.matrix_type, {uint64_t(s.n_embd), uint64_t(rows)},
                             encode_matrix(v, s.matrix_type));
            };
            if (s.fused_qkvz) {  // per key head (two of 16): q, k, then its two value heads' v, z
                std::vector<float> fused;
                const auto rows = [&](const std::vector<float>& from, int row, int n) {
                    const auto at = from.begin() + ptrdiff_t(row) * s.n_embd;
                    fused.insert(fused.end(), at, at + ptrdiff_t(n) * s.n_embd);
                };
                for (int g = 0; g < 2; ++g) {
                    rows(qkv, 16 * g, 16);
                    rows(qkv, 32 + 16 * g, 16);
                    rows(qkv, 64 + 32 * g, 32);
                    rows(z, 32 * g, 32);
                }
                add(p + "ssm_in.weight", kDeltaChannels + kDeltaHeads * 16, fused);
            } else {
                add(p + "attn_qkv.weight", kDeltaChannels, qkv);
                add(p + "attn_gate.weight", kDeltaHeads * 16, z);
            }
            if (qwen3next) {
                matrix(p + "ssm_ba.weight", 2 * kDeltaHeads, s.n_embd, 2.f, s.matrix_type);
            } else {
                matrix(p + "ssm_beta.weight", kDeltaHeads, s.n_embd, 2.f, s.matrix_type);
                matrix(p + "ssm_alpha.weight", kDeltaHeads, s.n_embd, 2.f, s.matrix_type);
            }
            values(p + "ssm_conv1d.weight", {4, uint64_t(kDeltaChannels)}, -1.f, 1.f);
            values(p + "ssm_dt.bias", {uint64_t(kDeltaHeads)}, -1.f, 1.f);
            values(p + "ssm_a", {uint64_t(kDeltaHeads)}, -1.5f, 1.f, true);
            values(p + "ssm_norm.weight", {16}, 0.6f, 1.4f);
            matrix(p + "ssm_out.weight", s.n_embd, kDeltaHeads * 16, 2.f, s.matrix_type);
        } else if (ssm_layer(l) || falcon_h1) {
            matrix(p + "ssm_in.weight", inner + ssm_channels + ssm_heads, s.n_embd, 1.5f,
                   s.matrix_type);
            values(p + "ssm_conv1d.weight", {4, uint64_t(ssm_channels)}, -1.f, 1.f);
            values(p + "ssm_conv1d.bias", {uint64_t(ssm_channels)}, -0.3f, 0.3f);
            values(p + "ssm_dt.bias", {uint64_t(ssm_heads)}, -1.f, 1.f);
            values(p + "ssm_a", {1, uint64_t(ssm_heads)}, -1.5f, 1.f, true);  // A = -exp(r)
            values(p + "ssm_d", {1, uint64_t(ssm_heads)}, 0.5f, 1.5f);
            values(p + "ssm_norm.weight", {uint64_t(inner / 2), 2}, 0.6f, 1.4f);
            matrix(p + "ssm_out.weight", s.n_embd, inner, 2.f, s.matrix_type);
            if (falcon_h1) attention(p);
        } else if (s.arch == "phi3" || glm4 || bailing2) {  // fused: Q, K, V rows in one
            matrix(p + "attn_qkv.weight", qd + 2 * kv, s.n_embd, 1.f, s.matrix_type);
            if (glm4) bias(p + "attn_qkv.bias", qd + 2 * kv);
        } else {
            attention(p);
        }
        if (s.arch == "qwen2" || s.arch == "qwen2vl" || gpt_oss || s.arch == "seed_oss" ||
            qwen2moe) {
            bias(p + "attn_q.bias", qd);
            bias(p + "attn_k.bias", kv);
            bias(p + "attn_v.bias", kv);
        }
        if ((!conv_layer(l) && !ssm_layer(l) && !delta_layer(l)) || falcon_h1)
            matrix(p + "attn_output.weight", s.n_embd, qd, 4.f, s.matrix_type);
        if (gpt_oss) {
            bias(p + "attn_output.bias", s.n_embd);
            bias(p + "attn_sinks.weight", s.n_head);
        }
        const bool post_norms =
            s.arch == "gemma2" || s.arch == "gemma3" || olmo2 || glm4 || exaone4;
        if (post_norms) norm(p + "post_attention_norm.weight", s.n_embd);
        if (s.arch == "qwen3" || s.arch == "qwen3moe" || s.arch == "qwen3vl" ||
            s.arch == "gemma3" || exaone4 || hunyuan || s.arch == "apertus" || dots1 ||
            (lfm2 && !conv_layer(l)) || (qwen35 && !delta_layer(l))) {
            norm(p + "attn_q_norm.weight", hd);
            norm(p + "attn_k_norm.weight", hd);
        }
        if (olmo2 || s.arch == "olmoe" || minimax) {
            norm(p + "attn_q_norm.weight", qd);
            norm(p + "attn_k_norm.weight", kv);
        }
        if (nemotron) continue;  // a mixer alone
        // gpt-oss's norm before the experts is named post_attention_norm, as Qwen3.5's.
        if (!olmo2 && !exaone4 && !cohere)  // Cohere's feed-forward reads attention's input
            norm(p + (gpt_oss || qwen35 || s.arch == "seed_oss" ? "post_attention_norm.weight"
                      : falcon_h1 ? "ffn_norm"  // as Falcon-H1's converter names it
                                  : "ffn_norm.weight"),
                 s.n_embd);
        if (!dense(l)) {  // the router, then every expert's matrices in one 3-D tensor each
            // SmallThinker's reads the stream unnormed: a smaller gain keeps its sigmoids apart.
            matrix(p + "ffn_gate_inp.weight", s.n_expert, s.n_embd,
                   s.arch == "smallthinker" ? 0.5f : 3.f, TensorType::F32);
            if (s.fused_experts) {  // the same numbers, each expert's gate rows then its up rows
                const auto g = expert_values(s.n_ff, s.n_embd, 1.5f);
                const auto u = expert_values(s.n_ff, s.n_embd, 1.5f);
                const size_t n = size_t(s.n_ff) * size_t(s.n_embd);
                std::vector<float> gu;
                for (size_t e = 0; e < size_t(s.n_expert); ++e) {
                    gu.insert(gu.end(), g.begin() + ptrdiff_t(e * n),
                              g.begin() + ptrdiff_t(e * n + n));
                    gu.insert(gu.end(), u.begin() + ptrdiff_t(e * n),
                              u.begin() + ptrdiff_t(e * n + n));
                }
                add_experts(p + "ffn_gate_up_exps.weight", 2 * s.n_ff, s.n_embd, gu);
            } else {
                expert_tensor(p + "ffn_gate_exps.weight", s.n_ff, s.n_embd, 1.5f);
                expert_tensor(p + "ffn_up_exps.weight", s.n_ff, s.n_embd, 1.5f);
            }
            expert_tensor(p + "ffn_down_exps.weight", s.n_embd, s.n_ff, 4.f);
            if (gpt_oss) {  // wide enough biases that the clamp at 7 bites
                expert_bias(p + "ffn_gate_inp.bias", s.n_expert, 1, 1.f);
                expert_bias(p + "ffn_gate_exps.bias", s.n_ff, s.n_expert, 4.f);
                expert_bias(p + "ffn_up_exps.bias", s.n_ff, s.n_expert, 4.f);
                expert_bias(p + "ffn_down_exps.bias", s.n_embd, s.n_expert, 0.5f);
            }
            if (lfm2moe || ernie_moe || dots1 || minimax)
                expert_bias(p + "exp_probs_b.bias", s.n_expert, 1, 0.3f);
            if (qwen35 || qwen2moe)  // the gate on its shared expert
                values(p + "ffn_gate_inp_shexp.weight", {uint64_t(s.n_embd)}, -0.5f, 0.5f);
            if (hybrid || qwen35 || ernie_moe || hunyuan || llama4 || qwen2moe || deepseek1) {
                const int sh = llama4      ? s.n_ff
                               : bailing2  ? 2 * (s.n_ff + 16)  // two of the stated width
                               : deepseek1 ? 2 * s.n_ff
                                           : s.n_ff + 16;  // shared
                matrix(p + "ffn_gate_shexp.weight", sh, s.n_embd, 1.5f, s.matrix_type);
                matrix(p + "ffn_up_shexp.weight", sh, s.n_embd, 1.5f, s.matrix_type);
                matrix(p + "ffn_down_shexp.weight", s.n_embd, sh, 4.f, s.matrix_type);
            }
            if (post_norms) norm(p + "post_ffw_norm.weight", s.n_embd);
            continue;
        }
        const int ff =
            lfm2moe || ernie_moe || deepseek1 || (llama4 && s.n_expert) ? s.n_ff + 8 : s.n_ff;
        if (s.arch == "phi3" || glm4) {  // fused: the gate's rows, then the up projection's
            matrix(p + "ffn_up.weight", 2 * s.n_ff, s.n_embd, 1.5f, s.matrix_type);
        } else if (s.arch == "arcee" || s.arch == "apertus") {  // ReLU squared or xIELU, no gate
            matrix(p + "ffn_up.weight", ff, s.n_embd, 1.5f, s.matrix_type);
        } else {
            matrix(p + "ffn_gate.weight", ff, s.n_embd, 1.5f, s.matrix_type);
            matrix(p + "ffn_up.weight", ff, s.n_embd, 1.5f, s.matrix_type);
        }
        matrix(p + "ffn_down.weight", s.n_embd, ff, 4.f, s.matrix_type);
        if (post_norms) norm(p + "post_ffw_norm.weight", s.n_embd);
    }
    if (qwen35) {  // the block that predicts further tokens, which a reader leaves unused
        const std::string p = "blk." + std::to_string(s.n_layer) + ".";
        norm(p + "attn_norm.weight", s.n_embd);
        attention(p);
        matrix(p + "attn_output.weight", s.n_embd, qd, 4.f, s.matrix_type);
        norm(p + "attn_q_norm.weight", hd);
        norm(p + "attn_k_norm.weight", hd);
        norm(p + "post_attention_norm.weight", s.n_embd);
        matrix(p + "ffn_gate.weight", s.n_ff, s.n_embd, 1.5f, s.matrix_type);
        matrix(p + "ffn_up.weight", s.n_ff, s.n_embd, 1.5f, s.matrix_type);
        matrix(p + "ffn_down.weight", s.n_embd, s.n_ff, 4.f, s.matrix_type);
        matrix(p + "nextn.eh_proj.weight", s.n_embd, 2 * s.n_embd, 1.f, s.matrix_type);
        norm(p + "nextn.enorm.weight", s.n_embd);
        norm(p + "nextn.hnorm.weight", s.n_embd);
    }
    norm(lfm2 ? "token_embd_norm.weight" : "output_norm.weight", s.n_embd);
    if (!s.tied_output) matrix("output.weight", n_vocab, s.n_embd, 1.f, s.matrix_type);
    return w;
}

std::string write_marker_prm(char marker, const std::string& question_template,
                             const std::string& separator) {
    TinySpec s;
    s.n_embd = 32;
    s.n_layer = 1;
    s.n_head = 2;
    s.n_head_kv = 2;
    s.n_ff = 32;
    s.n_ctx = 4096;
    GgufWriter w = tiny_model_writer(s);  // keys and tokenizer; every tensor is replaced below
    w.set("general.name", GgufValue::str("marker-prm"));
    w.set("nqkv.prm.step_tag", GgufValue::str(" \xD0\xBA\xD0\xB8"));
    w.set("nqkv.prm.good_token", GgufValue::str("+"));
    w.set("nqkv.prm.bad_token", GgufValue::str("-"));
    if (!question_template.empty())
        w.set("nqkv.prm.question_template", GgufValue::str(question_template));
    if (!separator.empty()) w.set("nqkv.prm.step_separator", GgufValue::str(separator));

    std::ifstream in(tiny_tokenizer_model(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    SpModelSpec sp;
    decode_sp_model(ss.str(), sp);
    const uint64_t V = sp.pieces.size(), D = 32, F = 32;
    auto zeros = [](uint64_t n) { return std::vector<float>(n, 0.f); };
    std::vector<float> emb = zeros(V * D);
    for (uint64_t t = 0; t < V; ++t) {
        emb[t * D + 0] = 1;
        const SpPiece& piece = sp.pieces[t];
        const bool marked = piece.type == PieceType::Byte
                                ? std::stoi(piece.text.substr(3, 2), nullptr, 16) == uint8_t(marker)
                                : piece.text.find(marker) != std::string::npos;
        if (marked) emb[t * D + 1] = -1;
    }
    w.add_f32("token_embd.weight", {D, V}, emb);
    const std::vector<float> ones(D, 1.f);
    w.add_f32("blk.0.attn_norm.weight", {D}, ones);
    w.add_f32("blk.0.ffn_norm.weight", {D}, ones);
    w.add_f32("output_norm.weight", {D}, ones);
    w.add_f32("blk.0.attn_q.weight", {D, D}, zeros(D * D));  // zero queries: uniform attention
    w.add_f32("blk.0.attn_k.weight", {D, D}, zeros(D * D));
    std::vector<float> wv = zeros(D * D), wo = zeros(D * D);
    wv[0 * D + 1] = 1;     // value element 0 of head 0 carries the marker dimension
    wo[1 * D + 0] = 1000;  // and writes it back, amplified, into the residual
    w.add_f32("blk.0.attn_v.weight", {D, D}, wv);
    w.add_f32("blk.0.attn_output.weight", {D, D}, wo);
    w.add_f32("blk.0.ffn_gate.weight", {D, F}, zeros(D * F));
    w.add_f32("blk.0.ffn_up.weight", {D, F}, zeros(D * F));
    w.add_f32("blk.0.ffn_down.weight", {F, D}, zeros(D * F));
    // logit[good] - logit[bad] = 0.4 * x0 + x1 after the final norm: +2.26 on a clean prefix.
    std::vector<float> out = zeros(V * D);
    const std::vector<int> good =
        Tokenizer::from_model_file(tiny_tokenizer_model())->encode("+", false);
    out[uint64_t(good.back()) * D + 0] = 0.4f;
    out[uint64_t(good.back()) * D + 1] = 1.0f;
    w.add_f32("output.weight", {D, V}, out);
    // A file per layout: a model loaded from an earlier one stays as it was.
    const std::string layout = question_template + '\x01' + separator;
    const std::string path =
        temp_dir() + "/marker-prm" +
        (layout.size() == 1 ? "" : "-layout-" + std::to_string(std::hash<std::string>{}(layout))) +
        ".gguf";
    w.write(path);
    return path;
}

std::string write_tiny_model(const TinySpec& spec) {
    const std::string path = temp_dir() + "/tiny.gguf";
    tiny_model_writer(spec).write(path);
    return path;
}

std::vector<float> RandomTensors::normal(size_t n, float gain) {
    std::vector<float> v(n);
    for (float& x : v) x = normal_(rng_) * gain;
    return v;
}

std::vector<float> RandomTensors::norm(int n, float scale) {
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = scale * (0.6f + 0.8f * uniform_(rng_));
    return v;
}

}  // namespace nqkv::test
