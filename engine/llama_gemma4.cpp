// Gemma 4's additions to the llama-family reader, as llama.cpp reads them: windowed layers
// listed one by one with heads of their own size (key_length_swa) and count, the full-attention
// layers' proportional RoPE (rope_freqs, read with the other factors), the last layers reading
// earlier layers' keys and values, E2B/E4B's per-layer inputs, 26B-A4B's experts beside a dense
// feed-forward, and a scale on each layer's output. Gemma 3n's attention and per-layer inputs
// are read here too.
#include <algorithm>
#include <cmath>

#include "engine/error.h"
#include "engine/llama_hparams.h"
#include "engine/llama_model.h"

namespace nqkv {

void read_gemma4_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const std::string pattern = P + "attention.sliding_window_pattern";
    const GgufValue* flags = f.find(pattern);
    if (P == "gemma3n." && !(flags && flags->as_array())) {  // llama.cpp: one full layer in 5
        hp.swa_pattern = positive_int(f, pattern, f.get_int(pattern).value_or(5));
    } else {
        read_window_flags(f, pattern, hp);
    }
    const std::string key = P + "attention.head_count_kv";
    const std::vector<GgufValue>* counts = layer_list(f, key, hp.n_layer);
    if (!counts) {
        hp.n_head_kv = positive_int(f, key, f.get_int(key).value_or(hp.n_head));
        return;
    }
    for (const GgufValue& n : *counts) {
        const int heads = positive_int(f, key, n.as_int().value_or(0));
        if (hp.n_head % heads != 0)
            fail(f.path(), ": head count ", hp.n_head, " is not a multiple of ", heads, " (", key,
                 ")");
        hp.layer_heads_kv.push_back(heads);
    }
    hp.n_head_kv = hp.layer_heads_kv[0];
    bool same = true;
    for (int h : hp.layer_heads_kv) same = same && h == hp.n_head_kv;
    if (same) hp.layer_heads_kv.clear();
}

void read_gemma4_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    hp.embd_scale = std::sqrt(float(hp.n_embd));
    hp.ffn_gelu = true;
    hp.attn_scale = 1.f;  // the query and key norms stand in for 1/sqrt(head size)
    hp.v_norm_plain = true;
    // llama.cpp caps the logits at 30 unless the file says otherwise.
    hp.final_softcap = float(f.get_float(P + "final_logit_softcapping").value_or(30.0));
    hp.swa_window = positive_int(f, P + "attention.sliding_window",
                                 f.require_int(P + "attention.sliding_window"));
    // Gemma 3n's heads are all one size, and its windowed layers rotate with base 10000 unless
    // stated; it shares keys and values from layer 20 on, as llama.cpp fixes it.
    const bool g3n = P == "gemma3n.";
    const std::string hd_key = P + "attention.key_length_swa";
    const int hd = positive_int(
        f, hd_key, g3n ? f.get_int(hd_key).value_or(hp.head_dim) : f.require_int(hd_key));
    if (f.get_int(P + "attention.value_length_swa").value_or(hd) != hd)
        fail(f.path(), ": ", P, "attention.key_length_swa and value_length_swa differ");
    const int rot = positive_int(f, P + "rope.dimension_count_swa",
                                 f.get_int(P + "rope.dimension_count_swa").value_or(hd));
    if (rot > hd || rot % 2)
        fail(f.path(), ": ", P, "rope.dimension_count_swa ", rot,
             " must be even and at most the windowed layers' head size ", hd);
    if (hd != hp.head_dim) hp.head_dim_swa = hd;
    if (rot != hp.n_rot || hp.head_dim_swa) hp.n_rot_swa = rot;
    hp.rope_base_swa =
        float(f.get_float(P + "rope.freq_base_swa").value_or(g3n ? 10000.0 : hp.rope_base));
    const int64_t shared = f.get_int(P + "attention.shared_kv_layers")
                               .value_or(g3n ? std::max(0, hp.n_layer - 20) : 0);
    if (shared < 0 || shared > hp.n_layer - 2)
        fail(f.path(), ": ", P, "attention.shared_kv_layers ", shared, " is out of range");
    hp.n_kv_shared = int(shared);
    if (shared) {  // the layers they read: the last windowed one and the last full one before
        const int first = hp.n_layer - hp.n_kv_shared;
        if (!hp.windowed(first - 2) || hp.windowed(first - 1))
            fail(f.path(), ": ", P, "attention.shared_kv_layers ", shared,
                 " needs a windowed then a full-attention layer before the shared ones");
    }
    const int64_t pl = f.get_int(P + "embedding_length_per_layer_input").value_or(0);
    if (pl < 0 || pl > (1 << 20))
        fail(f.path(), ": ", P, "embedding_length_per_layer_input ", pl, " is out of range");
    hp.n_embd_per_layer = int(pl);
}

void LlamaModel::read_gemma4_inputs() {
    const LlamaHParams& hp = hp_;
    if (!hp.n_embd_per_layer) return;
    const int64_t all = int64_t(hp.n_embd_per_layer) * hp.n_layer;
    per_layer_.token_embd = matrix("per_layer_token_embd.weight", hp.n_vocab, all);
    per_layer_.model_proj = matrix("per_layer_model_proj.weight", all, hp.n_embd);
    per_layer_.proj_norm = vector("per_layer_proj_norm.weight", hp.n_embd_per_layer);
}

void LlamaModel::read_gemma4_layer(LlamaLayer& L, const std::string& p, int layer) const {
    const LlamaHParams& hp = hp_;
    const int d = hp.n_embd;
    L.out_scale = optional_vector(p + "layer_output_scale.weight", 1);
    if (hp.n_embd_per_layer) {
        L.pl_gate = matrix(p + "inp_gate.weight", hp.n_embd_per_layer, d);
        L.pl_proj = matrix(p + "proj.weight", d, hp.n_embd_per_layer);
        L.pl_post_norm = vector(p + "post_norm.weight", d);
    }
    if (!hp.moe(layer)) return;
    const int ff = hp.layer_ff.empty() ? hp.n_ff_dense : hp.layer_ff[size_t(layer)];
    L.w_gate = matrix(p + "ffn_gate.weight", ff, d);
    L.w_up = matrix(p + "ffn_up.weight", ff, d);
    L.w_down = matrix(p + "ffn_down.weight", d, ff);
    L.router_in_scale = vector(p + "ffn_gate_inp.scale", d);
    L.pre_ffn_norm_2 = vector(p + "pre_ffw_norm_2.weight", d);
    L.post_ffn_norm_1 = vector(p + "post_ffw_norm_1.weight", d);
    L.post_ffn_norm_2 = vector(p + "post_ffw_norm_2.weight", d);
    L.e_down_scale = optional_vector(p + "ffn_down_exps.scale", hp.n_expert);
}

}  // namespace nqkv
