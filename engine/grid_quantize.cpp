// The tests' and `nqkv synth-model`'s quantizer for the grid formats (grid_blocks.h).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "engine/error.h"
#include "engine/grid_blocks.h"
#include "engine/half.h"

namespace nqkv {

namespace {

constexpr int kSuper = 256;

// How a format spends its bits: values d * unit * scale * code, codes up to max_code, odd
// scales up to max_scale per `group` values.
struct GridFormat {
    float unit;
    int max_code, max_scale, group;
};

GridFormat grid_format(TensorType t) {
    switch (t) {
        case TensorType::IQ2_XXS:
            return {0.125f, 43, 31, 32};
        case TensorType::IQ2_XS:
        case TensorType::IQ2_S:
            return {0.125f, 43, 31, 16};
        case TensorType::IQ3_XXS:
            return {0.25f, 62, 31, 32};
        case TensorType::IQ3_S:
            return {1.f, 15, 31, 32};
        case TensorType::IQ1_S:
            return {0.125f, 9, 15, 32};
        case TensorType::IQ1_M:
            return {0.125f, 9, 15, 16};
        default:
            return {1.f, 1, 1, 256};  // ternary: d times -1, 0, 1
    }
}

// Byte j of a grid entry as a signed value.
int byte_of(uint64_t entry, int j) {
    return int8_t(uint8_t(entry >> (8 * j)));
}

// A grid and, for every pattern of levels (value j's level index times levels^j), the entry
// nearest it, built on first use: a quantizer rounds each value to its nearest level and looks
// the pattern up instead of searching the whole grid for every 8 values.
struct Grid {
    std::vector<uint64_t> entries;  // value j in byte j
    int width;
    std::vector<int> levels;
    std::vector<int16_t> nearest;

    Grid(const uint64_t* e, int count, int w, std::vector<int> lv)
        : entries(e, e + count), width(w), levels(std::move(lv)) {
        int patterns = 1;
        for (int j = 0; j < width; ++j) patterns *= int(levels.size());
        nearest.resize(size_t(patterns));
        for (int p = 0; p < patterns; ++p) {
            int best = INT32_MAX;
            for (int e = 0; e < count; ++e) {
                int err = 0;
                for (int j = 0, rest = p; j < width; ++j, rest /= int(levels.size())) {
                    const int diff =
                        levels[size_t(rest) % levels.size()] - byte_of(entries[size_t(e)], j);
                    err += diff * diff;
                }
                if (err < best) best = err, nearest[size_t(p)] = int16_t(e);
            }
        }
    }

