// DeepSeek-V2/V3's multi-head latent attention on the CPU, the way llama.cpp runs it (its
// "absorbed" form): per token one latent (RMS-normed) and one rotated key shared by every head
// go into the cache as a single head, so the cache holds kv_lora_rank + n_rot values per token
// and layer, and the values are the latent itself. Each query head's unrotated part is taken
// into the latent through the head's attn_k_b, which makes every head an ordinary query over
// that one cached head; each head's output, a latent, goes through its attn_v_b.
#include <algorithm>

#include "engine/cpu_attention.h"

namespace nqkv {

void CpuAttention::per_head(const std::vector<WeightMatrix>& w, int T, const float* in, int in_row,
                            int in_head, float* out, int out_row, int out_head) {
    const size_t width = size_t(w[0].cols), rows = size_t(w[0].rows), t_n = size_t(T);
    // A head's product too small for a matmul to spread over threads (decoding): the heads go to
    // the threads instead, each through the same kernels on buffers of its own.
    const bool by_head = int64_t(t_n * width * rows) < kParallelMinWork && w.size() > 1;
    const size_t workers = by_head ? size_t(matmul_.pool().size()) : 1;
    lat_in_.resize(workers * t_n * width);
    lat_out_.resize(workers * t_n * rows);
    lat_acts_.resize(workers);
    const auto heads = [&](int64_t h0, int64_t h1, int worker) {
        float* x = &lat_in_[size_t(worker) * t_n * width];
        float* y = &lat_out_[size_t(worker) * t_n * rows];
        for (size_t h = size_t(h0); h < size_t(h1); ++h) {
            for (size_t t = 0; t < t_n; ++t)
                std::copy_n(in + t * size_t(in_row) + h * size_t(in_head), width, x + t * width);
            if (by_head)
                matmul_.serial(w[h], x, T, y, lat_acts_[size_t(worker)]);
            else
                matmul_(w[h], x, T, y);
            for (size_t t = 0; t < t_n; ++t)
                std::copy_n(y + t * rows, rows, out + t * size_t(out_row) + h * size_t(out_head));
        }
    };
    if (by_head)
        matmul_.pool().parallel_for(int64_t(w.size()), heads);
    else
        heads(0, int64_t(w.size()), 0);
}

void CpuAttention::run_latent(const LlamaLayer& L, int l, int T, int n_past, const float* x,
                              float* out) {
    const int nh = hp_.n_head, nope = hp_.mla_nope, rot = hp_.n_rot, rank = hp_.mla_rank;
    const int qh = nope + rot;    // a query head as projected: unrotated, then rotated
    const int kd = hp_.head_dim;  // the cached head: the latent, then the rotated key
    const int qd = nh * kd, vd = hp_.mla_v_dim;
    // The projected queries (T x nh x qh) in lat_q_; the cache's rows in k_.
    lat_q_.resize(size_t(T) * size_t(nh) * size_t(qh));
    if (L.wq_a.info) {
        lat_qa_.resize(size_t(T) * size_t(hp_.q_lora_rank));
        matmul_(L.wq_a, x, T, lat_qa_.data());
        for (int t = 0; t < T; ++t) {
            float* r = &lat_qa_[size_t(t) * size_t(hp_.q_lora_rank)];
            rmsnorm(r, L.q_a_norm, r, hp_.q_lora_rank, hp_.rms_eps);
        }
        matmul_(L.wq_b, lat_qa_.data(), T, lat_q_.data());
    } else {
        matmul_(L.wq, x, T, lat_q_.data());
    }
    k_.resize(size_t(T) * size_t(kd));
    matmul_(L.wkv_a, x, T, k_.data());
    for (int t = 0; t < T; ++t) {
        const float* cs = &rope_cs_[size_t(t) * size_t(hp_.n_rot)];
        float* k = &k_[size_t(t) * size_t(kd)];
        rmsnorm(k, L.kv_a_norm, k, rank, hp_.rms_eps);
        rope(k + rank, 1, kd, rot, cs);
        rope(&lat_q_[size_t(t) * size_t(nh) * size_t(qh)] + nope, nh, qh, rot, cs);
        kv_.store(kv_layer_[size_t(l)], n_past + t, k, nullptr);
    }
    // Queries over the cached head: each head's unrotated part through its attn_k_b, then its
    // rotated part as it is.
    q_.resize(size_t(T) * size_t(qd));
    per_head(L.wk_b, T, lat_q_.data(), nh * qh, qh, q_.data(), qd, kd);
    for (int t = 0; t < T; ++t) {
        const float f = hp_.attn_temperature(n_past + t);
        for (int h = 0; h < nh; ++h) {
            float* q = &q_[size_t(t) * size_t(qd) + size_t(h) * size_t(kd)];
            const float* pe = &lat_q_[(size_t(t) * size_t(nh) + size_t(h)) * size_t(qh) + nope];
            std::copy_n(pe, rot, q + rank);
            if (f != 1.f)
                for (int i = 0; i < kd; ++i) q[i] *= f;
        }
    }
    o_.resize(size_t(T) * size_t(qd));
    attend(L, l, T, n_past, o_.data());  // each head's weighted sum of whole cached rows
    // Each head's latent output (the first rank of its kd sums) through its attn_v_b.
    v_.resize(size_t(T) * size_t(nh) * size_t(vd));
    per_head(L.wv_b, T, o_.data(), qd, kd, v_.data(), nh * vd, vd);
    matmul_(L.wo, v_.data(), T, out);
}

}  // namespace nqkv
