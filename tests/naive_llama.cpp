#include "tests/naive_llama.h"

#include "tests/naive_altup.h"
#include "tests/naive_state_space.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/activation_quant.h"
#include "engine/llama_model.h"
#include "engine/quant_blocks.h"

namespace nqkv::test {
namespace {

Vec row(const WeightMatrix& w, int64_t r) {
    std::vector<float> f(size_t(w.cols));
    dequantize_row_reference(w.info->type, w.row(r), f.data(), w.cols);
    return Vec(f.begin(), f.end());
}

// x as the engine rounds it for w's integer dot products (unchanged where it does not).
Vec rounded(const WeightMatrix& w, const Vec& x) {
    const TensorType at = activation_type(w.info->type);
    if (at == TensorType::F32) return x;
    const std::vector<float> f(x.begin(), x.end());
    std::vector<uint8_t> q(activation_row_bytes(at, w.cols));
    quantize_activations(at, f.data(), w.cols, q.data());
    std::vector<float> back(f.size());
    dequantize_activations(at, q.data(), w.cols, back.data());
    return Vec(back.begin(), back.end());
}

Vec matvec(const WeightMatrix& w, const Vec& x_in, bool round_acts) {
    const Vec x = round_acts ? rounded(w, x_in) : x_in;
    Vec y(size_t(w.rows));
    for (int64_t r = 0; r < w.rows; ++r) {
        const Vec wr = row(w, r);
        double s = 0;
        for (int64_t c = 0; c < w.cols; ++c) s += wr[size_t(c)] * x[size_t(c)];
        y[size_t(r)] = s;
    }
    return y;
}

}  // namespace

Vec rmsnorm(const Vec& x, const float* w, double eps) {
    double ss = 0;
    for (double v : x) ss += v * v;
    const double scale = 1.0 / std::sqrt(ss / double(x.size()) + eps);
    Vec y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * scale * (w ? double(w[i]) : 1.0);
    return y;
}

namespace {

// LayerNorm without a bias (Cohere's): (x - mean) / sqrt(variance + eps) * w.
Vec layernorm(const Vec& x, const float* w, double eps) {
    double mean = 0, var = 0;
    for (double v : x) mean += v;
    mean /= double(x.size());
    for (double v : x) var += (v - mean) * (v - mean);
    const double scale = 1.0 / std::sqrt(var / double(x.size()) + eps);
    Vec y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) * scale * (w ? double(w[i]) : 1.0);
    return y;
}

// The model's norm: LayerNorm where it says so, RMSNorm otherwise.
Vec norm(const Vec& x, const float* w, const LlamaHParams& hp) {
    return hp.layer_norm ? layernorm(x, w, hp.rms_eps) : rmsnorm(x, w, hp.rms_eps);
}

void add_bias(Vec& x, const float* b, size_t offset = 0) {
    if (b)
        for (size_t i = 0; i < x.size(); ++i) x[i] += double(b[offset + i]);
}

// The model's norm over each head-sized slice of x (head_dim), with weights w (Qwen3; Command
// R+: each head its own), or over x whole (OLMo 2); nothing without weights.
void head_norm(Vec& x, const float* w, const LlamaHParams& hp, int head_dim) {
    if (!w) return;
    const size_t hd = hp.qk_norm_whole ? x.size() : size_t(head_dim);
    for (size_t h = 0; h < x.size() / hd; ++h) {
        const Vec y = norm(Vec(x.begin() + ptrdiff_t(h * hd), x.begin() + ptrdiff_t((h + 1) * hd)),
                           hp.qk_norm_head_weights ? w + h * hd : w, hp);
        std::copy(y.begin(), y.end(), x.begin() + ptrdiff_t(h * hd));
    }
}

// Gemma 4's values, Llama 4's queries and keys: RMS-normed per head without a weight.
void plain_head_norm(Vec& x, const LlamaHParams& hp, int head_dim) {
    const size_t hd = size_t(head_dim);
    for (size_t h = 0; h < x.size() / hd; ++h) {
        double ss = 0;
        for (size_t i = 0; i < hd; ++i) ss += x[h * hd + i] * x[h * hd + i];
        const double scale = 1.0 / std::sqrt(ss / double(hd) + hp.rms_eps);
        for (size_t i = 0; i < hd; ++i) x[h * hd + i] *= scale;
    }
}

// Gemma 4 E2B/E4B's per-layer inputs for one token: n_layer vectors of n_embd_per_layer.
std::vector<Vec> per_layer_inputs(const LlamaModel& m, int token, const Vec& x,
                                  const std::function<Vec(const WeightMatrix&, const Vec&)>& mv) {
    const LlamaHParams& hp = m.hparams();
    const PerLayerInputWeights& w = m.per_layer_inputs();
    const size_t n = size_t(hp.n_embd_per_layer);
    const Vec e = row(w.token_embd, token);
    Vec proj = mv(w.model_proj, x);
    std::vector<Vec> out;
    for (int l = 0; l < hp.n_layer; ++l) {
        Vec p(proj.begin() + ptrdiff_t(size_t(l) * n), proj.begin() + ptrdiff_t(size_t(l + 1) * n));
        for (double& v : p) v /= std::sqrt(double(hp.n_embd));
        p = rmsnorm(p, w.proj_norm, hp.rms_eps);
        for (size_t i = 0; i < n; ++i)
            p[i] = (p[i] + e[size_t(l) * n + i] * std::sqrt(double(n))) / std::sqrt(2.0);
        out.push_back(p);
    }
    return out;
}

// `local`: a sliding-window layer with its own base (Gemma 3 and 4): no scaling, no factors
// (OLMo 3: no attention factor either).
void rope(Vec& x, int n_heads, int head_dim, int n_rot, int pos, const LlamaHParams& hp,
          bool local) {
    const double base = local ? hp.rope_base_swa : hp.rope_base;
    const double scale = local ? 1.0 : hp.rope_scale;
    for (int h = 0; h < n_heads; ++h)
        for (int i = 0; i < n_rot / 2; ++i) {
            const double ff = local || hp.rope_freq_factors.empty()
                                  ? 1.0
                                  : double(hp.rope_freq_factors[size_t(i)]);
            const double theta = (pos / scale) * std::pow(base, -2.0 * i / n_rot) / ff;
            const int ia = hp.rope_neox ? i : 2 * i, ib = hp.rope_neox ? i + n_rot / 2 : 2 * i + 1;
            double& a = x[size_t(h * head_dim + ia)];
            double& b = x[size_t(h * head_dim + ib)];
            const double a0 = a, b0 = b;
            const double mag = local && hp.rope_swa_unscaled ? 1.0 : hp.rope_attn_factor;
            const double c = std::cos(theta) * mag, sn = std::sin(theta) * mag;
            a = a0 * c - b0 * sn;
            b = a0 * sn + b0 * c;
        }
}

void softcap(double& x, double cap) {
    if (cap > 0) x = cap * std::tanh(x / cap);
}

// Multi-head latent attention written out the long way (as the model card defines it, not as
// the engine runs it): each head's keys and values are decompressed from every position's
// latent through its attn_k_b and attn_v_b, then attend as ordinary heads.
// `cache` holds each position's latent and rotated key.
template <class Mv>
Vec latent_attention(const LlamaLayer& L, const LlamaHParams& hp, const Vec& xb, size_t pos,
                     std::vector<Vec>& cache, const Mv& mv) {
    const int nh = hp.n_head, nope = hp.mla_nope, rot = hp.n_rot, rank = hp.mla_rank;
    const int qh = nope + rot;
    const Vec q =
        L.wq_a.info ? mv(L.wq_b, rmsnorm(mv(L.wq_a, xb), L.q_a_norm, hp.rms_eps)) : mv(L.wq, xb);
    const Vec kv = mv(L.wkv_a, xb);
    Vec entry = rmsnorm(Vec(kv.begin(), kv.begin() + rank), L.kv_a_norm, hp.rms_eps);
    Vec k_rot(kv.begin() + rank, kv.end());
    rope(k_rot, 1, rot, rot, int(pos), hp, false);
    entry.insert(entry.end(), k_rot.begin(), k_rot.end());
    cache.push_back(entry);
    Vec q_rot(size_t(nh) * size_t(rot));
    for (int h = 0; h < nh; ++h)
        for (int i = 0; i < rot; ++i) q_rot[size_t(h * rot + i)] = q[size_t(h * qh + nope + i)];
    rope(q_rot, nh, rot, rot, int(pos), hp, false);
    const double scale = hp.attn_scale * hp.attn_temperature(int(pos));
    Vec att;
    for (int h = 0; h < nh; ++h) {
        const WeightMatrix &kb = L.wk_b[size_t(h)], &vb = L.wv_b[size_t(h)];
        std::vector<Vec> kb_rows, vb_rows;
        for (int r = 0; r < rank; ++r) kb_rows.push_back(row(kb, r));
        for (int j = 0; j < hp.mla_v_dim; ++j) vb_rows.push_back(row(vb, j));
        Vec s(pos + 1), out(size_t(hp.mla_v_dim), 0.0);
        double mx = -1e300;
        for (size_t p = 0; p <= pos; ++p) {
            double d = 0;
            for (int i = 0; i < nope; ++i) {
                double k = 0;  // key p's unrotated dim i for this head
                for (int r = 0; r < rank; ++r)
                    k += kb_rows[size_t(r)][size_t(i)] * cache[p][size_t(r)];
                d += q[size_t(h * qh + i)] * k;
            }
            for (int i = 0; i < rot; ++i)
                d += q_rot[size_t(h * rot + i)] * cache[p][size_t(rank + i)];
            mx = std::max(mx, s[p] = d * scale);
        }
        double sum = 0;
        for (size_t p = 0; p <= pos; ++p) sum += (s[p] = std::exp(s[p] - mx));
        for (size_t p = 0; p <= pos; ++p)
            for (int j = 0; j < hp.mla_v_dim; ++j) {
                double v = 0;
                for (int r = 0; r < rank; ++r)
                    v += vb_rows[size_t(j)][size_t(r)] * cache[p][size_t(r)];
                out[size_t(j)] += s[p] / sum * v;
            }
        att.insert(att.end(), out.begin(), out.end());
    }
    return mv(L.wo, att);
}

// DeepSeek-V3's groups: all but the n_group_used groups with the highest sums of their two
// best selection weights are left out.
void mask_groups(const LlamaHParams& hp, Vec& pick) {
    const size_t per = pick.size() / size_t(hp.n_expert_groups);
    std::vector<std::pair<double, size_t>> score;
    for (size_t g = 0; g < size_t(hp.n_expert_groups); ++g) {
        Vec m(pick.begin() + long(g * per), pick.begin() + long((g + 1) * per));
        std::sort(m.rbegin(), m.rend());
        score.push_back({-(m[0] + m[1]), g});
    }
    std::stable_sort(score.begin(), score.end());
    for (size_t i = size_t(hp.n_group_used); i < score.size(); ++i)
        std::fill_n(pick.begin() + long(score[i].second * per), per, -1e300);
}

}  // namespace

