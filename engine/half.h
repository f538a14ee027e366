// IEEE half and bfloat16 conversions, portable and exact (round to nearest even).
#pragma once

#include <cstdint>
#include <cstring>

namespace nqkv {

inline float bits_to_float(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

inline uint32_t float_to_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

inline float fp16_to_fp32(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    if (exp == 0) {
        if (mant == 0) return bits_to_float(sign);
        // Subnormal: renormalise into an fp32 normal.
        exp = 127 - 15 + 1;
        while ((mant & 0x400) == 0) {
            mant <<= 1;
            --exp;
        }
        mant &= 0x3ff;
        return bits_to_float(sign | (exp << 23) | (mant << 13));
    }
    if (exp == 31) return bits_to_float(sign | 0x7f800000 | (mant << 13));
    return bits_to_float(sign | ((exp + 127 - 15) << 23) | (mant << 13));
}

inline uint16_t fp32_to_fp16(float f) {
    const uint32_t x = float_to_bits(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000);
    const uint32_t abs = x & 0x7fffffff;
    if (abs >= 0x7f800000) return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0);  // inf / nan
    if (abs >= 0x477ff000) return sign | 0x7c00;  // rounds past the largest half
    if (abs < 0x38800000) {
        // Result is subnormal or zero: shift with round-to-nearest-even.
        if (abs < 0x33000000) return sign;
        const uint32_t e = abs >> 23;
        const uint32_t m = (abs & 0x7fffff) | 0x800000;
        const uint32_t shift = 126 - e;  // 14 - (e - 127) + 13 - ... combined
        uint32_t r = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1);
        const uint32_t half = 1u << (shift - 1);
        if (rem > half || (rem == half && (r & 1))) ++r;
        return sign | uint16_t(r);
    }
    uint32_t r = abs + 0xfff + ((abs >> 13) & 1);  // round to nearest even on bit 13
    r -= 0x38000000;                               // rebias 127 -> 15
    return sign | uint16_t(r >> 13);
}

// All 65536 halves as floats, for hot loops compiled without F16C (built on first use).
const float* fp16_table();

inline float bf16_to_fp32(uint16_t h) {
    return bits_to_float(uint32_t(h) << 16);
}

inline uint16_t fp32_to_bf16(float f) {
    const uint32_t x = float_to_bits(f);
    if ((x & 0x7fffffff) > 0x7f800000) return uint16_t((x >> 16) | 0x40);
    return uint16_t((x + 0x7fff + ((x >> 16) & 1)) >> 16);
}

}  // namespace nqkv
