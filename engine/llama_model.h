// A llama-family model as stored in a GGUF file: hyperparameters from the `llama.*` keys (or
// `qwen2.*`, `qwen3.*`, `phi3.*`, `gemma*.*`: variations on llama that differ in a few named
// places below) and the weight tensors, left mmapped in their file type.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/gguf_file.h"
#include "engine/tokenizer.h"

namespace nqkv {

struct LlamaHParams {
    int n_vocab = 0;
    int n_ctx_train = 0;
    int n_embd = 0;
    int n_layer = 0;
    int n_ff = 0;
    int n_head = 0;
    int n_head_kv = 0;
    int head_dim = 0;
    int n_rot = 0;  // rotated dimensions per head
    float rms_eps = 1e-5f;
    float rope_base = 10000.f;
    float rope_scale = 1.f;  // linear position scaling: positions are divided by this
    // Per rotated pair, the angle is divided by this (rope_freqs.weight: Llama 3.1's long-context
    // RoPE); empty when the model has none.
    std::vector<float> rope_freq_factors;
    // RoPE pairs: false rotates adjacent dimensions (2i, 2i+1), GGUF's "normal" layout for llama;
    // true rotates (i, i + n_rot/2), the NeoX layout Qwen2 uses.
    bool rope_neox = false;
    // Phi-3's long-context factors, used instead of rope_freq_factors by a context longer than
    // n_ctx_orig (context_hparams); empty otherwise.
    std::vector<float> rope_freq_factors_long;
    int n_ctx_orig = 0;
    float rope_attn_factor = 1.f;  // cos and sin are scaled by this (Phi-3's long RoPE)
    // YaRN's factor (0: none), for display: the loader folds YaRN into rope_freq_factors and
    // rope_attn_factor.
    float rope_yarn_factor = 0;
    // Qwen2-VL's, Qwen2.5-VL's and Qwen3-VL's multimodal RoPE (rope.dimension_sections: pairs
    // for time, height, width and a fourth position; interleaved in Qwen3-VL), for display. A
    // text token has its position in the first three and 0 in the fourth, so the fourth's pairs
    // never turn: the loader gives them a frequency factor of infinity (an angle of 0) and the
    // rest turn as NeoX RoPE's do.
    std::vector<int> rope_sections;
    bool rope_interleaved = false;

    // Gemma. Token embeddings are multiplied by embd_scale; the gate goes through GELU (tanh
    // form) instead of SiLU; attention scores are q.k * attn_scale, then, when attn_softcap is
    // set, c * tanh(score / c); final logits likewise with final_softcap.
    float embd_scale = 1.f;
    bool ffn_gelu = false;
    float attn_scale = 0;  // 0: 1/sqrt(head_dim)
    float attn_softcap = 0, final_softcap = 0;
    // Sliding-window layers attend to the swa_window latest positions only (the token's own
    // included); with swa_pattern p, layer l is windowed unless l % p == p - 1 (every layer when
    // p is 0). When rope_base_swa is set, windowed layers rotate with that base and no position
    // scaling or frequency factors (Gemma 3's local layers); otherwise as every other layer.
    // Gemma 4 lists the windowed layers instead (swa_layers, one flag per layer).
    // rope_swa_unscaled: nor the RoPE attention factor (OLMo 3, whose YaRN is the full layers').
    int swa_window = 0, swa_pattern = 0;
    float rope_base_swa = 0;
    bool rope_swa_unscaled = false;
    std::vector<uint8_t> swa_layers;
    bool windowed(int layer) const {
        if (!attention(layer) || swa_window <= 0) return false;
        if (!swa_layers.empty()) return swa_layers[size_t(layer)] != 0;
        return swa_pattern == 0 || layer % swa_pattern < swa_pattern - 1;
    }
    // Llama 4's chunked attention instead: a windowed layer attends to the positions of the
    // token's own chunk of swa_window (from the last multiple of swa_window up to the token).
    bool swa_chunked = false;
    // The first position a query at pos attends to in this layer.
    int first_key(int layer, int pos) const {
        if (!windowed(layer)) return 0;
        return swa_chunked ? pos / swa_window * swa_window : std::max(0, pos + 1 - swa_window);
    }
    int windowed_layers() const {
        int n = 0;
        for (int l = 0; l < n_layer; ++l) n += windowed(l);
        return n;
    }

