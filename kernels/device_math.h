// The arithmetic the CUDA kernels share with the CPU engine, written once for host and device:
// fp16 conversion, the NQKV block (absmax scale, nearest level, bit packing), RoPE, SwiGLU and
// GELU.
// Compiled by nvcc inside the kernels and by the host compiler in test_cuda_math, which checks
// every function against the engine's own code, so the GPU path's math is verified on machines
// without a GPU.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define NQKV_HD __host__ __device__ __forceinline__
#else
#define NQKV_HD inline
#endif

namespace nqkv::dm {

NQKV_HD uint32_t float_bits(float f) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(f);
#else
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
#endif
}

NQKV_HD float bits_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(u);
#else
    float f;
    std::memcpy(&f, &u, 4);
    return f;
#endif
}

// IEEE binary16 with round to nearest even, subnormals and infinities; NaN stays NaN.
NQKV_HD uint16_t f32_to_f16(float f) {
    const uint32_t x = float_bits(f);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t abs = x & 0x7fffffffu;
    if (abs > 0x7f800000u) return uint16_t(sign | 0x7e00u);   // NaN
    if (abs >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // rounds to infinity
    if (abs < 0x38800000u) {                                  // subnormal or zero in fp16
        if (abs < 0x33000000u) return uint16_t(sign);         // below half the smallest
        const uint32_t e = abs >> 23;
        const uint32_t m = (abs & 0x7fffffu) | 0x800000u;
        const uint32_t shift = 126u - e;  // 14..24
        const uint32_t q = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
        const uint32_t r = q + ((rem > half || (rem == half && (q & 1u))) ? 1u : 0u);
        return uint16_t(sign | r);
    }
    const uint32_t e = (abs >> 23) - 112u;  // rebias 127 -> 15
    const uint32_t m = abs & 0x7fffffu;
    uint32_t h = (e << 10) | (m >> 13);
    const uint32_t rem = m & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;  // may carry into the exponent
    return uint16_t(sign | h);
}

NQKV_HD float f16_to_f32(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0) {
        if (m == 0) return bits_float(sign);
        // Subnormal: m * 2^-24, exact in fp32.
        const float v = float(m) * 5.9604644775390625e-8f;
        return sign ? -v : v;
    }
    if (e == 31) return bits_float(sign | 0x7f800000u | (m << 13));
    return bits_float(sign | ((e + 112u) << 23) | (m << 13));
}

NQKV_HD float bf16_to_f32(uint16_t h) {
    return bits_float(uint32_t(h) << 16);
}

// The value a block's scale is taken from: the element of largest magnitude (the first one
// on ties), with its sign when the family stores a signed scale.
NQKV_HD float block_absmax(const float* x, int n, bool signed_scale) {
    float m = 0;
    for (int i = 0; i < n; ++i)
        if ((x[i] < 0 ? -x[i] : x[i]) > (m < 0 ? -m : m)) m = x[i];
    return signed_scale ? m : (m < 0 ? -m : m);
}

// 1 / scale as the engine computes it (0 for an all-zero block).
NQKV_HD float inverse_scale(uint16_t scale_bits) {
    const float s = f16_to_f32(scale_bits);
    return s != 0 ? 1.0f / s : 0.0f;
}

// The code of the level nearest to y: how many thresholds (ascending midpoints between
// levels) lie strictly below y, so ties go to the lower level.
NQKV_HD int nearest_code(float y, const float* thresholds, int n_thresholds) {
    int lo = 0, hi = n_thresholds;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (thresholds[mid] < y)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// Byte j of the least-significant-first bit stream of `codes` (one code per byte, `bits`
// wide), computed on its own so each thread can write one byte.
NQKV_HD uint8_t packed_byte(const uint8_t* codes, int n, int bits, int j) {
    if (bits == 8) return codes[j];
    uint32_t out = 0;
    const int bit0 = 8 * j;
    int i = bit0 / bits;
    for (; i < n && i * bits < bit0 + 8; ++i) {
        const int shift = i * bits - bit0;
        const uint32_t c = codes[i];
        out |= shift >= 0 ? (c << shift) : (c >> (-shift));
    }
    return uint8_t(out & 0xffu);
}

// Code i of a packed stream.
NQKV_HD int unpack_code(const uint8_t* packed, int i, int bits) {
    if (bits == 8) return packed[i];
    const int bit = i * bits;
    uint32_t v = uint32_t(packed[bit >> 3]) >> (bit & 7);
    if ((bit & 7) + bits > 8) v |= uint32_t(packed[(bit >> 3) + 1]) << (8 - (bit & 7));
    return int(v & ((1u << bits) - 1u));
}

// RoPE on one adjacent pair (a, b) at angle theta given as cos c and sin s.
NQKV_HD void rope_pair(float& a, float& b, float c, float s) {
    const float x = a, y = b;
    a = x * c - y * s;
    b = x * s + y * c;
}

NQKV_HD float silu_mul(float g, float u, float exp_neg_g) {
    return g / (1.0f + exp_neg_g) * u;
}

// Gemma's gated GELU (tanh form): gelu(g) * u, given tanh of the inner term.
NQKV_HD float gelu_inner(float g) {
    return 0.7978845608f * (g + 0.044715f * g * g * g);
}
NQKV_HD float gelu_mul(float g, float u, float tanh_inner) {
    return 0.5f * g * (1.0f + tanh_inner) * u;
}

}  // namespace nqkv::dm
