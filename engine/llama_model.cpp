#include "engine/llama_model.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "engine/error.h"
#include "engine/llama_hparams.h"

namespace nqkv {
namespace {

WeightMatrix band(const WeightMatrix& w, int64_t first, int64_t rows) {
    WeightMatrix b = w;
    b.first_row = w.first_row + first;
    b.rows = rows;
    return b;
}

}  // namespace

std::unique_ptr<LlamaModel> LlamaModel::load(const std::string& path) {
    std::unique_ptr<LlamaModel> m(new LlamaModel(GgufFile::open(path)));
    const GgufFile& f = m->file_;
    const std::string arch = f.require_string("general.architecture");
    const bool gemma = arch == "gemma" || arch == "gemma2" || arch == "gemma3";
    // Gemma 3n: Gemma 4's attention and per-layer inputs, with AltUp and LAuReL.
    const bool gemma3n = arch == "gemma3n", gemma4 = arch == "gemma4" || gemma3n;
    // Mistral 4's files are DeepSeek's, read alike (its YaRN aside: apply_yarn).
    const bool deepseek2 = arch == "deepseek2" || arch == "mistral4", minicpm3 = arch == "minicpm3";
    const bool bailing2 = arch == "bailingmoe2";  // Ling 2.0: dots.llm1's layers, fused QKV
    const bool glm4moe = arch == "glm4moe";
    const bool hybrid = arch == "granitehybrid";
    // Qwen's vision-language models, read for their text: Qwen2's and Qwen3's layers with
    // multimodal RoPE (read_mrope_sections); GLM-4.1V: GLM-4's, when its first two sections
    // are set (as llama.cpp decides).
    const bool vl = arch == "qwen2vl" || arch == "qwen3vl" || arch == "qwen3vlmoe";
    // Qwen3.5's layers (Qwen3-Next's the same, its value heads grouped, its RoPE one section).
    const bool qwen3next = arch == "qwen3next";
    const bool qwen35 = arch == "qwen35" || arch == "qwen35moe" || qwen3next;
    const bool mrope =
        vl || (qwen35 && !qwen3next) || ((arch == "glm4" || glm4moe) && glm4_mrope(f, arch + "."));
    const bool granite = arch == "granite" || arch == "granitemoe" || hybrid || arch == "minicpm";
    const bool olmo2 = arch == "olmo2";
    const bool qwen2moe = arch == "qwen2moe";   // Qwen2's attention, experts, a gated shared one
    const bool olmoe = arch == "olmoe";         // OLMo 2's query and key norms, Mixtral's layers
    const bool minimax = arch == "minimax-m2";  // those norms, experts weighed as DeepSeek-V3's
    // Hunyuan's: llama's layers with query and key norms after RoPE (and, in the MoE model,
    // experts beside a shared one).
    const bool hunyuan_moe = arch == "hunyuan-moe",
               hunyuan = hunyuan_moe || arch == "hunyuan-dense";
    const bool gpt_oss = arch == "gpt-oss";
    const bool exaone4 = arch == "exaone4";
    // OLMo 2 and EXAONE 4.0 normalise only what each block puts out (post_attention_norm,
    // post_ffw_norm), not what goes in.
    const bool post_norms_only = olmo2 || exaone4;
    if (!supported_architecture(arch))
        fail(path, ": architecture \"", arch,
             "\" is not supported (supported: ", supported_architectures(), ")");
    m->arch_ = arch;
    m->name_ = f.get_string("general.name").value_or(path.substr(path.find_last_of('/') + 1));

    LlamaHParams& hp = m->hp_;
    const std::string P = arch + ".";
    auto req = [&](const char* key) { return positive_int(f, P + key, f.require_int(P + key)); };
    hp.n_embd = req("embedding_length");
    hp.n_layer = req("block_count");
    // gpt-oss states its experts' width; its feed_forward_length (the same) may be left out.
    const bool nemotron_h = arch == "nemotron_h" || arch == "nemotron_h_moe";
    const GgufValue* ff_key = f.find(P + "feed_forward_length");
    const bool deci = arch == "deci";  // Llama-Nemotron: heads and widths per layer
    if (deci)
        read_deci_layout(f, P, hp);
    else if (nemotron_h || (gemma4 && ff_key && ff_key->as_array()))  // Gemma 4: wider where shared
        read_layer_widths(f, P, hp);
    else
        hp.n_ff = f.find(P + "feed_forward_length") || !f.find(P + "expert_feed_forward_length")
                      ? req("feed_forward_length")
                      : req("expert_feed_forward_length");
    if (!deci) hp.n_head = req("attention.head_count");
    hp.n_ctx_train = req("context_length");
    const bool lfm2 = arch == "lfm2" || arch == "lfm2moe";
    if (gemma4)
        read_gemma4_layout(f, P, hp);
    else if (!deci)
        read_kv_heads(f, P, lfm2 || hybrid || nemotron_h, hp);
    if (nemotron_h) split_nemotron_layers(f, P, hp);
    if (qwen35) read_qwen35_layout(f, P, hp);
    hp.delta_net_grouped = qwen3next;
    if (lfm2 && hp.n_recurrent_layer())
        hp.conv_kernel =
            positive_int(f, P + "shortconv.l_cache", f.require_int(P + "shortconv.l_cache"));
    if ((hybrid || nemotron_h) && hp.n_recurrent_layer()) read_mamba2_hparams(f, P, hp);
    const bool falcon_h1 = arch == "falcon-h1", seed_oss = arch == "seed_oss";
    const bool cohere = arch == "command-r" || arch == "cohere2";
    if (falcon_h1) {
        read_mamba2_hparams(f, P, hp);
        hp.ssm_beside_attention = true;
    }
    if (nemotron_h) hp.rope_off = true;            // as llama.cpp builds it
    hp.ffn_relu2 = nemotron_h || arch == "arcee";  // a feed-forward of ReLU squared, no gate
    // Heads are n_embd / n_head wide unless the file says otherwise (Qwen3's are wider).
    const int64_t key_length = f.get_int(P + "attention.key_length").value_or(0);
    const int64_t value_length = f.get_int(P + "attention.value_length").value_or(key_length);
    if (value_length != key_length && !deepseek2 && !minicpm3)  // their latent and rotated key
        fail(path, ": ", P, "attention.key_length ", key_length, " and value_length ", value_length,
             " differ; heads of two sizes are not supported");
    if (!key_length && hp.n_embd % hp.n_head != 0)
        fail(path, ": embedding length ", hp.n_embd, " is not divisible by the head count ",
             hp.n_head);
    if (hp.n_head % hp.n_head_kv != 0)
        fail(path, ": head count ", hp.n_head, " is not a multiple of the KV head count ",
             hp.n_head_kv);
    hp.head_dim = key_length ? positive_int(f, P + "attention.key_length", key_length)
                             : hp.n_embd / hp.n_head;
    hp.n_rot = positive_int(f, P + "rope.dimension_count",
                            f.get_int(P + "rope.dimension_count").value_or(hp.head_dim));
    if (hp.n_rot > hp.head_dim || hp.n_rot % 2)
        fail(path, ": ", P, "rope.dimension_count ", hp.n_rot,
             " must be even and at most the head size ", hp.head_dim);
    hp.rms_eps = float(f.get_float(P + "attention.layer_norm_rms_epsilon").value_or(1e-5));
    hp.rope_base = float(f.get_float(P + "rope.freq_base").value_or(10000.0));
    // GLM-4 rotates adjacent pairs, as llama does.
    hp.rope_neox = arch == "qwen2" || arch == "qwen2moe" || arch == "qwen3" || arch == "qwen3moe" ||
                   mrope || arch == "phi3" || gemma || gemma4 || olmo2 || arch == "exaone" ||
                   gpt_oss || exaone4 || lfm2 || glm4moe || qwen3next || falcon_h1 || seed_oss ||
                   olmoe || hunyuan || arch == "apertus" || minicpm3 || arch == "dots1" ||
                   bailing2 || minimax || arch == "smallthinker";
    hp.qk_norm_after_rope = hunyuan;
    // Hunyuan's dense models: NTK-aware RoPE, base times alpha^(d / (d - 2)) for heads of d.
    if (const double alpha = f.get_float(P + "rope.scaling.alpha").value_or(0);
        alpha != 0 && arch == "hunyuan-dense") {
        if (!(alpha > 0 && std::isfinite(alpha)) || hp.head_dim <= 2)
            fail(path, ": ", P, "rope.scaling.alpha ", alpha, " with heads of ", hp.head_dim,
                 " cannot scale the RoPE base (a positive alpha and heads wider than 2 can)");
        hp.rope_base *= std::pow(float(alpha), float(hp.head_dim) / float(hp.head_dim - 2));
    }
    hp.qk_norm_whole = olmo2 || olmoe || minimax;
    if (auto n = f.get_int(P + "expert_count"); n && *n != 0)
        hp.n_expert = positive_int(f, P + "expert_count", *n);
    if (hp.n_expert) {
        hp.n_expert_used = positive_int(f, P + "expert_used_count",
                                        f.get_int(P + "expert_used_count").value_or(0));
        if (hp.n_expert_used > hp.n_expert)
            fail(path, ": ", P, "expert_used_count ", hp.n_expert_used, " exceeds expert_count ",
                 hp.n_expert);
        // Qwen3-MoE states its experts' width; Mixtral's is the feed-forward length; Qwen2-MoE's
        // is that over the experts used unless stated (as llama.cpp takes it).
        if (const auto w = f.get_int(P + "expert_feed_forward_length"); w || qwen2moe) {
            hp.n_ff_dense = hp.n_ff;
            hp.n_ff = w ? positive_int(f, P + "expert_feed_forward_length", *w)
                        : std::max(1, hp.n_ff / hp.n_expert_used);
        }
        read_expert_gating(f, P, hp);
        read_expert_groups(f, P, hp);
        if (olmoe || qwen2moe) hp.expert_weights_norm = false;  // as llama.cpp builds them
        if (arch == "nemotron_h_moe") read_nemotron_experts(f, P, hp);
    }
    if (arch == "llama4") read_llama4_hparams(f, P, hp);
    if (arch == "apertus") read_xielu(f, hp);
    if (arch == "smallthinker") read_smallthinker_hparams(f, P, hp);
    if (deepseek2) read_deepseek2_hparams(f, P, hp);
    if (minicpm3) read_minicpm3_hparams(f, P, hp);
    if (arch == "dots1") read_deepseek_experts(f, P, false, hp);  // Qwen3's attention
    if (minimax) {  // always renormalised, as llama.cpp builds them
        read_deepseek_experts(f, P, false, hp);
        hp.expert_weights_norm = true;
    }
    if (bailing2) {  // the same, each shared expert's width stated, a further-token block after
        drop_nextn_layers(f, P, hp);
        read_deepseek_experts(f, P, false, hp);
        if (const auto w = f.get_int(P + "expert_shared_feed_forward_length"))
            hp.n_ff_shared = positive_int(f, P + "expert_shared_feed_forward_length", *w) *
                             int(f.get_int(P + "expert_shared_count").value_or(0));
    }
    if (arch == "deepseek") {  // DeepSeek-MoE's first version: softmax, never renormalised
        read_deepseek_experts(f, P, false, hp);
        hp.expert_sigmoid = hp.expert_weights_norm = false;
        if (const auto s = f.get_float(P + "attention.scale"); s && *s > 0)
            hp.attn_scale = float(*s);
    }
    if (glm4moe) {  // its layers after the model's own predict further tokens
        drop_nextn_layers(f, P, hp);
        read_deepseek_experts(f, P, true, hp);
    }
    if (cohere) read_cohere_hparams(f, P, arch == "cohere2", hp);
    if (gemma) read_gemma_hparams(f, arch, hp);
    if (gemma4) read_gemma4_hparams(f, P, hp);
    if (gemma3n) read_gemma3n_hparams(f, P, hp);
    if (granite) read_granite_hparams(f, arch, hp);
    if (gpt_oss) {  // every other layer windowed; the clamped SwiGLU is the architecture's
        read_windows(f, P, 0, 2, hp);
        hp.swiglu_oai = true;
    }
    // EXAONE 4.0: the 32B model (64 layers, as llama.cpp tells them apart) has windows on three
    // layers of four, and only those rotate; the 1.2B model has neither.
    if (exaone4 && hp.n_layer == 64) {
        read_windows(f, P, 4096, 4, hp);
        hp.rope_windowed_only = true;
    }
    // LFM2 files may window every attention layer (llama.cpp reads the key when it is there;
    // for LFM2-MoE it does not, so neither does this engine).
    if (arch == "lfm2" && f.get_int(P + "attention.sliding_window").value_or(0) > 0)
        read_windows(f, P, 0, 0, hp);
    // OLMo 3: OLMo 2's layers with windows on three layers of four.
    if (olmo2 && f.get_int(P + "attention.sliding_window").value_or(0) > 0)
        read_olmo3_windows(f, P, hp);
    const bool ernie_moe = arch == "ernie4_5-moe";
    if (ernie_moe) {  // its experts in every layer after the leading dense ones
        const int64_t step = f.get_int(P + "interleave_moe_layer_step").value_or(1);
        if (step != 1)
            fail(path, ": ", P, "interleave_moe_layer_step ", step,
                 ": experts in every other layer are not supported (1: every layer after the "
                 "leading dense ones)");
    }
    // llama.cpp reads it for these only
    if ((granite || qwen35 || nemotron_h || ernie_moe || hunyuan_moe || qwen2moe) && hp.n_expert)
        hp.n_ff_shared = int(f.get_int(P + "expert_shared_feed_forward_length").value_or(0));
    // Their shared expert is always there, as wide as the dense feed-forward unless stated.
    if ((hunyuan_moe || qwen2moe) && hp.n_expert && hp.n_ff_shared == 0)
        hp.n_ff_shared = hp.n_ff_dense ? hp.n_ff_dense : hp.n_ff;
    if (hp.n_ff_shared < 0) fail(path, ": ", P, "expert_shared_feed_forward_length is negative");
    if (arch == "smollm3") hp.nope_step = 4;  // fixed by the architecture, as in llama.cpp
    if (!qwen35 && !deepseek2 && !glm4moe && !bailing2 &&
        f.get_int(P + "nextn_predict_layers").value_or(0) > 0)
        fail(path, ": ", P, "nextn_predict_layers: layers that predict further tokens ",
             "are not supported for this architecture");
    if (f.find(P + "rope.dimension_sections") && !mrope && arch != "glm4" && !glm4moe)
        fail(path, ": ", P, "rope.dimension_sections: multimodal RoPE is supported for Qwen2-VL, ",
             "Qwen3-VL and GLM-4.1V only");
    // phi3.attention.sliding_window is not applied, as llama.cpp does not apply it either (the
    // 4k Phi-3 models declare 2047; it matters only past that many tokens).
    hp.rope_attn_factor = float(f.get_float(P + "rope.scaling.attn_factor").value_or(1.0));
    hp.n_ctx_orig = int(f.get_int(P + "rope.scaling.original_context_length").value_or(0));
    bool yarn = false, longrope = false;
    if (auto type = f.get_string(P + "rope.scaling.type")) {
        if (*type == "linear" || *type == "yarn") {
            hp.rope_scale = float(f.get_float(P + "rope.scaling.factor").value_or(1.0));
            yarn = *type == "yarn";
        } else if (*type == "longrope") {  // its short and long factors, read below
            longrope = true;
        } else if (*type != "none") {
            fail(path, ": RoPE scaling type \"", *type,
                 "\" is not supported (linear, yarn, longrope or none)");
        }
    } else if (auto s = f.get_float(P + "rope.scale_linear")) {
        hp.rope_scale = float(*s);
    }
    if (!(hp.rope_scale > 0))
        fail(path, ": RoPE scaling factor ", hp.rope_scale, " must be positive");

    m->tokenizer_ = Tokenizer::from_gguf(f);
    hp.n_vocab = m->tokenizer_->n_vocab();
    if (auto v = f.get_int(P + "vocab_size"); v && *v != hp.n_vocab)
        fail(path, ": ", P, "vocab_size is ", *v, " but the tokenizer has ", hp.n_vocab, " tokens");

    m->token_embd_ = m->matrix("token_embd.weight", hp.n_vocab, hp.n_embd);
    if (gemma4) m->read_gemma4_inputs();
    if (gemma3n) m->read_altup();
    for (int l = 0; l < hp.n_layer; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        LlamaLayer L;
        // Llama-Nemotron's layers without attention have no norm before it.
        L.attn_norm = post_norms_only || (deci && hp.ffn_only(l))
                          ? m->optional_vector(p + "attn_norm.weight", hp.n_embd)
                          : m->vector(p + "attn_norm.weight", hp.n_embd);
        if (hp.ssm_beside_attention) {
            m->read_attention(L, p, l);
            m->read_mamba2(L, p);
        } else if (hp.conv(l))
            m->read_convolution(L, p);
        else if (hp.ssm(l) && hp.delta_net)
            m->read_delta_net(L, p);
        else if (hp.ssm(l))
            m->read_mamba2(L, p);
        else if (hp.mla())
            m->read_latent_attention(L, p);
        else if (hp.linear_attn(l))  // Llama-Nemotron's: one projection instead of attention
            L.wo = m->matrix(p + "attn_output.weight", hp.n_embd, hp.n_embd);
        else if (!hp.ffn_only(l))
            m->read_attention(L, p, l);
        if (!hp.has_ffn(l)) {  // Nemotron-H's mixer layers
            m->layers_.push_back(L);
            continue;
        }
        if (nemotron_h && !hp.moe(l)) {  // Nemotron-H's feed-forward layers: no gate
            L.ffn_norm = L.attn_norm;
            const int ff = hp.layer_ff[size_t(l)];
            L.w_up = m->matrix(p + "ffn_up.weight", ff, hp.n_embd);
            L.w_down = m->matrix(p + "ffn_down.weight", hp.n_embd, ff);
            m->layers_.push_back(L);
            continue;
        }
        // Nemotron's blocks have one norm; gpt-oss, Qwen3.5, GLM-4.5 and Seed-OSS name the norm
        // before the feed-forward post_attention_norm.
        const bool ffn_norm_post = gpt_oss || qwen35 || glm4moe || seed_oss;
        // Falcon-H1's is named without ".weight", as its converter writes it.
        const bool bare_ffn_norm = falcon_h1 && f.tensor(p + "ffn_norm");
        L.ffn_norm = hp.parallel_ffn   ? nullptr  // Cohere's: beside attention, on its input
                     : nemotron_h      ? L.attn_norm
                     : bare_ffn_norm   ? m->vector(p + "ffn_norm", hp.n_embd)
                     : post_norms_only ? m->optional_vector(p + "ffn_norm.weight", hp.n_embd)
                     : ffn_norm_post   ? m->vector(p + "post_attention_norm.weight", hp.n_embd)
                                       : m->vector(p + "ffn_norm.weight", hp.n_embd);
        if (hp.moe(l)) {
            if (!f.tensor(p + "ffn_gate_exps.weight") && f.tensor(p + "ffn_gate.0.weight"))
                fail(path, ": experts stored one tensor each (", p,
                     "ffn_gate.0.weight) are an old layout; convert the model again with a "
                     "current llama.cpp");
            L.router = m->matrix(p + "ffn_gate_inp.weight", hp.n_expert, hp.n_embd);
            if (f.tensor(p + "ffn_gate_up_exps.weight")) {  // fused: per expert, gate then up
                for (const WeightMatrix& gu : m->matrices(p + "ffn_gate_up_exps.weight",
                                                          hp.n_expert, 2 * hp.n_ff, hp.n_embd)) {
                    L.e_gate.push_back(band(gu, 0, hp.n_ff));
                    L.e_up.push_back(band(gu, hp.n_ff, hp.n_ff));
                }
            } else {
                if (!hp.ffn_relu2)  // Nemotron 3's experts have no gate
                    L.e_gate =
                        m->matrices(p + "ffn_gate_exps.weight", hp.n_expert, hp.n_ff, hp.n_embd);
                L.e_up = m->matrices(p + "ffn_up_exps.weight", hp.n_expert, hp.n_ff, hp.n_embd);
            }
            L.e_down = m->matrices(p + "ffn_down_exps.weight", hp.n_expert, hp.n_embd, hp.n_ff);
            L.router_bias = m->optional_vector(p + "ffn_gate_inp.bias", hp.n_expert);
            const int64_t ne = hp.n_expert;
            L.e_gate_bias = m->optional_vector(p + "ffn_gate_exps.bias", ne * hp.n_ff);
            L.e_up_bias = m->optional_vector(p + "ffn_up_exps.bias", ne * hp.n_ff);
            L.e_down_bias = m->optional_vector(p + "ffn_down_exps.bias", ne * hp.n_embd);
            L.expert_select_bias = m->optional_vector(p + "exp_probs_b.bias", ne);
        } else if (hp.ffn_relu2 || !hp.xielu.empty()) {  // Arcee's and Apertus's: no gate
            L.w_up = m->matrix(p + "ffn_up.weight", hp.n_ff, hp.n_embd);
        } else if (f.tensor(p + "ffn_gate.weight")) {
            // LFM2-MoE's first layers; Gemma 4's widths per layer
            const int ff = hp.n_expert ? hp.n_ff_dense : hp.ffn_width(l);
            L.w_gate = m->matrix(p + "ffn_gate.weight", ff, hp.n_embd);
            L.w_up = m->matrix(p + "ffn_up.weight", ff, hp.n_embd);
        } else {  // fused: the gate's rows, then the up projection's
            const WeightMatrix gu = m->matrix(p + "ffn_up.weight", 2 * hp.n_ff, hp.n_embd);
            L.w_gate = band(gu, 0, hp.n_ff);
            L.w_up = band(gu, hp.n_ff, hp.n_ff);
        }
        if (!hp.moe(l)) L.w_down = m->matrix(p + "ffn_down.weight", hp.n_embd, L.w_up.rows);
        if (hp.moe(l) && hp.n_ff_shared) {
            if (!hp.ffn_relu2)  // nor has its shared expert
                L.sh_gate = m->matrix(p + "ffn_gate_shexp.weight", hp.n_ff_shared, hp.n_embd);
            L.sh_up = m->matrix(p + "ffn_up_shexp.weight", hp.n_ff_shared, hp.n_embd);
            L.sh_down = m->matrix(p + "ffn_down_shexp.weight", hp.n_embd, hp.n_ff_shared);
            L.sh_gate_inp = m->optional_vector(p + "ffn_gate_inp_shexp.weight", hp.n_embd);
        }
        if (!ffn_norm_post)
            L.post_attn_norm = m->optional_vector(p + "post_attention_norm.weight", hp.n_embd);
        L.post_ffn_norm = m->optional_vector(p + "post_ffw_norm.weight", hp.n_embd);
        if (gemma4) m->read_gemma4_layer(L, p, l);
        if (gemma3n) m->read_altup_layer(L, p);
        m->layers_.push_back(L);
    }
    // Llama 3.1's rope_freqs, or Phi-3's short factors; Phi-3's long ones past n_ctx_orig.
    auto factors = [&](const char* name, std::vector<float>& out) {
        if (!f.tensor(name)) return;
        const float* ff = m->vector(name, hp.n_rot / 2);
        out.assign(ff, ff + hp.n_rot / 2);
        for (float x : out)
            if (!(x > 0) || !std::isfinite(x))
                fail(path, ": ", name, " holds ", x, "; every factor must be positive");
    };
    factors("rope_freqs.weight", hp.rope_freq_factors);
    factors("rope_factors_short.weight", hp.rope_freq_factors);
    factors("rope_factors_long.weight", hp.rope_freq_factors_long);
    // LongRoPE's long factors take over past the original context, the trained one unless stated
    // (as llama.cpp takes it).
    if ((longrope || minicpm3) && hp.n_ctx_orig <= 0) hp.n_ctx_orig = hp.n_ctx_train;
    if (!hp.rope_freq_factors_long.empty() && hp.n_ctx_orig <= 0)
        fail(path, ": rope_factors_long.weight needs ", P, "rope.scaling.original_context_length");
    if (yarn) apply_yarn(f, P, arch, hp);
    if (deepseek2) deepseek2_attention_scale(f, P, yarn, hp);
    if (mrope) read_mrope_sections(f, P, arch == "qwen3vl" || arch == "qwen3vlmoe" || qwen35, hp);
    if (arch == "mistral3") {  // llama 4's attention temperature, past the original context
        hp.attn_temp_scale = float(f.get_float(P + "attention.temperature_scale").value_or(0.0));
        hp.attn_temp_floor = hp.n_ctx_orig > 0 ? hp.n_ctx_orig : hp.n_ctx_train;
    }
    // Biases anywhere else (a dense feed-forward, norms) would be silently left out: refuse them.
    const char* applied[] = {".attn_q.",        ".attn_k.",      ".attn_v.",
                             ".attn_qkv.",      ".attn_output.", ".ffn_gate_inp.",
                             ".ffn_gate_exps.", ".ffn_up_exps.", ".ffn_down_exps.",
                             ".exp_probs_b.",   ".ssm_conv1d.",  ".ssm_dt."};
    for (const auto& t : f.tensors()) {
        const std::string& n = t.name;
        if (n.size() > 5 && n.compare(n.size() - 5, 5, ".bias") == 0 &&
            std::none_of(std::begin(applied), std::end(applied),
                         [&](const char* a) { return n.find(a) != n.npos; }))
            fail(path, ": tensor ", n, " is a bias this engine does not apply");
    }
    // LFM2's files name the final norm token_embd_norm.
    m->output_norm_ = m->vector(lfm2 ? "token_embd_norm.weight" : "output_norm.weight", hp.n_embd);
    // Cohere's output is always its token embeddings, as llama.cpp reads it.
    m->output_ = f.tensor("output.weight") && !cohere
                     ? m->matrix("output.weight", hp.n_vocab, hp.n_embd)
                     : m->token_embd_;
    return m;
}

void LlamaModel::read_attention(LlamaLayer& L, const std::string& prefix, int layer) const {
    const LlamaHParams& hp = hp_;
    const int kv_dim = hp.layer_kv_dim(layer), qd = hp.layer_q_dim(layer);
    const int hd = hp.head_size(layer);
    const int q_rows = hp.attn_output_gate ? 2 * qd : qd;  // Qwen3.5: each head's query, gates
    const bool whole = hp.qk_norm_whole;                   // OLMo 2's norms span the projections
    if (file_.tensor(prefix + "attn_qkv.weight")) {  // fused: Q, K and V rows one after another
        const WeightMatrix qkv = matrix(prefix + "attn_qkv.weight", q_rows + 2 * kv_dim, hp.n_embd);
        L.wq = band(qkv, 0, q_rows);
        L.wk = band(qkv, q_rows, kv_dim);
        L.wv = band(qkv, q_rows + kv_dim, kv_dim);
        if (const float* b = optional_vector(prefix + "attn_qkv.bias", q_rows + 2 * kv_dim)) {
            L.bq = b;  // GLM-4: the three biases end to end too
            L.bk = b + q_rows;
            L.bv = b + q_rows + kv_dim;
        }
    } else {
        L.wq = matrix(prefix + "attn_q.weight", q_rows, hp.n_embd);
        // Gemma 4's and 3n's layers that share another's keys and values may have no
        // projections of their own, and a Gemma 4 layer without attn_v uses its keys as values.
        const bool owns = hp.owns_kv(layer);
        const bool v_optional = arch_ == "gemma4" || (arch_ == "gemma3n" && !owns);
        if (owns || file_.tensor(prefix + "attn_k.weight"))
            L.wk = matrix(prefix + "attn_k.weight", kv_dim, hp.n_embd);
        if (!v_optional || file_.tensor(prefix + "attn_v.weight"))
            L.wv = matrix(prefix + "attn_v.weight", kv_dim, hp.n_embd);
        L.bq = optional_vector(prefix + "attn_q.bias", q_rows);
        L.bk = optional_vector(prefix + "attn_k.bias", kv_dim);
        L.bv = optional_vector(prefix + "attn_v.bias", kv_dim);
    }
    L.wo = matrix(prefix + "attn_output.weight", hp.n_embd, qd);
    L.bo = optional_vector(prefix + "attn_output.bias", hp.n_embd);
    // Command R+'s have weights for each head: as wide as the projections, as OLMo 2's are.
    const bool wide = whole || hp.qk_norm_head_weights;
    L.q_norm = optional_vector(prefix + "attn_q_norm.weight", wide ? qd : hd);
    L.k_norm = optional_vector(prefix + "attn_k_norm.weight", wide ? kv_dim : hd);
    L.attn_sinks = optional_vector(prefix + "attn_sinks.weight", hp.n_head);
}

void LlamaModel::read_convolution(LlamaLayer& L, const std::string& prefix) const {
    const int d = hp_.n_embd;
    L.conv_in = matrix(prefix + "shortconv.in_proj.weight", 3 * d, d);
    L.conv_filter = vector(prefix + "shortconv.conv.weight", int64_t(d) * hp_.conv_kernel);
    L.conv_out = matrix(prefix + "shortconv.out_proj.weight", d, d);
}

void LlamaModel::read_mamba2(LlamaLayer& L, const std::string& prefix) const {
    const LlamaHParams& hp = hp_;
    const int64_t channels = hp.ssm_channels();
    L.ssm_in = matrix(prefix + "ssm_in.weight", hp.ssm_inner + channels + hp.ssm_heads, hp.n_embd);
    L.ssm_conv = vector(prefix + "ssm_conv1d.weight", channels * hp.conv_kernel);
    L.ssm_conv_bias = optional_vector(prefix + "ssm_conv1d.bias", channels);
    L.ssm_dt_bias = vector(prefix + "ssm_dt.bias", hp.ssm_heads);
    L.ssm_a = vector(prefix + "ssm_a", hp.ssm_heads);
    L.ssm_d = vector(prefix + "ssm_d", hp.ssm_heads);
    L.ssm_norm = optional_vector(prefix + "ssm_norm.weight", hp.ssm_inner);
    L.ssm_out = matrix(prefix + "ssm_out.weight", hp.n_embd, hp.ssm_inner);
}

void LlamaModel::read_delta_net(LlamaLayer& L, const std::string& prefix) const {
    const LlamaHParams& hp = hp_;
    const int64_t channels = hp.ssm_channels(), d = hp.n_embd;
    if (hp.delta_net_grouped && file_.tensor(prefix + "ssm_in.weight") &&
        !file_.tensor(prefix + "attn_qkv.weight")) {  // Qwen3-Next's older files
        L.ssm_qkvz = matrix(prefix + "ssm_in.weight", channels + hp.ssm_inner, d);
    } else {
        L.ssm_in = matrix(prefix + "attn_qkv.weight", channels, d);
        L.ssm_z = matrix(prefix + "attn_gate.weight", hp.ssm_inner, d);
    }
    if (hp.delta_net_grouped) {
        L.ssm_ba = matrix(prefix + "ssm_ba.weight", 2 * int64_t(hp.ssm_heads), d);
    } else {
        L.ssm_beta = matrix(prefix + "ssm_beta.weight", hp.ssm_heads, d);
        L.ssm_alpha = matrix(prefix + "ssm_alpha.weight", hp.ssm_heads, d);
    }
    L.ssm_conv = vector(prefix + "ssm_conv1d.weight", channels * hp.conv_kernel);
    L.ssm_dt_bias = vector(prefix + "ssm_dt.bias", hp.ssm_heads);
    L.ssm_a = vector(prefix + "ssm_a", hp.ssm_heads);
    L.ssm_norm = vector(prefix + "ssm_norm.weight", hp.ssm_state);
    L.ssm_out = matrix(prefix + "ssm_out.weight", d, hp.ssm_inner);
}

WeightMatrix LlamaModel::matrix(const std::string& name, int64_t rows, int64_t cols) const {
    const GgufTensorInfo* t = &file_.computable(name);
    const TypeTraits* tr = type_traits(uint32_t(t->type));
    if (t->dims.size() != 2 || int64_t(t->dims[0]) != cols || int64_t(t->dims[1]) != rows) {
        if (name == "token_embd.weight" && t->dims.size() == 2 && int64_t(t->dims[0]) == cols)
            fail(file_.path(), ": the vocabulary has ", rows, " tokens but token_embd.weight has ",
                 t->dims[1], " rows");
        fail(file_.path(), ": tensor ", name, " has shape ", t->shape_string(), ", expected [",
             cols, ", ", rows, "]");
    }
    return WeightMatrix{t, rows, cols, row_bytes(*tr, uint64_t(cols))};
}

std::vector<WeightMatrix> LlamaModel::matrices(const std::string& name, int64_t n, int64_t rows,
                                               int64_t cols) const {
    const GgufTensorInfo* t = &file_.computable(name);
    if (t->dims.size() != 3 || int64_t(t->dims[0]) != cols || int64_t(t->dims[1]) != rows ||
        int64_t(t->dims[2]) != n)
        fail(file_.path(), ": tensor ", name, " has shape ", t->shape_string(), ", expected [",
             cols, ", ", rows, ", ", n, "]");
    const TypeTraits* tr = type_traits(uint32_t(t->type));
    const WeightMatrix all{t, n * rows, cols, row_bytes(*tr, uint64_t(cols))};
    std::vector<WeightMatrix> out;
    for (int64_t e = 0; e < n; ++e) out.push_back(band(all, e * rows, rows));
    return out;
}

const float* LlamaModel::vector(const std::string& name, int64_t n) const {
    return file_.f32_vector(name, n);
}

int LlamaHParams::max_kv_dim() const {
    int m = kv_dim();
    for (int l = 0; l < n_layer; ++l)
        if (attention(l)) m = std::max(m, layer_kv_dim(l));
    return m;
}

std::vector<int> LlamaHParams::kv_rows() const {
    std::vector<int> rows;
    for (int l = 0; l < n_layer; ++l)
        if (owns_kv(l)) rows.push_back(layer_kv_dim(l));
    return rows;
}

LlamaHParams context_hparams(const LlamaHParams& hp, int n_ctx) {
    LlamaHParams c = hp;
    if (!hp.rope_freq_factors_long.empty() && n_ctx > hp.n_ctx_orig)
        c.rope_freq_factors = hp.rope_freq_factors_long;
    return c;
}

const float* LlamaModel::optional_vector(const std::string& name, int64_t n) const {
    return file_.f32_vector(name, n, false);
}

uint64_t LlamaModel::n_params() const {
    uint64_t n = 0;
    for (const auto& t : file_.tensors()) n += t.n_elements;
    return n;
}

uint64_t LlamaModel::weight_bytes() const {
    uint64_t n = 0;
    for (const auto& t : file_.tensors()) n += t.n_bytes;
    for (const auto& t : made_) n += t->info.n_bytes;  // kept beside the mapped file
    return n;
}

}  // namespace nqkv
