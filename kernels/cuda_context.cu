// The CUDA forward pass: the CPU backend's steps (cpu_backend.cpp) with each loop a kernel on
// the context's stream. Decode (T <= 8) uses the GEMV kernel, prefill cuBLAS; attention reads
// the quantized cache directly; the logits come back with one copy per eval.
#include <algorithm>
#include <map>
#include <mutex>
#include <random>

#include "engine/error.h"
#include "engine/llama_model.h"
#include "kernels/cuda_backend.h"
#include "kernels/cuda_check.h"
#include "kernels/device_model.h"
#include "kernels/kv_device_cache.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

class CudaContext final : public InferenceContext {
  public:
    CudaContext(std::shared_ptr<const DeviceModel> weights, const LlamaModel& model,
                const ContextParams& p)
        : weights_(std::move(weights)),
          model_(model),
          hp_(context_hparams(model.hparams(), context_size(p, model.hparams()))) {
        if (hp_.head_dim > kAttnMaxHeadDim)
            fail(model.file().path(), ": head_dim ", hp_.head_dim,
                 " is above what the CUDA attention kernel takes (", kAttnMaxHeadDim,
                 "); use the CPU backend");
        n_ctx_ = context_size(p, hp_);
        n_batch_ = std::clamp(p.n_batch, 1, n_ctx_);
        budget_ = p.kv_budget;
        kv_ = std::make_unique<DeviceKvCache>(
            p.kv, KvShape{hp_.n_layer, n_ctx_, hp_.n_head_kv, hp_.head_dim});
        const size_t B = size_t(n_batch_), d = size_t(hp_.n_embd), kvd = size_t(hp_.kv_dim()),
                     ff = size_t(hp_.n_ff), vocab = size_t(hp_.n_vocab), qd = size_t(hp_.q_dim());
        const auto f32 = [&](size_t n, const char* what) { return DeviceBuffer(n * 4, what); };
        x_ = f32(B * d, "activations");
        xb_ = f32(B * d, "activations");
        xb2_ = f32(B * qd, "attention output");
        q_ = f32(B * qd, "queries");
        k_ = f32(B * kvd, "keys");
        v_ = f32(B * kvd, "values");
        hb_ = f32(B * ff, "feed-forward activations");
        hb2_ = f32(B * ff, "feed-forward activations");
        logits_ = f32(B * vocab, "logits");
        x16_ = DeviceBuffer(B * std::max({d, ff, qd}) * 2, "GEMM input");
        ids_ = DeviceBuffer(B * 4, "token ids");
        if (!hp_.rope_freq_factors.empty()) {
            rope_ff_ = f32(hp_.rope_freq_factors.size(), "RoPE frequency factors");
            CUDA_CHECK(cudaMemcpy(rope_ff_.as<float>(), hp_.rope_freq_factors.data(),
                                  rope_ff_.bytes(), cudaMemcpyHostToDevice));
        }
        scratch_.max_queries = std::min(n_batch_, 8);
        scratch_.max_splits = (n_ctx_ + kAttnChunk - 1) / kAttnChunk + 1;
        const size_t slots =
            size_t(scratch_.max_queries) * size_t(hp_.n_head) * size_t(scratch_.max_splits);
        attn_o_ = f32(slots * size_t(hp_.head_dim), "attention partials");
        attn_m_ = f32(slots, "attention partials");
        attn_l_ = f32(slots, "attention partials");
        scratch_.o = attn_o_.as<float>();
        scratch_.m = attn_m_.as<float>();
        scratch_.l = attn_l_.as<float>();
        CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
        CUBLAS_CHECK(cublasCreate(&blas_));
        CUBLAS_CHECK(cublasSetStream(blas_, stream_));
    }

    ~CudaContext() override {
        if (blas_) cublasDestroy(blas_);
        if (stream_) cudaStreamDestroy(stream_);
    }

    void eval(const int* tokens, int n, float* logits, bool all_logits) override {
        eval_in_batches(tokens, n, logits, all_logits, n_past_, n_ctx_, hp_.n_vocab, n_batch_,
                        [&](const int* t, int m, float* out) { forward(t, m, out, all_logits); });
    }

    void truncate(int n) override {
        n_past_ = std::clamp(n, 0, n_past_);
        kv_->forget_from(n_past_);
    }
    int n_past() const override { return n_past_; }
    int n_ctx() const override { return n_ctx_; }
    int n_threads() const override { return 1; }
    const KvCache& kv_cache() const override { return kv_->host(n_past_); }
    KvStats kv_stats() const override { return kv_->layout().stats(n_past_, budget_); }
    // Original values are not kept on the GPU; the inspector shows the stored ones.
    void set_kv_capture(bool, size_t) override {}

