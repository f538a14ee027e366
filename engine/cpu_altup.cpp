#include "engine/cpu_altup.h"

#include <algorithm>
#include <cmath>

namespace nqkv {
namespace {

// The root of the sum of squares, the magnitude AltUp matches streams to.
double magnitude(const float* v, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += double(v[i]) * double(v[i]);
    return std::sqrt(s);
}

// v *= target / magnitude(v), as llama.cpp rescales: multiplied first, then divided.
void rescale(float* v, size_t n, double target) {
    const float t = float(target), m = float(magnitude(v, n));
    for (size_t i = 0; i < n; ++i) v[i] = v[i] * t / m;
}

}  // namespace

void gaussian_top_k(float* rows, int T, int n, float std_mul) {
    for (int t = 0; t < T; ++t) {
        float* r = rows + size_t(t) * size_t(n);
        double mean = 0;
        for (int i = 0; i < n; ++i) mean += r[i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; ++i) var += (r[i] - mean) * (r[i] - mean);
        const float cut = float(mean + std::sqrt(var / std::max(1, n - 1)) * std_mul);
        for (int i = 0; i < n; ++i) r[i] = std::max(r[i] - cut, 0.f);
    }
}

CpuAltup::CpuAltup(const LlamaModel& model, CpuMatmul& matmul)
    : model_(model),
      matmul_(matmul),
      d_(size_t(model.hparams().n_embd)),
      n_(model.hparams().n_altup) {}

void CpuAltup::stack(int T, const float* x) {
    T_ = T;
    streams_.resize(size_t(n_) * size_t(T) * d_);
    std::copy_n(x, size_t(T) * d_, stream(0, 0));
    for (int k = 1; k < n_; ++k) {
        matmul_(model_.altup().proj[size_t(k - 1)], x, T, stream(k, 0));
        for (int t = 0; t < T; ++t) rescale(stream(k, t), d_, magnitude(x + size_t(t) * d_, d_));
    }
}

void CpuAltup::modalities(const LlamaLayer& L, int T, const float* x) {
    const LlamaHParams& hp = model_.hparams();
    normed_.resize(size_t(T) * d_);
    const float s = 1.f / float(hp.n_embd);
    for (int t = 0; t < T; ++t) {
        float* o = &normed_[size_t(t) * d_];
        rmsnorm(x + size_t(t) * d_, L.altup_router_norm, o, hp.n_embd, hp.rms_eps);
        for (size_t i = 0; i < d_; ++i) o[i] *= s;
    }
    mod_.resize(size_t(T) * size_t(n_));
    matmul_(L.altup_router, normed_.data(), T, mod_.data());
    for (float& m : mod_) m = std::tanh(m);
}

void CpuAltup::predict(const LlamaLayer& L, int T, float* x) {
    modalities(L, T, stream(0, 0));
    const size_t nn = size_t(n_) * size_t(n_);
    coef_.resize(size_t(T) * nn);
    matmul_(L.altup_predict, mod_.data(), T, coef_.data());
    pred_.assign(streams_.begin(), streams_.end());
    for (int t = 0; t < T; ++t) {
        const float* c = &coef_[size_t(t) * nn];
        for (int k = 0; k < n_; ++k) {
            float* p = &pred_[(size_t(k) * size_t(T) + size_t(t)) * d_];
            for (int j = 0; j < n_; ++j) {
                const float w = c[size_t(k) * size_t(n_) + size_t(j)];
                const float* s = stream(j, t);
                for (size_t i = 0; i < d_; ++i) p[i] += s[i] * w;
            }
        }
    }
    std::copy_n(pred_.data(), size_t(T) * d_, x);
}

void CpuAltup::laurel(const LlamaLayer& L, int T, const float* xb) {
    const LlamaHParams& hp = model_.hparams();
    rank_.resize(size_t(T) * size_t(L.laurel_l.rows));
    laurel_.resize(size_t(T) * d_);
    matmul_(L.laurel_l, xb, T, rank_.data());
    matmul_(L.laurel_r, rank_.data(), T, laurel_.data());
    for (int t = 0; t < T; ++t) {
        float* o = &laurel_[size_t(t) * d_];
        rmsnorm(o, L.laurel_post_norm, o, hp.n_embd, hp.rms_eps);
        for (size_t i = 0; i < d_; ++i) o[i] += xb[size_t(t) * d_ + i];
    }
}

void CpuAltup::add_laurel(int T, float* x) {
    const float s = 1.f / std::sqrt(2.f);
    for (size_t i = 0; i < size_t(T) * d_; ++i) x[i] = (x[i] + laurel_[i]) * s;
}

void CpuAltup::correct(const LlamaLayer& L, int l, int T, const float* x,
                       CpuPerLayerInputs& inputs) {
    modalities(L, T, x);
    coef_.resize(size_t(T) * size_t(n_));
    matmul_(L.altup_correct, mod_.data(), T, coef_.data());
    for (int t = 0; t < T; ++t) {
        const float* act = &pred_[size_t(t) * d_];
        for (int k = 0; k < n_; ++k) {
            const float c = coef_[size_t(t) * size_t(n_) + size_t(k)] + 1.f;
            const float* p = &pred_[(size_t(k) * size_t(T) + size_t(t)) * d_];
            float* s = stream(k, t);
            for (size_t i = 0; i < d_; ++i) s[i] = (x[size_t(t) * d_ + i] - act[i]) * c + p[i];
        }
    }
    gated_.resize(size_t(T) * d_);
    for (int t = 0; t < T; ++t)
        for (size_t i = 0; i < d_; ++i)
            gated_[size_t(t) * d_ + i] = stream(0, t)[i] * L.altup_correct_scale[i];
    pl_out_.resize(size_t(T) * d_);
    inputs.project(L, l, T, gated_.data(), pl_out_.data());
    for (int k = 1; k < n_; ++k)
        for (size_t i = 0; i < size_t(T) * d_; ++i) stream(k, 0)[i] += pl_out_[i];
}

void CpuAltup::merge(int T, float* x) {
    std::copy_n(stream(0, 0), size_t(T) * d_, x);
    proj_.resize(size_t(T) * d_);
    for (int k = 1; k < n_; ++k) {
        matmul_(model_.altup().unembd[size_t(k - 1)], stream(k, 0), T, proj_.data());
        for (int t = 0; t < T; ++t) {
            float* u = &proj_[size_t(t) * d_];
            rescale(u, d_, magnitude(stream(0, t), d_));
            for (size_t i = 0; i < d_; ++i) x[size_t(t) * d_ + i] += u[i];
        }
    }
    const float s = 1.f / float(n_);
    for (size_t i = 0; i < size_t(T) * d_; ++i) x[i] *= s;
}

}  // namespace nqkv
