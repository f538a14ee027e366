#include "engine/cpu_attention.h"

#include <algorithm>
#include <cmath>

namespace nqkv {
namespace {

// With a sink (gpt-oss), one more logit joins the sum without an entry of its own.
void softmax(const CpuKernels& kern, float* x, int n, const float* sink = nullptr) {
    float max = kern.max_of(x, n);
    if (sink) max = std::max(*sink, max);
    const double sum = (sink ? std::exp(double(*sink - max)) : 0.0) + kern.exp_rows(x, n, max);
    kern.scale_rows(x, n, float(1.0 / sum));
}

// x[t] += bias for T rows of n.
void add_bias(float* x, const float* bias, int T, int n) {
    if (!bias) return;
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < n; ++i) x[size_t(t) * size_t(n) + size_t(i)] += bias[i];
}

}  // namespace

void softcap(float* x, int n, float c) {
    if (c <= 0) return;
    for (int i = 0; i < n; ++i) x[i] = c * std::tanh(x[i] / c);
}

CpuAttention::CpuAttention(const LlamaHParams& hp, CpuMatmul& matmul, KvCache& kv, int n_ctx)
    : hp_(hp),
      matmul_(matmul),
      kv_(kv),
      n_ctx_(n_ctx),
      local_rope_(hp.swa_window > 0 && hp.rope_base_swa > 0) {
    scores_.resize(size_t(matmul.pool().size()) * 4 * size_t(n_ctx));
    for (int l = 0; l < hp.n_layer; ++l) kv_layer_.push_back(hp.kv_layer(l));
}

void CpuAttention::prepare(int T, int n_past, bool bidirectional) {
    bidirectional_ = bidirectional;
    rope_cs_.resize(size_t(T) * size_t(hp_.n_rot));
    const int local_rot = hp_.n_rot_swa ? hp_.n_rot_swa : hp_.n_rot;
    rope_cs_local_.resize(local_rope_ ? size_t(T) * size_t(local_rot) : 0);
    for (int t = 0; t < T; ++t) {
        rope_table(n_past + t, &rope_cs_[size_t(t) * size_t(hp_.n_rot)], false);
        if (local_rope_)
            rope_table(n_past + t, &rope_cs_local_[size_t(t) * size_t(local_rot)], true);
    }
}

// cos/sin per rotated pair for one position, computed the way GGUF's "normal" RoPE does:
// theta_i = p * base^(-2i/n_rot) / factor_i, p scaled linearly. `local`: the base (and width)
// of sliding-window layers, unscaled (Gemma 3 and 4; OLMo 3's without the attention factor too).
void CpuAttention::rope_table(int pos, float* cs, bool local) const {
    const float base = local ? hp_.rope_base_swa : hp_.rope_base;
    const int rot = local && hp_.n_rot_swa ? hp_.n_rot_swa : hp_.n_rot;
    const float theta_scale = std::pow(base, -2.0f / float(rot));
    const float* ff =
        local || hp_.rope_freq_factors.empty() ? nullptr : hp_.rope_freq_factors.data();
    const float mag = local && hp_.rope_swa_unscaled ? 1.f : hp_.rope_attn_factor;
    float theta = float(pos) / (local ? 1.f : hp_.rope_scale);
    for (int i = 0; i < rot / 2; ++i) {
        const float t = ff ? theta / ff[i] : theta;
        cs[2 * i] = std::cos(t) * mag;
        cs[2 * i + 1] = std::sin(t) * mag;
        theta *= theta_scale;
    }
}

void CpuAttention::rope(float* x, int n_heads, int hd, int rot, const float* cs) const {
    const int half = rot / 2;
    const int step = hp_.rope_neox ? 1 : 2, other = hp_.rope_neox ? half : 1;
    for (int h = 0; h < n_heads; ++h) {
        float* v = x + h * hd;
        for (int i = 0; i < half; ++i) {
            const float c = cs[2 * i], s = cs[2 * i + 1];
            float& a = v[step * i];
            float& b = v[step * i + other];
            const float a0 = a, b0 = b;
            a = a0 * c - b0 * s;
            b = a0 * s + b0 * c;
        }
    }
}

// The model's norm over `rows` vectors of `width` in place (Qwen3's per head, OLMo 2's per
// whole projection; Command R+'s per head, each of a token's `heads` with its own weights);
// nothing without weights.
void CpuAttention::head_norm(float* x, const float* w, int rows, int width, int heads) const {
    if (!w) return;
    for (int i = 0; i < rows; ++i) {
        const float* wi = hp_.qk_norm_head_weights ? w + size_t(i % heads) * size_t(width) : w;
        model_norm(hp_, x + size_t(i) * width, wi, x + size_t(i) * width, width);
    }
}

