#include "engine/llama_hparams.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"

namespace nqkv {

int positive_int(const GgufFile& f, const std::string& key, int64_t v) {
    if (v <= 0 || v > (1 << 24)) fail(f.path(), ": ", key, " is ", v, ", which is out of range");
    return int(v);
}

void read_gemma_hparams(const GgufFile& f, const std::string& arch, LlamaHParams& hp) {
    const std::string P = arch + ".";
    hp.embd_scale = std::sqrt(float(hp.n_embd));
    hp.ffn_gelu = true;
    // Gemma 2 27B (46 layers) and Gemma 3 27B (62) scale queries by width per head, not head size.
    const bool big =
        (arch == "gemma2" && hp.n_layer == 46) || (arch == "gemma3" && hp.n_layer == 62);
    hp.attn_scale = 1.f / std::sqrt(float(big ? hp.n_embd / hp.n_head : hp.head_dim));
    // Gemma 2 caps at 50 and 30 unless the file says otherwise, as llama.cpp does.
    const bool g2 = arch == "gemma2";
    hp.attn_softcap = float(f.get_float(P + "attn_logit_softcapping").value_or(g2 ? 50.0 : 0.0));
    hp.final_softcap = float(f.get_float(P + "final_logit_softcapping").value_or(g2 ? 30.0 : 0.0));
    if (arch == "gemma") return;
    hp.swa_window = int(f.get_int(P + "attention.sliding_window").value_or(0));
    if (hp.swa_window < 0) fail(f.path(), ": ", P, "attention.sliding_window is negative");
    hp.swa_pattern = arch == "gemma2" ? 2 : 6;
    if (arch == "gemma3")
        hp.rope_base_swa = float(f.get_float(P + "rope.freq_base_swa").value_or(10000.0));
}

void read_granite_hparams(const GgufFile& f, const std::string& arch, LlamaHParams& hp) {
    const std::string P = arch + ".";
    auto scale = [&](const std::string& key, float none) {
        const auto v = f.get_float(P + key);
        if (v && !std::isfinite(*v)) fail(f.path(), ": ", P, key, " is not a finite number");
        return v && *v != 0 ? float(*v) : none;
    };
    // MiniCPM's files may leave the three out: llama.cpp then takes MiniCPM's own values.
    const bool minicpm = arch == "minicpm";
    if (!minicpm && !f.get_float(P + "logit_scale"))
        fail(f.path(), ": ", P, "logit_scale is missing");
    hp.logit_scale = scale("logit_scale", minicpm ? 256.f / float(hp.n_embd) : 1.f);
    hp.residual_scale =
        scale("residual_scale", minicpm ? 1.4f / std::sqrt(float(hp.n_layer)) : 1.f);
    hp.embd_scale = scale("embedding_scale", minicpm ? 12.f : 1.f);
    hp.attn_scale = scale("attention.scale", 0.f);
    if (const auto finetuned = f.get_bool(P + "rope.scaling.finetuned"); finetuned && !minicpm)
        hp.rope_off = !*finetuned;  // MiniCPM always rotates
}

void read_expert_gating(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const int64_t gating = f.get_int(P + "expert_gating_func").value_or(1);
    if (gating != 0 && gating != 1 && gating != 2)
        fail(f.path(), ": ", P, "expert_gating_func ", gating,
             " is not supported (1, softmax, or 2, sigmoid)");
    hp.expert_sigmoid = gating == 2;
    hp.dense_lead = int(f.get_int(P + "leading_dense_block_count").value_or(0));
    if (hp.dense_lead < 0 || hp.dense_lead > hp.n_layer)
        fail(f.path(), ": ", P, "leading_dense_block_count ", hp.dense_lead, " is out of range");
    if (hp.dense_lead > 0 && hp.n_ff_dense == 0)
        fail(f.path(), ": ", P, "leading_dense_block_count needs the dense layers' ",
             "feed_forward_length besides expert_feed_forward_length");
}

void read_expert_groups(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const int64_t groups = f.get_int(P + "expert_group_count").value_or(0);
    if (groups <= 1) return;
    const int64_t used = f.get_int(P + "expert_group_used_count").value_or(0);
    if (groups > hp.n_expert || hp.n_expert % groups != 0 || hp.n_expert / groups < 2)
        fail(f.path(), ": ", P, "expert_group_count ", groups, " must divide expert_count ",
             hp.n_expert, " into groups of 2 or more");
    if (used < 1 || used > groups)
        fail(f.path(), ": ", P, "expert_group_used_count ", used, " must be 1 to ", groups);
    hp.n_expert_groups = int(groups);
    hp.n_group_used = int(used);
}

void read_expert_weights(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    hp.expert_weights_norm = f.get_int(P + "expert_weights_norm").value_or(0) != 0;
    const double scale = f.get_float(P + "expert_weights_scale").value_or(0.0);
    if (!std::isfinite(scale) || scale < 0)
        fail(f.path(), ": ", P, "expert_weights_scale ", scale, " is not a non-negative number");
    hp.expert_weights_scale = scale == 0 ? 1.f : float(scale);  // 0: not stated, as llama.cpp
}

void read_nemotron_experts(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    hp.expert_sigmoid = true;
    read_expert_weights(f, P, hp);
    if (f.get_int(P + "moe_latent_size").value_or(0) > 0)
        fail(f.path(), ": ", P, "moe_latent_size: experts in a smaller latent width (Nemotron 3 ",
             "Super's) are not supported");
}

const std::vector<GgufValue>* layer_list(const GgufFile& f, const std::string& key, int n_layer) {
    const GgufValue* v = f.find(key);
    const std::vector<GgufValue>* list = v ? v->as_array() : nullptr;
    if (list && int64_t(list->size()) != n_layer)
        fail(f.path(), ": ", key, " has ", list->size(), " entries for ", n_layer, " layers");
    return list;
}

void read_kv_heads(const GgufFile& f, const std::string& P, bool per_layer, LlamaHParams& hp) {
    const std::string key = P + "attention.head_count_kv";
    const std::vector<GgufValue>* counts = layer_list(f, key, hp.n_layer);
    if (!counts) {
        hp.n_head_kv = positive_int(f, key, f.get_int(key).value_or(hp.n_head));
        return;
    }
    if (!per_layer)
        fail(f.path(), ": ", key, " is a list per layer; only LFM2's, Granite 4.0-H's and ",
             "Nemotron-H's (0 for their layers without attention) are supported");
    for (const GgufValue& c : *counts) {
        const int64_t n = c.as_int().value_or(-1);
        if (n == 0) {
            hp.recurrent_layers.push_back(1);
            continue;
        }
        hp.recurrent_layers.push_back(0);
        if (hp.n_head_kv && n != hp.n_head_kv)
            fail(f.path(), ": ", key, " gives attention layers ", hp.n_head_kv, " and ", n,
                 " heads; one count for all of them is supported");
        hp.n_head_kv = positive_int(f, key, n);
    }
    if (!hp.n_head_kv) fail(f.path(), ": ", key, " leaves no attention layer");
}

void read_layer_widths(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const std::string key = P + "feed_forward_length";
    const std::vector<GgufValue>* widths = layer_list(f, key, hp.n_layer);
    if (!widths) fail(f.path(), ": ", key, " must list one width per layer (", hp.n_layer, ")");
    for (const GgufValue& w : *widths) {
        const int64_t n = w.as_int().value_or(-1);
        if (n < 0 || n > (1 << 24)) fail(f.path(), ": ", key, " holds ", n, ", out of range");
        hp.layer_ff.push_back(int(n));
        hp.n_ff = std::max(hp.n_ff, int(n));
    }
    if (hp.n_ff == 0) fail(f.path(), ": ", key, " leaves no feed-forward layer");
}

void split_nemotron_layers(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    hp.ffn_only_layers.assign(size_t(hp.n_layer), 0);
    for (int l = 0; l < hp.n_layer; ++l) {
        const bool ffn = hp.layer_ff[size_t(l)] > 0;
        if (ffn && !hp.recurrent(l))
            fail(f.path(), ": ", P, "layer ", l, " has both attention heads and a feed-forward ",
                 "width; Nemotron-H's blocks have one or the other");
        if (ffn) {
            hp.recurrent_layers[size_t(l)] = 0;
            hp.ffn_only_layers[size_t(l)] = 1;
        }
    }
}

void read_mamba2_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    auto req = [&](const char* key) { return positive_int(f, P + key, f.require_int(P + key)); };
    hp.conv_kernel = req("ssm.conv_kernel");
    hp.ssm_inner = req("ssm.inner_size");
    hp.ssm_state = req("ssm.state_size");
    hp.ssm_heads = req("ssm.time_step_rank");
    hp.ssm_groups = req("ssm.group_count");
    if (hp.ssm_inner % hp.ssm_heads != 0 || hp.ssm_heads % hp.ssm_groups != 0)
        fail(f.path(), ": ", P, "ssm.inner_size ", hp.ssm_inner, " must split into ",
             "ssm.time_step_rank ", hp.ssm_heads, " heads, and those into ssm.group_count ",
             hp.ssm_groups, " groups");
}