    // Granite: each attention and feed-forward output is multiplied by residual_scale before it
    // joins the residual stream, and the logits are divided by logit_scale (its token
    // embeddings scaled by embd_scale and scores by attn_scale, as above).
    float residual_scale = 1.f, logit_scale = 1.f;
    // Layers that skip RoPE: every one (rope_off: Granite files that say so), every
    // nope_step-th (SmolLM3: layer l when (l + 1) % 4 == 0; 0 for none), or every layer that
    // sees the whole context where others see a window (rope_windowed_only: EXAONE 4.0 32B).
    bool rope_off = false;
    int nope_step = 0;
    bool rope_windowed_only = false;
    bool roped(int layer) const {
        return !rope_off && (nope_step == 0 || (layer + 1) % nope_step != 0) &&
               (!rope_windowed_only || windowed(layer));
    }
    // OLMo 2: the query and key norms span the whole projection, not each head.
    bool qk_norm_whole = false;
    // Cohere's Command-R and Command R7B/A: LayerNorm (the mean taken out too; no biases)
    // wherever the model normalises; attention and the feed-forward side by side on the same
    // normed input, both added to the residual stream (no ffn_norm); Command R+'s query and key
    // norms give each head weights of its own.
    bool layer_norm = false, parallel_ffn = false, qk_norm_head_weights = false;
    // Hunyuan: the query and key norms come after RoPE, not before.
    bool qk_norm_after_rope = false;
    // Attention temperature (Llama 4; Mistral 3 and DeepSeek's without the offset): the query
    // at position p is multiplied by 1 + attn_temp_scale * ln(floor((p + attn_temp_offset) /
    // attn_temp_floor) + 1), which is 1 within the first attn_temp_floor positions; 0: none.
    // Llama 4 scales only the queries of the layers without RoPE (attn_temp_unroped).
    float attn_temp_scale = 0;
    int attn_temp_floor = 1, attn_temp_offset = 0;
    bool attn_temp_unroped = false;
    float attn_temperature(int pos) const {
        if (attn_temp_scale == 0) return 1.f;
        return std::log(std::floor(float(pos + attn_temp_offset) / float(attn_temp_floor)) + 1.f) *
                   attn_temp_scale +
               1.f;
    }
    float query_temperature(int layer, int pos) const {
        return attn_temp_unroped && roped(layer) ? 1.f : attn_temperature(pos);
    }
    // Llama 4: after RoPE, the queries and keys of the layers with RoPE are RMS-normed per head
    // without a weight.
    bool qk_plain_norm_roped = false;

