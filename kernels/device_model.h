// A model's weights on the GPU. Every matrix becomes fp16 at load time (F16 as it is; every
// other supported type dequantized on the host first), so decode GEMVs and prefill GEMMs
// read one format. The cost: 2 bytes per weight, e.g. 13.5 GB for a 7B model stored as 4.1 GB
// of Q4_K_M. F32 matrices (tiny test models) stay F32, so they lose nothing. Norm weights are
// fp32.
#pragma once

#include <cuda_fp16.h>

#include <vector>

#include "kernels/device_buffer.h"

namespace nqkv {
class LlamaModel;
}

namespace nqkv::cuda {

struct DeviceMatrix {
    DeviceBuffer buf;
    int rows = 0, cols = 0;
    bool f32 = false;  // fp32 elements instead of fp16
    const void* ptr() const { return buf.as<void>(); }
};

struct DeviceLayer {
    DeviceBuffer attn_norm, ffn_norm;  // fp32
    DeviceBuffer bq, bk, bv, bo;       // fp32 attention biases; empty when the model has none
    DeviceBuffer q_norm, k_norm;       // fp32 per-head RMSNorm weights (Qwen3); may be empty
    DeviceBuffer post_attn_norm, post_ffn_norm;  // Gemma 2/3's output norms; may be empty
    DeviceMatrix wq, wk, wv, wo, gate, up, down;
};

class DeviceModel {
  public:
    explicit DeviceModel(const LlamaModel& model);
    const DeviceMatrix& token_embd() const { return embd_; }
    const std::vector<DeviceLayer>& layers() const { return layers_; }
    const float* output_norm() const { return out_norm_.as<float>(); }
    const DeviceMatrix& output() const { return tied_ ? embd_ : output_; }
    size_t bytes() const { return bytes_; }

  private:
    DeviceMatrix embd_, output_;
    std::vector<DeviceLayer> layers_;
    DeviceBuffer out_norm_;
    bool tied_ = false;
    size_t bytes_ = 0;
};

}  // namespace nqkv::cuda