void drop_nextn_layers(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const int64_t nextn = f.get_int(P + "nextn_predict_layers").value_or(0);
    if (nextn < 0 || nextn >= hp.n_layer)
        fail(f.path(), ": ", P, "nextn_predict_layers ", nextn, " is out of range for ", hp.n_layer,
             " blocks");
    hp.n_layer -= int(nextn);
}

void read_qwen35_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const int64_t blocks = hp.n_layer;
    drop_nextn_layers(f, P, hp);
    hp.recurrent_layers.assign(size_t(hp.n_layer), 0);
    const std::string key = P + "attention.recurrent_layers";
    if (const GgufValue* v = f.find(key)) {
        const std::vector<GgufValue>* flags = v->as_array();
        if (!flags || int64_t(flags->size()) != blocks)
            fail(f.path(), ": ", key, " must hold one flag per block (", blocks, ")");
        for (int l = 0; l < hp.n_layer; ++l) {
            hp.recurrent_layers[size_t(l)] = (*flags)[size_t(l)].as_int().value_or(0) != 0;
        }
    } else {
        const int64_t interval = f.get_int(P + "full_attention_interval").value_or(4);
        if (interval <= 0 || interval > blocks)
            fail(f.path(), ": ", P, "full_attention_interval ", interval, " is out of range");
        for (int l = 0; l < hp.n_layer; ++l)
            hp.recurrent_layers[size_t(l)] = (l + 1) % interval != 0;
    }
    if (hp.n_recurrent_layer() == hp.n_layer)
        fail(f.path(), ": ", P, "every layer is a gated delta net; at least one must be attention");
    read_mamba2_hparams(f, P, hp);
    if (hp.ssm_inner != hp.ssm_heads * hp.ssm_state)
        fail(f.path(), ": ", P, "ssm.inner_size ", hp.ssm_inner, " must be ssm.time_step_rank ",
             hp.ssm_heads, " value heads of ssm.state_size ", hp.ssm_state);
    hp.delta_net = true;
    hp.attn_output_gate = true;
}

