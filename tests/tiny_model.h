// Tiny llama models made by the tests themselves: random weights written with the project's
// GGUF writer, and a BPE tokenizer trained in-process with SentencePieceTrainer.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/ggml_types.h"
#include "engine/gguf_writer.h"

namespace nqkv::test {

struct TinySpec {
    int n_embd = 64;
    int n_layer = 2;
    int n_head = 4;
    int n_head_kv = 2;
    int n_ff = 96;
    int n_ctx = 128;
    // F32, F16, BF16, Q8_0, Q4_0, IQ4_NL or IQ4_XS (whose rows need n_embd and n_ff multiples of
    // 256)
    TensorType matrix_type = TensorType::F32;
    bool tied_output = false;
    float rope_scale = 1.f;
    // Llama 3.1's per-pair RoPE frequency divisors (rope_freqs.weight): 1 for the fast pairs,
    // 8 for the slow ones, in between for the middle.
    bool rope_freqs = false;
    // Empty: the trained SentencePiece tokenizer. Otherwise the byte-level BPE vocabulary of
    // tests/data/bpe_vocab.json with this tokenizer.ggml.pre ("llama-bpe", "gpt-2", ...).
    std::string bpe_pre;
    std::vector<std::string> controls;  // control tokens added to that vocabulary
    // "llama"; "qwen2": qwen2.* keys, biases on the query, key and value projections (and the
    // NeoX RoPE layout the engine derives from the architecture); "phi3": fused attn_qkv and
    // gate-and-up ffn_up, short and long RoPE factors (the long ones past n_ctx / 2), a RoPE
    // attention factor of 1.19; "qwen3": per-head query and key RMSNorm weights; "gemma",
    // "gemma2", "gemma3": Gemma's keys, Gemma 2's softcapping (attention 8, logits 6: small, so
    // that tanh bends) and its norms after attention and feed-forward, Gemma 3's query/key norms
    // and a global RoPE base of 200000 (the windowed layers use 10000); "granite",
    // "granitemoe": embedding, residual, attention and logit scales of 3, 0.6, 0.09 and 2.5;
    // "smollm3": llama's layout (every fourth layer then goes without RoPE); "olmo2": no norms
    // before attention and feed-forward, norms after them, query and key norms over the whole
    // projections; "glm4": phi3's fused projections with the query, key and value biases in
    // one tensor, norms after attention and feed-forward; "exaone4": OLMo 2's norms with
    // per-head query and key norms; "lfm2": every third layer (l % 3 == 2) attention with
    // per-head query and key norms, the others short convolutions of 3 taps, the final norm
    // named token_embd_norm; "lfm2moe" (with n_expert): the same, its first layer dense and 8
    // wider than the experts, the others' experts weighed by a sigmoid, picked with a bias;
    // "seed_oss": qwen2's query, key and value biases, the feed-forward's norm named
    // post_attention_norm; "ernie4_5-moe" (with n_expert): llama's layers, the first dense and 8
    // wider, the others' experts weighed by a softmax, picked with a bias, beside a shared expert
    // 16 wider; "qwen2vl" and "qwen3vl": qwen2's and qwen3's layers with rope.dimension_sections 3
    // 2 1 2 and (interleaved) 3 1 1 0, which leave pairs 6 and 7, and pair 4, unturned for text;
    // "nemotron_h": blocks of one part each, M - * M - M repeating (Mamba-2 as granitehybrid's,
    // a feed-forward of ReLU squared, attention without RoPE); "nemotron_h_moe" (with
    // n_expert): the same with ReLU-squared experts (sigmoid router, selection bias, weights
    // not renormalised and scaled by 2.5) and a shared expert 16 wider;
    // "granitehybrid": Granite's scales, every third layer attention without RoPE, the others
    // Mamba-2 (inner width 2 n_embd, heads of 16, two groups, states of 16, 4 taps), with
    // n_expert also a shared expert 16 wider than the experts; "qwen35": gated delta nets
    // (four value heads of 16 on two key heads, 4 taps) and gated attention in turn, per-head
    // query and key norms, rope.dimension_count head_dim / 4 with sections 2 1 1 0, then one
    // block that predicts further tokens (nextn_predict_layers 1); "qwen35moe" (with n_expert)
    // the same with Qwen3-MoE's experts and a shared expert 16 wider, gated by a sigmoid;
    // "qwen3next" (with n_expert) qwen35moe's with the value heads grouped by key head, beta and
    // alpha in one ssm_ba tensor, one RoPE section (NeoX); "falcon-h1": every layer attention
    // and granitehybrid's Mamba-2 mixer side by side, NeoX RoPE, its bare "ffn_norm";
    // "command-r" and "cohere2": llama's layers without a norm before the feed-forward,
    // attention.layer_norm_epsilon, a logit scale of 0.8 (cohere2 needs swa_window); "olmoe"
    // (with n_expert): Mixtral's layers with OLMo 2's whole-width query and key norms;
    // "hunyuan-dense": llama's layers with per-head query and key norms; "hunyuan-moe" (with
    // n_expert) the same with experts and a shared expert 16 wider; "llama4" (with n_expert):
    // llama's layers, every other one (l % 2 == 1) experts beside a shared expert as wide, the
    // others dense and 8 wider; "arcee": llama's layers with a feed-forward of ReLU squared
    // and no gate; "apertus": the same with xIELU instead (its constants per layer), per-head
    // query and key norms and NeoX RoPE; "qwen2moe" (with n_expert): qwen2's attention with
    // Qwen3-MoE's experts, not renormalised, beside a shared expert 16 wider, gated by a sigmoid;
    // "deepseek" (with n_expert): llama's layers, the first dense and 8 wider, the others
    // experts weighed by a softmax times 1.5 beside two shared experts (2 n_ff wide); "dots1"
    // (with n_expert): the same with per-head query and key norms, NeoX RoPE, and experts
    // weighed by a sigmoid, picked with a selection bias, renormalised and scaled by 2.5;
    // "bailingmoe2" (with n_expert) dots1's with fused Q, K and V, RoPE on half of each head,
    // two expert groups of which the best one, two shared experts each 16 wider (stated), and one
    // more block stated that predicts further tokens; "minimax-m2" (with n_expert): olmoe's
    // whole-width query and key norms, RoPE on half of each head, NeoX pairs, and experts in
    // every layer weighed by a sigmoid, picked with a selection bias, renormalised;
    // "smallthinker" (with n_expert): llama's attention with NeoX RoPE (with swa_window only on
    // the windowed layers, all but every fourth from the first), experts in every layer of ReLU
    // gates, weighed by a sigmoid of the router on the layer's input, renormalised.
    std::string arch = "llama";
    int swa_window = 0;  // written as attention.sliding_window when set
    int head_dim = 0;    // 0: n_embd / n_head; else written as attention.key_length/value_length
    // Mixture of experts (with "llama" or "granitemoe": Mixtral's layout; with "qwen3moe":
    // Qwen3-MoE's, the expert width in expert_feed_forward_length): a router and n_expert experts
    // of width n_ff.
    int n_expert = 0, n_expert_used = 0;
    bool fused_experts = false;  // the same experts as one ffn_gate_up_exps tensor per layer
    // "qwen3next": the same q, k, v and z weights as one ssm_in tensor per layer, each key
    // head's q, k, v and z in turn, as Qwen3-Next's older files.
    bool fused_qkvz = false;
    uint64_t seed = 1;
};

// Sets the tokenizer.ggml.* keys of the byte-level BPE test vocabulary (tests/data/
// bpe_vocab.json; <|begin_of_text|> is BOS, <|eot_id|> EOS), with `controls` added at its end
// as control tokens; returns its size.
int set_bpe_test_vocab(GgufWriter& w, const std::string& pre,
                       const std::vector<std::string>& controls = {});

// Trains (once per process) a 320-piece BPE tokenizer with byte fallback and digit splitting
// on generated text; returns the path of its .model file.
std::string tiny_tokenizer_model();

// Sets the tokenizer keys TinySpec describes (the trained SentencePiece tokenizer, or the BPE
// test vocabulary with this pre-tokenizer and controls); returns the vocabulary's size.
int set_tiny_vocab(GgufWriter& w, const std::string& bpe_pre = {},
                   const std::vector<std::string>& controls = {});

// The keys every tiny family writer starts with: the architecture, the name "tiny-ARCH", a
// context of 128, the width and the block count; returns the architecture's key prefix.
std::string set_tiny_header(GgufWriter& w, const std::string& arch, int n_embd, int n_layer);

// A writer holding a complete random model (tests may change keys before writing).
GgufWriter tiny_model_writer(const TinySpec& spec);

// Writes the model into a fresh temporary directory and returns its path.
std::string write_tiny_model(const TinySpec& spec);

// Seeded random weights for the tiny models: normal values times a gain, and norm weights of
// 0.6 to 1.4 times a scale.
class RandomTensors {
  public:
    explicit RandomTensors(uint64_t seed) : rng_(seed) {}
    std::vector<float> normal(size_t n, float gain);
    std::vector<float> norm(int n, float scale = 1.f);

  private:
    std::mt19937_64 rng_;
    std::normal_distribution<float> normal_{0.f, 1.f};
    std::uniform_real_distribution<float> uniform_{0.f, 1.f};
};

// A PRM whose scores are set by construction: one layer whose attention averages the whole
// prefix (zero queries) and reads one embedding dimension that is -1 for every piece
// containing `marker` and 0 otherwise. A step scores about 0.91 unless the text the PRM has
// read (question and steps) contains the marker, then about 0.005. Step tag " ки", good "+",
// bad "-", written into the nqkv.prm.* keys; a non-empty question_template / separator is
// written into nqkv.prm.question_template / nqkv.prm.step_separator.
std::string write_marker_prm(char marker, const std::string& question_template = {},
                             const std::string& separator = {});

}  // namespace nqkv::test