    void fill_synthetic(int n, uint64_t seed) override {
        if (n_past_ + n > n_ctx_)
            fail("fill: ", n_past_ + n, " tokens exceed the context of ", n_ctx_);
        // One block of random rows, reused for every layer and side: only sizes matter here.
        const int step = std::min(n, 4096);
        const size_t row = size_t(hp_.kv_dim());
        std::mt19937_64 rng(seed);
        std::normal_distribution<float> n01;
        std::vector<float> host(size_t(step) * row);
        for (auto& x : host) x = n01(rng);
        DeviceBuffer rows(host.size() * 4, "synthetic KV rows");
        CUDA_CHECK(cudaMemcpy(rows.as<float>(), host.data(), rows.bytes(), cudaMemcpyHostToDevice));
        for (int done = 0; done < n; done += step) {
            const int m = std::min(step, n - done);
            for (int l = 0; l < hp_.n_layer; ++l) {
                kv_append(kv_->side(KvKind::K), l, n_past_ + done, m, rows.as<float>(), stream_);
                kv_append(kv_->side(KvKind::V), l, n_past_ + done, m, rows.as<float>(), stream_);
            }
        }
        CUDA_CHECK(cudaStreamSynchronize(stream_));
        n_past_ += n;
    }

  private:
    void matmul(const DeviceMatrix& w, const float* x, int T, float* y) {
        if (T <= kGemvMaxBatch)
            gemv(w.ptr(), w.f32, w.rows, w.cols, x, T, y, stream_);
        else
            gemm(blas_, w.ptr(), w.f32, w.rows, w.cols, x, x16_.as<__half>(), T, y, stream_);
    }

    // out = RMSNorm(x) for T rows, or a copy of x where the block has no norm before it (OLMo 2).
    void pre_norm(const float* x, const DeviceBuffer& w, float* out, int T) {
        const size_t n = size_t(T) * size_t(hp_.n_embd);
        if (w.bytes())
            rmsnorm(x, w.as<float>(), out, T, hp_.n_embd, hp_.rms_eps, stream_);
        else
            CUDA_CHECK(cudaMemcpyAsync(out, x, n * 4, cudaMemcpyDeviceToDevice, stream_));
    }

    void forward(const int* tokens, int T, float* logits, bool all_logits) {
        const int d = hp_.n_embd, kvd = hp_.kv_dim(), qd = hp_.q_dim(), hd = hp_.head_dim;
        float *x = x_.as<float>(), *xb = xb_.as<float>(), *xb2 = xb2_.as<float>();
        float *q = q_.as<float>(), *k = k_.as<float>(), *v = v_.as<float>();
        float *hb = hb_.as<float>(), *hb2 = hb2_.as<float>();
        CUDA_CHECK(cudaMemcpyAsync(ids_.as<int>(), tokens, size_t(T) * 4, cudaMemcpyHostToDevice,
                                   stream_));
        embed(weights_->token_embd().ptr(), weights_->token_embd().f32, ids_.as<int>(), T, d, x,
              stream_);
        scale(x, size_t(T) * size_t(d), hp_.embd_scale, stream_);
        for (int l = 0; l < hp_.n_layer; ++l) {
            const DeviceLayer& L = weights_->layers()[size_t(l)];
            pre_norm(x, L.attn_norm, xb, T);
            matmul(L.wq, xb, T, q);
            matmul(L.wk, xb, T, k);
            matmul(L.wv, xb, T, v);
            add_bias(q, L.bq.as<float>(), T, qd, stream_);
            add_bias(k, L.bk.as<float>(), T, kvd, stream_);
            add_bias(v, L.bv.as<float>(), T, kvd, stream_);
            // Qwen3: RMSNorm over each head, in place; OLMo 2: over each row's whole projection.
            const bool whole = hp_.qk_norm_whole;
            if (L.q_norm.bytes())
                rmsnorm(q, L.q_norm.as<float>(), q, whole ? T : T * hp_.n_head, whole ? qd : hd,
                        hp_.rms_eps, stream_);
            if (L.k_norm.bytes())
                rmsnorm(k, L.k_norm.as<float>(), k, whole ? T : T * hp_.n_head_kv, whole ? kvd : hd,
                        hp_.rms_eps, stream_);
            // Gemma 3's windowed layers rotate with their own base, unscaled, without factors
            // (OLMo 3's without YaRN's attention factor either).
            const bool local = hp_.windowed(l) && hp_.rope_base_swa > 0;
            const RopeParams rp{hp_.n_rot,
                                local ? hp_.rope_base_swa : hp_.rope_base,
                                local ? 1.f : hp_.rope_scale,
                                local ? nullptr : rope_ff_.as<float>(),
                                hp_.rope_neox,
                                local && hp_.rope_swa_unscaled ? 1.f : hp_.rope_attn_factor};
            if (hp_.roped(l)) {  // SmolLM3 leaves every fourth layer unrotated
                rope(q, T, hp_.n_head, hp_.head_dim, n_past_, rp, stream_);
                rope(k, T, hp_.n_head_kv, hp_.head_dim, n_past_, rp, stream_);
            }
            for (int t = 0; hp_.attn_temp_scale != 0 && t < T; ++t)  // Mistral 3, past its
                scale(q + size_t(t) * size_t(qd), size_t(qd),        // original context
                      hp_.attn_temperature(n_past_ + t), stream_);
            kv_append(kv_->side(KvKind::K), l, n_past_, T, k, stream_);
            kv_append(kv_->side(KvKind::V), l, n_past_, T, v, stream_);
            const AttnParams ap{hp_.attn_scale, hp_.attn_softcap,
                                hp_.windowed(l) ? hp_.swa_window : 0};
            attention(q, kv_->side(KvKind::K), kv_->side(KvKind::V), l, n_past_, T, hp_.n_head,
                      hp_.n_head_kv, hp_.head_dim, ap, scratch_, xb2, stream_);
            matmul(L.wo, xb2, T, xb);
            add_bias(xb, L.bo.as<float>(), T, d, stream_);
            if (L.post_attn_norm.bytes())  // Gemma 2/3: the block's output normalised
                rmsnorm(xb, L.post_attn_norm.as<float>(), xb, T, d, hp_.rms_eps, stream_);
            scale(xb, size_t(T) * size_t(d), hp_.residual_scale, stream_);  // Granite
            add(x, xb, size_t(T) * size_t(d), stream_);
            pre_norm(x, L.ffn_norm, xb, T);
            matmul(L.gate, xb, T, hb);
            matmul(L.up, xb, T, hb2);
            if (hp_.ffn_gelu)
                geglu(hb, hb2, size_t(T) * size_t(hp_.n_ff), stream_);
            else
                swiglu(hb, hb2, size_t(T) * size_t(hp_.n_ff), stream_);
            matmul(L.down, hb, T, xb);
            if (L.post_ffn_norm.bytes())
                rmsnorm(xb, L.post_ffn_norm.as<float>(), xb, T, d, hp_.rms_eps, stream_);
            scale(xb, size_t(T) * size_t(d), hp_.residual_scale, stream_);
            add(x, xb, size_t(T) * size_t(d), stream_);
        }
        n_past_ += T;
        if (logits) {
            const int first = all_logits ? 0 : T - 1, n_out = T - first;
            rmsnorm(x + size_t(first) * size_t(d), weights_->output_norm(), xb, n_out, d,
                    hp_.rms_eps, stream_);
            matmul(weights_->output(), xb, n_out, logits_.as<float>());
            softcap(logits_.as<float>(), size_t(n_out) * size_t(hp_.n_vocab), hp_.final_softcap,
                    stream_);
            scale(logits_.as<float>(), size_t(n_out) * size_t(hp_.n_vocab), 1.f / hp_.logit_scale,
                  stream_);  // Granite
            CUDA_CHECK(cudaMemcpyAsync(logits, logits_.as<float>(),
                                       size_t(n_out) * size_t(hp_.n_vocab) * 4,
                                       cudaMemcpyDeviceToHost, stream_));
        }
        CUDA_CHECK(cudaStreamSynchronize(stream_));
    }

