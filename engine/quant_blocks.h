// Block layouts of the GGUF weight formats the engine computes with, and a plain scalar
// dequantizer that is the reference the vectorised kernels are tested against.
#pragma once

#include <cstdint>

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

// Dequantizes n elements (a whole number of blocks) of the given type. Scalar, exact.
void dequantize_row_reference(TensorType type, const void* src, float* dst, int64_t n);

// Quantizers used by the tests to make files in every format (round to nearest, simple
// scale choice; they need not match llama-quantize's search).
void quantize_row_q8_0(const float* x, BlockQ8_0* out, int64_t n);
void quantize_row_q4_0(const float* x, BlockQ4_0* out, int64_t n);

}  // namespace nqkv
