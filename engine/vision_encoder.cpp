#include "engine/vision_encoder.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"

namespace nqkv {
namespace {

// A float matrix of ours (rows of `cols` values, `stride` floats apart) as a weight matrix, so
// that the score and value products of attention go through the same threaded kernels.
struct FloatView {
    GgufTensorInfo info;
    WeightMatrix w;
    FloatView(const float* data, int64_t rows, int64_t cols, int64_t stride) {
        info.type = TensorType::F32;
        info.dims = {uint64_t(cols), uint64_t(rows)};
        info.n_elements = uint64_t(rows) * uint64_t(cols);
        info.data = reinterpret_cast<const uint8_t*>(data);
        w = WeightMatrix{&info, rows, cols, size_t(stride) * sizeof(float)};
    }
    FloatView(const FloatView&) = delete;
};

void add_bias(float* x, const float* b, int rows, int width) {
    if (!b) return;
    for (int t = 0; t < rows; ++t)
        for (int i = 0; i < width; ++i) x[size_t(t) * size_t(width) + size_t(i)] += b[i];
}

}  // namespace

VisionEncoder::VisionEncoder(const VisionModel& model, int n_threads)
    : model_(model),
      hp_(model.hparams()),
      pool_(n_threads > 0 ? n_threads : physical_core_count()),
      matmul_(pool_, false) {}

std::vector<float> VisionEncoder::encode(const RgbImage& img,
                                         const std::function<void(int, int)>& progress,
                                         const std::atomic<bool>* cancel) {
    const RgbImage fitted = fit_square(img, hp_.image_size);
    embed_patches(normalized_planes(fitted, hp_.mean, hp_.stddev));
    for (int l = 0; l < hp_.n_layer; ++l) {
        if (cancel && cancel->load()) return {};
        if (progress) progress(l, hp_.n_layer);
        layer(model_.layers()[size_t(l)]);
    }
    if (progress) progress(hp_.n_layer, hp_.n_layer);
    return project();
}

std::shared_ptr<const InputRows> VisionEncoder::rows(const RgbImage& img,
                                                     const std::function<void(int, int)>& progress,
                                                     const std::atomic<bool>* cancel) {
    auto r = std::make_shared<InputRows>();
    r->data = encode(img, progress, cancel);
    if (r->data.empty()) return nullptr;
    r->n = hp_.n_tokens();
    r->bidirectional = hp_.projector == "gemma3";
    return r;
}

// Each patch's pixels (channel, row, column) times the patch kernels, plus their bias and the
// patch's learned position.
void VisionEncoder::embed_patches(const std::vector<float>& planes) {
    const int n = hp_.n_patches(), d = hp_.n_embd, p = hp_.patch_size, side = hp_.image_size;
    const int per_side = hp_.patches_per_side(), cols = 3 * p * p;
    std::vector<float> patches(size_t(n) * size_t(cols));
    for (int py = 0; py < per_side; ++py)
        for (int px = 0; px < per_side; ++px) {
            float* out = &patches[(size_t(py) * size_t(per_side) + size_t(px)) * size_t(cols)];
            for (int c = 0; c < 3; ++c)
                for (int y = 0; y < p; ++y) {
                    const float* row =
                        &planes[(size_t(c) * size_t(side) + size_t(py * p + y)) * size_t(side) +
                                size_t(px * p)];
                    std::copy_n(row, p, out + (c * p + y) * p);
                }
        }
    x_.resize(size_t(n) * size_t(d));
    matmul_(model_.patch_embd(), patches.data(), n, x_.data());
    add_bias(x_.data(), model_.patch_bias(), n, d);
    const WeightMatrix& pos = model_.position_embd();
    std::vector<float> row(static_cast<size_t>(d));
    for (int t = 0; t < n; ++t) {
        matmul_.kernels().dequant_row(pos.info->type, pos.row(t), row.data(), d);
        float* x = &x_[size_t(t) * size_t(d)];
        for (int i = 0; i < d; ++i) x[i] += row[size_t(i)];
    }
}

void VisionEncoder::layer_norm(const float* w, const float* b, const float* in, float* out) {
    const int n = hp_.n_patches(), d = hp_.n_embd;
    for (int t = 0; t < n; ++t) {
        float* o = out + size_t(t) * size_t(d);
        layernorm(in + size_t(t) * size_t(d), w, o, d, hp_.eps);
        for (int i = 0; i < d; ++i) o[i] += b[i];
    }
}

void VisionEncoder::layer(const VisionLayer& L) {
    const int n = hp_.n_patches(), d = hp_.n_embd, ff = hp_.n_ff;
    h_.resize(x_.size());
    layer_norm(L.ln1_w, L.ln1_b, x_.data(), h_.data());
    attention(L);
    for (size_t i = 0; i < x_.size(); ++i) x_[i] += o_[i];

    layer_norm(L.ln2_w, L.ln2_b, x_.data(), h_.data());
    ff_.resize(size_t(n) * size_t(ff));
    matmul_(L.up, h_.data(), n, ff_.data());
    add_bias(ff_.data(), L.b_up, n, ff);
    pool_.parallel_for(int64_t(ff_.size()), [&](int64_t i0, int64_t i1, int) {
        matmul_.kernels().gelu_rows(ff_.data() + i0, i1 - i0);
    });
    matmul_(L.down, ff_.data(), n, o_.data());
    add_bias(o_.data(), L.b_down, n, d);
    for (size_t i = 0; i < x_.size(); ++i) x_[i] += o_[i];
}

// Every patch attends to every patch, head by head: the scores as one product of the head's
// keys with its queries, a softmax per row, then one product of the values (turned) with the
// weights.
void VisionEncoder::attention(const VisionLayer& L) {
    const int n = hp_.n_patches(), d = hp_.n_embd, hd = hp_.head_size();
    q_.resize(size_t(n) * size_t(d));
    k_.resize(q_.size());
    v_.resize(q_.size());
    o_.resize(q_.size());
    matmul_(L.wq, h_.data(), n, q_.data());
    add_bias(q_.data(), L.bq, n, d);
    matmul_(L.wk, h_.data(), n, k_.data());
    add_bias(k_.data(), L.bk, n, d);
    matmul_(L.wv, h_.data(), n, v_.data());
    add_bias(v_.data(), L.bv, n, d);

    const float scale = 1.0f / std::sqrt(float(hd));
    // A head's queries and keys are copied into rows padded with zeros to a multiple of 16
    // (SigLIP's 72 to 80): every row then starts on a cache line and ends on a whole vector,
    // instead of a scalar tail in each of n * n dot products.
    const int hdp = (hd + 15) / 16 * 16;
    head_q_.assign(size_t(n) * size_t(hdp), 0.f);
    head_k_.assign(head_q_.size(), 0.f);
    head_vt_.resize(size_t(hd) * size_t(n));
    head_o_.resize(size_t(n) * size_t(hd));
    scores_.resize(size_t(n) * size_t(n));
    AlignedVector<float>& attn = h_;  // the normed rows are spent: the heads' outputs go here
    for (int h = 0; h < hp_.n_head; ++h) {
        for (int t = 0; t < n; ++t) {
            std::copy_n(&q_[size_t(t) * size_t(d) + size_t(h * hd)], hd,
                        &head_q_[size_t(t) * size_t(hdp)]);
            std::copy_n(&k_[size_t(t) * size_t(d) + size_t(h * hd)], hd,
                        &head_k_[size_t(t) * size_t(hdp)]);
            for (int j = 0; j < hd; ++j)
                head_vt_[size_t(j) * size_t(n) + size_t(t)] =
                    v_[size_t(t) * size_t(d) + size_t(h * hd + j)];
        }
        const FloatView keys(head_k_.data(), n, hdp, hdp);
        matmul_(keys.w, head_q_.data(), n, scores_.data());
        pool_.parallel_for(n, [&](int64_t t0, int64_t t1, int) {
            for (int64_t t = t0; t < t1; ++t) {
                const CpuKernels& kern = matmul_.kernels();
                float* s = &scores_[size_t(t) * size_t(n)];
                kern.scale_rows(s, n, scale);
                const float top = kern.max_of(s, n);
                kern.scale_rows(s, n, float(1.0 / kern.exp_rows(s, n, top)));
            }
        });
        const FloatView values(head_vt_.data(), hd, n, n);
        matmul_(values.w, scores_.data(), n, head_o_.data());
        for (int t = 0; t < n; ++t)
            std::copy_n(&head_o_[size_t(t) * size_t(hd)], hd,
                        &attn[size_t(t) * size_t(d) + size_t(h * hd)]);
    }
    matmul_(L.wo, attn.data(), n, o_.data());
    add_bias(o_.data(), L.bo, n, d);
}

// The final LayerNorm, the average of each n_merge x n_merge square of patches, RMSNorm, and
// the projection into the language model's width.
std::vector<float> VisionEncoder::project() {
    const int d = hp_.n_embd, per_side = hp_.patches_per_side(), k = hp_.n_merge;
    const int side = hp_.tokens_per_side(), n_tok = hp_.n_tokens();
    h_.resize(x_.size());
    layer_norm(model_.post_ln_w(), model_.post_ln_b(), x_.data(), h_.data());
    AlignedVector<float> pooled(size_t(n_tok) * size_t(d)), normed(pooled.size());
    for (int ty = 0; ty < side; ++ty)
        for (int tx = 0; tx < side; ++tx) {
            float* out = &pooled[(size_t(ty) * size_t(side) + size_t(tx)) * size_t(d)];
            for (int i = 0; i < d; ++i) {
                float sum = 0;
                for (int dy = 0; dy < k; ++dy)
                    for (int dx = 0; dx < k; ++dx)
                        sum += h_[(size_t(ty * k + dy) * size_t(per_side) + size_t(tx * k + dx)) *
                                      size_t(d) +
                                  size_t(i)];
                out[i] = sum / float(k * k);
            }
        }
    for (int t = 0; t < n_tok; ++t)
        rmsnorm(&pooled[size_t(t) * size_t(d)], model_.soft_emb_norm(),
                &normed[size_t(t) * size_t(d)], d, hp_.eps);
    std::vector<float> out(size_t(n_tok) * size_t(hp_.n_embd_text));
    matmul_(model_.input_proj(), normed.data(), n_tok, out.data());
    return out;
}

}  // namespace nqkv
