#include "engine/quant_blocks.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"
#include "engine/half.h"

namespace nqkv {
namespace {

void q4k_scale_min(int j, const uint8_t* q, uint8_t& sc, uint8_t& m) {
    if (j < 4) {
        sc = q[j] & 63;
        m = q[j + 4] & 63;
    } else {
        sc = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        m = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

}  // namespace

void dequantize_row_reference(TensorType type, const void* src, float* y, int64_t n) {
    switch (type) {
        case TensorType::F32: {
            const auto* x = static_cast<const float*>(src);
            std::copy(x, x + n, y);
            return;
        }
        case TensorType::F16: {
            const auto* x = static_cast<const uint16_t*>(src);
            for (int64_t i = 0; i < n; ++i) y[i] = fp16_to_fp32(x[i]);
            return;
        }
        case TensorType::BF16: {
            const auto* x = static_cast<const uint16_t*>(src);
            for (int64_t i = 0; i < n; ++i) y[i] = bf16_to_fp32(x[i]);
            return;
        }
        case TensorType::Q8_0: {
            const auto* b = static_cast<const BlockQ8_0*>(src);
            for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
                const float d = fp16_to_fp32(b[i].d);
                for (int j = 0; j < kQK; ++j) y[j] = float(b[i].qs[j]) * d;
            }
            return;
        }
        case TensorType::Q4_0: {
            const auto* b = static_cast<const BlockQ4_0*>(src);
            for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
                const float d = fp16_to_fp32(b[i].d);
                for (int j = 0; j < kQK / 2; ++j) {
                    y[j] = float((b[i].qs[j] & 0xF) - 8) * d;
                    y[j + 16] = float((b[i].qs[j] >> 4) - 8) * d;
                }
            }
            return;
        }
        case TensorType::Q4_K: {
            const auto* b = static_cast<const BlockQ4_K*>(src);
            for (int64_t i = 0; i < n / kQK_K; ++i) {
                const float d = fp16_to_fp32(b[i].d);
                const float dmin = fp16_to_fp32(b[i].dmin);
                const uint8_t* q = b[i].qs;
                for (int j = 0, is = 0; j < kQK_K; j += 64, is += 2, q += 32) {
                    uint8_t sc, m;
                    q4k_scale_min(is, b[i].scales, sc, m);
                    const float d1 = d * sc, m1 = dmin * m;
                    q4k_scale_min(is + 1, b[i].scales, sc, m);
                    const float d2 = d * sc, m2 = dmin * m;
                    for (int l = 0; l < 32; ++l) *y++ = d1 * float(q[l] & 0xF) - m1;
                    for (int l = 0; l < 32; ++l) *y++ = d2 * float(q[l] >> 4) - m2;
                }
            }
            return;
        }
        case TensorType::Q6_K: {
            const auto* b = static_cast<const BlockQ6_K*>(src);
            for (int64_t i = 0; i < n / kQK_K; ++i) {
                const float d = fp16_to_fp32(b[i].d);
                const uint8_t* ql = b[i].ql;
                const uint8_t* qh = b[i].qh;
                const int8_t* sc = b[i].scales;
                for (int h = 0; h < kQK_K; h += 128, y += 128, ql += 64, qh += 32, sc += 8) {
                    for (int l = 0; l < 32; ++l) {
                        const int is = l / 16;
                        const int q1 = int((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                        const int q2 = int((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                        const int q3 = int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                        const int q4 = int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                        y[l] = d * float(sc[is]) * float(q1);
                        y[l + 32] = d * float(sc[is + 2]) * float(q2);
                        y[l + 64] = d * float(sc[is + 4]) * float(q3);
                        y[l + 96] = d * float(sc[is + 6]) * float(q4);
                    }
                }
            }
            return;
        }
        default:
            break;
    }
    fail("tensor type ", type_name(type), " cannot be dequantized by this engine");
}

void quantize_row_q8_0(const float* x, BlockQ8_0* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
        float amax = 0;
        for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.f;
        const float id = d ? 1.f / d : 0.f;
        out[i].d = fp32_to_fp16(d);
        for (int j = 0; j < kQK; ++j) out[i].qs[j] = int8_t(std::lround(x[j] * id));
    }
}

void quantize_row_q4_0(const float* x, BlockQ4_0* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
        float amax = 0, max = 0;
        for (int j = 0; j < kQK; ++j)
            if (std::fabs(x[j]) > amax) {
                amax = std::fabs(x[j]);
                max = x[j];
            }
        const float d = max / -8.f;
        const float id = d ? 1.f / d : 0.f;
        out[i].d = fp32_to_fp16(d);
        for (int j = 0; j < kQK / 2; ++j) {
            const int a = std::min(15, int(x[j] * id + 8.5f));
            const int b = std::min(15, int(x[j + 16] * id + 8.5f));
            out[i].qs[j] = uint8_t(a | (b << 4));
        }
    }
}

}  // namespace nqkv