std::vector<std::vector<double>> naive_forward(const LlamaModel& m, const std::vector<int>& tokens,
                                               bool round_acts) {
    const MatVec mv = [&](const WeightMatrix& w, const Vec& x) { return matvec(w, x, round_acts); };
    const LlamaHParams& hp = m.hparams();
    NaiveAltup altup(m, mv);  // Gemma 3n's streams
    std::vector<std::vector<Vec>> keys(size_t(hp.n_layer)), values(size_t(hp.n_layer));
    std::vector<std::vector<Vec>> conv_inputs(size_t(hp.n_layer));  // LFM2: B * x per position
    std::vector<NaiveSsm> ssm(size_t(hp.n_layer));                  // Mamba-2
    std::vector<std::vector<double>> out;
    for (size_t pos = 0; pos < tokens.size(); ++pos) {
        Vec x = row(m.token_embd(), tokens[pos]);
        for (double& e : x) e *= hp.embd_scale;
        const std::vector<Vec> pli =
            hp.n_embd_per_layer ? per_layer_inputs(m, tokens[pos], x, mv) : std::vector<Vec>{};
        if (hp.n_altup) altup.stack(x);
        for (int l = 0; l < hp.n_layer; ++l) {
            const int hd = hp.head_size(l), group = hp.n_head / hp.heads_kv(l);
            const bool local = hp.windowed(l) && hp.rope_base_swa > 0;
            size_t from = 0;  // the first position attended to: a window, or a chunk's start
            if (hp.windowed(l) && hp.swa_chunked)
                from = pos / size_t(hp.swa_window) * size_t(hp.swa_window);
            else if (hp.windowed(l) && pos + 1 > size_t(hp.swa_window))
                from = pos + 1 - size_t(hp.swa_window);
            const double kq_scale = hp.attn_scale > 0 ? hp.attn_scale : 1.0 / std::sqrt(double(hd));
            const LlamaLayer& L = m.layers()[size_t(l)];
            if (hp.n_altup) x = altup.predict(L);
            const Vec layer_in = x;  // SmallThinker's router reads it
            const Vec xb = L.attn_norm ? norm(x, L.attn_norm, hp) : x;
            if (hp.n_altup) altup.laurel(L, xb);
            if (hp.ffn_only(l)) {
                // Nemotron-H's feed-forward blocks: no mixer
            } else if (hp.conv(l)) {
                // C * (filter over the latest conv_kernel inputs B * x, zeros before the start)
                const Vec bcx = mv(L.conv_in, xb);
                const size_t d = x.size(), K = size_t(hp.conv_kernel);
                Vec bx(d);
                for (size_t i = 0; i < d; ++i) bx[i] = bcx[i] * bcx[2 * d + i];
                conv_inputs[size_t(l)].push_back(bx);
                Vec y(d, 0.0);
                for (size_t k = 0; k < K; ++k) {
                    if (pos + k + 1 < K) continue;
                    const Vec& in = conv_inputs[size_t(l)][pos + k + 1 - K];
                    for (size_t i = 0; i < d; ++i) y[i] += in[i] * L.conv_filter[i * K + k];
                }
                for (size_t i = 0; i < d; ++i) y[i] *= bcx[d + i];
                const Vec o = mv(L.conv_out, y);
                for (size_t i = 0; i < d; ++i) x[i] += o[i];
            } else if (hp.ssm(l) && hp.delta_net) {
                const Vec o = mv(L.ssm_out, delta_net_inputs(L, hp, xb, ssm[size_t(l)], mv));
                for (size_t i = 0; i < x.size(); ++i) x[i] += o[i];
            } else if (hp.ssm(l) && !hp.ssm_beside_attention) {
                const Vec o = mv(L.ssm_out, mamba2(L, hp, mv(L.ssm_in, xb), ssm[size_t(l)]));
                for (size_t i = 0; i < x.size(); ++i) x[i] += hp.residual_scale * o[i];
            } else if (hp.linear_attn(l)) {  // Llama-Nemotron: one projection instead
                Vec o = mv(L.wo, xb);
                add_bias(o, L.bo);
                for (size_t i = 0; i < x.size(); ++i) x[i] += o[i];
            } else if (hp.mla()) {
                const Vec o = latent_attention(L, hp, xb, pos, keys[size_t(l)], mv);
                for (size_t i = 0; i < x.size(); ++i) x[i] += hp.residual_scale * o[i];
            } else {
                // Gemma 4: a layer may read another's keys and values, and without attn_v its
                // keys (before their norm) are its values.
                const bool owns = hp.owns_kv(l);
                Vec q = mv(L.wq, xb), k = owns ? mv(L.wk, xb) : Vec{}, gate;
                Vec v = owns ? (L.wv.info ? mv(L.wv, xb) : k) : Vec{};
                add_bias(q, L.bq);
                if (hp.attn_output_gate) {  // Qwen3.5: per head, the query and then its gates
                    const Vec qg = q;
                    q.assign(size_t(hp.layer_q_dim(l)), 0.0);
                    gate = q;
                    for (size_t i = 0; i < q.size(); ++i) {
                        const size_t h = i / size_t(hd), j = i % size_t(hd);
                        q[i] = qg[2 * h * size_t(hd) + j];
                        gate[i] = qg[(2 * h + 1) * size_t(hd) + j];
                    }
                }
                add_bias(k, L.bk);
                add_bias(v, L.bv);
                if (!hp.qk_norm_after_rope) {
                    head_norm(q, L.q_norm, hp, hd);
                    head_norm(k, L.k_norm, hp, hd);
                }
                if (hp.v_norm_plain && owns) plain_head_norm(v, hp, hd);
                if (hp.roped(l)) {
                    rope(q, hp.n_head, hd, hp.rot_dims(l), int(pos), hp, local);
                    if (owns) rope(k, hp.heads_kv(l), hd, hp.rot_dims(l), int(pos), hp, local);
                }
                if (hp.qk_norm_after_rope) {  // Hunyuan's
                    head_norm(q, L.q_norm, hp, hd);
                    head_norm(k, L.k_norm, hp, hd);
                }
                if (hp.qk_plain_norm_roped && hp.roped(l)) {  // Llama 4's
                    plain_head_norm(q, hp, hd);
                    if (owns) plain_head_norm(k, hp, hd);
                }
                // Llama 4 warms only the layers without RoPE.
                if (!hp.attn_temp_unroped || !hp.roped(l))
                    for (double& e : q) e *= hp.attn_temperature(int(pos));
                if (owns) {
                    keys[size_t(l)].push_back(k);
                    values[size_t(l)].push_back(v);
                }
                const size_t src = size_t(hp.kv_source(l));
                Vec att(size_t(hp.layer_q_dim(l)), 0.0);
                for (int h = 0; h < hp.n_head; ++h) {
                    const int kh = h / group;
                    Vec s(pos + 1, 0.0);
                    // A sink (gpt-oss) joins the softmax's sum as an extra logit.
                    const double sink = L.attn_sinks ? double(L.attn_sinks[h]) : -1e300;
                    double mx = sink;
                    for (size_t p = from; p <= pos; ++p) {
                        double d = 0;
                        for (int i = 0; i < hd; ++i)
                            d += q[size_t(h * hd + i)] * keys[src][p][size_t(kh * hd + i)];
                        s[p] = d * kq_scale;
                        softcap(s[p], hp.attn_softcap);
                        mx = std::max(mx, s[p]);
                    }
                    double sum = L.attn_sinks ? std::exp(sink - mx) : 0.0;
                    for (size_t p = from; p <= pos; ++p) sum += (s[p] = std::exp(s[p] - mx));
                    for (size_t p = from; p <= pos; ++p)
                        for (int i = 0; i < hd; ++i)
                            att[size_t(h * hd + i)] +=
                                s[p] / sum * values[src][p][size_t(kh * hd + i)];
                }
                for (size_t i = 0; i < gate.size(); ++i) att[i] /= 1 + std::exp(-gate[i]);
                Vec o = mv(L.wo, att);
                add_bias(o, L.bo);
                if (L.post_attn_norm) o = norm(o, L.post_attn_norm, hp);
                if (hp.ssm_beside_attention) {  // Falcon-H1: plus Mamba-2 on the same input
                    const Vec so = mv(L.ssm_out, mamba2(L, hp, mv(L.ssm_in, xb), ssm[size_t(l)]));
                    for (size_t i = 0; i < o.size(); ++i) o[i] += so[i];
                }
                for (size_t i = 0; i < x.size(); ++i) x[i] += hp.residual_scale * o[i];
            }
            if (hp.n_altup) altup.add_laurel(x);
            if (!hp.has_ffn(l)) continue;  // Nemotron-H's mixer blocks
            // Cohere's feed-forward reads the attention's input (x has its output by now).
            const Vec xb2 = hp.parallel_ffn ? xb : L.ffn_norm ? norm(x, L.ffn_norm, hp) : x;
            // expert: whose biases apply (gpt-oss), if any. Without a gate (Nemotron-H and its
            // experts): ReLU(up x)^2 through down.
            const auto ffn_of = [&](const WeightMatrix& wg, const WeightMatrix& wu,
                                    const WeightMatrix& wd, size_t expert, const Vec& in) {
                if (!wg.info) {
                    Vec u = mv(wu, in);
                    if (!hp.xielu.empty()) {  // Apertus
                        const auto& a = hp.xielu[size_t(l)];
                        for (double& e : u)
                            e = e > 0 ? a.alpha_p * e * e + a.beta * e
                                      : (std::expm1(std::min(e, double(a.eps))) - e) * a.alpha_n +
                                            a.beta * e;
                    } else {
                        for (double& e : u) e = e > 0 ? e * e : 0;
                    }
                    return mv(wd, u);
                }
                Vec g = mv(wg, in), u = mv(wu, in);
                add_bias(g, L.e_gate_bias, expert * g.size());
                add_bias(u, L.e_up_bias, expert * u.size());
                if (hp.sparse_ffn(l)) gaussian_top_k(g, hp.ffn_sparsity[size_t(l)]);
                for (size_t i = 0; i < g.size(); ++i) {
                    const double a = g[i];
                    if (hp.swiglu_oai) {  // clamped at 7, sigmoid slope 1.702
                        const double c = std::min(a, 7.0);
                        g[i] = c / (1 + std::exp(-1.702 * c)) * (std::clamp(u[i], -7.0, 7.0) + 1);
                        continue;
                    }
                    const double act = hp.ffn_gelu        ? gelu(a)
                                       : hp.ffn_relu_gate ? std::max(a, 0.0)
                                                          : a / (1.0 + std::exp(-a));
                    g[i] = act * u[i];
                }
                Vec y = mv(wd, g);
                add_bias(y, L.e_down_bias, expert * y.size());
                return y;
            };
            const auto ffn = [&](const WeightMatrix& wg, const WeightMatrix& wu,
                                 const WeightMatrix& wd,
                                 size_t expert) { return ffn_of(wg, wu, wd, expert, xb2); };
            // Gemma 4's expert layers: experts on their own norm of x, routed by x normed
            // without a weight, over sqrt(n_embd), times the router's scale.
            Vec expert_in = xb2, router_in = hp.router_on_input ? layer_in : xb2;
            if (L.pre_ffn_norm_2) {
                expert_in = rmsnorm(x, L.pre_ffn_norm_2, hp.rms_eps);
                router_in = rmsnorm(x, nullptr, hp.rms_eps);
                for (size_t i = 0; i < x.size(); ++i)
                    router_in[i] *= double(L.router_in_scale[i]) / std::sqrt(double(x.size()));
            }
            Vec d;
            if (hp.moe(l)) {
                // Every expert's weight (softmax, or a sigmoid: LFM2-MoE, Nemotron 3); the
                // n_expert_used highest (after a selection bias), renormalised unless the model
                // says not to, and scaled where it says so.
                Vec p = mv(L.router, router_in);
                add_bias(p, L.router_bias);
                const Vec logits = p;  // Llama 4 picks by these
                const double mx = *std::max_element(p.begin(), p.end());
                double total = 0;
                for (double& e : p)
                    total += e = hp.expert_sigmoid ? 1 / (1 + std::exp(-e)) : std::exp(e - mx);
                if (!hp.expert_sigmoid)
                    for (double& e : p) e /= total;
                Vec pick = hp.expert_weight_first ? logits : p;
                add_bias(pick, L.expert_select_bias);
                if (hp.n_expert_groups > 1) mask_groups(hp, pick);
                std::vector<int> idx(p.size());
                for (size_t e = 0; e < p.size(); ++e) idx[e] = int(e);
                std::stable_sort(idx.begin(), idx.end(),
                                 [&](int a, int b) { return pick[size_t(a)] > pick[size_t(b)]; });
                double chosen = 0;
                for (int j = 0; j < hp.n_expert_used; ++j) chosen += p[size_t(idx[size_t(j)])];
                d.assign(x.size(), 0.0);
                for (int j = 0; j < hp.n_expert_used; ++j) {
                    const size_t e = size_t(idx[size_t(j)]);
                    double w = (hp.expert_weights_norm ? p[e] / chosen : p[e]) *
                               double(hp.expert_weights_scale) *
                               (L.e_down_scale ? double(L.e_down_scale[e]) : 1.0);
                    Vec in = expert_in;
                    if (hp.expert_weight_first) {  // Llama 4: the weight on the expert's input
                        for (double& e_in : in) e_in *= w;
                        w = 1;
                    }
                    const Vec o = ffn_of(L.e_gate.empty() ? WeightMatrix{} : L.e_gate[e], L.e_up[e],
                                         L.e_down[e], e, in);
                    for (size_t i = 0; i < d.size(); ++i) d[i] += w * o[i];
                }
                if (L.sh_up.info) {  // a shared expert, gated in Qwen3.5-MoE
                    const Vec o = ffn(L.sh_gate, L.sh_up, L.sh_down, 0);
                    double g = 0;
                    for (size_t i = 0; L.sh_gate_inp && i < xb2.size(); ++i)
                        g += xb2[i] * double(L.sh_gate_inp[i]);
                    const double w = L.sh_gate_inp ? 1 / (1 + std::exp(-g)) : 1.0;
                    for (size_t i = 0; i < d.size(); ++i) d[i] += w * o[i];
                }
                if (L.pre_ffn_norm_2) {  // Gemma 4: beside the dense feed-forward
                    d = rmsnorm(d, L.post_ffn_norm_2, hp.rms_eps);
                    const Vec dense =
                        rmsnorm(ffn(L.w_gate, L.w_up, L.w_down, 0), L.post_ffn_norm_1, hp.rms_eps);
                    for (size_t i = 0; i < d.size(); ++i) d[i] += dense[i];
                }
            } else {
                d = ffn(L.w_gate, L.w_up, L.w_down, 0);
            }
            if (L.post_ffn_norm) d = norm(d, L.post_ffn_norm, hp);
            for (size_t i = 0; i < x.size(); ++i) x[i] += hp.residual_scale * d[i];
            if (hp.n_altup) {
                altup.correct(L, x, pli[size_t(l)]);
            } else if (!pli.empty()) {  // Gemma 4 E2B/E4B: the layer's input, gated by its output
                Vec g = mv(L.pl_gate, x);
                for (size_t i = 0; i < g.size(); ++i) g[i] = gelu(g[i]) * pli[size_t(l)][i];
                const Vec o = rmsnorm(mv(L.pl_proj, g), L.pl_post_norm, hp.rms_eps);
                for (size_t i = 0; i < x.size(); ++i) x[i] += o[i];
            }
            if (L.out_scale)
                for (double& e : x) e *= double(L.out_scale[0]);
        }
        out.push_back(mv(m.output(), norm(hp.n_altup ? altup.merge() : x, m.output_norm(), hp)));
        for (double& e : out.back()) {
            softcap(e, hp.final_softcap);
            e /= hp.logit_scale;
        }
    }
    return out;
}

Gap gap(const std::vector<std::vector<double>>& want, const std::vector<float>& got) {
    Gap g;
    const size_t nv = want.empty() ? 0 : want[0].size();
    for (size_t t = 0; t < want.size(); ++t)
        for (size_t i = 0; i < nv; ++i) {
            g.worst = std::max(g.worst, std::abs(want[t][i] - double(got[t * nv + i])));
            g.scale = std::max(g.scale, std::abs(want[t][i]));
        }
    return g;
}

}  // namespace nqkv::test
