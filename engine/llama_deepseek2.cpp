// DeepSeek-V2/V3's additions to the llama-family reader (deepseek2: also GLM-4.7-Flash, Kimi K2,
// Moonlight), as llama.cpp reads them: multi-head latent attention stored the way current
// conversions store it (attn_k_b and attn_v_b per head) or as older ones did (one attn_kv_b per
// layer, split when the model loads), shared experts, the leading dense
// layers, and DeepSeek's reading of YaRN's attention factor (its expert groups are read for
// every mixture of experts: read_expert_groups). GLM-4.5's
// mixtures of experts (glm4moe) are DeepSeek's experts under ordinary attention.
#include <cmath>
#include <cstring>
#include <memory>

#include "engine/cpu_kernels.h"
#include "engine/error.h"
#include "engine/half.h"
#include "engine/llama_hparams.h"
#include "engine/llama_model.h"

namespace nqkv {
namespace {

int int_key(const GgufFile& f, const std::string& key, int64_t none) {
    const int64_t v = f.get_int(key).value_or(none);
    if (v < 0 || v > (int64_t(1) << 24)) fail(f.path(), ": ", key, " is ", v, ", out of range");
    return int(v);
}

}  // namespace

void read_deepseek_experts(const GgufFile& f, const std::string& P, bool sigmoid,
                           LlamaHParams& hp) {
    if (hp.n_expert == 0) {  // dense throughout (Youtu-LLM)
        hp.dense_lead = hp.n_layer;
        return;
    }
    if (!f.find(P + "expert_gating_func")) hp.expert_sigmoid = sigmoid;
    read_expert_weights(f, P, hp);
    hp.n_ff_shared = int_key(f, P + "expert_shared_count", 0) * hp.n_ff;
}

namespace {

// An older conversion's latent attention: the heads' own key and value lengths (values of
// n_embd / n_head unless stated, as llama.cpp takes them) and one attn_kv_b per layer, whose
// heads become the latent's as in a current file (read_latent_attention splits attn_kv_b), so
// the cache holds the latent either way.
void read_kv_b_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    if (hp.n_head_kv != hp.n_head || hp.head_dim <= hp.n_rot)
        fail(f.path(), ": ", P, "attention.head_count_kv ", hp.n_head_kv, " and key_length ",
             hp.head_dim, " must be head_count (", hp.n_head,
             ") and more than rope.dimension_count (", hp.n_rot,
             ") in a file with one attn_kv_b per layer");
    hp.mla_nope = hp.head_dim - hp.n_rot;
    hp.mla_v_dim = int_key(f, P + "attention.value_length", hp.n_embd / hp.n_head);
    if (hp.mla_v_dim == 0) fail(f.path(), ": ", P, "attention.value_length is 0");
    hp.mla_kv_b = true;
    hp.n_head_kv = 1;
    hp.head_dim = hp.mla_rank + hp.n_rot;
}

}  // namespace

