// The CPU backend: one readable forward pass for llama-family models, with the heavy loops
// in cpu_kernels and the parallelism in a thread pool.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "engine/aligned_vector.h"
#include "engine/backend.h"
#include "engine/cpu_altup.h"
#include "engine/cpu_attention.h"
#include "engine/cpu_delta_net.h"
#include "engine/cpu_kernels.h"
#include "engine/cpu_mamba2.h"
#include "engine/cpu_matmul.h"
#include "engine/cpu_per_layer_inputs.h"
#include "engine/cpu_ssm_state.h"
#include "engine/error.h"
#include "engine/llama_model.h"
#include "engine/moe_routing.h"
#include "engine/thread_pool.h"

namespace nqkv {
namespace {

// gpt-oss's clamped SwiGLU: its limit and the slope of its sigmoid.
constexpr float kOaiLimit = 7.0f, kOaiAlpha = 1.702f;

class CpuContext final : public InferenceContext {
  public:
    CpuContext(const LlamaModel& model, const ContextParams& p)
        : model_(model),
          hp_(context_hparams(model.hparams(), context_size(p, model.hparams(), true))),
          kern_(cpu_kernels()),
          pool_(p.n_threads > 0 ? p.n_threads : physical_core_count()),
          matmul_(pool_, p.float_activations),
          n_batch_(std::max(1, p.n_batch)) {
        n_ctx_ = context_size(p, hp_, true);
        kv_ = std::make_unique<KvCache>(p.kv, kv_shape(hp_, n_ctx_, kv_ring(hp_, n_batch_)));
        attn_ = std::make_unique<CpuAttention>(hp_, matmul_, *kv_, n_ctx_);
        if (hp_.n_embd_per_layer) per_layer_ = std::make_unique<CpuPerLayerInputs>(model, matmul_);
        if (hp_.n_altup) altup_ = std::make_unique<CpuAltup>(model, matmul_);
        budget_ = p.kv_budget;
        for (int l = 0, r = 0; l < hp_.n_layer; r += hp_.conv(l) || hp_.ssm(l), ++l)
            recurrent_index_.push_back(r);
        if (hp_.n_conv_layer()) {
            conv_ring_ = conv_ring(hp_, n_ctx_);
            conv_hist_.assign(size_t(hp_.n_conv_layer()) * size_t(conv_ring_) * size_t(hp_.n_embd),
                              0.f);
            conv_slot_pos_.assign(size_t(conv_ring_), -1);
        }
        if (hp_.n_ssm_layer()) ssm_ = std::make_unique<SsmState>(hp_);
    }

    void eval(const int* tokens, int n, float* logits, bool all_logits) override {
        const int start = n_past_;
        if (rows_.empty() || n <= 0) {
            eval_tokens(tokens, n, logits, all_logits);
        } else {
            for (const EvalSegment& s : rows_.segments(start, n)) {
                const int off = s.pos - start;
                float* out = all_logits ? logits + size_t(off) * size_t(hp_.n_vocab)
                                        : (off + s.n == n ? logits : nullptr);
                if (!s.rows) {
                    eval_tokens(tokens + off, s.n, out, all_logits);
                    continue;
                }
                check_eval(tokens + off, s.n, n_past_, n_ctx_, hp_.n_vocab);
                forward(nullptr, s.rows, s.n, out, all_logits);
            }
        }
        if (ssm_) ssm_->evaluated(n_past_, n);
    }

    void set_rows(const RowAttachments& rows) override {
        if ((per_layer_ || altup_) && !rows.empty())
            fail("this model's per-layer inputs are read from tokens; it cannot read pictures");
        for (const auto& [pos, r] : rows) {
            if (!r || r->data.size() != size_t(r->n) * size_t(hp_.n_embd))
                fail("attach: the rows are not ", hp_.n_embd, " wide (the model's width)");
            if (r->n > n_batch_)
                fail("a picture of ", r->n, " tokens is read in one batch, and the batch is ",
                     n_batch_, " tokens (raise it)");
            if (pos + r->n > n_ctx_)
                fail("context full: a picture of ", r->n, " tokens at position ", pos,
                     " exceeds the context of ", n_ctx_);
        }
        const int changed = rows_.replace(rows);
        if (changed >= 0 && changed < n_past_) truncate(keepable(changed));
    }