    // Mixture of experts (Mixtral: llama with experts; Qwen3-MoE: qwen3moe): each layer's
    // feed-forward is n_expert SwiGLU experts of width n_ff (the expert width); a router picks
    // n_expert_used per token by softmax, and their outputs are summed with those
    // probabilities, renormalised over the chosen ones. 0: a dense feed-forward.
    int n_expert = 0, n_expert_used = 0;
    // LFM2-MoE: the router's sigmoid instead of its softmax gives each expert's weight; experts
    // are picked by that weight plus the layer's selection bias (exp_probs_b) and their weights
    // renormalised to sum to 1. Its first dense_lead layers have a dense feed-forward of width
    // n_ff_dense instead of experts.
    bool expert_sigmoid = false;
    int dense_lead = 0, n_ff_dense = 0;
    // The chosen experts' weights renormalised to sum to 1 (every family but Nemotron 3, whose
    // expert_weights_norm says), then multiplied by expert_weights_scale (Nemotron 3's).
    bool expert_weights_norm = true;
    float expert_weights_scale = 1.f;
    // Llama 4: experts in every moe_step-th layer only (layer l when (l + 1) % moe_step == 0),
    // the others dense of n_ff_dense; 0: every layer after dense_lead. Its router picks the
    // experts by their logits, and each chosen expert reads its input times the sigmoid of its
    // logit (expert_weight_first); their outputs are summed as they are.
    int moe_step = 0;
    bool expert_weight_first = false;
    bool moe(int layer) const {
        return n_expert > 0 && layer >= dense_lead &&
               (moe_step == 0 || (layer + 1) % moe_step == 0);
    }
    // SmallThinker: the router reads each layer's input (before attention and its norm), and
    // the experts' gates go through ReLU instead of SiLU.
    bool router_on_input = false, ffn_relu_gate = false;
    // gpt-oss's clamped gate: min(g, 7) * sigmoid(1.702 min(g, 7)) * (clamp(u, -7, 7) + 1)
    // instead of silu(g) * u.
    bool swiglu_oai = false;

