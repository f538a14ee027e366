#include "engine/quant_blocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/error.h"
#include "engine/grid_blocks.h"
#include "engine/half.h"

namespace nqkv {

namespace {

// 32 values from 4-bit codes that pick one of 16 levels, times d.
void dequant_lut_run(const int8_t* levels, float d, const uint8_t* qs, float* y) {
    for (int j = 0; j < kQK / 2; ++j) {
        y[j] = d * float(levels[qs[j] & 0xF]);
        y[j + kQK / 2] = d * float(levels[qs[j] >> 4]);
    }
}

void dequant_iq4_run(float d, const uint8_t* qs, float* y) {
    dequant_lut_run(kIq4Levels, d, qs, y);
}

// The level nearest x / d, for the test quantizers.
uint8_t nearest_level(const int8_t* levels, float x, float id) {
    const float v = x * id;
    int best = 0;
    for (int k = 1; k < 16; ++k)
        if (std::fabs(v - levels[k]) < std::fabs(v - levels[best])) best = k;
    return uint8_t(best);
}

// 32 values into 4-bit codes of `levels` with scale d.
void quantize_lut_run(const int8_t* levels, const float* x, float d, uint8_t* qs) {
    const float id = d ? 1.f / d : 0.f;
    for (int j = 0; j < kQK / 2; ++j)
        qs[j] = uint8_t(nearest_level(levels, x[j], id) | nearest_level(levels, x[j + kQK / 2], id)
                                                              << 4);
}

// IQ4: the largest magnitude on the outermost level.
void quantize_iq4_run(const float* x, float d, uint8_t* qs) {
    quantize_lut_run(kIq4Levels, x, d, qs);
}

float signed_max(const float* x, int n) {
    float max = 0;
    for (int j = 0; j < n; ++j)
        if (std::fabs(x[j]) > std::fabs(max)) max = x[j];
    return max;
}

void q4k_scale_min(int j, const uint8_t* q, uint8_t& sc, uint8_t& m) {
    if (j < 4) {
        sc = q[j] & 63;
        m = q[j + 4] & 63;
    } else {
        sc = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        m = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// One Q4_K or Q5_K super-block: four groups of 64 elements, each 32 bytes of qs (low nibbles
// first, then high), two runs of 32 with a 6-bit scale and min apiece. Q5_K adds each
// element's fifth bit from qh: bit 2g for group g's low nibbles, bit 2g + 1 for its high ones.
void dequant_k4(uint16_t dh, uint16_t dminh, const uint8_t* scales, const uint8_t* q,
                const uint8_t* qh, float* y) {
    const float d = fp16_to_fp32(dh), dmin = fp16_to_fp32(dminh);
    for (int g = 0; g < 4; ++g, q += 32) {
        uint8_t sc, m;
        q4k_scale_min(2 * g, scales, sc, m);
        const float d1 = d * sc, m1 = dmin * m;
        q4k_scale_min(2 * g + 1, scales, sc, m);
        const float d2 = d * sc, m2 = dmin * m;
        const uint8_t u1 = uint8_t(1 << (2 * g)), u2 = uint8_t(2 << (2 * g));
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * float((q[l] & 0xF) + (qh && (qh[l] & u1) ? 16 : 0)) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * float((q[l] >> 4) + (qh && (qh[l] & u2) ? 16 : 0)) - m2;
    }
}

// Q2_K and Q3_K lay out their 2-bit quants alike: each 128 elements take 32 bytes of qs, whose
// four 2-bit planes (shifts 0, 2, 4, 6) hold four groups of 32, each two runs of 16 elements
// with their own scale. f(run, shift, q0) sees the runs in element order: run 0-15, its
// shift, and the qs byte of its first element.
template <class F>
void for_each_2bit_run(F&& f) {
    int run = 0;
    for (int h = 0; h < 2; ++h)
        for (int shift = 0; shift < 8; shift += 2)
            for (int half = 0; half < 2; ++half, ++run) f(run, shift, 32 * h + 16 * half);
}

}  // namespace

// Q3_K's sixteen 6-bit scales: the low 4 bits of scale k in byte k % 8 (low nibble for k < 8,
// high for the rest), the high 2 bits in bytes 8-11, two bits per scale.
void unpack_q3k_scales(const uint8_t* packed, int8_t* out) {
    for (int k = 0; k < 16; ++k) {
        const int low = k < 8 ? packed[k] & 0xF : packed[k - 8] >> 4;
        const int high = (packed[8 + k % 4] >> (2 * (k / 4))) & 3;
        out[k] = int8_t(low | (high << 4));
    }
}

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
            for (int64_t i = 0; i < n / kQK_K; ++i, y += kQK_K)
                dequant_k4(b[i].d, b[i].dmin, b[i].scales, b[i].qs, nullptr, y);
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
        case TensorType::Q4_1: {
            const auto* b = static_cast<const BlockQ4_1*>(src);
            for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
                const float d = fp16_to_fp32(b[i].d), m = fp16_to_fp32(b[i].m);
                for (int j = 0; j < kQK / 2; ++j) {
                    y[j] = float(b[i].qs[j] & 0xF) * d + m;
                    y[j + 16] = float(b[i].qs[j] >> 4) * d + m;
                }
            }
            return;
        }
        case TensorType::Q5_0:
        case TensorType::Q5_1: {
            const bool q51 = type == TensorType::Q5_1;
            const size_t size = q51 ? sizeof(BlockQ5_1) : sizeof(BlockQ5_0);
            const auto* bytes = static_cast<const uint8_t*>(src);
            for (int64_t i = 0; i < n / kQK; ++i, y += kQK, bytes += size) {
                // Q5_1 is Q5_0 with a minimum after the scale.
                uint16_t d, m = 0;
                std::memcpy(&d, bytes, 2);
                if (q51) std::memcpy(&m, bytes + 2, 2);
                uint32_t qh;
                std::memcpy(&qh, bytes + (q51 ? 4 : 2), 4);
                const uint8_t* qs = bytes + (q51 ? 8 : 6);
                const float fd = fp16_to_fp32(d), fm = q51 ? fp16_to_fp32(m) : 0.f;
                const int offset = q51 ? 0 : 16;
                for (int j = 0; j < kQK / 2; ++j) {
                    const int lo = int((qs[j] & 0xF) | (((qh >> j) & 1) << 4)) - offset;
                    const int hi = int((qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - offset;
                    y[j] = float(lo) * fd + fm;
                    y[j + 16] = float(hi) * fd + fm;
                }
            }
            return;
        }
        case TensorType::Q2_K: {
            const auto* b = static_cast<const BlockQ2_K*>(src);
            for (int64_t i = 0; i < n / kQK_K; ++i) {
                const float d = fp16_to_fp32(b[i].d), dmin = fp16_to_fp32(b[i].dmin);
                for_each_2bit_run([&](int run, int shift, int q0) {
                    const uint8_t sc = b[i].scales[run];
                    const float dl = d * float(sc & 0xF), ml = dmin * float(sc >> 4);
                    for (int l = 0; l < 16; ++l)
                        *y++ = dl * float((b[i].qs[q0 + l] >> shift) & 3) - ml;
                });
            }
            return;
        }
        case TensorType::Q3_K: {
            const auto* b = static_cast<const BlockQ3_K*>(src);
            for (int64_t i = 0; i < n / kQK_K; ++i) {
                const float d = fp16_to_fp32(b[i].d);
                int8_t scales[16];
                unpack_q3k_scales(b[i].scales, scales);
                for_each_2bit_run([&](int run, int shift, int q0) {
                    const float dl = d * float(scales[run] - 32);
                    // The high bit of each 32 elements' group sits in one bit of hmask.
                    const uint8_t m = uint8_t(1 << (run / 2));
                    for (int l = 0; l < 16; ++l)
                        *y++ = dl * float(((b[i].qs[q0 + l] >> shift) & 3) -
                                          ((b[i].hmask[q0 % 32 + l] & m) ? 0 : 4));
                });
            }
            return;
        }
        case TensorType::Q5_K: {
            const auto* b = static_cast<const BlockQ5_K*>(src);
            for (int64_t i = 0; i < n / kQK_K; ++i, y += kQK_K)
                dequant_k4(b[i].d, b[i].dmin, b[i].scales, b[i].qs, b[i].qh, y);
            return;
        }
        case TensorType::IQ4_NL: {
            const auto* b = static_cast<const BlockIQ4_NL*>(src);
            for (int64_t i = 0; i < n / kQK; ++i, y += kQK)
                dequant_iq4_run(fp16_to_fp32(b[i].d), b[i].qs, y);
            return;
        }
        case TensorType::MXFP4: {
            const auto* b = static_cast<const BlockMXFP4*>(src);
            for (int64_t i = 0; i < n / kQK; ++i, y += kQK)
                dequant_lut_run(kMxfp4Levels, e8m0_half(b[i].e), b[i].qs, y);
            return;
        }
        case TensorType::IQ4_XS: {
            const auto* b = static_cast<const BlockIQ4_XS*>(src);
            for (int64_t i = 0; i < n / kQK_K; ++i) {
                const float d = fp16_to_fp32(b[i].d);
                for (int ib = 0; ib < kQK_K / kQK; ++ib, y += kQK)
                    dequant_iq4_run(d * float(iq4xs_scale(b[i], ib) - 32), b[i].qs + 16 * ib, y);
            }
            return;
        }
        case TensorType::Q1_0: {
            const auto* b = static_cast<const BlockQ1_0*>(src);
            for (int64_t i = 0; i < n / 128; ++i) {
                const float d = fp16_to_fp32(b[i].d);
                for (int j = 0; j < 128; ++j) *y++ = (b[i].qs[j / 8] >> (j % 8)) & 1 ? d : -d;
            }
            return;
        }
        case TensorType::Q2_0: {
            const auto* b = static_cast<const BlockQ2_0*>(src);
            for (int64_t i = 0; i < n / 64; ++i) {
                const float d = fp16_to_fp32(b[i].d);
                for (int j = 0; j < 64; ++j)
                    *y++ = float(int((b[i].qs[j / 4] >> (2 * (j % 4))) & 3) - 1) * d;
            }
            return;
        }
        default:
            if (is_grid_type(type)) return dequantize_grid_row(type, src, y, n);
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

// Signs under the mean magnitude (the d that minimises the squared error of +-d).
void quantize_row_q1_0(const float* x, BlockQ1_0* out, int64_t n) {
    for (int64_t i = 0; i < n / 128; ++i, x += 128) {
        float sum = 0;
        for (int j = 0; j < 128; ++j) sum += std::fabs(x[j]);
        out[i].d = fp32_to_fp16(sum / 128);
        std::memset(out[i].qs, 0, sizeof out[i].qs);
        for (int j = 0; j < 128; ++j)
            if (x[j] >= 0) out[i].qs[j / 8] |= uint8_t(1 << (j % 8));
    }
}

// Codes -1 .. 2 under the largest magnitude.
void quantize_row_q2_0(const float* x, BlockQ2_0* out, int64_t n) {
    for (int64_t i = 0; i < n / 64; ++i, x += 64) {
        float amax = 0;
        for (int j = 0; j < 64; ++j) amax = std::max(amax, std::fabs(x[j]));
        out[i].d = fp32_to_fp16(amax);
        const float id = amax > 0 ? 1.f / amax : 0.f;
        std::memset(out[i].qs, 0, sizeof out[i].qs);
        for (int j = 0; j < 64; ++j) {
            const int q = std::clamp(int(std::lround(x[j] * id)) + 1, 0, 3);
            out[i].qs[j / 4] |= uint8_t(q << (2 * (j % 4)));
        }
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

void quantize_row_iq4_nl(const float* x, BlockIQ4_NL* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
        const float d = signed_max(x, kQK) / float(kIq4Levels[0]);
        out[i].d = fp32_to_fp16(d);
        quantize_iq4_run(x, fp16_to_fp32(out[i].d), out[i].qs);
    }
}

// The block's exponent puts its largest magnitude between 4 and 8 times the scale, inside the
// levels' range of 12 (as ggml's reference quantizer chooses it).
void quantize_row_mxfp4(const float* x, BlockMXFP4* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
        float amax = 0;
        for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
        const int e = amax > 0 ? int(std::floor(std::log2(amax))) - 2 + 127 : 0;
        out[i].e = uint8_t(std::clamp(e, 0, 254));
        quantize_lut_run(kMxfp4Levels, x, e8m0_half(out[i].e), out[i].qs);
    }
}

void quantize_row_iq4_xs(const float* x, BlockIQ4_XS* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
        // Sub-block scales d * (s - 32) with s in 0..63: d from the largest of them.
        float sub[kQK_K / kQK], amax = 0;
        for (int ib = 0; ib < kQK_K / kQK; ++ib) {
            sub[ib] = signed_max(x + kQK * ib, kQK) / float(kIq4Levels[0]);
            amax = std::max(amax, std::fabs(sub[ib]));
        }
        const float d = amax / 31.f;
        BlockIQ4_XS& b = out[i];
        b.d = fp32_to_fp16(d);
        b.scales_h = 0;
        std::memset(b.scales_l, 0, sizeof b.scales_l);
        const float dd = fp16_to_fp32(b.d);
        for (int ib = 0; ib < kQK_K / kQK; ++ib) {
            const int s = dd ? std::clamp(int(std::lround(sub[ib] / dd)) + 32, 0, 63) : 32;
            b.scales_l[ib / 2] = uint8_t(b.scales_l[ib / 2] | (s & 0xF) << (4 * (ib % 2)));
            b.scales_h = uint16_t(b.scales_h | (s >> 4) << (2 * ib));
            quantize_iq4_run(x + kQK * ib, dd * float(s - 32), b.qs + 16 * ib);
        }
    }
}

void quantize_row_q4_k(const float* x, BlockQ4_K* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
        // Each sub-block of 32 as scale * q - min with q in 0..15 and min >= 0; the 6-bit
        // scales and minimums step by d and dmin, chosen from the largest of each.
        float scale[8], min[8], max_scale = 0, max_min = 0;
        for (int j = 0; j < 8; ++j) {
            float lo = 0, hi = 0;
            for (int l = 0; l < 32; ++l)
                lo = std::min(lo, x[32 * j + l]), hi = std::max(hi, x[32 * j + l]);
            scale[j] = (hi - lo) / 15.f;
            min[j] = -lo;
            max_scale = std::max(max_scale, scale[j]);
            max_min = std::max(max_min, min[j]);
        }
        BlockQ4_K& b = out[i];
        b.d = fp32_to_fp16(max_scale / 63.f);
        b.dmin = fp32_to_fp16(max_min / 63.f);
        const float d = fp16_to_fp32(b.d), dmin = fp16_to_fp32(b.dmin);
        uint8_t sc[8], mn[8];
        for (int j = 0; j < 8; ++j) {
            sc[j] = uint8_t(d ? std::clamp(int(std::lround(scale[j] / d)), 0, 63) : 0);
            mn[j] = uint8_t(dmin ? std::clamp(int(std::lround(min[j] / dmin)), 0, 63) : 0);
        }
        for (int j = 0; j < 4; ++j) {
            b.scales[j] = uint8_t((sc[j] & 63) | (sc[j + 4] >> 4) << 6);
            b.scales[j + 4] = uint8_t((mn[j] & 63) | (mn[j + 4] >> 4) << 6);
            b.scales[j + 8] = uint8_t((sc[j + 4] & 0xF) | (mn[j + 4] & 0xF) << 4);
        }
        for (int j = 0; j < 8; ++j) {
            const float step = d * float(sc[j]), m = dmin * float(mn[j]);
            for (int l = 0; l < 32; ++l) {
                const int q =
                    step ? std::clamp(int(std::lround((x[32 * j + l] + m) / step)), 0, 15) : 0;
                uint8_t& byte = b.qs[32 * (j / 2) + l];
                byte = j % 2 ? uint8_t((byte & 0x0F) | q << 4) : uint8_t(q);
            }
        }
    }
}

void quantize_row_q6_k(const float* x, BlockQ6_K* out, int64_t n) {
    for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
        // Each sub-block of 16 as scale * (q - 32) with q in 0..63; the int8 scales step by d.
        float scale[16], amax = 0;
        for (int j = 0; j < 16; ++j) {
            float m = 0;
            for (int l = 0; l < 16; ++l) m = std::max(m, std::fabs(x[16 * j + l]));
            scale[j] = m / 31.f;
            amax = std::max(amax, scale[j]);
        }
        BlockQ6_K& b = out[i];
        b.d = fp32_to_fp16(amax / 127.f);
        const float d = fp16_to_fp32(b.d);
        for (int j = 0; j < 16; ++j)
            b.scales[j] = int8_t(d ? std::clamp(int(std::lround(scale[j] / d)), 0, 127) : 0);
        std::memset(b.ql, 0, sizeof b.ql);
        std::memset(b.qh, 0, sizeof b.qh);
        for (int v = 0; v < kQK_K; ++v) {
            const float step = d * float(b.scales[v / 16]);
            const int q = step ? std::clamp(int(std::lround(x[v] / step)), -32, 31) + 32 : 32;
            // Value 128 h + 32 k + l: low 4 bits in ql[64 h + l + 32 (k & 1)] (high nibble for
            // k >= 2), high 2 bits at bit 2k of qh[32 h + l].
            const int h = v / 128, k = v % 128 / 32, l = v % 32;
            b.ql[64 * h + l + 32 * (k & 1)] |= uint8_t((q & 0xF) << (k < 2 ? 0 : 4));
            b.qh[32 * h + l] |= uint8_t((q >> 4) << (2 * k));
        }
    }
}

std::vector<uint8_t> quantize_values(const float* x, int64_t n, TensorType type) {
    const TypeTraits* tr = type_traits(uint32_t(type));
    if (!tr || n % int64_t(tr->block_elems))
        fail("cannot write ", n, " values as ", tr ? tr->name : "an unknown type");
    std::vector<uint8_t> out(size_t(n / int64_t(tr->block_elems)) * tr->block_bytes);
    auto* half = reinterpret_cast<uint16_t*>(out.data());
    switch (type) {
        case TensorType::F32:
            std::memcpy(out.data(), x, out.size());
            break;
        case TensorType::F16:
            for (int64_t i = 0; i < n; ++i) half[i] = fp32_to_fp16(x[i]);
            break;
        case TensorType::BF16:
            for (int64_t i = 0; i < n; ++i) half[i] = fp32_to_bf16(x[i]);
            break;
        case TensorType::Q8_0:
            quantize_row_q8_0(x, reinterpret_cast<BlockQ8_0*>(out.data()), n);
            break;
        case TensorType::Q4_0:
            quantize_row_q4_0(x, reinterpret_cast<BlockQ4_0*>(out.data()), n);
            break;
        case TensorType::Q1_0:
            quantize_row_q1_0(x, reinterpret_cast<BlockQ1_0*>(out.data()), n);
            break;
        case TensorType::Q2_0:
            quantize_row_q2_0(x, reinterpret_cast<BlockQ2_0*>(out.data()), n);
            break;
        case TensorType::IQ4_NL:
            quantize_row_iq4_nl(x, reinterpret_cast<BlockIQ4_NL*>(out.data()), n);
            break;
        case TensorType::IQ4_XS:
            quantize_row_iq4_xs(x, reinterpret_cast<BlockIQ4_XS*>(out.data()), n);
            break;
        case TensorType::MXFP4:
            quantize_row_mxfp4(x, reinterpret_cast<BlockMXFP4*>(out.data()), n);
            break;
        case TensorType::Q4_K:
            quantize_row_q4_k(x, reinterpret_cast<BlockQ4_K*>(out.data()), n);
            break;
        case TensorType::Q6_K:
            quantize_row_q6_k(x, reinterpret_cast<BlockQ6_K*>(out.data()), n);
            break;
        default:
            if (!is_grid_type(type)) fail("no quantizer writes ", tr->name);
            quantize_grid_row(type, x, out.data(), n);
    }
    return out;
}

}  // namespace nqkv