    void truncate(int n) override {
        n = std::clamp(n, 0, n_past_);
        if (ssm_ && n < n_past_) ssm_->restore(n);
        n_past_ = n;
    }
    int keepable(int n) const override {
        n = kv_->keepable(rows_.whole(std::clamp(n, 0, n_past_)));
        // A convolution layer resumes at n from its inputs at the kernel's positions before n.
        for (int p = std::max(0, n - hp_.conv_kernel + 1); conv_ring_ && p < n; ++p)
            if (conv_slot_pos_[size_t(p % conv_ring_)] != p) return 0;
        // A state-space layer goes back only to its snapshots (cpu_ssm_state.h).
        return ssm_ && n < n_past_ ? ssm_->restorable(n) : n;
    }
    int n_past() const override { return n_past_; }
    int n_ctx() const override { return n_ctx_; }
    int n_threads() const override { return pool_.size(); }
    const KvCache& kv_cache() const override { return *kv_; }
    KvStats kv_stats() const override { return kv_->stats(n_past_, budget_); }
    void set_kv_capture(bool on, size_t cap_bytes) override { kv_->set_capture(on, cap_bytes); }
    void fill_synthetic(int n, uint64_t seed) override {
        if (n_past_ + n > n_ctx_)
            fail("fill: ", n_past_ + n, " tokens exceed the context of ", n_ctx_);
        std::mt19937_64 rng(seed);
        std::normal_distribution<float> n01;
        std::vector<float> k(size_t(hp_.max_kv_dim())), v(k.size());
        const int layers = hp_.n_kv_layer();
        for (int p = 0; p < n; ++p)
            for (int l = 0; l < layers; ++l) {
                for (int i = 0; i < kv_->shape().row(l); ++i) k[i] = n01(rng), v[i] = n01(rng);
                kv_->store(l, n_past_ + p, k.data(), v.data());
            }
        // LFM2's convolution inputs for the positions its ring keeps, samples as well.
        for (int p = std::max(0, n - conv_ring_); conv_ring_ && p < n; ++p) {
            const int slot = (n_past_ + p) % conv_ring_;
            for (int c = 0; c < hp_.n_conv_layer(); ++c) {
                float* in = conv_hist_.data() +
                            (size_t(c) * size_t(conv_ring_) + size_t(slot)) * size_t(hp_.n_embd);
                for (int i = 0; i < hp_.n_embd; ++i) in[i] = n01(rng);
            }
            conv_slot_pos_[size_t(slot)] = n_past_ + p;
        }
        n_past_ += n;
        if (ssm_) ssm_->evaluated(n_past_, n);  // its state stays empty; a bench comes back here
    }

  private:
    // out = the model's norm of x for T rows, or x itself where the block has no norm before
    // it (OLMo 2).
    void pre_norm(const float* w, int T) {
        const int d = hp_.n_embd;
        if (!w) {
            std::copy(x_.begin(), x_.begin() + size_t(T) * d, xb_.begin());
            return;
        }
        for (int t = 0; t < T; ++t) model_norm(hp_, &x_[size_t(t) * d], w, &xb_[size_t(t) * d], d);
    }

    // x[t] += bias for T rows of n.
    static void add_bias(float* x, const float* bias, int T, int n) {
        if (!bias) return;
        for (int t = 0; t < T; ++t)
            for (int i = 0; i < n; ++i) x[size_t(t) * size_t(n) + size_t(i)] += bias[i];
    }