    // The entry for targets t (in the grid's values): each rounded to its nearest level.
    int lookup(const float* t) const {
        int id = 0, mul = 1;
        for (int j = 0; j < width; ++j, mul *= int(levels.size())) {
            size_t at = 0;
            for (size_t k = 1; k < levels.size(); ++k)
                if (std::fabs(t[j] - float(levels[k])) < std::fabs(t[j] - float(levels[at])))
                    at = k;
            id += int(at) * mul;
        }
        return nearest[size_t(id)];
    }
};

std::vector<uint64_t> widened(const uint32_t* grid, int entries) {
    return std::vector<uint64_t>(grid, grid + entries);
}

const Grid& grid_for(TensorType t) {
    const GridTables& g = kGridTables;
    static const std::vector<int> iq2{8, 25, 43}, iq1{-1, 0, 1};
    switch (t) {
        case TensorType::IQ2_XXS: {
            static const Grid grid(g.iq2xxs, 256, 8, iq2);
            return grid;
        }
        case TensorType::IQ2_XS: {
            static const Grid grid(g.iq2xs, 512, 8, iq2);
            return grid;
        }
        case TensorType::IQ2_S: {
            static const Grid grid(g.iq2s, 1024, 8, iq2);
            return grid;
        }
        case TensorType::IQ3_XXS: {
            static const Grid grid(widened(g.iq3xxs, 256).data(), 256, 4,
                                   {4, 12, 20, 28, 36, 44, 52, 62});
            return grid;
        }
        case TensorType::IQ3_S: {
            static const Grid grid(widened(g.iq3s, 512).data(), 512, 4,
                                   {1, 3, 5, 7, 9, 11, 13, 15});
            return grid;
        }
        default: {
            static const Grid grid(g.iq1s, 2048, 8, iq1);
            return grid;
        }
    }
}

// Eight magnitudes' targets and their sign byte: minus where x < 0; where the count of minus
// signs must be even and is odd, the smallest value's sign flips (its target turns negative,
// so the search gives it the smallest magnitude).
uint8_t signs_and_targets(const float* x, float step, bool even, float* t) {
    uint8_t signs = 0;
    int smallest = 0;
    for (int j = 0; j < 8; ++j) {
        if (x[j] < 0) signs |= uint8_t(1 << j);
        t[j] = step ? std::fabs(x[j]) / step : 0.f;
        if (std::fabs(x[j]) < std::fabs(x[smallest])) smallest = j;
    }
    if (even && __builtin_popcount(signs) % 2) {
        signs ^= uint8_t(1 << smallest);
        t[smallest] = -t[smallest];
    }
    return signs;
}

// Per group of values the odd scale (1 .. max_scale) and the super-block's fp16 d.
uint16_t choose_scales(const float* x, const GridFormat& f, int* scales, float* steps) {
    const int groups = kSuper / f.group;
    float want[16], top = 0;
    for (int g = 0; g < groups; ++g) {
        float amax = 0;
        for (int j = 0; j < f.group; ++j) amax = std::max(amax, std::fabs(x[f.group * g + j]));
        want[g] = amax / float(f.max_code);
        top = std::max(top, want[g]);
    }
    const uint16_t dh = fp32_to_fp16(top / float(f.max_scale) / f.unit);
    const float unit = fp16_to_fp32(dh) * f.unit;
    for (int g = 0; g < groups; ++g) {
        const int odd = unit ? 2 * int(std::lround((want[g] / unit - 1) / 2)) + 1 : 1;
        scales[g] = std::clamp(odd, 1, f.max_scale);
        steps[g] = unit * float(scales[g]);
    }
    return dh;
}

void put16(uint16_t* p, uint32_t v) {
    p[0] = uint16_t(v);
    p[1] = uint16_t(v >> 16);
}

// Ternary digits of values x (0, 1, 2 for -1, 0, +1) as one byte: a base-3 fraction of 243,
// rounded up so that the decoder's multiply-and-shift reads the digits back.
uint8_t pack_trits(const int* digits, int count) {
    int v = 0;
    for (int n = 0; n < count; ++n) v = 3 * v + digits[n];
    for (int n = count; n < 5; ++n) v *= 3;
    return uint8_t((v * 256 + 242) / 243);
}

// IQ1: the entry for targets t (in codes 8 g + shift) and its squared error.
std::pair<float, int> iq1_entry(const Grid& grid, const float* t, int shift) {
    float g[8];
    for (int j = 0; j < 8; ++j) g[j] = (t[j] - float(shift)) / 8;
    const int e = grid.lookup(g);
    float err = 0;
    for (int j = 0; j < 8; ++j) {
        const float diff = t[j] - float(8 * byte_of(grid.entries[size_t(e)], j) + shift);
        err += diff * diff;
    }
    return {err, e};
}

void quantize_block(TensorType t, const float* x, uint8_t* out) {
    const GridFormat f = grid_format(t);
    int scales[16];
    float steps[16], target[8];
    if (t == TensorType::TQ1_0 || t == TensorType::TQ2_0) {
        float amax = 0;
        for (int j = 0; j < kSuper; ++j) amax = std::max(amax, std::fabs(x[j]));
        const uint16_t dh = fp32_to_fp16(amax);
        const float d = fp16_to_fp32(dh);
        int digit[kSuper];
        for (int j = 0; j < kSuper; ++j)
            digit[j] = d ? std::clamp(int(std::lround(x[j] / d)), -1, 1) + 1 : 1;
        if (t == TensorType::TQ2_0) {
            auto& b = *reinterpret_cast<BlockTQ2_0*>(out);
            std::memset(&b, 0, sizeof b);
            for (int v = 0; v < kSuper; ++v)
                b.qs[32 * (v / 128) + v % 32] |= uint8_t(digit[v] << (2 * (v % 128 / 32)));
            b.d = dh;
            return;
        }
        auto& b = *reinterpret_cast<BlockTQ1_0*>(out);
        int five[5];
        for (int m = 0; m < 32; ++m) {
            for (int n = 0; n < 5; ++n) five[n] = digit[32 * n + m];
            b.qs[m] = pack_trits(five, 5);
        }
        for (int m = 0; m < 16; ++m) {
            for (int n = 0; n < 5; ++n) five[n] = digit[160 + 16 * n + m];
            b.qs[32 + m] = pack_trits(five, 5);
        }
        for (int j = 0; j < 4; ++j) {
            for (int n = 0; n < 4; ++n) five[n] = digit[240 + 4 * n + j];
            b.qh[j] = pack_trits(five, 4);
        }
        b.d = dh;
        return;
    }
    const uint16_t dh = choose_scales(x, f, scales, steps);
    auto step_of = [&](int v) { return steps[v / f.group]; };
    switch (t) {
        case TensorType::IQ2_XXS:
        case TensorType::IQ2_XS:
        case TensorType::IQ2_S: {
            const bool xxs = t == TensorType::IQ2_XXS, xs = t == TensorType::IQ2_XS;
            const Grid& grid = grid_for(t);
            int idx[32];
            uint8_t sign[32];
            for (int k = 0; k < 32; ++k) {
                sign[k] =
                    signs_and_targets(x + 8 * k, step_of(8 * k), !(t == TensorType::IQ2_S), target);
                idx[k] = grid.lookup(target);
            }
            if (xxs) {
                auto& b = *reinterpret_cast<BlockIQ2_XXS*>(out);
                b.d = dh;
                for (int s = 0; s < 8; ++s) {
                    uint32_t ids = 0, aux = uint32_t((scales[s] - 1) / 2) << 28;
                    for (int l = 0; l < 4; ++l) {
                        ids |= uint32_t(idx[4 * s + l]) << (8 * l);
                        aux |= uint32_t(sign[4 * s + l] & 127) << (7 * l);
                    }
                    put16(b.qs + 4 * s, ids);
                    put16(b.qs + 4 * s + 2, aux);
                }
            } else if (xs) {
                auto& b = *reinterpret_cast<BlockIQ2_XS*>(out);
                b.d = dh;
                for (int k = 0; k < 32; ++k) b.qs[k] = uint16_t(idx[k] | (sign[k] & 127) << 9);
                for (int s = 0; s < 8; ++s)
                    b.scales[s] =
                        uint8_t((scales[2 * s] - 1) / 2 | ((scales[2 * s + 1] - 1) / 2) << 4);
            } else {
                auto& b = *reinterpret_cast<BlockIQ2_S*>(out);
                std::memset(&b, 0, sizeof b);
                b.d = dh;
                for (int k = 0; k < 32; ++k) {
                    b.qs[k] = uint8_t(idx[k]);
                    b.qs[32 + k] = sign[k];
                    b.qh[k / 4] |= uint8_t((idx[k] >> 8) << (2 * (k % 4)));
                }
                for (int s = 0; s < 8; ++s)
                    b.scales[s] =
                        uint8_t((scales[2 * s] - 1) / 2 | ((scales[2 * s + 1] - 1) / 2) << 4);
            }
            return;
        }
        case TensorType::IQ3_XXS:
        case TensorType::IQ3_S: {
            const bool xxs = t == TensorType::IQ3_XXS;
            const Grid& grid = grid_for(t);
            int idx[64];
            uint8_t sign[32];
            for (int k = 0; k < 32; ++k) {
                sign[k] = signs_and_targets(x + 8 * k, step_of(8 * k), xxs, target);
                idx[2 * k] = grid.lookup(target);
                idx[2 * k + 1] = grid.lookup(target + 4);
            }
            if (xxs) {
                auto& b = *reinterpret_cast<BlockIQ3_XXS*>(out);
                b.d = dh;
                for (int k = 0; k < 64; ++k) b.qs[k] = uint8_t(idx[k]);
                for (int s = 0; s < 8; ++s) {
                    uint32_t aux = uint32_t((scales[s] - 1) / 2) << 28;
                    for (int l = 0; l < 4; ++l) aux |= uint32_t(sign[4 * s + l] & 127) << (7 * l);
                    std::memcpy(b.qs + 64 + 4 * s, &aux, 4);
                }
            } else {
                auto& b = *reinterpret_cast<BlockIQ3_S*>(out);
                std::memset(&b, 0, sizeof b);
                b.d = dh;
                for (int k = 0; k < 64; ++k) {
                    b.qs[k] = uint8_t(idx[k]);
                    b.qh[k / 8] |= uint8_t((idx[k] >> 8) << (k % 8));
                }
                std::memcpy(b.signs, sign, 32);
                for (int s = 0; s < 8; ++s)
                    b.scales[s / 2] |= uint8_t(((scales[s] - 1) / 2) << (4 * (s % 2)));
            }
            return;
        }
        case TensorType::IQ1_S:
        case TensorType::IQ1_M: {
            // Per 8 values the entry and the shift's sign with the least error (IQ1_S: one
            // shift per 32 values, the better of the two for all four entries).
            const bool m = t == TensorType::IQ1_M;
            const Grid& grid = grid_for(t);
            int idx[32], shift[32];
            for (int s = 0; s < 8; ++s) {
                float total[2] = {0, 0};
                int pick[2][4];
                for (int l = 0; l < 4; ++l) {
                    const int k = 4 * s + l;
                    for (int j = 0; j < 8; ++j) {
                        const float step = step_of(8 * k);
                        target[j] = step ? x[8 * k + j] / step : 0.f;
                    }
                    const auto up = iq1_entry(grid, target, 1);
                    const auto down = iq1_entry(grid, target, -1);
                    total[0] += up.first, total[1] += down.first;
                    pick[0][l] = up.second, pick[1][l] = down.second;
                    if (m) idx[k] = down.first < up.first ? down.second : up.second;
                    if (m) shift[k] = down.first < up.first ? -1 : 1;
                }
                if (!m)
                    for (int l = 0; l < 4; ++l) {
                        const int w = total[1] < total[0];
                        idx[4 * s + l] = pick[w][l];
                        shift[4 * s + l] = w ? -1 : 1;
                    }
            }
            if (!m) {
                auto& b = *reinterpret_cast<BlockIQ1_S*>(out);
                b.d = dh;
                for (int s = 0; s < 8; ++s) {
                    uint16_t h =
                        uint16_t(((scales[s] - 1) / 2) << 12 | (shift[4 * s] < 0 ? 0x8000 : 0));
                    for (int l = 0; l < 4; ++l) {
                        b.qs[4 * s + l] = uint8_t(idx[4 * s + l]);
                        h = uint16_t(h | (idx[4 * s + l] >> 8) << (3 * l));
                    }
                    b.qh[s] = h;
                }
            } else {
                auto& b = *reinterpret_cast<BlockIQ1_M*>(out);
                uint16_t sc[4] = {0, 0, 0, 0};
                for (int k = 0; k < 32; ++k) {
                    b.qs[k] = uint8_t(idx[k]);
                    const int nibble = (idx[k] >> 8) | (shift[k] < 0 ? 8 : 0);
                    if (k % 2 == 0)
                        b.qh[k / 2] = uint8_t(nibble);
                    else
                        b.qh[k / 2] = uint8_t(b.qh[k / 2] | nibble << 4);
                }
                for (int s = 0; s < 8; ++s) {
                    sc[s / 2] = uint16_t(sc[s / 2] | ((scales[2 * s] - 1) / 2) << (6 * (s % 2)));
                    sc[s / 2] =
                        uint16_t(sc[s / 2] | ((scales[2 * s + 1] - 1) / 2) << (6 * (s % 2) + 3));
                }
                for (int k = 0; k < 4; ++k) sc[k] = uint16_t(sc[k] | ((dh >> (4 * k)) & 0xF) << 12);
                std::memcpy(b.scales, sc, 8);
            }
            return;
        }
        default:
            fail("tensor type ", type_name(t), " is not a grid format");
    }
}

}  // namespace

void quantize_grid_row(TensorType t, const float* x, void* out, int64_t n) {
    const size_t bytes = type_traits(uint32_t(t))->block_bytes;
    for (int64_t i = 0; i < n / kSuper; ++i)
        quantize_block(t, x + kSuper * i, static_cast<uint8_t*>(out) + size_t(i) * bytes);
}

}  // namespace nqkv