    // Layers whose mixer is not attention (their entry in attention.head_count_kv is 0, or
    // Qwen3.5's three of every full_attention_interval): LFM2's short causal convolutions, or
    // Mamba-2 mixers (Granite 4.0-H, Nemotron-H; ssm_state set), or gated delta nets (Qwen3.5).
    // They keep no keys and values: the cache holds the attention layers only, numbered among
    // themselves (kv_layer).
    std::vector<uint8_t> recurrent_layers;  // per layer, 1 for a recurrent one; empty: none
    bool recurrent(int layer) const {
        return !recurrent_layers.empty() && recurrent_layers[size_t(layer)];
    }
    int n_recurrent_layer() const {
        int n = 0;
        for (uint8_t c : recurrent_layers) n += c;
        return n;
    }
    // LFM2: with B, C and x the three parts of the layer's in_proj, y = C * conv(B * x), one
    // filter of conv_kernel taps per channel over the latest positions.
    bool conv(int layer) const { return recurrent(layer) && !has_ssm(); }
    int n_conv_layer() const { return has_ssm() ? 0 : n_recurrent_layer(); }
    int conv_kernel = 0;  // LFM2's filter length, or Mamba-2's (ssm.conv_kernel)
    // Mamba-2 (Granite 4.0-H, Nemotron-H): in_proj gives z, x (ssm_inner), B and C (ssm_groups x
    // ssm_state each) and one time step per head (ssm_heads); x, B and C go through a causal
    // convolution of conv_kernel taps and SiLU, then the state of each head (head_dim x
    // ssm_state) decays by exp(dt A) and takes dt x B^T; y = state C + D x, gated by SiLU(z),
    // RMS-normed per group, through out_proj.
    int ssm_inner = 0, ssm_state = 0, ssm_heads = 0, ssm_groups = 0;
    // Qwen3.5's gated delta net instead (the same sizes: ssm_state the key and value head size,
    // ssm_groups key heads, ssm_heads value heads of ssm_inner in all): attn_qkv gives q, k and
    // v, which go through the causal convolution and SiLU; q and k are L2-normed, value head h
    // reads key head h mod ssm_groups; each value head's state S (ssm_state x ssm_state)
    // decays by exp(softplus(alpha + dt_bias) A), then takes the delta rule's write
    // k (beta (v - S^T k))^T with beta = sigmoid(beta); the output S^T q / sqrt(ssm_state) is
    // RMS-normed per head, gated by SiLU(z) (attn_gate) and goes through ssm_out.
    bool delta_net = false;
    // Qwen3-Next's instead: the value heads grouped by key head (value head h reads key head
    // h / (ssm_heads / ssm_groups)), as its converter leaves them.
    bool delta_net_grouped = false;
    // Falcon-H1: every layer has both, attention and a Mamba-2 mixer reading the same normed
    // input side by side, their outputs summed (no layer is recurrent instead of attention).
    bool ssm_beside_attention = false;
    bool has_ssm() const { return ssm_state > 0; }  // Mamba-2 or gated delta net layers
    bool mamba2() const { return has_ssm() && !delta_net; }
    bool ssm(int layer) const { return (recurrent(layer) || ssm_beside_attention) && has_ssm(); }
    int n_ssm_layer() const {
        return !has_ssm() ? 0 : ssm_beside_attention ? n_layer : n_recurrent_layer();
    }
    // The convolution's channels: x, B and C (Mamba-2), or q, k and v (gated delta net).
    int ssm_channels() const { return ssm_inner + 2 * ssm_groups * ssm_state; }
    const char* ssm_name() const { return delta_net ? "Gated DeltaNet" : "Mamba-2"; }
    // Qwen3.5's attention: attn_q gives each head's query followed by as many gates, and the
    // head's output is multiplied by their sigmoid before attn_output.
    bool attn_output_gate = false;
    // Nemotron-H: layers that are a feed-forward only (their attention.head_count_kv 0 and
    // their feed_forward_length not), beside layers that are a mixer only (a feed_forward_length
    // of 0: Mamba-2 or attention). Each is one block: RMSNorm (attn_norm), then its part.
    // Llama-Nemotron (deci): layers without attention (head_count 0) are a feed-forward alone
    // (ffn_norm, then the feed-forward), and a layer may have no feed-forward (width 0).
    std::vector<uint8_t> ffn_only_layers;  // per layer; empty: none
    std::vector<int> layer_ff;             // per layer, the feed-forward's width; empty: n_ff
    bool ffn_only(int layer) const {
        return !ffn_only_layers.empty() && ffn_only_layers[size_t(layer)];
    }
    bool has_ffn(int layer) const { return layer_ff.empty() || layer_ff[size_t(layer)] > 0; }
    int ffn_width(int layer) const { return layer_ff.empty() ? n_ff : layer_ff[size_t(layer)]; }
    // Nemotron-H's and Arcee's feed-forward: ReLU(up x)^2 through down, no gate (Nemotron 3's
    // experts and shared expert too).
    bool ffn_relu2 = false;
    // Apertus's: xIELU(up x) through down, no gate, with each layer's constants (alpha_n and
    // alpha_p already through softplus and alpha_n plus beta, as llama.cpp takes them):
    // alpha_p x^2 + beta x for x > 0, else (expm1(min(x, eps)) - x) alpha_n + beta x.
    struct Xielu {
        float alpha_n = 0, alpha_p = 0, beta = 0, eps = 0;
    };
    std::vector<Xielu> xielu;  // empty: not xIELU
    // Llama-Nemotron's (deci) layers whose attention was replaced by one projection (head_count
    // but no head_count_kv): x += attn_output RMSNorm(x), no keys or values kept.
    std::vector<uint8_t> linear_attn_layers;  // per layer in every deci model; empty elsewhere
    bool linear_attn(int layer) const {
        return !linear_attn_layers.empty() && linear_attn_layers[size_t(layer)];
    }
    bool attention(int layer) const {
        return !recurrent(layer) && !ffn_only(layer) && !linear_attn(layer);
    }
    // The cache's layers: the attention layers that keep keys and values (owns_kv below),
    // numbered among themselves; kv_layer gives an attention layer's (or its source's).
    int n_kv_layer() const {
        int n = 0;
        for (int l = 0; l < n_layer; ++l) n += owns_kv(l);
        return n;
    }
    int kv_layer(int layer) const {
        int n = 0;
        for (int l = 0; l < kv_source(layer); ++l) n += owns_kv(l);
        return n;
    }
    // A shared expert (Granite's, Qwen3.5-MoE's): a dense SwiGLU of this width beside the routed
    // experts; 0: none.
    int n_ff_shared = 0;