void read_cohere_hparams(const GgufFile& f, const std::string& P, bool cohere2, LlamaHParams& hp) {
    hp.layer_norm = hp.parallel_ffn = true;
    const auto eps = f.get_float(P + "attention.layer_norm_epsilon");
    if (!eps) fail(f.path(), ": ", P, "attention.layer_norm_epsilon is missing");
    hp.rms_eps = float(*eps);
    // Logits times logit_scale (0 or none: unscaled; cohere2 must state it), kept as Granite's
    // divisor.
    const auto scale = f.get_float(P + "logit_scale");
    if (cohere2 && !scale) fail(f.path(), ": ", P, "logit_scale is missing");
    if (scale && !(std::isfinite(*scale) && *scale >= 0))
        fail(f.path(), ": ", P, "logit_scale ", *scale, " is not a finite non-negative number");
    if (scale && *scale > 0) hp.logit_scale = float(1.0 / *scale);
    if (!cohere2) {  // Command R+'s query and key norms
        hp.qk_norm_head_weights = f.tensor("blk.0.attn_q_norm.weight") != nullptr;
        return;
    }
    // Its windowed layers rotate with the model's base: llama.cpp reads rope.freq_base_swa and
    // leaves it unused.
    hp.swa_window = positive_int(f, P + "attention.sliding_window",
                                 f.require_int(P + "attention.sliding_window"));
    hp.swa_pattern = int(f.get_int(P + "attention.sliding_window_pattern").value_or(4));
    if (hp.swa_pattern < 0) fail(f.path(), ": ", P, "attention.sliding_window_pattern is negative");
    hp.rope_windowed_only = true;
}

