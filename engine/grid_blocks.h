// The lattice-codebook ("IQ1"-"IQ3") and ternary ("TQ") weight formats: 256-element
// super-blocks whose values come from fixed grids of 8 or 4 values (grid_tables.cpp) with
// signs and small odd scales. Every one of them reads as int8 codes times a scale per 16 values
// times one float per super-block, which is how the kernels multiply them (as the K-quants).
#pragma once

#include <cstdint>

#include "engine/ggml_types.h"

namespace nqkv {

// Per 32 values: 4 uint16 hold four grid indices (bytes 0-3), then four 7-bit sign sets and a
// 4-bit scale (the top bits). Values d * (2 scale + 1) / 8 * grid * sign.
struct BlockIQ2_XXS {
    uint16_t d;
    uint16_t qs[32];
};
static_assert(sizeof(BlockIQ2_XXS) == 66);

// Per 8 values one uint16: a 9-bit grid index and 7 sign bits; a 4-bit scale per 16 values.
struct BlockIQ2_XS {
    uint16_t d;
    uint16_t qs[32];
    uint8_t scales[8];
};
static_assert(sizeof(BlockIQ2_XS) == 74);

// Per 8 values the low 8 bits of a 10-bit grid index (qs[0..31]) and 8 sign bits
// (qs[32..63]); the high 2 bits in qh, a 4-bit scale per 16 values.
struct BlockIQ2_S {
    uint16_t d;
    uint8_t qs[64];
    uint8_t qh[8];
    uint8_t scales[8];
};
static_assert(sizeof(BlockIQ2_S) == 82);

// Per 32 values eight 8-bit indices into a grid of 4 values (qs[0..63]), then one uint32 of
// four 7-bit sign sets and a 4-bit scale (qs[64..95]). Values d * (2 scale + 1) / 4 * grid.
struct BlockIQ3_XXS {
    uint16_t d;
    uint8_t qs[96];
};
static_assert(sizeof(BlockIQ3_XXS) == 98);

// Per 4 values a 9-bit index (low 8 bits in qs, the ninth in qh), 8 sign bits per 8 values and
// a 4-bit scale per 32. Values d * (2 scale + 1) * grid.
struct BlockIQ3_S {
    uint16_t d;
    uint8_t qs[64];
    uint8_t qh[8];
    uint8_t signs[32];
    uint8_t scales[4];
};
static_assert(sizeof(BlockIQ3_S) == 110);

// Per 8 values an 11-bit index into a grid of -1, 0, 1 (low 8 bits in qs, high 3 in qh);
// per 32 values (one qh) a 3-bit scale and the sign of a shift of 1/8.
struct BlockIQ1_S {
    uint16_t d;
    uint8_t qs[32];
    uint16_t qh[8];
};
static_assert(sizeof(BlockIQ1_S) == 50);

// As IQ1_S with the shift's sign per 8 values and a 3-bit scale per 16; the fp16 d is spread
// over the top 4 bits of the four uint16 of scales.
struct BlockIQ1_M {
    uint8_t qs[32];
    uint8_t qh[16];
    uint8_t scales[8];
};
static_assert(sizeof(BlockIQ1_M) == 56);

// Ternary: codes 0, 1, 2 for -1, 0, +1, five per byte in base 3 (qs), four per byte in qh.
struct BlockTQ1_0 {
    uint8_t qs[48];
    uint8_t qh[4];
    uint16_t d;
};
static_assert(sizeof(BlockTQ1_0) == 54);

// Ternary, 2 bits per value.
struct BlockTQ2_0 {
    uint8_t qs[64];
    uint16_t d;
};
static_assert(sizeof(BlockTQ2_0) == 66);

// The grids, each entry's values in its bytes (value j in byte j).
struct GridTables {
    uint64_t iq2xxs[256], iq2xs[512], iq2s[1024];  // magnitudes 8, 25, 43
    uint32_t iq3xxs[256], iq3s[512];               // magnitudes 4 .. 62 (IQ3_XXS), 1 .. 15 (IQ3_S)
    uint64_t iq1s[2048];                           // -1, 0, 1
    uint64_t signs[256];        // byte j -1 where bit j of the index is set, else +1
    uint64_t even_signs[128];   // signs[even_signs(i)]: 7 stored signs and the eighth they imply
    uint64_t iq1s_codes[4096];  // entry i | minus << 11: the IQ1 codes 8 g + 1 (minus: 8 g - 1)
};
extern const GridTables kGridTables;

// Seven stored sign bits and an eighth that makes the number of minus signs even.
constexpr uint8_t even_signs(uint32_t seven) {
    seven &= 127;
    return uint8_t(seven | uint32_t(__builtin_popcount(seven) & 1) << 7);
}

inline constexpr TensorType kGridTypes[] = {
    TensorType::IQ1_S,  TensorType::IQ1_M, TensorType::IQ2_XXS,
    TensorType::IQ2_XS, TensorType::IQ2_S, TensorType::IQ3_XXS,
    TensorType::IQ3_S,  TensorType::TQ1_0, TensorType::TQ2_0};

constexpr bool is_grid_type(TensorType t) {
    for (TensorType g : kGridTypes)
        if (g == t) return true;
    return false;
}

// One super-block as value v = d * sc16[v / 16] * q[v]: q and sc16 small integers (|q| <= 62,
// 1 <= sc16 <= 31), so the kernels multiply them exactly as integers, and d * sc16 * q equals
// ggml's dequantized value bit for bit.
void decode_grid_block(TensorType t, const void* blk, int8_t* q, int8_t* sc16, float& d);

// n values (whole super-blocks).
void dequantize_grid_row(TensorType t, const void* src, float* dst, int64_t n);

// A simple quantizer for the tests and `nqkv synth-model`: per 16 or 32 values the odd scale
// nearest the largest magnitude, per 8 values the grid entry nearest the values (searched
// exhaustively; the minus sign counts even where the format requires it). Not llama-quantize's
// search; slow for the 2048-entry IQ1 grid.
void quantize_grid_row(TensorType t, const float* x, void* out, int64_t n);

}  // namespace nqkv