    int n_embd_per_layer = 0;  // Gemma 4 E2B/E4B's per-layer inputs (PerLayerInputWeights)
    // Gemma 3n: the residual stream is n_altup streams (AltUp, AltupWeights). Each layer runs
    // on its prediction of stream altup_active and corrects every stream with the result; its
    // per-layer input joins the streams after the first. 0: one stream, as everywhere else.
    int n_altup = 0, altup_active = 0;
    // Gemma 3n's feed-forward gate in layer l: values under the row's mean plus
    // ffn_sparsity[l] standard deviations are cut to 0 (a Gaussian top-k) before GELU. Empty,
    // or not finite for a layer: none.
    std::vector<float> ffn_sparsity;
    bool sparse_ffn(int layer) const {
        return !ffn_sparsity.empty() && std::isfinite(ffn_sparsity[size_t(layer)]);
    }
    // Gemma 4: windowed layers have heads of head_dim_swa rotating n_rot_swa dimensions, the
    // others head_dim and n_rot; attention.head_count_kv may give each layer its count
    // (layer_heads_kv). 0 or empty: every layer as the model's. The values are RMS-normed
    // without a weight (v_norm_plain), and a layer without attn_v uses its keys as values.
    int head_dim_swa = 0, n_rot_swa = 0;
    std::vector<int> layer_heads_kv;
    bool v_norm_plain = false;
    int head_size(int layer) const {
        return head_dim_swa && windowed(layer) ? head_dim_swa : head_dim;
    }
    int rot_dims(int layer) const { return n_rot_swa && windowed(layer) ? n_rot_swa : n_rot; }
    int heads_kv(int layer) const {
        return layer_heads_kv.empty() ? n_head_kv : layer_heads_kv[size_t(layer)];
    }
    int layer_kv_dim(int layer) const { return heads_kv(layer) * head_size(layer); }
    int layer_q_dim(int layer) const { return n_head * head_size(layer); }
    bool uniform_heads() const { return !head_dim_swa && layer_heads_kv.empty(); }
    // Gemma 4's last n_kv_shared layers keep no keys and values: each attends to those of the
    // last layer of its kind (windowed or not) before them, as llama.cpp pairs them.
    int n_kv_shared = 0;
    bool owns_kv(int layer) const { return attention(layer) && layer < n_layer - n_kv_shared; }
    int kv_source(int layer) const {
        const int first = n_layer - n_kv_shared;
        return layer < first ? layer : first - (windowed(layer) ? 2 : 1);
    }

    // DeepSeek-V2/V3's multi-head latent attention (deepseek2: also GLM-4.7-Flash, Kimi K2):
    // keys and values come from one latent of mla_rank (kv_lora_rank) per token, RMS-normed,
    // plus n_rot dimensions of a key shared by every head that RoPE turns. As llama.cpp runs
    // it, the cache keeps that latent and the roped key as one head of head_dim = mla_rank +
    // n_rot (n_head_kv 1) and the values are its first mla_rank; each query head's mla_nope
    // unrotated dimensions are taken into the latent by its attn_k_b, its n_rot rotated ones
    // meet the roped key, and its output (a latent) goes through its attn_v_b to mla_v_dim
    // values before attn_output. Queries come from n_embd directly, or (q_lora_rank > 0)
    // through a low-rank attn_q_a, its RMSNorm and attn_q_b. 0: none.
    int mla_rank = 0, mla_nope = 0, mla_v_dim = 0, q_lora_rank = 0;
    bool mla() const { return mla_rank > 0; }
    // An older conversion's layout: one attn_kv_b per layer (each head's unrotated key rows,
    // then its value rows, from the latent), split when the model loads as current converters
    // split it (LlamaModel::read_latent_attention).
    bool mla_kv_b = false;
    // DeepSeek-V3's routing within groups: the experts fall into n_expert_groups groups of
    // equal size, each scored by the sum of its two highest selection weights, and only the
    // n_group_used best groups' experts may be picked. 0 or 1: no groups.
    int n_expert_groups = 0, n_group_used = 0;