void read_windows(const GgufFile& f, const std::string& P, int window, int pattern,
                  LlamaHParams& hp) {
    hp.swa_window = positive_int(f, P + "attention.sliding_window",
                                 f.get_int(P + "attention.sliding_window").value_or(window));
    hp.swa_pattern = int(f.get_int(P + "attention.sliding_window_pattern").value_or(pattern));
    if (hp.swa_pattern < 0) fail(f.path(), ": ", P, "attention.sliding_window_pattern is negative");
    if (auto b = f.get_float(P + "rope.freq_base_swa"); b && float(*b) != hp.rope_base)
        fail(f.path(), ": ", P, "rope.freq_base_swa (", *b,
             ") differs from rope.freq_base; a second RoPE base for windowed layers is supported "
             "for Gemma 3 only");
}

void read_window_flags(const GgufFile& f, const std::string& key, LlamaHParams& hp) {
    const std::vector<GgufValue>* flags = layer_list(f, key, hp.n_layer);
    if (!flags) fail(f.path(), ": ", key, " must list one flag per layer (", hp.n_layer, ")");
    hp.swa_layers.clear();
    for (const GgufValue& x : *flags) {
        const bool* b = std::get_if<bool>(&x.data);
        const auto i = x.as_int();
        if (!b && !i) fail(f.path(), ": ", key, " holds a value that is not a flag");
        hp.swa_layers.push_back(uint8_t(b ? *b : *i != 0));
    }
}

void read_olmo3_windows(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    hp.swa_window = positive_int(f, P + "attention.sliding_window",
                                 f.require_int(P + "attention.sliding_window"));
    const std::string pattern = P + "attention.sliding_window_pattern";
    if (const GgufValue* v = f.find(pattern); v && v->as_array()) {
        read_window_flags(f, pattern, hp);
    } else {
        hp.swa_pattern = int(f.get_int(pattern).value_or(4));
        if (hp.swa_pattern < 0) fail(f.path(), ": ", pattern, " is negative");
    }
    hp.rope_base_swa = float(f.get_float(P + "rope.freq_base_swa").value_or(hp.rope_base));
    if (!(hp.rope_base_swa > 0) || !std::isfinite(hp.rope_base_swa))
        fail(f.path(), ": ", P, "rope.freq_base_swa ", hp.rope_base_swa, " must be positive");
    hp.rope_swa_unscaled = true;
}

void read_xielu(const GgufFile& f, LlamaHParams& hp) {
    const auto values = [&](const char* name) {
        const std::string key = std::string("xielu.") + name;
        std::vector<float> out;
        if (const std::vector<GgufValue>* list = layer_list(f, key, hp.n_layer))
            for (const GgufValue& v : *list) out.push_back(float(v.as_double().value_or(NAN)));
        else if (const auto v = f.get_float(key))
            out.assign(size_t(hp.n_layer), float(*v));
        else
            fail(f.path(), ": ", key, " is missing (Apertus's xIELU needs it for every layer)");
        for (const float x : out)
            if (!std::isfinite(x)) fail(f.path(), ": ", key, " holds ", x, ", not a finite number");
        return out;
    };
    const auto softplus = [](float x) { return x > 20.f ? x : std::log(1.f + std::exp(x)); };
    const auto an = values("alpha_n"), ap = values("alpha_p"), beta = values("beta"),
               eps = values("eps");
    hp.xielu.resize(size_t(hp.n_layer));
    for (size_t l = 0; l < hp.xielu.size(); ++l)
        hp.xielu[l] = {beta[l] + softplus(an[l]), softplus(ap[l]), beta[l], eps[l]};
}

