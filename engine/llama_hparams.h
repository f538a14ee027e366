// The readers of a GGUF's llama-family hyperparameters beyond the common keys: each family's
// additions (Gemma, Granite, experts, per-layer lists, Mamba-2, windows, YaRN, multimodal RoPE),
// read as llama.cpp reads them. Each fails naming the file and key on a bad value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/gguf_file.h"
#include "engine/llama_model.h"

namespace nqkv {

// Whether this engine runs an architecture (general.architecture), and every one it runs with
// the models that use each (llama_architectures.cpp).
bool supported_architecture(const std::string& arch);
std::string supported_architectures();

// A key's value `v` as a positive int (at most 2^24); Error naming the file and key otherwise.
int positive_int(const GgufFile& f, const std::string& key, int64_t v);

// What Gemma adds to llama, read as llama.cpp reads it (some of it is fixed in its code rather
// than stored in the file: the scaled embeddings, GELU, the attention scale, Gemma 3's local RoPE
// base and its window pattern).
void read_gemma_hparams(const GgufFile& f, const std::string& arch, LlamaHParams& hp);

// Granite's multipliers, read as llama.cpp reads them: a stored 0 means none (the logit scale
// must be stored), and RoPE is on unless rope.scaling.finetuned says false. MiniCPM's (Granite's
// layers): embeddings times 12, block outputs times 1.4 / sqrt(n_layer) and logits divided by
// 256 / n_embd unless the file says otherwise, RoPE always on.
void read_granite_hparams(const GgufFile& f, const std::string& arch, LlamaHParams& hp);

// How the router weighs experts (expert_gating_func, as llama.cpp numbers it): 1 (or none
// stated) a softmax, 2 a sigmoid (LFM2-MoE); and the dense layers before the first experts.
void read_expert_gating(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Experts picked within groups (expert_group_count above 1, expert_group_used_count of them:
// DeepSeek-V3's), read for every mixture of experts as llama.cpp reads them.
void read_expert_groups(const GgufFile& f, const std::string& P, LlamaHParams& hp);
// Whether the chosen experts' weights are renormalised (expert_weights_norm; not unless
// stated) and what they are multiplied by (expert_weights_scale; 0 or none: 1).
void read_expert_weights(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Nemotron 3's experts, as llama.cpp reads them: weighed by the router's sigmoid, picked with
// a selection bias, weights as read_expert_weights reads them; latent projections are refused
// by name.
void read_nemotron_experts(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// A key holding one entry per layer: null when it is missing or not a list; Error naming the
// file and key when the list's length is not n_layer.
const std::vector<GgufValue>* layer_list(const GgufFile& f, const std::string& key, int n_layer);

// attention.head_count_kv: one count for every layer, or (LFM2, Granite 4.0-H, Nemotron-H) one per
// layer, where 0 marks a recurrent layer and the attention layers share one count.
void read_kv_heads(const GgufFile& f, const std::string& P, bool per_layer, LlamaHParams& hp);

// Nemotron-H's feed_forward_length: one width per layer, 0 for its mixer layers.
void read_layer_widths(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Nemotron-H's blocks: a 0 in attention.head_count_kv marks a Mamba-2 layer, unless the layer
// has a feed-forward width (then it is a feed-forward alone); attention layers have none.
void split_nemotron_layers(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Mamba-2's sizes, as llama.cpp reads them for Granite 4.0-H and Nemotron-H (time_step_rank is the
// head count there).
void read_mamba2_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Qwen3.5's layout: its blocks minus the last nextn_predict_layers (layers that predict further
// tokens, left unused), three gated delta net layers of every full_attention_interval (4 unless
// stated, or attention.recurrent_layers, one flag per block), the delta nets' sizes under the
// ssm.* keys as read_mamba2_hparams reads them, gated attention and interleaved multimodal RoPE.
void read_qwen35_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Gemma 4's layout (llama_gemma4.cpp): attention.sliding_window_pattern, one flag per layer, and
// attention.head_count_kv, one count or one per layer (its full-attention layers may have fewer).
void read_gemma4_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp);
// The rest of what Gemma 4 adds, once the head size is known: the windowed layers' head size
// and RoPE (key_length_swa, rope.dimension_count_swa, rope.freq_base_swa), the window, the layers
// that share keys and values (attention.shared_kv_layers), the per-layer inputs' width, the
// final soft cap; its scaled embeddings, GELU, unit attention scale and normed values are fixed
// by the architecture.
void read_gemma4_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);
// Gemma 3n (read as Gemma 4, heads of one size, windows one layer in
// attention.sliding_window_pattern full unless listed, 5 unless stated): its AltUp streams
// (altup.num_inputs, altup.active_idx) and sparse feed-forward gates
// (activation_sparsity_scale, one per layer; llama_gemma3n.cpp).
void read_gemma3n_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// SmallThinker's, after its experts: every layer experts of ReLU gates routed on the layer's
// input; with attention.sliding_window, windows on all but one layer of
// attention.sliding_window_pattern (4), the first, and RoPE on the windowed layers only (with
// rope.freq_base_swa when stated).
void read_smallthinker_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Llama-Nemotron's layout (deci; llama_deci.cpp): attention.head_count and head_count_kv,
// one count or one per layer (0 query heads: a layer without attention, a feed-forward alone;
// query heads but 0 key/value heads: attention replaced by one projection),
// feed_forward_length one width or one per layer (0: none), attention.scale when stated.
void read_deci_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Cohere's families as llama.cpp reads them (command-r: Command-R, R+, Aya; cohere2: Command
// R7B, Command A): LayerNorm with attention.layer_norm_epsilon, attention beside the
// feed-forward, logits multiplied by logit_scale, per-head query and key norm weights where
// the file has them (Command R+); cohere2 windows three layers of every
// attention.sliding_window_pattern (4) and rotates only those.
void read_cohere_hparams(const GgufFile& f, const std::string& P, bool cohere2, LlamaHParams& hp);

// Sliding windows as llama.cpp reads them for gpt-oss and EXAONE 4.0: layer l attends to the
// latest `window` tokens unless l % pattern == pattern - 1 (the file may state both), with the
// same RoPE as the other layers.
void read_windows(const GgufFile& f, const std::string& P, int window, int pattern,
                  LlamaHParams& hp);

// A list of one flag per layer (attention.sliding_window_pattern as Gemma 4 and OLMo 3 write
// it) into hp.swa_layers; Error naming the file and key for anything else in it.
void read_window_flags(const GgufFile& f, const std::string& key, LlamaHParams& hp);

// OLMo 3 (olmo2 with attention.sliding_window): windowed layers as the file lists them (three
// of four: llama.cpp takes every fourth as full whatever the list says, and OLMo 3's lists say
// so too) or every attention.sliding_window_pattern-th full (4), rotated with
// rope.freq_base_swa (else the model's base) and without YaRN, which only the full layers have.
void read_olmo3_windows(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// Apertus's xIELU constants, one per layer or one for all (xielu.alpha_n, alpha_p, beta, eps,
// without the architecture's prefix; all required, as llama.cpp requires them), turned into
// what the activation uses.
void read_xielu(const GgufFile& f, LlamaHParams& hp);

// Llama 4 (llama4): experts in every interleave_moe_layer_step-th layer beside a shared one,
// weighed before they run; chunked attention of 8192 in three layers of four, the fourth
// without RoPE and with the attention temperature; plain query and key norms after RoPE.
void read_llama4_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);

// YaRN as llama.cpp applies it: pair i turns by a blend of the plain angle and the angle with
// the position divided by the factor, the plain one for the fastest pairs and the divided one
// for the slowest, with a linear ramp between the pairs that turn beta_fast and beta_slow times
// over the original context; cos and sin are scaled by 1 + 0.1 ln(factor). The blend is a
// per-pair multiple of the angle, so it is folded into the frequency divisors and the RoPE
// attention factor, which every backend applies already.
void apply_yarn(const GgufFile& f, const std::string& P, const std::string& arch, LlamaHParams& hp);

// DeepSeek-V2/V3's layout (llama_deepseek2.cpp), after the common keys and experts: the
// layers that predict further tokens left out, multi-head latent attention's sizes
// (key_length_mla, value_length_mla, kv_lora_rank, q_lora_rank; or, in an older file with
// one attn_kv_b per layer, the heads' key and value lengths: LlamaHParams::mla_kv_b), and its
// experts as llama.cpp reads them: a softmax unless
// expert_gating_func says otherwise (GLM-4.7-Flash's files a sigmoid), renormalised only when
// expert_weights_norm says so, expert_shared_count shared experts, expert groups.
void read_deepseek2_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);
// MiniCPM3's: DeepSeek's latent attention in the older layout (one attn_kv_b per layer, the
// heads' key length and, unless stated, values of n_embd / n_head), queries through a low rank,
// and MiniCPM's multipliers, which llama.cpp takes as fixed (embeddings 12, block outputs
// 1.4 / sqrt(n_layer), logits 256 / n_embd), with scores over sqrt(key_length).
void read_minicpm3_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp);
// The layers that predict further tokens (nextn_predict_layers: Qwen3.5's, GLM-4.5's and
// 4.7's), which follow the model's own, left out as llama.cpp leaves them.
void drop_nextn_layers(const GgufFile& f, const std::string& P, LlamaHParams& hp);
// DeepSeek's experts (deepseek2, glm4moe): a sigmoid or (sigmoid false) a softmax unless
// expert_gating_func says, weights as read_expert_weights reads them, expert_shared_count
// shared experts.
void read_deepseek_experts(const GgufFile& f, const std::string& P, bool sigmoid, LlamaHParams& hp);
// Its attention scale, once RoPE is read (DeepSeek's YaRN scales the scores, not cos and sin),
// and Mistral Large 3's attention temperature.
void deepseek2_attention_scale(const GgufFile& f, const std::string& P, bool yarn,
                               LlamaHParams& hp);

// Multimodal RoPE as llama.cpp applies it to text (every position the token's, the fourth 0):
// pair i belongs to section i mod (their sum), counted in order (or, interleaved, Qwen3-VL's
// way: t h w t h w ... while each lasts); the fourth section's pairs keep an angle of 0.
void read_mrope_sections(const GgufFile& f, const std::string& P, bool interleaved,
                         LlamaHParams& hp);

// GLM-4.1V's files carry rope.dimension_sections; llama.cpp turns multimodal RoPE on when the
// first two are set, and otherwise rotates as GLM-4 does.
bool glm4_mrope(const GgufFile& f, const std::string& P);

}  // namespace nqkv
