// Activations rounded before a matmul with quantized weights, the way llama.cpp's CPU backend
// rounds them: Q8_0 blocks (32 values, a scale rounded to fp16; Q8_1 adds their sum) for the
// 32-element formats, Q8_K super-blocks (256 values, a float scale) for the K-quants. The matmul
// is then a sum of integer products per block, which is several times faster than expanding the
// weights to floats and gives llama.cpp's logits up to the order of float additions. The
// rounding costs accuracy of its own (about 0.4 % of each activation block's largest value),
// so ContextParams::float_activations keeps the exact float path.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/ggml_types.h"
#include "engine/grid_blocks.h"
#include "engine/quant_blocks.h"

namespace nqkv {

// The rounded blocks (never stored in a file). For the 32-element formats llama.cpp's Q8_0 and
// Q8_1 values (the scale d, and Q8_1's s = d * the sum of the codes, each rounded to fp16), kept
// widened to floats so that the kernels convert nothing per weight row.
struct ActQ8_0 {
    float d;
    int8_t qs[kQK];
};
static_assert(sizeof(ActQ8_0) == 36);

struct ActQ8_1 {
    float d, s;
    int8_t qs[kQK];
};
static_assert(sizeof(ActQ8_1) == 40);

// For the K-quants: d * qs[j], with the sums of each 16 codes precomputed for the formats'
// minimums and offsets.
struct ActQ8_K {
    float d;
    int8_t qs[kQK_K];
    int16_t bsums[kQK_K / 16];
};
static_assert(sizeof(ActQ8_K) == 292);

// The type activations are rounded to for weights of type w; F32 where the matmul stays in
// floats (F32, F16 and BF16 weights, and the formats without an integer kernel). constexpr,
// so that the kernels pick their block layout at compile time from this one list.
constexpr TensorType activation_type(TensorType w) {
    switch (w) {
        case TensorType::Q4_0:
        case TensorType::Q5_0:
        case TensorType::Q8_0:
        case TensorType::IQ4_NL:
        case TensorType::MXFP4:
        case TensorType::Q1_0:
        case TensorType::Q2_0:
            return TensorType::Q8_0;
        case TensorType::Q4_1:
        case TensorType::Q5_1:
            return TensorType::Q8_1;
        case TensorType::Q2_K:
        case TensorType::Q3_K:
        case TensorType::Q4_K:
        case TensorType::Q5_K:
        case TensorType::Q6_K:
        case TensorType::IQ4_XS:
            return TensorType::Q8_K;
        default:
            if (is_grid_type(w)) return TensorType::Q8_K;  // grid_blocks.h
            // F16 weights too: llama.cpp rounds their activations to fp16, but that moves the
            // logits (about 1e-4 relative) for no speed (fp16 values are converted to floats
            // either way), so they stay exact here.
            return TensorType::F32;
    }
}

// Bytes of one rounded row of n activations (n a whole number of the type's blocks).
size_t activation_row_bytes(TensorType act, int64_t n);

// Rounds n activations into dst (activation_row_bytes(act, n) bytes). Plain scalar code shared
// by every instruction set, so the rounded values never depend on the CPU.
void quantize_activations(TensorType act, const float* x, int64_t n, uint8_t* dst);

// The values quantize_activations() rounded n activations to (for tests and references).
void dequantize_activations(TensorType act, const uint8_t* src, int64_t n, float* out);

}  // namespace nqkv