    int kv_dim() const { return n_head_kv * head_dim; }
    int q_dim() const { return n_head * head_dim; }  // n_embd, except where heads are wider
    int max_kv_dim() const;
    std::vector<int> kv_rows() const;  // each cache layer's K (and V) row
};

// The hyperparameters a context of n_ctx tokens runs with: the long RoPE factors past the
// original context.
LlamaHParams context_hparams(const LlamaHParams& hp, int n_ctx);

// A weight matrix: rows of `cols` elements in `type`, row-major as GGUF stores them; possibly
// a band of rows of a fused tensor (Phi-3's attn_qkv and gate-and-up ffn_up).
struct WeightMatrix {
    const GgufTensorInfo* info = nullptr;
    int64_t rows = 0;
    int64_t cols = 0;
    size_t row_stride = 0;  // bytes per row
    int64_t first_row = 0;  // of the tensor
    const uint8_t* row(int64_t r) const { return info->data + size_t(first_row + r) * row_stride; }
};

struct LlamaLayer {
    const float* attn_norm = nullptr;  // absent in OLMo 2, which normalises blocks' outputs only
    WeightMatrix wq, wk, wv, wo;
    const float *bq = nullptr, *bk = nullptr, *bv = nullptr, *bo = nullptr;  // optional biases
    // Qwen3: RMSNorm weights over each query and key head, applied before RoPE; OLMo 2: over
    // the whole query and key projections (LlamaHParams::qk_norm_whole); optional.
    const float *q_norm = nullptr, *k_norm = nullptr;
    // gpt-oss: one logit per query head that joins the softmax over the keys without a value
    // (an attention sink: the weights may then sum to less than 1); optional.
    const float* attn_sinks = nullptr;
    const float* ffn_norm = nullptr;
    WeightMatrix w_gate, w_up, w_down;               // dense feed-forward (absent with experts)
    WeightMatrix router;                             // n_expert x n_embd (ffn_gate_inp)
    std::vector<WeightMatrix> e_gate, e_up, e_down;  // per expert: bands of the _exps tensors
    // gpt-oss: the router's bias (n_expert) and the experts' (expert e's at e * rows, rows
    // being n_ff for gate and up, n_embd for down); optional.
    const float *router_bias = nullptr, *e_gate_bias = nullptr, *e_up_bias = nullptr,
                *e_down_bias = nullptr;
    const float* expert_select_bias = nullptr;  // LFM2-MoE's exp_probs_b (n_expert); optional
    // LFM2's convolution layers (instead of wq ... wo): in_proj (3 n_embd rows: B, C, x), the
    // per-channel filters (n_embd x conv_kernel, the oldest position's tap first), out_proj.
    WeightMatrix conv_in, conv_out;
    const float* conv_filter = nullptr;
    // Mamba-2 layers (instead of wq ... wo): in_proj (z, x, B, C, dt rows), the
    // convolution's filters (ssm_channels x conv_kernel, the oldest position's tap first) and
    // bias, dt's bias, A (negative) and D per head, the grouped norm (ssm_inner), out_proj.
    // Gated delta net layers: ssm_in is attn_qkv (q, k, v rows), ssm_z attn_gate, ssm_beta and
    // ssm_alpha one row per value head; the filters, dt's bias and A as Mamba-2's; the norm one
    // head's width (ssm_state), shared by the heads. Qwen3-Next's ssm_ba holds beta and alpha
    // fused (per key head, its value heads' betas then their alphas); its older files' ssm_qkvz
    // (ssm_in there) q, k, v and z the same way (per key head: q, k, then its value heads' v
    // and z), instead of ssm_in and ssm_z (cpu_delta_net.h unpacks both).
    WeightMatrix ssm_in, ssm_out, ssm_z, ssm_beta, ssm_alpha, ssm_ba, ssm_qkvz;
    const float *ssm_conv = nullptr, *ssm_conv_bias = nullptr, *ssm_dt_bias = nullptr,
                *ssm_a = nullptr, *ssm_d = nullptr, *ssm_norm = nullptr;
    // A shared expert (n_ff_shared: Granite's, Qwen3.5-MoE's); optional. Qwen3.5-MoE's output is
    // multiplied by sigmoid(sh_gate_inp . x) (ffn_gate_inp_shexp, n_embd).
    WeightMatrix sh_gate, sh_up, sh_down;
    const float* sh_gate_inp = nullptr;
    // Gemma 2 and 3, OLMo 2, GLM-4: RMSNorm of the attention and feed-forward outputs before
    // each is added to the residual stream; optional.
    const float *post_attn_norm = nullptr, *post_ffn_norm = nullptr;
    // Gemma 4. Its layer's whole output is multiplied by out_scale[0] (layer_output_scale);
    // optional. E2B/E4B: the layer's per-layer input gates GELU(pl_gate x), which goes through
    // pl_proj and pl_post_norm and joins the residual stream. 26B-A4B's expert layers: the
    // dense feed-forward (w_gate, w_up, w_down, normed by ffn_norm and post_ffn_norm_1) runs
    // beside the experts (pre_ffn_norm_2, post_ffn_norm_2); the router reads the stream
    // RMS-normed, divided by sqrt(n_embd) and scaled per channel by router_in_scale, and each
    // expert's output is multiplied by its e_down_scale.
    const float* out_scale = nullptr;
    WeightMatrix pl_gate, pl_proj;
    const float* pl_post_norm = nullptr;
    const float *pre_ffn_norm_2 = nullptr, *post_ffn_norm_1 = nullptr, *post_ffn_norm_2 = nullptr;
    const float *router_in_scale = nullptr, *e_down_scale = nullptr;
    // Gemma 3n (LlamaHParams::n_altup). AltUp: the router (altup_router, on the active stream
    // RMS-normed by altup_router_norm and divided by n_embd, through tanh) gives n_altup
    // modalities; altup_predict maps them to an n_altup x n_altup mix of the streams added to
    // each, altup_correct to each stream's share of the layer's innovation (its output minus
    // the active prediction), plus 1. LAuReL: laurel_r laurel_l of the normed input, through
    // laurel_post_norm, plus that input, beside attention. The per-layer input is gated by the
    // corrected active stream times altup_correct_scale.
    WeightMatrix altup_router, altup_predict, altup_correct, laurel_l, laurel_r;
    const float *altup_router_norm = nullptr, *altup_correct_scale = nullptr,
                *laurel_post_norm = nullptr;
    // Multi-head latent attention (LlamaHParams::mla): wq_a and wq_b with q_a_norm between
    // (or wq alone), wkv_a (the latent, then the shared key's rotated part) with kv_a_norm over
    // the latent, and per head wk_b (mla_rank rows of mla_nope) and wv_b (mla_v_dim rows of
    // mla_rank).
    WeightMatrix wq_a, wq_b, wkv_a;
    const float *q_a_norm = nullptr, *kv_a_norm = nullptr;
    std::vector<WeightMatrix> wk_b, wv_b;
};

// Gemma 4 E2B/E4B's per-layer inputs: per token, n_layer vectors of n_embd_per_layer from
// per_layer_token_embd (times sqrt(n_embd_per_layer)), added to the per_layer_model_proj of its
// scaled embedding (divided by sqrt(n_embd), each vector RMS-normed by per_layer_proj_norm), the
// sum divided by sqrt(2). Absent (n_embd_per_layer 0) elsewhere.
struct PerLayerInputWeights {
    WeightMatrix token_embd, model_proj;
    const float* proj_norm = nullptr;
};

// Gemma 3n's AltUp streams: the first is the scaled embedding, each other its projection by
// proj[k - 1] rescaled to the same magnitude (root of the sum of squares); at the end each
// other stream goes through unembd[k - 1], is rescaled to the first's magnitude, and the
// streams' mean goes to the output norm.
struct AltupWeights {
    std::vector<WeightMatrix> proj, unembd;
};

class LlamaModel {
  public:
    // Opens and validates a model. Throws Error naming the file and the problem.
    static std::unique_ptr<LlamaModel> load(const std::string& path);

