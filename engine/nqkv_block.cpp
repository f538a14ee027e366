#include "engine/nqkv_block.h"

#include <cmath>
#include <cstring>

#include "engine/half.h"

namespace nqkv {

uint16_t quantize_block(const Codebook& cb, const float* x, int n, uint8_t* codes) {
    float m = 0;
    for (int i = 0; i < n; ++i)
        if (std::fabs(x[i]) > std::fabs(m)) m = x[i];
    const uint16_t scale = fp32_to_fp16(cb.signed_scale() ? m : std::fabs(m));
    const float s = fp16_to_fp32(scale);
    const float inv = s != 0 ? 1.0f / s : 0.0f;
    for (int i = 0; i < n; ++i) codes[i] = uint8_t(cb.nearest(x[i] * inv));
    return scale;
}

void dequantize_block(const Codebook& cb, uint16_t scale, const uint8_t* codes, int n, float* out) {
    const float s = fp16_to_fp32(scale);
    const auto& lv = cb.levels();
    for (int i = 0; i < n; ++i) out[i] = lv[codes[i]] * s;
}

void pack_codes(const uint8_t* codes, size_t n, int bits, uint8_t* out) {
    std::memset(out, 0, packed_bytes(n, bits));
    if (bits == 8) {
        std::memcpy(out, codes, n);
        return;
    }
    size_t bit = 0;
    for (size_t i = 0; i < n; ++i, bit += size_t(bits)) {
        const uint32_t c = codes[i];
        out[bit / 8] = uint8_t(out[bit / 8] | (c << (bit % 8)));
        if (bit % 8 + size_t(bits) > 8)
            out[bit / 8 + 1] = uint8_t(out[bit / 8 + 1] | (c >> (8 - bit % 8)));
    }
}

void unpack_codes(const uint8_t* packed, size_t first, size_t n, int bits, uint8_t* codes) {
    if (bits == 8) {
        std::memcpy(codes, packed + first, n);
        return;
    }
    // Whole bytes of 4- or 2-bit codes: a fixed shift pattern per byte.
    if ((bits == 4 || bits == 2) && (first * size_t(bits)) % 8 == 0 &&
        (n * size_t(bits)) % 8 == 0) {
        const uint8_t* p = packed + first * size_t(bits) / 8;
        const size_t per = 8 / size_t(bits);
        const uint8_t mask = uint8_t((1u << bits) - 1);
        for (size_t i = 0; i < n / per; ++i)
            for (size_t k = 0; k < per; ++k)
                codes[i * per + k] = uint8_t((p[i] >> (k * size_t(bits))) & mask);
        return;
    }
    const uint32_t mask = (1u << bits) - 1;
    size_t bit = first * size_t(bits);
    for (size_t i = 0; i < n; ++i, bit += size_t(bits)) {
        uint32_t v = packed[bit / 8] >> (bit % 8);
        if (bit % 8 + size_t(bits) > 8) v |= uint32_t(packed[bit / 8 + 1]) << (8 - bit % 8);
        codes[i] = uint8_t(v & mask);
    }
}

}  // namespace nqkv