void read_llama4_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    if (hp.n_expert == 0)  // as llama.cpp refuses them
        fail(f.path(), ": ", P, "expert_count is missing: Llama 4 files have experts");
    if (f.get_int(P + "attention.sliding_window").value_or(-1) == 0)
        fail(f.path(), ": ", P,
             "attention.sliding_window 0: Llama 4 layers without chunked "
             "attention (MobileLLM's) are not supported");
    // The router's sigmoid, on the input of the chosen experts (picked by their logits), never
    // renormalised; the shared expert as wide as the others.
    hp.expert_sigmoid = true;
    hp.expert_weight_first = true;
    hp.expert_weights_norm = false;
    hp.moe_step = positive_int(f, P + "interleave_moe_layer_step",
                               f.require_int(P + "interleave_moe_layer_step"));
    if (hp.moe_step > 1 && hp.n_ff_dense == 0)
        fail(f.path(), ": ", P, "interleave_moe_layer_step ", hp.moe_step,
             " needs the dense layers' feed_forward_length besides expert_feed_forward_length");
    hp.n_ff_shared = hp.n_ff;
    // Chunks of 8192 in three layers of four (whatever the file's attention.sliding_window
    // says, as llama.cpp runs it); the fourth layer sees everything, without RoPE, its queries
    // warmed past 8192 positions.
    hp.swa_chunked = true;
    read_windows(f, P, 8192, 4, hp);
    hp.swa_window = 8192;
    hp.nope_step = 4;
    hp.attn_temp_scale = 0.1f;
    hp.attn_temp_floor = 8192;
    hp.attn_temp_offset = 1;
    hp.attn_temp_unroped = true;
    // Llama 4 Maverick (128 experts) has no query and key norms, as llama.cpp tells them apart.
    hp.qk_plain_norm_roped = hp.n_expert != 128;
}

void apply_yarn(const GgufFile& f, const std::string& P, const std::string& arch,
                LlamaHParams& hp) {
    const bool mistral3 = arch == "mistral3", mistral4 = arch == "mistral4",
               deepseek = arch == "deepseek2";
    const float factor = hp.rope_scale;
    const auto key = [&](const char* k, double none) {
        const double v = f.get_float(P + "rope.scaling." + k).value_or(none);
        if (!std::isfinite(v)) fail(f.path(), ": ", P, "rope.scaling.", k, " is not a number");
        return float(v);
    };
    // Mistral 3's files state YaRN's mscale_all_dim as the log multiplier L: cos and sin are then
    // scaled by (1 + 0.1 ln factor) / (1 + 0.1 L ln factor) instead (llama.cpp's reading, with
    // mscale 1; so 1 when L is 1). DeepSeek's (0.1 L) leave them unscaled, since llama.cpp takes
    // its mscale to be L; its attention scale takes L instead (deepseek2_attention_scale).
    // Mistral 4's files store 0.1 L, as DeepSeek's do, and llama.cpp scales its cos and sin as
    // Mistral 3's: its DeepSeek special case is for DeepSeek's architecture alone.
    const float log_mul = key("yarn_log_multiplier", 0);
    if (log_mul != 0 && !mistral3 && !mistral4 && !deepseek)
        fail(f.path(), ": ", P,
             "rope.scaling.yarn_log_multiplier is supported for Mistral 3 and 4 and DeepSeek only");
    const float L = mistral4 ? log_mul / 0.1f : log_mul;
    const float ext = key("yarn_ext_factor", 1), fast = key("yarn_beta_fast", 32),
                slow = key("yarn_beta_slow", 1);
    const int n_orig = hp.n_ctx_orig > 0 ? hp.n_ctx_orig : hp.n_ctx_train;
    const float n = float(hp.n_rot), two_log_base = 2 * std::log(hp.rope_base);
    const auto pair_turning = [&](float turns) {  // the pair that turns this often in n_orig
        return n * std::log(float(n_orig) / (turns * 2 * float(M_PI))) / two_log_base;
    };
    const float low = std::max(0.f, std::floor(pair_turning(fast)));
    const float high = std::min(n - 1, std::ceil(pair_turning(slow)));
    if (hp.rope_freq_factors.empty()) hp.rope_freq_factors.assign(size_t(hp.n_rot / 2), 1.f);
    for (int i = 0; i < hp.n_rot / 2; ++i) {
        const float ramp =
            1 - std::clamp((float(i) - low) / std::max(0.001f, high - low), 0.f, 1.f);
        const float mix = ramp * ext;
        hp.rope_freq_factors[size_t(i)] /= (1 - mix) / factor + mix;
    }
    const float mscale = factor <= 1 ? 1 : 1 + 0.1f * std::log(factor);
    if (log_mul != 0 && !deepseek)
        hp.rope_attn_factor *= mscale / (factor <= 1 ? 1 : 1 + 0.1f * L * std::log(factor));
    else if (log_mul == 0 && ext != 0)
        hp.rope_attn_factor *= mscale;
    hp.rope_scale = 1;
    hp.rope_yarn_factor = factor;
}

