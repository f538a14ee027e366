// A model's weights on the GPU. Every matrix is expanded to fp16 at load time, whatever its
// file type (F16 and BF16 as they are, Q8_0 / Q4_0 / Q4_K / Q6_K dequantized on the host
// first), so decode GEMVs and prefill GEMMs read one format. The cost: 2 bytes per weight,
// e.g. 13.5 GB for a 7B model stored as 4.1 GB of Q4_K_M. Norm weights stay fp32.
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
    const __half* ptr() const { return buf.as<__half>(); }
};

struct DeviceLayer {
    DeviceBuffer attn_norm, ffn_norm;  // fp32
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
