#include "engine/activation_quant.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/half.h"
#include "engine/quant_blocks.h"

namespace nqkv {
namespace {

// Round to nearest, ties to even, for |v| < 2^22: adding 1.5 * 2^23 leaves the rounded integer
// in the mantissa (the rounding vector instructions llama.cpp uses do the same).
inline int nearest_even(float v) {
    float f = v + 12582912.f;
    int32_t i;
    std::memcpy(&i, &f, 4);
    return (i & 0x007fffff) - 0x00400000;
}

// llama.cpp stores these scales as fp16; the blocks here keep the same values as floats.
inline float fp16_round(float x) {
    return fp16_to_fp32(fp32_to_fp16(x));
}

// Q8_0 and Q8_1 (which also keeps d * the sum of its codes, from the unrounded d).
void quantize_q8_0(const float* x, ActQ8_0* q8_0, ActQ8_1* q8_1, int64_t n) {
    for (int64_t b = 0; b < n / kQK; ++b, x += kQK) {
        float amax = 0;
        for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.f, id = amax != 0 ? 127.f / amax : 0.f;
        int8_t* qs = q8_0 ? q8_0[b].qs : q8_1[b].qs;
        int sum = 0;
        for (int j = 0; j < kQK; ++j) sum += qs[j] = int8_t(nearest_even(x[j] * id));
        if (q8_0) {
            q8_0[b].d = fp16_round(d);
        } else {
            q8_1[b].d = fp16_round(d);
            q8_1[b].s = fp16_round(d * float(sum));
        }
    }
}

// The signed value of largest magnitude maps to -127; its opposite side may reach +127.
void quantize_q8_k(const float* x, ActQ8_K* out, int64_t n) {
    for (int64_t b = 0; b < n / kQK_K; ++b, x += kQK_K) {
        ActQ8_K& y = out[b];
        float amax = 0, max = 0;
        for (int j = 0; j < kQK_K; ++j)
            if (std::fabs(x[j]) > amax) {
                amax = std::fabs(x[j]);
                max = x[j];
            }
        if (amax == 0) {
            std::memset(&y, 0, sizeof y);
            continue;
        }
        const float iscale = -127.f / max;
        for (int j = 0; j < kQK_K; ++j)
            y.qs[j] = int8_t(std::min(127, nearest_even(iscale * x[j])));
        for (int g = 0; g < kQK_K / 16; ++g) {
            int sum = 0;
            for (int j = 0; j < 16; ++j) sum += y.qs[16 * g + j];
            y.bsums[g] = int16_t(sum);
        }
        y.d = 1.f / iscale;
    }
}

// d * code for n values of blocks holding sizeof(qs) codes each.
template <typename Block>
void unround(const Block* b, int64_t n, float* out) {
    constexpr int64_t k = sizeof(b->qs);
    for (int64_t i = 0; i < n; ++i) out[i] = b[i / k].d * float(b[i / k].qs[i % k]);
}

}  // namespace

size_t activation_row_bytes(TensorType act, int64_t n) {
    switch (act) {
        case TensorType::Q8_0:
            return size_t(n / kQK) * sizeof(ActQ8_0);
        case TensorType::Q8_1:
            return size_t(n / kQK) * sizeof(ActQ8_1);
        case TensorType::Q8_K:
            return size_t(n / kQK_K) * sizeof(ActQ8_K);
        default:
            return size_t(n) * 4;
    }
}

void quantize_activations(TensorType act, const float* x, int64_t n, uint8_t* dst) {
    switch (act) {
        case TensorType::Q8_0:
            return quantize_q8_0(x, reinterpret_cast<ActQ8_0*>(dst), nullptr, n);
        case TensorType::Q8_1:
            return quantize_q8_0(x, nullptr, reinterpret_cast<ActQ8_1*>(dst), n);
        case TensorType::Q8_K:
            return quantize_q8_k(x, reinterpret_cast<ActQ8_K*>(dst), n);
        default:
            std::memcpy(dst, x, size_t(n) * 4);
            return;
    }
}

void dequantize_activations(TensorType act, const uint8_t* src, int64_t n, float* out) {
    switch (act) {
        case TensorType::Q8_0:
            return unround(reinterpret_cast<const ActQ8_0*>(src), n, out);
        case TensorType::Q8_1:
            return unround(reinterpret_cast<const ActQ8_1*>(src), n, out);
        case TensorType::Q8_K:
            return unround(reinterpret_cast<const ActQ8_K*>(src), n, out);
        default:
            std::memcpy(out, src, size_t(n) * 4);
            return;
    }
}

}  // namespace nqkv