    // LFM2's short convolution on the T normed rows in xb_ into xb_: B * x per channel, filtered
    // over the latest conv_kernel positions (earlier batches' from the layer's ring of inputs,
    // zero before the text's start), times C, through out_proj.
    void short_conv(const LlamaLayer& L, int l, int T) {
        const int d = hp_.n_embd, K = hp_.conv_kernel, R = conv_ring_;
        conv_bcx_.resize(size_t(T) * 3 * size_t(d));
        conv_bx_.resize(size_t(T) * size_t(d));
        matmul_(L.conv_in, xb_.data(), T, conv_bcx_.data());
        for (int t = 0; t < T; ++t) {
            const float* bcx = &conv_bcx_[size_t(t) * 3 * size_t(d)];
            for (int i = 0; i < d; ++i) conv_bx_[size_t(t) * d + i] = bcx[i] * bcx[2 * d + i];
        }
        float* ring =
            conv_hist_.data() + size_t(recurrent_index_[size_t(l)]) * size_t(R) * size_t(d);
        const auto input = [&](int pos) -> const float* {  // B * x at pos, or null for zeros
            if (pos >= n_past_) return &conv_bx_[size_t(pos - n_past_) * d];
            if (pos < 0 || conv_slot_pos_[size_t(pos % R)] != pos) return nullptr;
            return ring + size_t(pos % R) * size_t(d);
        };
        for (int t = 0; t < T; ++t) {
            float* y = &xb2_[size_t(t) * d];
            std::fill(y, y + d, 0.f);
            for (int k = 0; k < K; ++k)
                if (const float* in = input(n_past_ + t - (K - 1) + k))
                    for (int i = 0; i < d; ++i) y[i] += in[i] * L.conv_filter[size_t(i) * K + k];
            const float* c = &conv_bcx_[size_t(t) * 3 * size_t(d) + size_t(d)];
            for (int i = 0; i < d; ++i) y[i] *= c[i];
        }
        for (int t = std::max(0, T - R); t < T; ++t)
            std::copy_n(&conv_bx_[size_t(t) * d], d, ring + size_t((n_past_ + t) % R) * d);
        matmul_(L.conv_out, xb2_.data(), T, xb_.data());
    }

    // A state-space mixer on the T normed rows in xb_ into xb_: Mamba-2 (cpu_mamba2.h) or a
    // gated delta net (cpu_delta_net.h).
    void state_space(const LlamaLayer& L, int l, int T) {
        const int i = recurrent_index_[size_t(l)];
        ssm_y_.resize(size_t(T) * size_t(hp_.ssm_inner));
        if (hp_.delta_net) {
            const size_t H = size_t(hp_.ssm_heads);
            ssm_proj_.resize(size_t(T) * size_t(hp_.ssm_channels()));
            ssm_z_.resize(size_t(T) * size_t(hp_.ssm_inner) + 2 * size_t(T) * H);
            float *beta = ssm_z_.data() + size_t(T) * size_t(hp_.ssm_inner),
                  *alpha = beta + size_t(T) * H;
            if (L.ssm_qkvz.rows) {  // Qwen3-Next's older files
                ssm_fused_.resize(size_t(T) * size_t(L.ssm_qkvz.rows));
                matmul_(L.ssm_qkvz, xb_.data(), T, ssm_fused_.data());
                unpack_qkvz(hp_, ssm_fused_.data(), T, ssm_proj_.data(), ssm_z_.data());
            } else {
                matmul_(L.ssm_in, xb_.data(), T, ssm_proj_.data());
                matmul_(L.ssm_z, xb_.data(), T, ssm_z_.data());
            }
            if (L.ssm_ba.rows) {  // Qwen3-Next's
                ssm_fused_.resize(size_t(T) * 2 * H);
                matmul_(L.ssm_ba, xb_.data(), T, ssm_fused_.data());
                unpack_beta_alpha(hp_, ssm_fused_.data(), T, beta, alpha);
            } else {
                matmul_(L.ssm_beta, xb_.data(), T, beta);
                matmul_(L.ssm_alpha, xb_.data(), T, alpha);
            }
            delta_net_mix(hp_, L, *ssm_, i, {ssm_proj_.data(), ssm_z_.data(), beta, alpha}, T,
                          ssm_y_.data(), pool_);
        } else {
            ssm_proj_.resize(size_t(T) * size_t(L.ssm_in.rows));
            matmul_(L.ssm_in, xb_.data(), T, ssm_proj_.data());
            mamba2_mix(hp_, L, *ssm_, i, ssm_proj_.data(), T, ssm_y_.data(), pool_);
        }
        matmul_(L.ssm_out, ssm_y_.data(), T, xb_.data());
    }

    // Falcon-H1's layers: attention and the Mamba-2 mixer on the same normed rows in xb_, their
    // outputs summed into xb_.
    void attention_and_state_space(const LlamaLayer& L, int l, int T) {
        beside_.assign(xb_.begin(), xb_.begin() + ptrdiff_t(T) * hp_.n_embd);
        attn_->run(L, l, T, n_past_, beside_.data(), beside_.data());
        state_space(L, l, T);
        for (size_t i = 0; i < beside_.size(); ++i) xb_[i] += beside_[i];
    }