// Qwen3.5's query projection: each head's query, then its gates, into q_ and gates_.
void CpuAttention::gated_queries(const LlamaLayer& L, int l, int T, const float* x) {
    const int qd = hp_.layer_q_dim(l), hd = hp_.head_size(l);
    q_gates_.resize(size_t(T) * 2 * size_t(qd));
    gates_.resize(size_t(T) * size_t(qd));
    matmul_(L.wq, x, T, q_gates_.data());
    add_bias(q_gates_.data(), L.bq, T, 2 * qd);
    for (int t = 0; t < T; ++t)
        for (int h = 0; h < hp_.n_head; ++h) {
            const float* from = &q_gates_[(size_t(t) * 2 * size_t(hp_.n_head) + 2 * h) * hd];
            const size_t to = size_t(t) * size_t(qd) + size_t(h) * size_t(hd);
            std::copy_n(from, hd, &q_[to]);
            std::copy_n(from + hd, hd, &gates_[to]);
        }
}

void CpuAttention::run(const LlamaLayer& L, int l, int T, int n_past, const float* x, float* out) {
    if (hp_.mla()) return run_latent(L, l, T, n_past, x, out);
    const int qd = hp_.layer_q_dim(l), kvd = hp_.layer_kv_dim(l), hd = hp_.head_size(l);
    const int nkv = hp_.heads_kv(l), rot = hp_.rot_dims(l);
    q_.resize(size_t(T) * size_t(qd));
    o_.resize(size_t(T) * size_t(qd));
    if (hp_.attn_output_gate)
        gated_queries(L, l, T, x);
    else
        matmul_(L.wq, x, T, q_.data());
    if (!hp_.attn_output_gate) add_bias(q_.data(), L.bq, T, qd);
    const bool whole = hp_.qk_norm_whole, after = hp_.qk_norm_after_rope;
    const auto q_norm = [&] {
        head_norm(q_.data(), L.q_norm, whole ? T : T * hp_.n_head, whole ? qd : hd, hp_.n_head);
    };
    const auto k_norm = [&] {
        head_norm(k_.data(), L.k_norm, whole ? T : T * nkv, whole ? kvd : hd, nkv);
    };
    if (!after) q_norm();
    const bool local = local_rope_ && hp_.windowed(l);
    const AlignedVector<float>& table = local ? rope_cs_local_ : rope_cs_;
    const int stride = local && hp_.n_rot_swa ? hp_.n_rot_swa : hp_.n_rot;
    const bool owns = hp_.owns_kv(l);
    if (owns) {
        k_.resize(size_t(T) * size_t(kvd));
        v_.resize(k_.size());
        matmul_(L.wk, x, T, k_.data());
        if (L.wv.info)
            matmul_(L.wv, x, T, v_.data());
        else  // Gemma 4's layers without attn_v: the keys, before their norm, are the values
            std::copy(k_.begin(), k_.end(), v_.begin());
        add_bias(k_.data(), L.bk, T, kvd);
        add_bias(v_.data(), L.bv, T, kvd);
        if (!after) k_norm();
        if (hp_.v_norm_plain)
            for (int i = 0; i < T * nkv; ++i)
                rmsnorm(&v_[size_t(i) * hd], nullptr, &v_[size_t(i) * hd], hd, hp_.rms_eps);
    }
    for (int t = 0; t < T && hp_.roped(l); ++t) {
        const float* cs = &table[size_t(t) * size_t(stride)];
        rope(&q_[size_t(t) * qd], hp_.n_head, hd, rot, cs);
        if (owns) rope(&k_[size_t(t) * kvd], nkv, hd, rot, cs);
    }
    if (after) {  // Hunyuan's norms, on the rotated queries and keys
        q_norm();
        if (owns) k_norm();
    }
    if (hp_.qk_plain_norm_roped && hp_.roped(l)) {  // Llama 4's, without weights
        for (int i = 0; i < T * hp_.n_head; ++i)
            rmsnorm(&q_[size_t(i) * hd], nullptr, &q_[size_t(i) * hd], hd, hp_.rms_eps);
        for (int i = 0; owns && i < T * nkv; ++i)
            rmsnorm(&k_[size_t(i) * hd], nullptr, &k_[size_t(i) * hd], hd, hp_.rms_eps);
    }
    for (int t = 0; t < T; ++t) {
        if (const float f = hp_.query_temperature(l, n_past + t); f != 1.f)
            for (int i = 0; i < qd; ++i) q_[size_t(t) * qd + size_t(i)] *= f;
        if (owns)
            kv_.store(kv_layer_[size_t(l)], n_past + t, &k_[size_t(t) * kvd], &v_[size_t(t) * kvd]);
    }
    attend(L, l, T, n_past, o_.data());
    if (hp_.attn_output_gate)
        for (size_t i = 0; i < size_t(T) * size_t(qd); ++i) o_[i] /= 1.f + std::exp(-gates_[i]);
    matmul_(L.wo, o_.data(), T, out);
    add_bias(out, L.bo, T, hp_.n_embd);
}