void read_mrope_sections(const GgufFile& f, const std::string& P, bool interleaved,
                         LlamaHParams& hp) {
    const std::string key = P + "rope.dimension_sections";
    const GgufValue* v = f.find(key);
    const std::vector<GgufValue>* list = v ? v->as_array() : nullptr;
    if (!list || list->empty() || list->size() > 4)
        fail(f.path(), ": ", key, " must list up to 4 section sizes");
    int s[4] = {0, 0, 0, 0}, sum = 0;
    for (size_t i = 0; i < list->size(); ++i) {
        const int64_t n = (*list)[i].as_int().value_or(-1);
        if (n < 0 || n > hp.n_rot) fail(f.path(), ": ", key, " holds ", n, ", out of range");
        s[i] = int(n);
        sum += s[i];
    }
    if (sum == 0) fail(f.path(), ": ", key, " sums to 0");
    hp.rope_sections.assign(s, s + 4);
    hp.rope_interleaved = interleaved;
    if (hp.rope_freq_factors.empty()) hp.rope_freq_factors.assign(size_t(hp.n_rot / 2), 1.f);
    for (int i = 0; i < hp.n_rot / 2; ++i) {
        const int sector = i % sum;
        const bool fourth = interleaved ? !((sector % 3 == 1 && sector < 3 * s[1]) ||
                                            (sector % 3 == 2 && sector < 3 * s[2]) ||
                                            (sector % 3 == 0 && sector < 3 * s[0]))
                                        : sector >= s[0] + s[1] + s[2];
        if (fourth) hp.rope_freq_factors[size_t(i)] = INFINITY;
    }
}

bool glm4_mrope(const GgufFile& f, const std::string& P) {
    const GgufValue* v = f.find(P + "rope.dimension_sections");
    const std::vector<GgufValue>* list = v ? v->as_array() : nullptr;
    return list && list->size() >= 2 && (*list)[0].as_int().value_or(0) > 0 &&
           (*list)[1].as_int().value_or(0) > 0;
}

void read_smallthinker_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    if (!hp.n_expert)
        fail(f.path(), ": ", P, "expert_count is missing (SmallThinker's layers are experts)");
    hp.router_on_input = hp.ffn_relu_gate = true;
    hp.expert_weights_norm = true;  // as llama.cpp builds them, whatever the file says
    const int64_t window = f.get_int(P + "attention.sliding_window").value_or(0);
    if (window <= 0) return;
    hp.swa_window = positive_int(f, P + "attention.sliding_window", window);
    // llama.cpp reads a count (an array it leaves for the default); the first layer of each
    // period attends to everything.
    const std::string key = P + "attention.sliding_window_pattern";
    const GgufValue* v = f.find(key);
    const int64_t period = v && !v->as_array() ? v->as_int().value_or(-1) : 4;
    if (period < 0 || period > hp.n_layer)
        fail(f.path(), ": ", key, " ", period, " is out of range");
    hp.swa_layers.assign(size_t(hp.n_layer), 1);
    for (int l = 0; period && l < hp.n_layer; l += int(period)) hp.swa_layers[size_t(l)] = 0;
    hp.rope_windowed_only = true;
    // Only where stated: a base of their own also leaves the windowed layers unscaled.
    if (const auto b = f.get_float(P + "rope.freq_base_swa")) hp.rope_base_swa = float(*b);
}

}  // namespace nqkv