    // Llama-Nemotron's layers whose attention is one projection: xb_ = attn_output xb_.
    void linear_attention(const LlamaLayer& L, int T) {
        beside_.assign(xb_.begin(), xb_.begin() + ptrdiff_t(T) * hp_.n_embd);
        matmul_(L.wo, beside_.data(), T, xb_.data());
        add_bias(xb_.data(), L.bo, T, hp_.n_embd);
    }

    // Cohere's layers: attention and the feed-forward on the same normed rows in xb_, both
    // added to x_ (the feed-forward's first, as llama.cpp adds them).
    void attention_beside_feed_forward(const LlamaLayer& L, int l, int T) {
        beside_.assign(xb_.begin(), xb_.begin() + ptrdiff_t(T) * hp_.n_embd);
        attn_->run(L, l, T, n_past_, beside_.data(), beside_.data());
        ffn_middle(L.w_gate, L.w_up, xb_.data(), T);
        matmul_(L.w_down, hb_.data(), T, xb_.data());
        add_residual();
        for (size_t i = 0; i < beside_.size(); ++i) x_[i] += beside_[i];
    }

    void eval_tokens(const int* tokens, int n, float* logits, bool all_logits) {
        eval_in_batches(
            tokens, n, logits, all_logits, n_past_, n_ctx_, hp_.n_vocab, n_batch_,
            [&](const int* t, int m, float* out) { forward(t, nullptr, m, out, all_logits); });
    }

    // T positions from their tokens' embeddings, or from attached rows (which are not scaled:
    // llama.cpp scales only token embeddings).
    void forward(const int* tokens, const InputRows* rows, int T, float* logits, bool all_logits) {
        const int d = hp_.n_embd, ff = std::max({hp_.n_ff, hp_.n_ff_dense, hp_.n_ff_shared});
        x_.resize(size_t(T) * d);
        xb_.resize(size_t(T) * d);
        xb2_.resize(size_t(T) * size_t(d));  // convolution rows
        hb_.resize(size_t(T) * ff);
        hb2_.resize(size_t(T) * ff);

        const WeightMatrix& emb = model_.token_embd();
        for (int t = 0; t < T && !rows; ++t) {
            float* x = &x_[size_t(t) * d];
            kern_.dequant_row(emb.info->type, emb.row(tokens[t]), x, d);
            if (hp_.embd_scale != 1.f)
                for (int i = 0; i < d; ++i) x[i] *= hp_.embd_scale;
        }
        if (rows) std::copy(rows->data.begin(), rows->data.end(), x_.begin());
        attn_->prepare(T, n_past_, rows && rows->bidirectional);
        if (per_layer_) per_layer_->prepare(tokens, T, x_.data());
        if (altup_) altup_->stack(T, x_.data());

        for (int l = 0; l < hp_.n_layer; ++l) {
            const LlamaLayer& L = model_.layers()[size_t(l)];
            if (altup_) altup_->predict(L, T, x_.data());  // x_: the active stream's prediction
            if (hp_.router_on_input) layer_in_.assign(x_.begin(), x_.end());  // SmallThinker
            if (hp_.parallel_ffn) {
                pre_norm(L.attn_norm, T);
                attention_beside_feed_forward(L, l, T);
                continue;  // Cohere's layers have nothing more
            }
            if (!hp_.ffn_only(l)) {  // every layer but those that are a feed-forward alone
                pre_norm(L.attn_norm, T);
                if (altup_) altup_->laurel(L, T, xb_.data());
                if (hp_.conv(l))
                    short_conv(L, l, T);
                else if (hp_.ssm_beside_attention)
                    attention_and_state_space(L, l, T);
                else if (hp_.ssm(l))
                    state_space(L, l, T);
                else if (hp_.linear_attn(l))
                    linear_attention(L, T);
                else
                    attn_->run(L, l, T, n_past_, xb_.data(), xb_.data());
                post_norm(xb_.data(), L.post_attn_norm, T);
                add_residual();
                if (altup_) altup_->add_laurel(T, x_.data());
            }
            if (hp_.has_ffn(l)) feed_forward(L, l, T);
            if (altup_)
                altup_->correct(L, l, T, x_.data(), *per_layer_);
            else if (per_layer_)
                per_layer_->apply(L, l, T, x_.data());
            if (L.out_scale)
                for (float& v : x_) v *= L.out_scale[0];
        }
        for (int t = std::max(0, T - conv_ring_); conv_ring_ && t < T; ++t)
            conv_slot_pos_[size_t((n_past_ + t) % conv_ring_)] = n_past_ + t;
        n_past_ += T;

        if (!logits) return;
        if (altup_) altup_->merge(T, x_.data());
        const int first = all_logits ? 0 : T - 1;
        const int n_out = T - first;
        for (int t = first; t < T; ++t)
            model_norm(hp_, &x_[size_t(t) * d], model_.output_norm(), &xb_[size_t(t - first) * d],
                       d);
        matmul_(model_.output(), xb_.data(), n_out, logits);
        softcap(logits, n_out * hp_.n_vocab, hp_.final_softcap);
        if (hp_.logit_scale != 1.f) {  // as llama.cpp: times the reciprocal
            const float s = 1.f / hp_.logit_scale;
            for (size_t i = 0; i < size_t(n_out) * size_t(hp_.n_vocab); ++i) logits[i] *= s;
        }
    }