    const GgufFile& file() const { return file_; }
    const LlamaHParams& hparams() const { return hp_; }
    const Tokenizer& tokenizer() const { return *tokenizer_; }
    const std::string& name() const { return name_; }
    const std::string& architecture() const { return arch_; }  // "llama", "qwen2", ...

    const WeightMatrix& token_embd() const { return token_embd_; }
    const std::vector<LlamaLayer>& layers() const { return layers_; }
    const float* output_norm() const { return output_norm_; }
    const WeightMatrix& output() const { return output_; }
    bool tied_output() const { return output_.info == token_embd_.info; }
    const PerLayerInputWeights& per_layer_inputs() const { return per_layer_; }
    const AltupWeights& altup() const { return altup_; }

    uint64_t n_params() const;
    uint64_t weight_bytes() const;  // the file's tensors and those made from them at load

  private:
    explicit LlamaModel(GgufFile f) : file_(std::move(f)) {}
    WeightMatrix matrix(const std::string& name, int64_t rows, int64_t cols) const;
    // A [cols, rows, n] tensor (GGUF order) as n bands of rows.
    std::vector<WeightMatrix> matrices(const std::string& name, int64_t n, int64_t rows,
                                       int64_t cols) const;
    const float* vector(const std::string& name, int64_t n) const;
    const float* optional_vector(const std::string& name, int64_t n) const;
    // Layer l's attention weights (blk.l.attn_*), its short convolution's (LFM2), its Mamba-2
    // mixer's (blk.l.ssm_*) or its gated delta net's (blk.l.attn_qkv, attn_gate, ssm_*).
    void read_attention(LlamaLayer& L, const std::string& prefix, int layer) const;
    // Gemma 4's: its per-layer input weights (model and layers), output scales, and the dense
    // feed-forward and norms beside its experts (llama_gemma4.cpp).
    void read_gemma4_inputs();
    void read_gemma4_layer(LlamaLayer& L, const std::string& prefix, int layer) const;
    // Gemma 3n's AltUp and LAuReL weights, the model's and each layer's (llama_gemma3n.cpp).
    void read_altup();
    void read_altup_layer(LlamaLayer& L, const std::string& prefix) const;
    void read_convolution(LlamaLayer& L, const std::string& prefix) const;
    void read_mamba2(LlamaLayer& L, const std::string& prefix) const;
    void read_delta_net(LlamaLayer& L, const std::string& prefix) const;
    // DeepSeek-V2/V3's attention weights (llama_deepseek2.cpp).
    void read_latent_attention(LlamaLayer& L, const std::string& prefix);
    // Each head's attn_k_b made from an older file's attn_kv_b: its key rows, transposed.
    std::vector<WeightMatrix> key_maps_from_kv_b(const WeightMatrix& kv_b);

    GgufFile file_;
    LlamaHParams hp_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::string name_;
    std::string arch_;
    WeightMatrix token_embd_;
    std::vector<LlamaLayer> layers_;
    const float* output_norm_ = nullptr;
    WeightMatrix output_;
    PerLayerInputWeights per_layer_;
    AltupWeights altup_;
    // Weights the loader made rather than mapped (key_maps_from_kv_b's); the matrices above
    // may point into them.
    struct MadeTensor {
        GgufTensorInfo info;
        std::vector<uint8_t> bytes;
    };
    std::vector<std::unique_ptr<MadeTensor>> made_;
};

}  // namespace nqkv