// Each query head of the T rows in q_ over its cached positions, into out.
void CpuAttention::attend(const LlamaLayer& L, int l, int T, int n_past, float* out) {
    const float* sinks = L.attn_sinks;
    const int cache_layer = kv_layer_[size_t(l)];
    const int hd = hp_.head_size(l), nh = hp_.n_head, qd = hp_.layer_q_dim(l);
    const int group = nh / hp_.heads_kv(l);
    const float scale = hp_.attn_scale > 0 ? hp_.attn_scale : 1.0f / std::sqrt(float(hd));
    const int64_t work = int64_t(T) * nh;
    const bool four = kv_.multi_query();
    auto body = [&](int64_t i0, int64_t i1, int worker) {
        float* sc[4];  // this thread's slices, one per query of a group
        for (int g = 0; g < 4; ++g)
            sc[g] = scores_.data() + (size_t(worker) * 4 + size_t(g)) * size_t(n_ctx_);
        // Head by head, so that a head's keys and values stay in cache from one token to the
        // next; and, where the cache can (fp16; NQKV in the vector builds), four queries at a time
        // over the keys they all read, each key and value row then read once for the four: a
        // prompt's consecutive tokens of one head, or (decoding) the query heads that share a
        // key head.
        for (int64_t i = i0; i < i1;) {
            const int kvh = int(i / T) / group;
            int G = 1;
            while (four && G < 4 && i + G < i1 && int((i + G) / T) / group == kvh) ++G;
            int from[4], end[4], head[4];
            const float* qh[4];
            float* o[4];
            for (int g = 0; g < G; ++g) {
                const int h = int((i + g) / T), t = int((i + g) % T);
                // Keys [from, end): a window ends at the query; a bidirectional batch's rows
                // also see the rows after them.
                end[g] = bidirectional_ ? n_past + T : n_past + t + 1;
                from[g] = hp_.first_key(l, n_past + t);
                head[g] = h;
                qh[g] = q_.data() + size_t(t) * size_t(qd) + size_t(h) * size_t(hd);
                o[g] = out + size_t(t) * size_t(qd) + size_t(h) * size_t(hd);
            }
            // The keys all four read; each query's others, before and after, one by one.
            const int F = G == 4 ? *std::max_element(from, from + 4) : 0;
            const int E = G == 4 ? *std::min_element(end, end + 4) : 0;
            const bool together = G == 4 && E - F >= 16;
            float* shared_sc[4];
            for (int g = 0; g < G; ++g) {
                if (!together) {
                    kv_.key_dots(cache_layer, kvh, qh[g], from[g], end[g] - from[g], sc[g]);
                    continue;
                }
                shared_sc[g] = sc[g] + (F - from[g]);
                kv_.key_dots(cache_layer, kvh, qh[g], from[g], F - from[g], sc[g]);
                kv_.key_dots(cache_layer, kvh, qh[g], E, end[g] - E, sc[g] + (E - from[g]));
            }
            if (together) kv_.key_dots4(cache_layer, kvh, qh, F, E - F, shared_sc);
            for (int g = 0; g < G; ++g) {
                const int n_keys = end[g] - from[g];
                for (int p = 0; p < n_keys; ++p) sc[g][p] *= scale;
                softcap(sc[g], n_keys, hp_.attn_softcap);
                softmax(matmul_.kernels(), sc[g], n_keys, sinks ? sinks + head[g] : nullptr);
                std::fill(o[g], o[g] + hd, 0.f);
                if (!together) {
                    kv_.value_sum(cache_layer, kvh, sc[g], from[g], n_keys, o[g]);
                    continue;
                }
                // In key order: the caches that take four queries add each row's terms into o
                // in turn, so the three pieces give the whole range's sums bit for bit.
                kv_.value_sum(cache_layer, kvh, sc[g], from[g], F - from[g], o[g]);
            }
            if (together) {
                kv_.value_sum4(cache_layer, kvh, shared_sc, F, E - F, o);
                for (int g = 0; g < 4; ++g)
                    kv_.value_sum(cache_layer, kvh, sc[g] + (E - from[g]), E, end[g] - E, o[g]);
            }
            i += G;
        }
    };
    if (work * (n_past + T) * hd < kParallelMinWork)
        body(0, work, 0);
    else
        matmul_.pool().parallel_for(work, body);
}

}  // namespace nqkv