    // The feed-forward block of layer l on x_: dense, experts, or (Gemma 4) both.
    void feed_forward(const LlamaLayer& L, int l, int T) {
        if (L.pre_ffn_norm_2) {
            dense_and_experts(L, T);
            add_residual();
            return;
        }
        pre_norm(L.ffn_norm, T);
        if (hp_.moe(l)) {
            experts(L, T, hp_.router_on_input ? layer_in_.data() : xb_.data());
            add_residual();
            return;
        }
        ffn_middle(L.w_gate, L.w_up, xb_.data(), T, nullptr, nullptr,
                   hp_.xielu.empty() ? nullptr : &hp_.xielu[size_t(l)],
                   hp_.sparse_ffn(l) ? &hp_.ffn_sparsity[size_t(l)] : nullptr);
        matmul_(L.w_down, hb_.data(), T, xb_.data());
        post_norm(xb_.data(), L.post_ffn_norm, T);
        add_residual();
    }

    // Gemma 4's expert layers, into xb_: the dense feed-forward (ffn_norm, post_ffw_norm_1) and
    // the experts (pre_ffw_norm_2, post_ffw_norm_2) on x_, their sum through post_ffw_norm. Its
    // router reads x_ RMS-normed without a weight, divided by sqrt(n_embd) and scaled per
    // channel.
    void dense_and_experts(const LlamaLayer& L, int T) {
        const int d = hp_.n_embd;
        const size_t n = size_t(T) * size_t(d);
        pre_norm(L.ffn_norm, T);
        ffn_middle(L.w_gate, L.w_up, xb_.data(), T);
        dense_out_.resize(n);
        matmul_(L.w_down, hb_.data(), T, dense_out_.data());
        post_norm(dense_out_.data(), L.post_ffn_norm_1, T);
        router_in_.resize(n);
        const float s = 1.f / std::sqrt(float(d));
        for (int t = 0; t < T; ++t) {
            float* r = &router_in_[size_t(t) * d];
            rmsnorm(&x_[size_t(t) * d], nullptr, r, d, hp_.rms_eps);
            for (int i = 0; i < d; ++i) r[i] *= s * L.router_in_scale[i];
        }
        pre_norm(L.pre_ffn_norm_2, T);
        experts(L, T, router_in_.data());
        post_norm(xb_.data(), L.post_ffn_norm_2, T);
        for (size_t i = 0; i < n; ++i) xb_[i] += dense_out_[i];
        post_norm(xb_.data(), L.post_ffn_norm, T);
    }

    // x_ += xb_, the block's output scaled first where the model says so (Granite).
    void add_residual() {
        if (hp_.residual_scale != 1.f)
            for (float& v : xb_) v *= hp_.residual_scale;
        for (size_t i = 0; i < x_.size(); ++i) x_[i] += xb_[i];
    }

