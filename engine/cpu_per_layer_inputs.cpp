#include "engine/cpu_per_layer_inputs.h"

#include <cmath>

namespace nqkv {

CpuPerLayerInputs::CpuPerLayerInputs(const LlamaModel& model, CpuMatmul& matmul)
    : model_(model), matmul_(matmul), width_(model.hparams().n_embd_per_layer) {}

void CpuPerLayerInputs::prepare(const int* tokens, int T, const float* x) {
    const LlamaHParams& hp = model_.hparams();
    const PerLayerInputWeights& w = model_.per_layer_inputs();
    const size_t all = size_t(width_) * size_t(hp.n_layer);
    in_.resize(size_t(T) * all);
    proj_.resize(in_.size());
    matmul_(w.model_proj, x, T, proj_.data());
    const float proj_scale = 1.f / std::sqrt(float(hp.n_embd)),
                embd_scale = std::sqrt(float(width_)), sum_scale = 1.f / std::sqrt(2.f);
    for (int t = 0; t < T; ++t) {
        float* in = &in_[size_t(t) * all];
        matmul_.kernels().dequant_row(w.token_embd.info->type, w.token_embd.row(tokens[t]), in,
                                      int(all));
        float* p = &proj_[size_t(t) * all];
        for (size_t i = 0; i < all; ++i) p[i] *= proj_scale;
        for (int l = 0; l < hp.n_layer; ++l) {
            float* pl = p + size_t(l) * size_t(width_);
            rmsnorm(pl, w.proj_norm, pl, width_, hp.rms_eps);
            float* il = in + size_t(l) * size_t(width_);
            for (int i = 0; i < width_; ++i) il[i] = (pl[i] + il[i] * embd_scale) * sum_scale;
        }
    }
}

void CpuPerLayerInputs::apply(const LlamaLayer& L, int l, int T, float* x) {
    const size_t n = size_t(T) * size_t(model_.hparams().n_embd);
    out_.resize(n);
    project(L, l, T, x, out_.data());
    for (size_t i = 0; i < n; ++i) x[i] += out_[i];
}

void CpuPerLayerInputs::project(const LlamaLayer& L, int l, int T, const float* in, float* out) {
    const LlamaHParams& hp = model_.hparams();
    const int d = hp.n_embd;
    const size_t all = size_t(width_) * size_t(hp.n_layer);
    gate_.resize(size_t(T) * size_t(width_));
    matmul_(L.pl_gate, in, T, gate_.data());
    for (int t = 0; t < T; ++t) {
        const float* il = &in_[size_t(t) * all + size_t(l) * size_t(width_)];
        float* g = &gate_[size_t(t) * size_t(width_)];
        for (int i = 0; i < width_; ++i) g[i] = gelu(g[i]) * il[i];
    }
    matmul_(L.pl_proj, gate_.data(), T, out);
    for (int t = 0; t < T; ++t) {
        float* o = out + size_t(t) * size_t(d);
        rmsnorm(o, L.pl_post_norm, o, d, hp.rms_eps);
    }
}

}  // namespace nqkv
