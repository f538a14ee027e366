#include "tests/tiny_deci.h"

#include <cmath>
#include <vector>

#include "engine/gguf_writer.h"
#include "engine/quant_blocks.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

std::string write_tiny_deci(const TinyDeci& g) {
    constexpr int D = 64, H = 4, HD = 16;
    // Per layer: query heads, key/value heads, feed-forward width.
    struct Layer {
        int heads, kv, ff;
    };
    const std::vector<Layer> layers = g.per_layer ? std::vector<Layer>{{H, 2, 96},
                                                                       {H, 0, 64},
                                                                       {0, g.free_layer_kv, 128},
                                                                       {g.layer3_heads, 4, 96},
                                                                       {0, 0, 0},
                                                                       {H, 1, 96},
                                                                       {H, 2, 32}}
                                                  : std::vector<Layer>(3, Layer{H, 2, 96});
    const int L = int(layers.size());
    GgufWriter w;
    const std::string P = set_tiny_header(w, "deci", D, L);
    w.set(P + "attention.key_length", GgufValue::u32(HD));
    w.set(P + "attention.value_length", GgufValue::u32(HD));
    w.set(P + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-5f));
    w.set(P + "rope.freq_base", GgufValue::f32(5e5f));
    w.set(P + "rope.dimension_count", GgufValue::u32(HD));
    if (g.per_layer) {
        std::vector<GgufValue> heads, kv, ff;
        for (const Layer& l : layers) {
            heads.push_back(GgufValue::u32(uint32_t(l.heads)));
            kv.push_back(GgufValue::u32(uint32_t(l.kv)));
            ff.push_back(GgufValue::u32(uint32_t(l.ff)));
        }
        w.set(P + "attention.head_count", GgufValue::array(GgufType::U32, heads));
        w.set(P + "attention.head_count_kv", GgufValue::array(GgufType::U32, kv));
        w.set(P + "feed_forward_length", GgufValue::array(GgufType::U32, ff));
    } else {
        w.set(P + "attention.head_count", GgufValue::u32(H));
        w.set(P + "attention.head_count_kv", GgufValue::u32(2));
        w.set(P + "feed_forward_length", GgufValue::u32(96));
    }
    const int n_vocab = set_tiny_vocab(w);

    RandomTensors rt(g.seed);
    const auto matrix = [&](const std::string& name, int rows, int cols, float gain) {
        const auto v = rt.normal(size_t(rows) * size_t(cols), gain / std::sqrt(float(cols)));
        w.add_tensor(name, g.matrix_type, {uint64_t(cols), uint64_t(rows)},
                     quantize_values(v.data(), int64_t(v.size()), g.matrix_type));
    };
    const auto norm = [&](const std::string& name, int n) {
        w.add_f32(name, {uint64_t(n)}, rt.norm(n, 1.f));
    };
    matrix("token_embd.weight", n_vocab, D, 1.f);
    for (int l = 0; l < L; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        const Layer& y = layers[size_t(l)];
        if (y.heads) {
            norm(p + "attn_norm.weight", D);
            if (y.kv) {
                matrix(p + "attn_q.weight", y.heads * HD, D, 1.f);
                matrix(p + "attn_k.weight", y.kv * HD, D, 1.f);
                matrix(p + "attn_v.weight", y.kv * HD, D, 1.5f);
            }
            matrix(p + "attn_output.weight", D, y.heads * HD, 1.5f);
        }
        if (y.ff) {
            norm(p + "ffn_norm.weight", D);
            matrix(p + "ffn_gate.weight", y.ff, D, 1.5f);
            matrix(p + "ffn_up.weight", y.ff, D, 1.5f);
            matrix(p + "ffn_down.weight", D, y.ff, 1.5f);
        }
    }
    norm("output_norm.weight", D);
    matrix("output.weight", n_vocab, D, 3.f);
    const std::string path = temp_dir() + "/tiny-deci.gguf";
    w.write(path);
    return path;
}

}  // namespace nqkv::test