    // hb_ = a feed-forward's middle for the T rows at x: act(gate x) * (up x), with the biases
    // where there are some (gpt-oss's experts), or without a gate ReLU(up x)^2 (Nemotron-H,
    // Arcee) or, given its constants, xIELU(up x) (Apertus); the gate cut to its Gaussian top-k
    // given a multiplier of its standard deviation (Gemma 3n).
    void ffn_middle(const WeightMatrix& g, const WeightMatrix& u, const float* x, int T,
                    const float* g_bias = nullptr, const float* u_bias = nullptr,
                    const LlamaHParams::Xielu* xielu = nullptr, const float* sparsity = nullptr) {
        const int ff = int(u.rows);
        if (!g.info) {
            matmul_(u, x, T, hb_.data());
            const size_t n = size_t(T) * size_t(ff);
            if (xielu) {  // Apertus
                const auto [an, ap, beta, eps] = *xielu;
                for (size_t i = 0; i < n; ++i) {
                    const float v = hb_[i];
                    hb_[i] = v > 0 ? ap * v * v + beta * v
                                   : (std::expm1(std::min(v, eps)) - v) * an + beta * v;
                }
                return;
            }
            for (size_t i = 0; i < n; ++i) hb_[i] = hb_[i] > 0 ? hb_[i] * hb_[i] : 0.f;
            return;
        }
        matmul_(g, x, T, hb_.data());
        matmul_(u, x, T, hb2_.data());
        add_bias(hb_.data(), g_bias, T, ff);
        add_bias(hb2_.data(), u_bias, T, ff);
        if (sparsity) gaussian_top_k(hb_.data(), T, ff, *sparsity);
        gate(size_t(T) * size_t(ff));
    }

    // The gated feed-forward's middle, for the first n values: hb_ = act(hb_) * hb2_ with SiLU,
    // or GELU for Gemma, ReLU for SmallThinker; gpt-oss's clamped form.
    void gate(size_t n) {
        if (hp_.swiglu_oai) {
            for (size_t i = 0; i < n; ++i) {
                const float g = std::min(hb_[i], kOaiLimit);
                const float u = std::clamp(hb2_[i], -kOaiLimit, kOaiLimit);
                hb_[i] = g / (1.0f + std::exp(-kOaiAlpha * g)) * (u + 1.0f);
            }
            return;
        }
        if (hp_.ffn_gelu) {
            kern_.gelu_rows(hb_.data(), int64_t(n));
            for (size_t i = 0; i < n; ++i) hb_[i] *= hb2_[i];
            return;
        }
        for (size_t i = 0; i < n; ++i) {
            const float g = hb_[i];
            const float act = hp_.ffn_relu_gate ? std::max(g, 0.f) : g / (1.0f + std::exp(-g));
            hb_[i] = act * hb2_[i];
        }
    }

    // The mixture-of-experts feed-forward on the T normed rows in xb_, written back to xb_: each
    // token's experts picked and weighed (moe_routing.h); each expert runs once on the rows that
    // chose it. A shared expert (Granite, Qwen3.5-MoE: gated, Nemotron 3) adds its output for
    // every row.
    // The router reads router_in (xb_ itself, except in Gemma 4); Gemma 4's experts' outputs
    // are scaled each by its e_down_scale.
    void experts(const LlamaLayer& L, int T, const float* router_in) {
        const int d = hp_.n_embd, ff = hp_.n_ff, ne = hp_.n_expert;
        router_.resize(size_t(T) * size_t(ne));
        matmul_(L.router, router_in, T, router_.data());
        add_bias(router_.data(), L.router_bias, T, ne);
        const auto users = route_experts(hp_, router_.data(), T, L.expert_select_bias);
        moe_in_.resize(size_t(T) * size_t(d));
        moe_out_.resize(size_t(T) * size_t(d));
        std::copy(xb_.begin(), xb_.end(), moe_in_.begin());
        std::fill(xb_.begin(), xb_.end(), 0.f);
        for (int e = 0; e < ne; ++e) {
            const auto& u = users[size_t(e)];
            const int n = int(u.size());
            if (!n) continue;
            // The rows that chose this expert, side by side, through its feed-forward.
            for (int i = 0; i < n; ++i)
                std::copy_n(&moe_in_[size_t(u[size_t(i)].token) * d], d, &moe_out_[size_t(i) * d]);
            const bool first = hp_.expert_weight_first;  // Llama 4: on the input instead
            for (int i = 0; first && i < n; ++i)
                for (int j = 0; j < d; ++j)
                    moe_out_[size_t(i) * d + size_t(j)] *= u[size_t(i)].weight;
            const auto of = [e](const float* bias, int rows) {
                return bias ? bias + size_t(e) * size_t(rows) : nullptr;
            };
            ffn_middle(L.e_gate.empty() ? WeightMatrix{} : L.e_gate[size_t(e)], L.e_up[size_t(e)],
                       moe_out_.data(), n, of(L.e_gate_bias, ff), of(L.e_up_bias, ff));
            matmul_(L.e_down[size_t(e)], hb_.data(), n, moe_out_.data());
            add_bias(moe_out_.data(), of(L.e_down_bias, d), n, d);
            for (int i = 0; i < n; ++i) {
                float* x = &xb_[size_t(u[size_t(i)].token) * d];
                const float w = (first ? 1.f : u[size_t(i)].weight) *
                                (L.e_down_scale ? L.e_down_scale[size_t(e)] : 1.f);
                for (int j = 0; j < d; ++j) x[j] += w * moe_out_[size_t(i) * d + size_t(j)];
            }
        }
        if (!L.sh_up.info) return;  // a shared expert sees every row
        ffn_middle(L.sh_gate, L.sh_up, moe_in_.data(), T);
        matmul_(L.sh_down, hb_.data(), T, moe_out_.data());
        for (int t = 0; t < T; ++t) {
            float w = 1.f;  // Qwen3.5-MoE's gate on it
            if (L.sh_gate_inp) {
                double dot = 0;
                for (int j = 0; j < d; ++j)
                    dot += double(moe_in_[size_t(t) * d + j]) * L.sh_gate_inp[j];
                w = float(1.0 / (1.0 + std::exp(-dot)));
            }
            for (int j = 0; j < d; ++j) xb_[size_t(t) * d + j] += w * moe_out_[size_t(t) * d + j];
        }
    }

