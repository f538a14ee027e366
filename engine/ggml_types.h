// Tensor element types as numbered in GGUF files, with their block geometry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nqkv {

enum class TensorType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
    // Known by name only: files in this format are refused with the format's name.
    NVFP4 = 40,
    Q1_0 = 41,
    Q2_0 = 42,
};

struct TypeTraits {
    const char* name;
    int block_elems;  // elements per block
    int block_bytes;  // bytes per block
    bool supported;   // this engine can compute with it
};

// Traits for a raw type number from a file; nullptr when the number is not a known type.
const TypeTraits* type_traits(uint32_t type);
const char* type_name(TensorType t);
// "F32, F16, Q4_0, ...": the types the engine computes with, in type-number order.
std::string supported_type_names();

// Bytes taken by `n` elements of type t; n must be a multiple of the block size.
inline size_t row_bytes(const TypeTraits& tr, uint64_t n) {
    return size_t(n / uint64_t(tr.block_elems)) * size_t(tr.block_bytes);
}

}  // namespace nqkv
