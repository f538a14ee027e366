// Quantize-on-append: one thread block per new row. Each thread takes whole NQKV blocks (absmax
// in order, so ties resolve as on the CPU), writes their fp16 scales and unpacked codes to
// shared memory; then each thread writes whole bytes of the packed row. The arithmetic is
// device_math.h's, which test_cuda_math checks against the engine.
#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace nqkv::cuda {
namespace {

constexpr int kThreads = 128;

__global__ void append_quant(SideView s, int layer, int pos, const float* rows) {
    extern __shared__ uint8_t codes[];  // one row, unpacked
    const int t = blockIdx.x;
    const float* x = rows + size_t(t) * size_t(s.row);
    const size_t r = s.row_index(layer, pos + t);
    const int n_thr = (1 << s.bits) - 1;
    for (int b = threadIdx.x; b < s.blocks_per_row; b += kThreads) {
        const float* xb = x + size_t(b) * size_t(s.block);
        const uint16_t scale = dm::f32_to_f16(dm::block_absmax(xb, s.block, s.signed_scale));
        s.scales[r * size_t(s.blocks_per_row) + size_t(b)] = scale;
        const float inv = dm::inverse_scale(scale);
        for (int i = 0; i < s.block; ++i)
            codes[b * s.block + i] = uint8_t(dm::nearest_code(xb[i] * inv, s.thresholds, n_thr));
    }
    __syncthreads();
    uint8_t* out = s.data + r * s.row_bytes;
    for (int j = threadIdx.x; j < int(s.row_bytes); j += kThreads)
        out[j] = dm::packed_byte(codes, s.row, s.bits, j);
}

__global__ void append_dense(SideView s, int layer, int pos, const float* rows) {
    const int t = blockIdx.y;
    const float* x = rows + size_t(t) * size_t(s.row);
    uint8_t* out = s.data + s.row_index(layer, pos + t) * s.row_bytes;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < s.row; i += gridDim.x * blockDim.x) {
        if (s.kind == SideView::F32)
            reinterpret_cast<float*>(out)[i] = x[i];
        else
            reinterpret_cast<uint16_t*>(out)[i] = dm::f32_to_f16(x[i]);
    }
}

}  // namespace

void kv_append(const SideView& side, int layer, int pos, int T, const float* rows, cudaStream_t s) {
    if (side.kind == SideView::Quant)
        append_quant<<<T, kThreads, size_t(side.row), s>>>(side, layer, pos, rows);
    else
        append_dense<<<dim3((side.row + 255) / 256, T), 256, 0, s>>>(side, layer, pos, rows);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nqkv::cuda
