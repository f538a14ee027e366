#include "kernels/kv_device_cache.h"

#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/nqkv_block.h"
#include "engine/nqkv_codebook.h"
#include "kernels/cuda_check.h"

namespace nqkv::cuda {

DeviceKvCache::Side DeviceKvCache::make_side(const KvFormat& f, const KvShape& s, int block,
                                             const char* name) {
    Side side;
    SideView& v = side.view;
    if (!s.layer_heads.empty() || !s.layer_dims.empty())
        fail("the GPU's KV cache takes layers of one shape only");
    v.row = s.row(0);
    v.layer_rows = size_t(s.n_ctx);
    const size_t rows = size_t(s.n_layer) * size_t(s.n_ctx);
    const std::string what = std::string("the KV cache (") + name + ", " + f.name() + ", " +
                             std::to_string(s.n_ctx) + " tokens)";
    if (!f.quantized()) {
        v.kind = f.kind == KvFormat::F32 ? SideView::F32 : SideView::F16;
        v.bits = f.bits;
        v.row_bytes = size_t(v.row) * size_t(f.bits / 8);
        side.data = DeviceBuffer(rows * v.row_bytes, what);
        v.data = side.data.as<uint8_t>();
        return side;
    }
    const Codebook& cb = Codebook::get(f.family, f.bits, effective_block(block, v.row));
    v.kind = SideView::Quant;
    v.bits = f.bits;
    v.block = effective_block(block, v.row);
    v.blocks_per_row = v.row / v.block;
    v.row_bytes = packed_bytes(size_t(v.row), f.bits);
    v.signed_scale = cb.signed_scale();
    side.data = DeviceBuffer(rows * v.row_bytes, what);
    side.scales = DeviceBuffer(rows * size_t(v.blocks_per_row) * 2, what + " scales");
    side.levels = DeviceBuffer(cb.levels().size() * 4, "codebook levels");
    side.thresholds =
        DeviceBuffer(std::max<size_t>(1, cb.thresholds().size()) * 4, "codebook thresholds");
    CUDA_CHECK(cudaMemcpy(side.levels.as<float>(), cb.levels().data(), cb.levels().size() * 4,
                          cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(side.thresholds.as<float>(), cb.thresholds().data(),
                          cb.thresholds().size() * 4, cudaMemcpyHostToDevice));
    v.data = side.data.as<uint8_t>();
    v.scales = side.scales.as<uint16_t>();
    v.levels = side.levels.as<float>();
    v.thresholds = side.thresholds.as<float>();
    return side;
}

DeviceKvCache::DeviceKvCache(const KvConfig& config, const KvShape& shape)
    : k_(make_side(config.k, shape, config.block, "K")),
      v_(make_side(config.v, shape, config.block, "V")),
      host_(std::make_unique<KvCache>(config, shape)) {}

void DeviceKvCache::copy_rows(KvKind kind, int from, int to) const {
    const SideView& s = side(kind);
    const int n = to - from;
    std::vector<uint8_t> rows(size_t(n) * s.row_bytes);
    std::vector<uint16_t> scales(s.kind == SideView::Quant ? size_t(n) * size_t(s.blocks_per_row)
                                                           : 0);
    const int n_layer = int(host_->shape().n_layer);
    for (int l = 0; l < n_layer; ++l) {
        const size_t r = s.row_index(l, from);
        CUDA_CHECK(
            cudaMemcpy(rows.data(), s.data + r * s.row_bytes, rows.size(), cudaMemcpyDeviceToHost));
        if (!scales.empty())
            CUDA_CHECK(cudaMemcpy(scales.data(), s.scales + r * size_t(s.blocks_per_row),
                                  scales.size() * 2, cudaMemcpyDeviceToHost));
        host_->side(kind).import_rows(l, from, n, rows.data(), scales.data());
    }
}

const KvCache& DeviceKvCache::host(int n_past) const {
    if (synced_ < n_past) {
        copy_rows(KvKind::K, synced_, n_past);
        copy_rows(KvKind::V, synced_, n_past);
        synced_ = n_past;
    }
    return *host_;
}

}  // namespace nqkv::cuda
