// Block layouts of the GGUF weight formats the engine computes with, and a plain scalar
// dequantizer: the reference the vectorised kernels are tested against.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/ggml_types.h"

namespace nqkv {

constexpr int kQK = 32;     // elements in a Q4_0 / Q8_0 block
constexpr int kQK_K = 256;  // elements in a K-quant super-block

struct BlockQ4_0 {
    uint16_t d;           // fp16 scale
    uint8_t qs[kQK / 2];  // element j in the low nibble of qs[j], element j+16 in the high
};
static_assert(sizeof(BlockQ4_0) == 18);

struct BlockQ8_0 {
    uint16_t d;
    int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_0) == 34);

struct BlockQ4_K {
    uint16_t d;             // super-block scale for the 6-bit sub-block scales
    uint16_t dmin;          // super-block scale for the 6-bit sub-block mins
    uint8_t scales[12];     // 8 scales and 8 mins, 6 bits each, packed
    uint8_t qs[kQK_K / 2];  // 4-bit quants
};
static_assert(sizeof(BlockQ4_K) == 144);

struct BlockQ6_K {
    uint8_t ql[kQK_K / 2];      // low 4 bits
    uint8_t qh[kQK_K / 4];      // high 2 bits
    int8_t scales[kQK_K / 16];  // 8-bit sub-block scales
    uint16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210);

struct BlockQ4_1 {
    uint16_t d, m;        // scale and minimum: x = d * q + m
    uint8_t qs[kQK / 2];  // as Q4_0
};
static_assert(sizeof(BlockQ4_1) == 20);

struct BlockQ5_0 {
    uint16_t d;
    uint8_t qh[4];        // the fifth bit of element j is bit j
    uint8_t qs[kQK / 2];  // low 4 bits, as Q4_0; x = d * (q - 16)
};
static_assert(sizeof(BlockQ5_0) == 22);

struct BlockQ5_1 {
    uint16_t d, m;  // x = d * q + m
    uint8_t qh[4];
    uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_1) == 24);

struct BlockQ2_K {
    uint8_t scales[kQK_K / 16];  // 4-bit scale (low) and 4-bit min (high) per 16 elements
    uint8_t qs[kQK_K / 4];       // 2-bit quants
    uint16_t d, dmin;
};
static_assert(sizeof(BlockQ2_K) == 84);

struct BlockQ3_K {
    uint8_t hmask[kQK_K / 8];  // high bit: set means +0, clear means -4
    uint8_t qs[kQK_K / 4];     // low 2 bits
    uint8_t scales[12];        // 16 scales of 6 bits, packed
    uint16_t d;
};
static_assert(sizeof(BlockQ3_K) == 110);

struct BlockQ5_K {
    uint16_t d, dmin;
    uint8_t scales[12];     // as Q4_K
    uint8_t qh[kQK_K / 8];  // fifth bits
    uint8_t qs[kQK_K / 2];  // low 4 bits
};
static_assert(sizeof(BlockQ5_K) == 176);

// The non-linear 4-bit formats: each code picks one of 16 fixed levels, spaced closer near zero
// where most weights are (ggml's table, part of the format).
// constexpr: the kernels built per instruction set read these without any code running at
// start-up (a static initializer there would be compiled for that instruction set too).
inline constexpr int8_t kIq4Levels[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                          1,    13,   25,  38,  53,  69,  89,  113};

// MXFP4 (OCP microscaling FP4, as ggml stores it): E2M1 values doubled to integers, a block's
// scale a power of two stored as its exponent e, half of 2^(e - 127) since the levels are doubled.
inline constexpr int8_t kMxfp4Levels[16] = {0, 1,  2,  3,  4,  6,  8,  12,
                                            0, -1, -2, -3, -4, -6, -8, -12};
struct BlockMXFP4 {
    uint8_t e;
    uint8_t qs[kQK / 2];  // as Q4_0: element j low nibble of qs[j], j + 16 the high one
};
static_assert(sizeof(BlockMXFP4) == 17);
// 2^(e - 128), exact for every e (ggml's GGML_E8M0_TO_FP32_HALF): subnormal for e < 2.
inline float e8m0_half(uint8_t e) {
    const uint32_t bits = e < 2 ? 0x00200000u << e : uint32_t(e - 1) << 23;
    float f;
    __builtin_memcpy(&f, &bits, 4);
    return f;
}

// Q1_0: 128 values, each +d (bit set) or -d; value j at bit j % 8 of qs[j / 8].
struct BlockQ1_0 {
    uint16_t d;
    uint8_t qs[16];
};
static_assert(sizeof(BlockQ1_0) == 18);

// Q2_0: 64 values d * (q - 1), q of 2 bits; value j at bits 2 (j % 4) of qs[j / 4].
struct BlockQ2_0 {
    uint16_t d;
    uint8_t qs[16];
};
static_assert(sizeof(BlockQ2_0) == 18);

struct BlockIQ4_NL {
    uint16_t d;
    uint8_t qs[kQK / 2];  // as Q4_0: element j low nibble of qs[j], j + 16 the high one
};
static_assert(sizeof(BlockIQ4_NL) == 18);

struct BlockIQ4_XS {
    uint16_t d;
    uint16_t scales_h;      // the high 2 bits of the 8 sub-block scales
    uint8_t scales_l[4];    // their low 4 bits, two per byte (sub-block 2k low nibble)
    uint8_t qs[kQK_K / 2];  // 8 sub-blocks of 32, each laid out as an IQ4_NL block's qs
};
static_assert(sizeof(BlockIQ4_XS) == 136);

// IQ4_XS sub-block ib's scale, 0..63 (applied as d * (scale - 32)).
inline int iq4xs_scale(const BlockIQ4_XS& b, int ib) {
    return ((b.scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((b.scales_h >> (2 * ib)) & 3) << 4);
}

// Q3_K's sixteen 6-bit sub-block scales (still offset by 32) from their 12 packed bytes.
void unpack_q3k_scales(const uint8_t* packed, int8_t* out);

// Dequantizes n elements (a whole number of blocks) of the given type. Scalar, exact.
void dequantize_row_reference(TensorType type, const void* src, float* dst, int64_t n);

// Quantizers used by the tests to make files in every format (round to nearest, simple
// scale choice; they need not match llama-quantize's search).
void quantize_row_q8_0(const float* x, BlockQ8_0* out, int64_t n);
void quantize_row_q4_0(const float* x, BlockQ4_0* out, int64_t n);
void quantize_row_q1_0(const float* x, BlockQ1_0* out, int64_t n);
void quantize_row_q2_0(const float* x, BlockQ2_0* out, int64_t n);
void quantize_row_iq4_nl(const float* x, BlockIQ4_NL* out, int64_t n);
void quantize_row_mxfp4(const float* x, BlockMXFP4* out, int64_t n);
void quantize_row_iq4_xs(const float* x, BlockIQ4_XS* out, int64_t n);
void quantize_row_q4_k(const float* x, BlockQ4_K* out, int64_t n);
void quantize_row_q6_k(const float* x, BlockQ6_K* out, int64_t n);
// n values (whole blocks of the type) as F32, F16, BF16 or through one of the quantizers above;
// throws Error for other types.
std::vector<uint8_t> quantize_values(const float* x, int64_t n, TensorType type);

}  // namespace nqkv
