#include "tests/naive_vision.h"

#include <algorithm>
#include <cmath>

#include "engine/cpu_kernels.h"
#include "engine/vision_model.h"

namespace nqkv::test {
namespace {

using Vec = std::vector<double>;

Vec row(const WeightMatrix& w, int64_t r) {
    std::vector<float> f(static_cast<size_t>(w.cols));
    cpu_kernels().dequant_row(w.info->type, w.row(r), f.data(), w.cols);
    return Vec(f.begin(), f.end());
}

Vec matvec(const WeightMatrix& w, const Vec& x, const float* bias) {
    Vec y(static_cast<size_t>(w.rows));
    for (int64_t r = 0; r < w.rows; ++r) {
        const Vec wr = row(w, r);
        double s = bias ? bias[r] : 0.0;
        for (size_t i = 0; i < x.size(); ++i) s += wr[i] * x[i];
        y[size_t(r)] = s;
    }
    return y;
}

Vec layer_norm(const Vec& x, const float* w, const float* b, double eps) {
    double mean = 0, var = 0;
    for (double v : x) mean += v;
    mean /= double(x.size());
    for (double v : x) var += (v - mean) * (v - mean);
    var /= double(x.size());
    Vec y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) / std::sqrt(var + eps) * w[i] + b[i];
    return y;
}

}  // namespace

std::vector<double> naive_vision(const VisionModel& m, const RgbImage& img) {
    const VisionHParams& hp = m.hparams();
    const int p = hp.patch_size, side = hp.image_size, per = hp.patches_per_side();
    const int np = hp.n_patches(), d = hp.n_embd, hd = hp.head_size();
    const std::vector<float> planes = normalized_planes(fit_square(img, side), hp.mean, hp.stddev);
    std::vector<Vec> x(static_cast<size_t>(np));
    for (int t = 0; t < np; ++t) {
        const int py = t / per, px = t % per;
        Vec patch;
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < p; ++y)
                for (int xx = 0; xx < p; ++xx)
                    patch.push_back(
                        planes[(size_t(c) * size_t(side) + size_t(py * p + y)) * size_t(side) +
                               size_t(px * p + xx)]);
        x[size_t(t)] = matvec(m.patch_embd(), patch, m.patch_bias());
        const Vec pos = row(m.position_embd(), t);
        for (int i = 0; i < d; ++i) x[size_t(t)][size_t(i)] += pos[size_t(i)];
    }
    for (const VisionLayer& L : m.layers()) {
        std::vector<Vec> q(static_cast<size_t>(np)), k(q.size()), v(q.size());
        for (int t = 0; t < np; ++t) {
            const Vec h = layer_norm(x[size_t(t)], L.ln1_w, L.ln1_b, hp.eps);
            q[size_t(t)] = matvec(L.wq, h, L.bq);
            k[size_t(t)] = matvec(L.wk, h, L.bk);
            v[size_t(t)] = matvec(L.wv, h, L.bv);
        }
        std::vector<Vec> next = x;
        for (int t = 0; t < np; ++t) {
            Vec att(size_t(d), 0.0);
            for (int h = 0; h < hp.n_head; ++h) {
                Vec s(static_cast<size_t>(np));
                double top = -1e300, sum = 0;
                for (int r = 0; r < np; ++r) {
                    double dot = 0;
                    for (int j = 0; j < hd; ++j)
                        dot += q[size_t(t)][size_t(h * hd + j)] * k[size_t(r)][size_t(h * hd + j)];
                    s[size_t(r)] = dot / std::sqrt(double(hd));
                    top = std::max(top, s[size_t(r)]);
                }
                for (double& e : s) sum += e = std::exp(e - top);
                for (int r = 0; r < np; ++r)
                    for (int j = 0; j < hd; ++j)
                        att[size_t(h * hd + j)] +=
                            s[size_t(r)] / sum * v[size_t(r)][size_t(h * hd + j)];
            }
            const Vec o = matvec(L.wo, att, L.bo);
            for (int i = 0; i < d; ++i) next[size_t(t)][size_t(i)] += o[size_t(i)];
            Vec u = matvec(L.up, layer_norm(next[size_t(t)], L.ln2_w, L.ln2_b, hp.eps), L.b_up);
            for (double& e : u)  // GELU, tanh form
                e = 0.5 * e * (1 + std::tanh(std::sqrt(2 / M_PI) * (e + 0.044715 * e * e * e)));
            const Vec dn = matvec(L.down, u, L.b_down);
            for (int i = 0; i < d; ++i) next[size_t(t)][size_t(i)] += dn[size_t(i)];
        }
        x = std::move(next);
    }
    const int k = hp.n_merge, ts = hp.tokens_per_side();
    std::vector<double> out;
    for (int ty = 0; ty < ts; ++ty)
        for (int tx = 0; tx < ts; ++tx) {
            Vec pooled(size_t(d), 0.0);
            for (int dy = 0; dy < k; ++dy)
                for (int dx = 0; dx < k; ++dx) {
                    const Vec n = layer_norm(x[size_t((ty * k + dy) * per + tx * k + dx)],
                                             m.post_ln_w(), m.post_ln_b(), hp.eps);
                    for (int i = 0; i < d; ++i) pooled[size_t(i)] += n[size_t(i)] / double(k * k);
                }
            double ms = 0;
            for (double e : pooled) ms += e * e;
            const double inv = 1 / std::sqrt(ms / double(d) + hp.eps);
            for (int i = 0; i < d; ++i) pooled[size_t(i)] *= inv * m.soft_emb_norm()[i];
            const Vec y = matvec(m.input_proj(), pooled, nullptr);
            out.insert(out.end(), y.begin(), y.end());
        }
    return out;
}

}  // namespace nqkv::test
