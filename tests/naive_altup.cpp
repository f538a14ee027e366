#include "tests/naive_altup.h"

#include <algorithm>
#include <cmath>

#include "engine/llama_model.h"

namespace nqkv::test {
namespace {

double magnitude(const Vec& v) {
    double s = 0;
    for (double e : v) s += e * e;
    return std::sqrt(s);
}

}  // namespace

double gelu(double a) {
    return 0.5 * a * (1 + std::tanh(std::sqrt(2 / M_PI) * (a + 0.044715 * a * a * a)));
}

void gaussian_top_k(Vec& g, double std_mul) {
    const double n = double(g.size());
    double mean = 0, var = 0;
    for (double e : g) mean += e;
    mean /= n;
    for (double e : g) var += (e - mean) * (e - mean);
    const double cut = mean + std::sqrt(var / (n - 1)) * std_mul;
    for (double& e : g) e = std::max(e - cut, 0.0);
}

void NaiveAltup::stack(const Vec& x) {
    streams_.assign(1, x);
    for (const WeightMatrix& p : m_.altup().proj) {
        Vec s = mv_(p, x);
        const double r = magnitude(x) / magnitude(s);
        for (double& e : s) e *= r;
        streams_.push_back(s);
    }
}

Vec NaiveAltup::modalities(const LlamaLayer& L, const Vec& x) const {
    const LlamaHParams& hp = m_.hparams();
    Vec r = rmsnorm(x, L.altup_router_norm, hp.rms_eps);
    for (double& e : r) e /= double(hp.n_embd);
    Vec mod = mv_(L.altup_router, r);
    for (double& e : mod) e = std::tanh(e);
    return mod;
}

Vec NaiveAltup::predict(const LlamaLayer& L) {
    const size_t n = streams_.size();
    const Vec c = mv_(L.altup_predict, modalities(L, streams_[0]));
    pred_ = streams_;
    for (size_t k = 0; k < n; ++k)
        for (size_t j = 0; j < n; ++j)
            for (size_t i = 0; i < pred_[k].size(); ++i)
                pred_[k][i] += c[k * n + j] * streams_[j][i];
    return pred_[0];
}

void NaiveAltup::laurel(const LlamaLayer& L, const Vec& xb) {
    laurel_ =
        rmsnorm(mv_(L.laurel_r, mv_(L.laurel_l, xb)), L.laurel_post_norm, m_.hparams().rms_eps);
    for (size_t i = 0; i < xb.size(); ++i) laurel_[i] += xb[i];
}

void NaiveAltup::add_laurel(Vec& x) const {
    for (size_t i = 0; i < x.size(); ++i) x[i] = (x[i] + laurel_[i]) / std::sqrt(2.0);
}

void NaiveAltup::correct(const LlamaLayer& L, const Vec& x, const Vec& pli) {
    const LlamaHParams& hp = m_.hparams();
    const Vec c = mv_(L.altup_correct, modalities(L, x));
    for (size_t k = 0; k < streams_.size(); ++k)
        for (size_t i = 0; i < x.size(); ++i)
            streams_[k][i] = pred_[k][i] + (x[i] - pred_[0][i]) * (c[k] + 1);
    Vec a = streams_[0];
    for (size_t i = 0; i < a.size(); ++i) a[i] *= double(L.altup_correct_scale[i]);
    Vec g = mv_(L.pl_gate, a);
    for (size_t i = 0; i < g.size(); ++i) g[i] = gelu(g[i]) * pli[i];
    const Vec o = rmsnorm(mv_(L.pl_proj, g), L.pl_post_norm, hp.rms_eps);
    for (size_t k = 1; k < streams_.size(); ++k)
        for (size_t i = 0; i < o.size(); ++i) streams_[k][i] += o[i];
}

Vec NaiveAltup::merge() const {
    Vec x = streams_[0];
    for (size_t k = 1; k < streams_.size(); ++k) {
        Vec u = mv_(m_.altup().unembd[k - 1], streams_[k]);
        const double r = magnitude(streams_[0]) / magnitude(u);
        for (size_t i = 0; i < x.size(); ++i) x[i] += u[i] * r;
    }
    for (double& e : x) e /= double(streams_.size());
    return x;
}

}  // namespace nqkv::test
