// One NQKV block: quantize B values to codes plus an fp16 scale, bit-pack the codes, and back.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/nqkv_codebook.h"

namespace nqkv {

// Quantizes n values to codes (one per byte, unpacked) and returns the fp16 scale bits.
uint16_t quantize_block(const Codebook& cb, const float* x, int n, uint8_t* codes);
// Writes level[code] * scale for n codes.
void dequantize_block(const Codebook& cb, uint16_t scale, const uint8_t* codes, int n, float* out);

// Bits are packed least significant first into a continuous stream, so 2-bit codes go 4 to a
// byte, 4-bit 2, 8-bit 1, and 3-bit codes 8 to every 3 bytes.
inline size_t packed_bytes(size_t n, int bits) {
    return (n * size_t(bits) + 7) / 8;
}
void pack_codes(const uint8_t* codes, size_t n, int bits, uint8_t* out);
// Unpacks n codes starting at code index `first` of a packed stream.
void unpack_codes(const uint8_t* packed, size_t first, size_t n, int bits, uint8_t* codes);

}  // namespace nqkv
