#include "tests/tiny_vision.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <stb_image_write.h>

#include "engine/error.h"
#include "engine/gguf_writer.h"
#include "engine/quant_blocks.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

std::string write_tiny_vision(const TinyVision& s) {
    GgufWriter w;
    w.set("general.architecture", GgufValue::str("clip"));
    w.set("general.name", GgufValue::str("tiny-gemma3-vision"));
    w.set("clip.has_vision_encoder", GgufValue::boolean(true));
    w.set("clip.projector_type", GgufValue::str(s.projector));
    w.set("clip.use_gelu", GgufValue::boolean(true));
    w.set("clip.vision.image_size", GgufValue::u32(uint32_t(s.image_size)));
    w.set("clip.vision.patch_size", GgufValue::u32(uint32_t(s.patch_size)));
    w.set("clip.vision.embedding_length", GgufValue::u32(uint32_t(s.n_embd)));
    w.set("clip.vision.feed_forward_length", GgufValue::u32(uint32_t(s.n_ff)));
    w.set("clip.vision.projection_dim", GgufValue::u32(uint32_t(s.text_width)));
    w.set("clip.vision.block_count", GgufValue::u32(uint32_t(s.layers)));
    w.set("clip.vision.attention.head_count", GgufValue::u32(uint32_t(s.n_head)));
    w.set("clip.vision.attention.layer_norm_epsilon", GgufValue::f32(1e-6f));
    w.set("clip.vision.projector.scale_factor", GgufValue::u32(uint32_t(s.merge)));
    const auto triple = [](float a, float b, float c) {
        return GgufValue::array(GgufType::F32,
                                {GgufValue::f32(a), GgufValue::f32(b), GgufValue::f32(c)});
    };
    w.set("clip.vision.image_mean", triple(0.5f, 0.45f, 0.4f));
    w.set("clip.vision.image_std", triple(0.5f, 0.55f, 0.6f));

    RandomTensors rnd(s.seed);
    const int d = s.n_embd, p = s.patch_size, np = (s.image_size / p) * (s.image_size / p);
    const auto matrix = [&](const std::string& name, std::vector<uint64_t> dims, int fan_in,
                            TensorType type) {
        uint64_t n = 1;
        for (uint64_t x : dims) n *= x;
        const std::vector<float> v = rnd.normal(size_t(n), 1.f / std::sqrt(float(fan_in)));
        w.add_tensor(name, type, std::move(dims), quantize_values(v.data(), int64_t(n), type));
    };
    const auto vec = [&](const std::string& name, int n, float gain) {
        w.add_f32(name, {uint64_t(n)}, rnd.normal(size_t(n), gain));
    };
    const auto norm = [&](const std::string& name, int n) {
        w.add_f32(name, {uint64_t(n)}, rnd.norm(n));
    };
    matrix("v.patch_embd.weight", {uint64_t(p), uint64_t(p), 3, uint64_t(d)}, 3 * p * p,
           TensorType::F32);
    vec("v.patch_embd.bias", d, 0.1f);
    w.add_f32("v.position_embd.weight", {uint64_t(d), uint64_t(np)},
              rnd.normal(size_t(d) * size_t(np), 0.5f));
    for (int l = 0; l < s.layers; ++l) {
        const std::string b = "v.blk." + std::to_string(l) + ".";
        norm(b + "ln1.weight", d);
        vec(b + "ln1.bias", d, 0.1f);
        for (const char* m : {"attn_q", "attn_k", "attn_v", "attn_out"}) {
            matrix(b + m + ".weight", {uint64_t(d), uint64_t(d)}, d, s.matrix_type);
            vec(b + m + ".bias", d, 0.1f);
        }
        norm(b + "ln2.weight", d);
        vec(b + "ln2.bias", d, 0.1f);
        matrix(b + "ffn_up.weight", {uint64_t(d), uint64_t(s.n_ff)}, d, s.matrix_type);
        vec(b + "ffn_up.bias", s.n_ff, 0.1f);
        matrix(b + "ffn_down.weight", {uint64_t(s.n_ff), uint64_t(d)}, s.n_ff, s.matrix_type);
        vec(b + "ffn_down.bias", d, 0.1f);
    }
    norm("v.post_ln.weight", d);
    vec("v.post_ln.bias", d, 0.1f);
    norm("mm.soft_emb_norm.weight", d);
    // Stored as the language model reads it transposed: n_embd rows of the text width.
    matrix("mm.input_projection.weight", {uint64_t(s.text_width), uint64_t(d)}, d,
           s.matrix_type == TensorType::F32 ? TensorType::F32 : TensorType::F16);
    const std::string path = temp_dir() + "/tiny-mmproj.gguf";
    w.write(path);
    return path;
}

TinySpec tiny_gemma3(int layers, int window) {
    TinySpec s;
    s.arch = "gemma3";
    s.bpe_pre = "llama-bpe";
    s.controls = {"<start_of_image>", "<end_of_image>", "<image_soft_token>"};
    s.n_layer = layers;
    s.swa_window = window;
    s.n_ctx = 512;
    return s;
}

RgbImage tiny_picture(int width, int height, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> noise(-20, 20);
    RgbImage img;
    img.width = width;
    img.height = height;
    img.pixels.resize(size_t(width) * size_t(height) * 3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 3; ++c) {
                const int base = c == 0   ? 255 * x / std::max(1, width - 1)
                                 : c == 1 ? 255 * y / std::max(1, height - 1)
                                          : 128 + 100 * ((x / 3 + y / 5) % 2 ? 1 : -1);
                img.pixels[(size_t(y) * size_t(width) + size_t(x)) * 3 + size_t(c)] =
                    uint8_t(std::clamp(base + noise(rng), 0, 255));
            }
    return img;
}

std::string write_png(const RgbImage& img) {
    const std::string path = temp_dir() + "/picture.png";
    if (!stbi_write_png(path.c_str(), img.width, img.height, 3, img.pixels.data(), img.width * 3))
        fail(path, ": cannot write the picture");
    return path;
}

}  // namespace nqkv::test