    std::shared_ptr<const DeviceModel> weights_;
    const LlamaModel& model_;
    const LlamaHParams hp_;  // the model's, as this context's length selects them
    int n_ctx_ = 0, n_batch_ = 0, n_past_ = 0;
    size_t budget_ = 0;
    std::unique_ptr<DeviceKvCache> kv_;
    DeviceBuffer x_, xb_, xb2_, q_, k_, v_, hb_, hb2_, logits_, x16_, ids_;
    DeviceBuffer rope_ff_;  // empty without rope_freqs.weight
    DeviceBuffer attn_o_, attn_m_, attn_l_;
    AttnScratch scratch_;
    cudaStream_t stream_ = nullptr;
    cublasHandle_t blas_ = nullptr;
};

class CudaBackend final : public Backend {
  public:
    explicit CudaBackend(int device) : device_(device) {
        CUDA_CHECK(cudaSetDevice(device));
        cudaDeviceProp prop{};
        CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
        description_ = std::string("CUDA (") + prop.name + ", " +
                       std::to_string(prop.totalGlobalMem >> 30) + " GiB, sm_" +
                       std::to_string(prop.major * 10 + prop.minor) + ")";
    }
    std::string name() const override { return "cuda"; }
    std::string description() const override { return description_; }

    std::unique_ptr<InferenceContext> create_context(const LlamaModel& model,
                                                     const ContextParams& params) override {
        if (const std::string why = gpu_unsupported(model.hparams()); !why.empty())
            fail("backend cuda: ", why);
        CUDA_CHECK(cudaSetDevice(device_));
        return std::make_unique<CudaContext>(weights_for(model), model, params);
    }

  private:
    // Contexts of one model share its uploaded weights (the compare view makes several).
    std::shared_ptr<const DeviceModel> weights_for(const LlamaModel& model) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto& slot = uploaded_[&model];
        if (auto w = slot.lock()) return w;
        auto w = std::make_shared<const DeviceModel>(model);
        slot = w;
        return w;
    }

    int device_;
    std::string description_;
    std::mutex mutex_;
    std::map<const LlamaModel*, std::weak_ptr<const DeviceModel>> uploaded_;
};

}  // namespace

std::unique_ptr<Backend> make_backend(int device) {
    return std::make_unique<CudaBackend>(device);
}

}  // namespace nqkv::cuda