void read_deepseek2_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    drop_nextn_layers(f, P, hp);
    const int k_mla = int_key(f, P + "attention.key_length_mla", 0);
    const int v_mla = int_key(f, P + "attention.value_length_mla", 0);
    hp.mla_rank = int_key(f, P + "attention.kv_lora_rank", 0);
    if (hp.mla_rank == 0) fail(f.path(), ": ", P, "attention.kv_lora_rank is needed");
    if (k_mla == 0 && v_mla == 0) {
        read_kv_b_layout(f, P, hp);
    } else {
        const int rank = hp.mla_rank;
        if (k_mla == 0 || v_mla == 0)
            fail(f.path(), ": ", P, "attention.key_length_mla and value_length_mla go together; ",
                 "this file has only one of them");
        if (hp.n_head_kv != 1 || hp.head_dim != rank + hp.n_rot)
            fail(f.path(), ": ", P, "attention.head_count_kv ", hp.n_head_kv, " and key_length ",
                 hp.head_dim, " must be 1 and kv_lora_rank + rope.dimension_count (",
                 rank + hp.n_rot, ") for multi-head latent attention");
        if (k_mla <= hp.n_rot)
            fail(f.path(), ": ", P, "attention.key_length_mla ", k_mla,
                 " must exceed rope.dimension_count ", hp.n_rot);
        const int64_t value_length = f.get_int(P + "attention.value_length").value_or(rank);
        if (value_length != rank)
            fail(f.path(), ": ", P, "attention.value_length ", value_length,
                 " must be kv_lora_rank (", rank, ")");
        hp.mla_nope = k_mla - hp.n_rot;
        hp.mla_v_dim = v_mla;
    }
    hp.q_lora_rank = int_key(f, P + "attention.q_lora_rank", 0);
    // llama.cpp weighs experts by a softmax unless told otherwise, except in GLM-4.7-Flash's
    // files, which say nothing and mean a sigmoid (it knows them by their layers and vocabulary).
    const GgufValue* tokens = f.find("tokenizer.ggml.tokens");
    const auto* list = tokens ? tokens->as_array() : nullptr;
    const size_t n_vocab = list ? list->size() : 0;
    read_deepseek_experts(f, P, (hp.n_layer == 47 || hp.n_layer == 48) && n_vocab == 154880, hp);
}

void read_minicpm3_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    hp.mla_rank = int_key(f, P + "attention.kv_lora_rank", 0);
    hp.q_lora_rank = int_key(f, P + "attention.q_lora_rank", 0);
    if (hp.mla_rank == 0 || hp.q_lora_rank == 0)
        fail(f.path(), ": ", P, "attention.kv_lora_rank and q_lora_rank are needed");
    read_kv_b_layout(f, P, hp);
    hp.embd_scale = 12.f;
    hp.residual_scale = 1.4f / std::sqrt(float(hp.n_layer));
    hp.logit_scale = float(hp.n_embd) / 256.f;  // the logits are divided by it
    hp.attn_scale = 1.f / std::sqrt(float(hp.mla_nope + hp.n_rot));
}

void deepseek2_attention_scale(const GgufFile& f, const std::string& P, bool yarn,
                               LlamaHParams& hp) {
    // llama.cpp pre-scales the scores by mscale^2 / sqrt(key_length_mla), with mscale the
    // rotation's own factor times 1 + 0.1 L ln(factor), L DeepSeek's mscale_all_dim (stored
    // times 0.1 as the YaRN log multiplier).
    const float log_mul = float(f.get_float(P + "rope.scaling.yarn_log_multiplier").value_or(0.0));
    const float factor = yarn ? hp.rope_yarn_factor : hp.rope_scale;
    const float base =
        yarn ? hp.rope_attn_factor : hp.rope_attn_factor * (1 + 0.1f * std::log(factor));
    const float m = base * (1 + 0.1f * (log_mul / 0.1f) * std::log(factor));
    hp.attn_scale = m * m / std::sqrt(float(hp.mla_nope + hp.n_rot));
    // Mistral Large 3's attention temperature (llama 4's, without its offset).
    hp.attn_temp_scale = float(f.get_float(P + "attention.temperature_scale").value_or(0.0));
    if (hp.attn_temp_scale != 0)
        hp.attn_temp_floor = positive_int(f, P + "attention.temperature_length",
                                          f.require_int(P + "attention.temperature_length"));
}

