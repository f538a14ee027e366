#include "kernels/device_model.h"

#include <cstring>
#include <string>

#include "engine/cpu_kernels.h"
#include "engine/half.h"
#include "engine/llama_model.h"
#include "kernels/cuda_check.h"

namespace nqkv::cuda {
namespace {

DeviceMatrix upload(const WeightMatrix& w, const std::string& name, size_t* bytes) {
    DeviceMatrix m;
    m.rows = int(w.rows);
    m.cols = int(w.cols);
    m.f32 = w.info->type == TensorType::F32;
    const size_t n = size_t(w.rows) * size_t(w.cols), elem = m.f32 ? 4 : 2;
    m.buf = DeviceBuffer(n * elem, "weights " + name);
    *bytes += n * elem;
    if (m.f32) {
        for (int64_t r = 0; r < w.rows; ++r)
            CUDA_CHECK(cudaMemcpy(m.buf.as<float>() + size_t(r) * size_t(w.cols), w.row(r),
                                  size_t(w.cols) * 4, cudaMemcpyHostToDevice));
        return m;
    }
    // A slab of rows at a time keeps the host staging small for large matrices.
    const int64_t slab = std::max<int64_t>(1, (int64_t(8) << 20) / std::max<int64_t>(1, w.cols));
    std::vector<uint16_t> host(size_t(std::min(slab, w.rows)) * size_t(w.cols));
    std::vector<float> row(size_t(w.cols));
    const CpuKernels& k = cpu_kernels();
    for (int64_t r0 = 0; r0 < w.rows; r0 += slab) {
        const int64_t r1 = std::min(w.rows, r0 + slab);
        for (int64_t r = r0; r < r1; ++r) {
            uint16_t* dst = host.data() + size_t(r - r0) * size_t(w.cols);
            if (w.info->type == TensorType::F16) {
                std::memcpy(dst, w.row(r), size_t(w.cols) * 2);
                continue;
            }
            k.dequant_row(w.info->type, w.row(r), row.data(), w.cols);
            for (int64_t c = 0; c < w.cols; ++c) dst[c] = fp32_to_fp16(row[size_t(c)]);
        }
        CUDA_CHECK(cudaMemcpy(m.buf.as<uint16_t>() + size_t(r0) * size_t(w.cols), host.data(),
                              size_t(r1 - r0) * size_t(w.cols) * 2, cudaMemcpyHostToDevice));
    }
    return m;
}

DeviceBuffer upload_vector(const float* v, int n, const std::string& name, size_t* bytes) {
    DeviceBuffer b(size_t(n) * 4, name);
    CUDA_CHECK(cudaMemcpy(b.as<float>(), v, size_t(n) * 4, cudaMemcpyHostToDevice));
    *bytes += size_t(n) * 4;
    return b;
}

}  // namespace

DeviceModel::DeviceModel(const LlamaModel& model) {
    const int d = model.hparams().n_embd;
    embd_ = upload(model.token_embd(), "token_embd", &bytes_);
    for (size_t l = 0; l < model.layers().size(); ++l) {
        const LlamaLayer& L = model.layers()[l];
        const std::string p = "blk." + std::to_string(l) + ".";
        DeviceLayer D;
        if (L.attn_norm) D.attn_norm = upload_vector(L.attn_norm, d, p + "attn_norm", &bytes_);
        if (L.ffn_norm) D.ffn_norm = upload_vector(L.ffn_norm, d, p + "ffn_norm", &bytes_);
        const int kvd = model.hparams().kv_dim();
        const int qd = model.hparams().q_dim(), hd = model.hparams().head_dim;
        const bool whole = model.hparams().qk_norm_whole;  // OLMo 2
        if (L.bq) D.bq = upload_vector(L.bq, qd, p + "attn_q.bias", &bytes_);
        if (L.q_norm)
            D.q_norm = upload_vector(L.q_norm, whole ? qd : hd, p + "attn_q_norm", &bytes_);
        if (L.k_norm)
            D.k_norm = upload_vector(L.k_norm, whole ? kvd : hd, p + "attn_k_norm", &bytes_);
        if (L.post_attn_norm)
            D.post_attn_norm =
                upload_vector(L.post_attn_norm, d, p + "post_attention_norm", &bytes_);
        if (L.post_ffn_norm)
            D.post_ffn_norm = upload_vector(L.post_ffn_norm, d, p + "post_ffw_norm", &bytes_);
        if (L.bk) D.bk = upload_vector(L.bk, kvd, p + "attn_k.bias", &bytes_);
        if (L.bv) D.bv = upload_vector(L.bv, kvd, p + "attn_v.bias", &bytes_);
        if (L.bo) D.bo = upload_vector(L.bo, d, p + "attn_output.bias", &bytes_);
        D.wq = upload(L.wq, p + "attn_q", &bytes_);
        D.wk = upload(L.wk, p + "attn_k", &bytes_);
        D.wv = upload(L.wv, p + "attn_v", &bytes_);
        D.wo = upload(L.wo, p + "attn_output", &bytes_);
        D.gate = upload(L.w_gate, p + "ffn_gate", &bytes_);
        D.up = upload(L.w_up, p + "ffn_up", &bytes_);
        D.down = upload(L.w_down, p + "ffn_down", &bytes_);
        layers_.push_back(std::move(D));
    }
    out_norm_ = upload_vector(model.output_norm(), d, "output_norm", &bytes_);
    tied_ = model.tied_output();
    if (!tied_) output_ = upload(model.output(), "output", &bytes_);
}

}  // namespace nqkv::cuda
