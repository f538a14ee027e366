// The KV cache on the device, one side at a time, in exactly the CPU cache's byte layout
// ([layer][position] rows of fp32, fp16 or packed codes, plus one fp16 scale per block), so
// inspection copies rows back and imports them unchanged. Kernels get a SideView by value.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/device_math.h"

namespace nqkv::cuda {

struct SideView {
    enum Kind { F32, F16, Quant } kind = F16;
    int bits = 16;
    int block = 0;                      // effective block size (Quant)
    int row = 0;                        // values per token per layer
    int blocks_per_row = 0;             // Quant
    size_t row_bytes = 0;               // bytes of one stored row (values or packed codes)
    size_t layer_rows = 0;              // rows per layer (the context size)
    uint8_t* data = nullptr;            // [layer][pos] rows
    uint16_t* scales = nullptr;         // [layer][pos][block] (Quant)
    const float* levels = nullptr;      // 2^bits codebook levels (Quant)
    const float* thresholds = nullptr;  // 2^bits - 1 midpoints (Quant)
    bool signed_scale = false;

    NQKV_HD size_t row_index(int layer, int pos) const {
        return size_t(layer) * layer_rows + size_t(pos);
    }
};

#if defined(__CUDACC__)
// Value i of stored row r, as attention sees it; `levels` may point to a shared-memory copy.
__device__ __forceinline__ float load_value(const SideView& s, const float* levels, size_t r,
                                            int i) {
    const uint8_t* row = s.data + r * s.row_bytes;
    if (s.kind == SideView::F32) return reinterpret_cast<const float*>(row)[i];
    if (s.kind == SideView::F16) return dm::f16_to_f32(reinterpret_cast<const uint16_t*>(row)[i]);
    const int code = dm::unpack_code(row, i, s.bits);
    return levels[code] *
           dm::f16_to_f32(s.scales[r * size_t(s.blocks_per_row) + size_t(i / s.block)]);
}
#endif

}  // namespace nqkv::cuda