void LlamaModel::read_latent_attention(LlamaLayer& L, const std::string& prefix) {
    const LlamaHParams& hp = hp_;
    const int64_t d = hp.n_embd, qh = int64_t(hp.n_head) * (hp.mla_nope + hp.n_rot);
    if (hp.q_lora_rank > 0) {
        L.wq_a = matrix(prefix + "attn_q_a.weight", hp.q_lora_rank, d);
        L.q_a_norm = vector(prefix + "attn_q_a_norm.weight", hp.q_lora_rank);
        L.wq_b = matrix(prefix + "attn_q_b.weight", qh, hp.q_lora_rank);
    } else {
        L.wq = matrix(prefix + "attn_q.weight", qh, d);
    }
    L.wkv_a = matrix(prefix + "attn_kv_a_mqa.weight", hp.mla_rank + hp.n_rot, d);
    L.kv_a_norm = vector(prefix + "attn_kv_a_norm.weight", hp.mla_rank);
    if (hp.mla_kv_b) {
        const int64_t per_head = hp.mla_nope + hp.mla_v_dim;
        const WeightMatrix kv_b =
            matrix(prefix + "attn_kv_b.weight", hp.n_head * per_head, hp.mla_rank);
        L.wk_b = key_maps_from_kv_b(kv_b);
        for (int h = 0; h < hp.n_head; ++h) {  // the value rows are attn_v_b's as they stand
            WeightMatrix v = kv_b;
            v.rows = hp.mla_v_dim;
            v.first_row = h * per_head + hp.mla_nope;
            L.wv_b.push_back(v);
        }
    } else {
        L.wk_b = matrices(prefix + "attn_k_b.weight", hp.n_head, hp.mla_rank, hp.mla_nope);
        L.wv_b = matrices(prefix + "attn_v_b.weight", hp.n_head, hp.mla_v_dim, hp.mla_rank);
    }
    L.wo = matrix(prefix + "attn_output.weight", d, int64_t(hp.n_head) * hp.mla_v_dim);
}

// Head h's rows h * (nope + v) .. + nope of attn_kv_b map the latent to its unrotated key;
// attn_k_b is their transpose (rank rows of nope), as current converters write it. It is kept
// in F32 when attn_kv_b is F32 (exact), else in F16 (exact for F16; quantized rows decoded).
std::vector<WeightMatrix> LlamaModel::key_maps_from_kv_b(const WeightMatrix& kv_b) {
    const LlamaHParams& hp = hp_;
    const int64_t nope = hp.mla_nope, rank = hp.mla_rank, per_head = nope + hp.mla_v_dim;
    const bool f32 = kv_b.info->type == TensorType::F32;
    auto t = std::make_unique<MadeTensor>();
    t->info.name = kv_b.info->name + " (key rows, transposed)";
    t->info.type = f32 ? TensorType::F32 : TensorType::F16;
    t->info.dims = {uint64_t(nope), uint64_t(rank), uint64_t(hp.n_head)};
    t->info.n_elements = uint64_t(hp.n_head) * uint64_t(rank) * uint64_t(nope);
    const size_t size = f32 ? 4 : 2;
    t->info.n_bytes = t->info.n_elements * size;
    t->bytes.resize(t->info.n_bytes);
    t->info.data = t->bytes.data();
    std::vector<float> row(static_cast<size_t>(rank));
    const CpuKernels& k = cpu_kernels();
    for (int h = 0; h < hp.n_head; ++h)
        for (int64_t c = 0; c < nope; ++c) {
            k.dequant_row(kv_b.info->type, kv_b.row(h * per_head + c), row.data(), rank);
            for (int64_t r = 0; r < rank; ++r) {
                const size_t at = (size_t(h) * size_t(rank) + size_t(r)) * size_t(nope) + size_t(c);
                if (f32)
                    std::memcpy(&t->bytes[at * 4], &row[size_t(r)], 4);
                else {
                    const uint16_t half = fp32_to_fp16(row[size_t(r)]);
                    std::memcpy(&t->bytes[at * 2], &half, 2);
                }
            }
        }
    std::vector<WeightMatrix> out;
    for (int h = 0; h < hp.n_head; ++h)
        out.push_back({&t->info, rank, nope, size_t(nope) * size, int64_t(h) * rank});
    made_.push_back(std::move(t));
    return out;
}

}  // namespace nqkv
