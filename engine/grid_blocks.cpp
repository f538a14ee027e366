#include "engine/grid_blocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/error.h"
#include "engine/half.h"

namespace nqkv {

namespace {

constexpr int kSuper = 256;

// Eight codes: byte j of `grid` (signed), negated where bit j of `signs` is set.
void put8(uint64_t grid, uint32_t signs, int8_t* q) {
    for (int j = 0; j < 8; ++j) {
        const int v = int8_t(uint8_t(grid >> (8 * j)));
        q[j] = int8_t((signs >> j) & 1 ? -v : v);
    }
}

uint32_t u32_at(const void* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// A ternary digit of a TQ1_0 byte: the byte is a base-3 fraction of 243, digit n first.
int trit(uint8_t byte, int n) {
    static constexpr uint8_t kPow3[5] = {1, 3, 9, 27, 81};
    const uint8_t shifted = uint8_t(byte * kPow3[n]);
    return (uint16_t(shifted) * 3) >> 8;
}

}  // namespace

void decode_grid_block(TensorType t, const void* blk, int8_t* q, int8_t* sc16, float& d) {
    const GridTables& g = kGridTables;
    switch (t) {
        case TensorType::IQ2_XXS: {
            const auto& b = *static_cast<const BlockIQ2_XXS*>(blk);
            d = fp16_to_fp32(b.d) * 0.125f;
            for (int s = 0; s < 8; ++s) {
                const uint32_t idx = u32_at(b.qs + 4 * s), aux = u32_at(b.qs + 4 * s + 2);
                sc16[2 * s] = sc16[2 * s + 1] = int8_t(2 * (aux >> 28) + 1);
                for (int l = 0; l < 4; ++l)
                    put8(g.iq2xxs[(idx >> (8 * l)) & 255], even_signs(aux >> (7 * l)),
                         q + 32 * s + 8 * l);
            }
            return;
        }
        case TensorType::IQ2_XS: {
            const auto& b = *static_cast<const BlockIQ2_XS*>(blk);
            d = fp16_to_fp32(b.d) * 0.125f;
            for (int s = 0; s < 8; ++s) {
                sc16[2 * s] = int8_t(2 * (b.scales[s] & 0xF) + 1);
                sc16[2 * s + 1] = int8_t(2 * (b.scales[s] >> 4) + 1);
                for (int l = 0; l < 4; ++l) {
                    const uint16_t v = b.qs[4 * s + l];
                    put8(g.iq2xs[v & 511], even_signs(v >> 9), q + 32 * s + 8 * l);
                }
            }
            return;
        }
        case TensorType::IQ2_S: {
            const auto& b = *static_cast<const BlockIQ2_S*>(blk);
            d = fp16_to_fp32(b.d) * 0.125f;
            for (int s = 0; s < 8; ++s) {
                sc16[2 * s] = int8_t(2 * (b.scales[s] & 0xF) + 1);
                sc16[2 * s + 1] = int8_t(2 * (b.scales[s] >> 4) + 1);
                for (int l = 0; l < 4; ++l) {
                    const int idx = b.qs[4 * s + l] | ((b.qh[s] >> (2 * l)) & 3) << 8;
                    put8(g.iq2s[idx], b.qs[32 + 4 * s + l], q + 32 * s + 8 * l);
                }
            }
            return;
        }
        case TensorType::IQ3_XXS: {
            const auto& b = *static_cast<const BlockIQ3_XXS*>(blk);
            d = fp16_to_fp32(b.d) * 0.25f;
            for (int s = 0; s < 8; ++s) {
                const uint32_t aux = u32_at(b.qs + 64 + 4 * s);
                sc16[2 * s] = sc16[2 * s + 1] = int8_t(2 * (aux >> 28) + 1);
                for (int l = 0; l < 4; ++l) {
                    const uint8_t* idx = b.qs + 8 * s + 2 * l;
                    put8(g.iq3xxs[idx[0]] | uint64_t(g.iq3xxs[idx[1]]) << 32,
                         even_signs(aux >> (7 * l)), q + 32 * s + 8 * l);
                }
            }
            return;
        }
        case TensorType::IQ3_S: {
            const auto& b = *static_cast<const BlockIQ3_S*>(blk);
            d = fp16_to_fp32(b.d);
            for (int s = 0; s < 8; ++s) {
                sc16[2 * s] = sc16[2 * s + 1] =
                    int8_t(2 * ((b.scales[s / 2] >> (4 * (s % 2))) & 0xF) + 1);
                for (int l = 0; l < 4; ++l) {
                    const uint8_t* lo = b.qs + 8 * s + 2 * l;
                    const int i1 = lo[0] | ((b.qh[s] >> (2 * l)) & 1) << 8;
                    const int i2 = lo[1] | ((b.qh[s] >> (2 * l + 1)) & 1) << 8;
                    put8(g.iq3s[i1] | uint64_t(g.iq3s[i2]) << 32, b.signs[4 * s + l],
                         q + 32 * s + 8 * l);
                }
            }
            return;
        }
        case TensorType::IQ1_S: {
            const auto& b = *static_cast<const BlockIQ1_S*>(blk);
            d = fp16_to_fp32(b.d) * 0.125f;
            for (int s = 0; s < 8; ++s) {
                const uint16_t h = b.qh[s];
                sc16[2 * s] = sc16[2 * s + 1] = int8_t(2 * ((h >> 12) & 7) + 1);
                const int minus = (h >> 4) & 0x800;  // the shift's sign, bit 15 to bit 11
                for (int l = 0; l < 4; ++l)
                    put8(g.iq1s_codes[b.qs[4 * s + l] | ((h >> (3 * l)) & 7) << 8 | minus], 0,
                         q + 32 * s + 8 * l);
            }
            return;
        }
        case TensorType::IQ1_M: {
            const auto& b = *static_cast<const BlockIQ1_M*>(blk);
            uint16_t sc[4];
            std::memcpy(sc, b.scales, 8);
            d = fp16_to_fp32(uint16_t((sc[0] >> 12) | ((sc[1] >> 8) & 0xF0) |
                                      ((sc[2] >> 4) & 0xF00) | (sc[3] & 0xF000))) *
                0.125f;
            for (int s = 0; s < 8; ++s) {
                sc16[2 * s] = int8_t(2 * ((sc[s / 2] >> (6 * (s % 2))) & 7) + 1);
                sc16[2 * s + 1] = int8_t(2 * ((sc[s / 2] >> (6 * (s % 2) + 3)) & 7) + 1);
                for (int l = 0; l < 4; ++l) {
                    const uint8_t h = uint8_t(b.qh[2 * s + l / 2] >> (4 * (l % 2)));
                    // 3 high index bits, then the shift's sign (to bit 11).
                    put8(g.iq1s_codes[b.qs[4 * s + l] | (h & 0xF) << 8], 0, q + 32 * s + 8 * l);
                }
            }
            return;
        }
        case TensorType::TQ1_0: {
            const auto& b = *static_cast<const BlockTQ1_0*>(blk);
            d = fp16_to_fp32(b.d);
            for (int n = 0; n < 5; ++n)
                for (int m = 0; m < 32; ++m) q[32 * n + m] = int8_t(trit(b.qs[m], n) - 1);
            for (int n = 0; n < 5; ++n)
                for (int m = 0; m < 16; ++m)
                    q[160 + 16 * n + m] = int8_t(trit(b.qs[32 + m], n) - 1);
            for (int n = 0; n < 4; ++n)
                for (int j = 0; j < 4; ++j) q[240 + 4 * n + j] = int8_t(trit(b.qh[j], n) - 1);
            std::fill(sc16, sc16 + 16, int8_t(1));
            return;
        }
        case TensorType::TQ2_0: {
            const auto& b = *static_cast<const BlockTQ2_0*>(blk);
            d = fp16_to_fp32(b.d);
            for (int j = 0; j < 2; ++j)
                for (int l = 0; l < 4; ++l)
                    for (int m = 0; m < 32; ++m)
                        q[128 * j + 32 * l + m] = int8_t(((b.qs[32 * j + m] >> (2 * l)) & 3) - 1);
            std::fill(sc16, sc16 + 16, int8_t(1));
            return;
        }
        default:
            fail("tensor type ", type_name(t), " is not a grid format");
    }
}

void dequantize_grid_row(TensorType t, const void* src, float* dst, int64_t n) {
    const size_t bytes = type_traits(uint32_t(t))->block_bytes;
    int8_t q[kSuper], sc16[16];
    for (int64_t i = 0; i < n / kSuper; ++i) {
        float d;
        decode_grid_block(t, static_cast<const uint8_t*>(src) + size_t(i) * bytes, q, sc16, d);
        for (int g = 0; g < 16; ++g) {
            const float dl = d * float(sc16[g]);
            for (int j = 0; j < 16; ++j) *dst++ = dl * float(q[16 * g + j]);
        }
    }
}

}  // namespace nqkv