    // Gemma 2/3: RMSNorm of a block's output rows (T of n_embd) in place; nothing without one.
    void post_norm(float* x, const float* w, int T) const {
        if (!w) return;
        const int d = hp_.n_embd;
        for (int t = 0; t < T; ++t) model_norm(hp_, x + size_t(t) * d, w, x + size_t(t) * d, d);
    }

    const LlamaModel& model_;
    const LlamaHParams hp_;  // the model's, as this context's length selects them
    const CpuKernels& kern_;
    ThreadPool pool_;
    CpuMatmul matmul_;
    int n_batch_;
    int n_ctx_ = 0;
    int n_past_ = 0;
    size_t budget_ = 0;
    std::unique_ptr<KvCache> kv_;
    std::unique_ptr<CpuAttention> attn_;
    std::unique_ptr<CpuPerLayerInputs> per_layer_;  // Gemma 4 E2B/E4B's, Gemma 3n's
    std::unique_ptr<CpuAltup> altup_;               // Gemma 3n's streams; null elsewhere
    AlignedVector<float> x_, xb_, xb2_, hb_, hb2_;
    AlignedVector<float> router_, moe_in_, moe_out_;  // mixture of experts
    AlignedVector<float> dense_out_, router_in_;      // Gemma 4's dense part and router input
    AlignedVector<float> layer_in_;                   // SmallThinker's router input
    std::vector<int> recurrent_index_;  // each layer's index among the recurrent layers
    // LFM2: every convolution layer's ring of inputs, conv_ring_ positions of n_embd, position p
    // at slot p % conv_ring_ (conv_slot_pos_: the position each slot holds, -1 for none).
    int conv_ring_ = 0;
    InputRowSpans rows_;  // the positions that read a picture's rows
    AlignedVector<float> conv_hist_, conv_bcx_, conv_bx_;
    std::vector<int> conv_slot_pos_;
    std::unique_ptr<SsmState> ssm_;  // the state-space layers' state and snapshots
    AlignedVector<float> ssm_proj_, ssm_y_;
    AlignedVector<float> ssm_z_;      // a delta net's z rows, then its beta and alpha rows
    AlignedVector<float> ssm_fused_;  // Qwen3-Next's fused rows before they are unpacked
    AlignedVector<float> beside_;     // Falcon-H1's and Cohere's attention output beside the other
};

class CpuBackend final : public Backend {
  public:
    std::string name() const override { return "cpu"; }
    std::string description() const override {
        return std::string("CPU (") + cpu_kernels().isa + ", " +
               std::to_string(physical_core_count()) + " physical cores)";
    }
    std::unique_ptr<InferenceContext> create_context(const LlamaModel& model,
                                                     const ContextParams& params) override {
        return std::make_unique<CpuContext>(model, params);
    }
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() {
    return std::make_unique<CpuBackend>();
}

}  // namespace nqkv
