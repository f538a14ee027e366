#include "tests/tiny_gemma3n.h"

#include <cmath>
#include <vector>

#include "engine/gguf_writer.h"
#include "engine/quant_blocks.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

std::string write_tiny_gemma3n(const TinyGemma3n& g) {
    constexpr int D = 64, H = 4, KV = 2, HD = 32, FF = 96, N = 4;
    const int L = g.layers, PL = g.per_layer, R = g.laurel_rank;
    GgufWriter w;
    const std::string P = set_tiny_header(w, "gemma3n", D, L);
    w.set(P + "feed_forward_length", GgufValue::u32(FF));
    w.set(P + "attention.head_count", GgufValue::u32(H));
    w.set(P + "attention.head_count_kv", GgufValue::u32(KV));
    w.set(P + "attention.key_length", GgufValue::u32(HD));
    w.set(P + "attention.value_length", GgufValue::u32(HD));
    w.set(P + "attention.sliding_window", GgufValue::u32(uint32_t(g.window)));
    w.set(P + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-6f));
    w.set(P + "rope.freq_base", GgufValue::f32(1e6f));  // the windowed layers' 1e4 unstated
    w.set(P + "embedding_length_per_layer_input", GgufValue::u32(uint32_t(PL)));
    w.set(P + "altup.num_inputs", GgufValue::u32(N));
    w.set(P + "altup.active_idx", GgufValue::u32(uint32_t(g.active)));
    if (g.keys) {
        w.set(P + "final_logit_softcapping", GgufValue::f32(6.f));  // small, so that tanh bends
        w.set(P + "attention.shared_kv_layers", GgufValue::u32(uint32_t(g.shared_kv)));
        std::vector<GgufValue> flags, sparsity;
        for (int l = 0; l < L; ++l) {
            flags.push_back(GgufValue::boolean(l % 5 < 4));
            sparsity.push_back(GgufValue::f32(l == 0 ? 1.6448533535f : l == 1 ? 0.5f : -INFINITY));
        }
        w.set(P + "attention.sliding_window_pattern", GgufValue::array(GgufType::BOOL, flags));
        w.set(P + "activation_sparsity_scale", GgufValue::array(GgufType::F32, sparsity));
    }
    const int n_vocab = set_tiny_vocab(w);

    RandomTensors rt(g.seed);
    const auto matrix = [&](const std::string& name, int rows, int cols, float gain, int n = 1) {
        const auto v =
            rt.normal(size_t(n) * size_t(rows) * size_t(cols), gain / std::sqrt(float(cols)));
        std::vector<uint64_t> shape = {uint64_t(cols), uint64_t(rows)};
        if (n > 1) shape.push_back(uint64_t(n));
        // Rows too short for the type's blocks (AltUp's, LAuReL's) stay in F32, as converters
        // leave them.
        const TensorType t = cols % type_traits(uint32_t(g.matrix_type))->block_elems
                                 ? TensorType::F32
                                 : g.matrix_type;
        w.add_tensor(name, t, shape, quantize_values(v.data(), int64_t(v.size()), t));
    };
    // Norm weights around `scale`: the query and key norms' small, so that scores stay soft.
    const auto norm = [&](const std::string& name, int n, float scale = 1.f) {
        w.add_f32(name, {uint64_t(n)}, rt.norm(n, scale));
    };
    matrix("token_embd.weight", n_vocab, D, 1.f);
    matrix("per_layer_token_embd.weight", n_vocab, PL * L, std::sqrt(float(PL * L)) * 0.5f);
    matrix("per_layer_model_proj.weight", PL * L, D, 1.f);
    norm("per_layer_proj_norm.weight", PL);
    matrix("altup_proj.weight", D, D, 1.f, N - 1);
    matrix("altup_unembd_proj.weight", D, D, 1.f, N - 1);
    for (int l = 0; l < L; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        norm(p + "attn_norm.weight", D);
        matrix(p + "attn_q.weight", H * HD, D, 1.5f);
        // The shared layers keep projections they never use, as real files (and llama.cpp)
        // have them.
        matrix(p + "attn_k.weight", KV * HD, D, 1.5f);
        matrix(p + "attn_v.weight", KV * HD, D, 1.5f);
        norm(p + "attn_k_norm.weight", HD, 0.35f);
        norm(p + "attn_q_norm.weight", HD, 0.35f);
        matrix(p + "attn_output.weight", D, H * HD, 2.f);
        norm(p + "post_attention_norm.weight", D);
        norm(p + "ffn_norm.weight", D);
        matrix(p + "ffn_gate.weight", FF, D, 1.5f);
        matrix(p + "ffn_up.weight", FF, D, 1.5f);
        matrix(p + "ffn_down.weight", D, FF, 2.f);
        norm(p + "post_ffw_norm.weight", D);
        matrix(p + "inp_gate.weight", PL, D, 1.5f);
        matrix(p + "proj.weight", D, PL, 1.5f);
        norm(p + "post_norm.weight", D);
        matrix(p + "altup_router.weight", N, D, 1.5f);
        norm(p + "altup_router_norm.weight", D);
        matrix(p + "altup_predict_coef.weight", N * N, N, 0.5f);
        matrix(p + "altup_correct_coef.weight", N, N, 0.5f);
        norm(p + "altup_correct_scale.weight", D);
        matrix(p + "laurel_l.weight", R, D, 1.f);
        matrix(p + "laurel_r.weight", D, R, 1.f);
        norm(p + "laurel_post_norm.weight", D);
    }
    norm("output_norm.weight", D);
    const std::string path = temp_dir() + "/tiny-gemma3n.gguf";
    w.write(path);
    return path;
}

}  // namespace nqkv::test
