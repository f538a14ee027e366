// The NQKV side: each token's row is cut into blocks of B values, each block stored as packed
// codes plus an fp16 scale, the moment the token is appended. Attention unpacks one head's
// codes at a time into a small buffer and multiplies by level * scale inside the dot product;
// no fp32 copy of the cache is ever made.
#include <algorithm>
#include <vector>

#include "engine/cpu_kernels.h"
#include "engine/half.h"
#include "engine/kv_side.h"
#include "engine/nqkv_block.h"

namespace nqkv {
namespace {

class QuantSide final : public KvSide {
  public:
    QuantSide(const KvFormat& f, const KvShape& s, int requested_block)
        : KvSide(f, s, requested_block),
          cb_(Codebook::get(f.family, f.bits, block_)),
          code_first_(layer_offsets([&](int l) { return code_bytes(l); })),
          scale_first_(layer_offsets([&](int l) { return blocks_per_row(l); })),
          codes_(code_first_.back()),
          scales_(scale_first_.back()) {
        // Widths that pack whole codes into bytes get a byte table: byte value -> its
        // 8/bits levels, so attention decodes a byte with one lookup.
        const CpuKernels& k = cpu_kernels();
        bool simd = k.quant_dot != nullptr;
        for (int l = 0; l < s.n_layer; ++l)
            simd = simd && quant_view_supported(f.bits, s.dim(l), block_);
        if (simd) simd_ = &k;
        const int per = 8 / f.bits;
        if (8 % f.bits == 0) {
            per_byte_ = per;
            byte_levels_.resize(256 * size_t(per));
            const uint32_t mask = (1u << f.bits) - 1;
            for (uint32_t b = 0; b < 256; ++b)
                for (int k = 0; k < per; ++k)
                    byte_levels_[b * size_t(per) + size_t(k)] =
                        cb_.levels()[(b >> (k * f.bits)) & mask];
        }
    }

    void store(int layer, int pos, const float* row) override {
        const int nb = blocks_per_row(layer);
        scratch_.resize(size_t(shape_.row(layer)));
        uint8_t* codes = scratch_.data();
        uint16_t* sc = scales_at(layer, pos);
        for (int b = 0; b < nb; ++b)
            sc[b] = quantize_block(cb_, row + b * block_, block_, codes + b * block_);
        pack_codes(codes, size_t(shape_.row(layer)), format_.bits, codes_at(layer, pos));
    }

    void dot(int layer, int head, const float* q, int from, int n, float* scores) const override {
        if (simd_) {
            simd_->quant_dot(view(layer, head, from), q, n, scores);
            return;
        }
        const int hd = shape_.dim(layer), first = head * hd;
        float lv[kMaxHeadDim];
        for (int p = 0; p < n; ++p) {
            scaled_levels(layer, from + p, first, hd, lv);
            float s = 0;
            for (int i = 0; i < hd; ++i) s += q[i] * lv[i];
            scores[p] = s;
        }
    }

    void axpy(int layer, int head, const float* w, int from, int n, float* out) const override {
        if (simd_) {
            simd_->quant_axpy(view(layer, head, from), w, n, out);
            return;
        }
        const int hd = shape_.dim(layer), first = head * hd;
        // A local accumulator: `out` might alias the tables, which would keep the compiler
        // from holding the sums in registers. It starts from `out` so that a range split in two
        // (where a ring wraps) sums to the same bits as the whole.
        float lv[kMaxHeadDim], acc[kMaxHeadDim];
        std::copy(out, out + hd, acc);
        for (int p = 0; p < n; ++p) {
            scaled_levels(layer, from + p, first, hd, lv);
            for (int i = 0; i < hd; ++i) acc[i] += w[p] * lv[i];
        }
        std::copy(acc, acc + hd, out);
    }

    // Both forms add each row into the sums in turn, so pieces of a range sum as the whole.
    bool multi_query() const override { return simd_ && simd_->quant_dot_x4; }
    void dot4(int layer, int head, const float* const* q, int from, int n,
              float* const* scores) const override {
        if (!multi_query()) return KvSide::dot4(layer, head, q, from, n, scores);
        simd_->quant_dot_x4(view(layer, head, from), q, n, scores);
    }
    void axpy4(int layer, int head, const float* const* w, int from, int n,
               float* const* out) const override {
        if (!multi_query()) return KvSide::axpy4(layer, head, w, from, n, out);
        simd_->quant_axpy_x4(view(layer, head, from), w, n, out);
    }

    void read(int layer, int pos, int first, int n, float* out) const override {
        for (int done = 0; done < n; done += kMaxHeadDim)
            scaled_levels(layer, pos, first + done, std::min(kMaxHeadDim, n - done), out + done);
    }

    bool block_codes(int layer, int pos, int block, uint8_t* codes,
                     uint16_t* scale) const override {
        unpack_codes(codes_at(layer, pos), size_t(block) * size_t(block_), size_t(block_),
                     format_.bits, codes);
        *scale = scales_at(layer, pos)[block];
        return true;
    }

    void import_rows(int layer, int pos, int n, const uint8_t* rows,
                     const uint16_t* scales) override {
        std::copy(rows, rows + size_t(n) * code_bytes(layer), codes_at(layer, pos));
        std::copy(scales, scales + size_t(n) * size_t(blocks_per_row(layer)),
                  scales_at(layer, pos));
    }

  private:
    size_t code_bytes(int layer) const {
        return packed_bytes(size_t(shape_.row(layer)), format_.bits);
    }
    size_t code_offset(int layer, int pos) const {
        return code_first_[size_t(layer)] + size_t(slot(layer, pos)) * code_bytes(layer);
    }
    size_t scale_offset(int layer, int pos) const {
        return scale_first_[size_t(layer)] +
               size_t(slot(layer, pos)) * size_t(blocks_per_row(layer));
    }
    uint8_t* codes_at(int layer, int pos) { return codes_.data() + code_offset(layer, pos); }
    const uint8_t* codes_at(int layer, int pos) const {
        return codes_.data() + code_offset(layer, pos);
    }
    uint16_t* scales_at(int layer, int pos) { return scales_.data() + scale_offset(layer, pos); }
    const uint16_t* scales_at(int layer, int pos) const {
        return scales_.data() + scale_offset(layer, pos);
    }

    const Codebook& cb_;
    std::vector<size_t> code_first_, scale_first_;  // each layer's first code byte and scale
    std::vector<uint8_t> codes_;
    std::vector<uint16_t> scales_;
    // level[code] * block scale for values [first, first + n) of a stored row (n <=
    // kMaxHeadDim).
    void scaled_levels(int layer, int pos, int first, int n, float* out) const {
        const uint8_t* row = codes_at(layer, pos);
        if (per_byte_ && first % per_byte_ == 0 && n % per_byte_ == 0) {
            for (int i = 0; i < n; i += per_byte_) {
                const float* lv =
                    &byte_levels_[size_t(row[(first + i) / per_byte_]) * size_t(per_byte_)];
                for (int k = 0; k < per_byte_; ++k) out[i + k] = lv[k];
            }
        } else {
            uint8_t codes[kMaxHeadDim];
            unpack_codes(row, size_t(first), size_t(n), format_.bits, codes);
            for (int i = 0; i < n; ++i) out[i] = cb_.levels()[codes[i]];
        }
        const uint16_t* sc = scales_at(layer, pos);
        const float* half = fp16_table();
        for (int i = 0; i < n; ++i) out[i] *= half[sc[(first + i) / block_]];
    }

    QuantHeadView view(int layer, int head, int from) const {
        const int hd = shape_.dim(layer);
        return {codes_at(layer, from),
                code_bytes(layer),
                scales_at(layer, from),
                size_t(blocks_per_row(layer)),
                head * hd,
                hd,
                block_,
                format_.bits,
                cb_.levels().data()};
    }

    std::vector<uint8_t> scratch_;      // one row of unpacked codes while storing
    const CpuKernels* simd_ = nullptr;  // vector kernels for this width and head shape
    int per_byte_ = 0;                  // codes per byte when the byte table applies, else 0
    std::vector<float> byte_levels_;
};

}  // namespace

std::unique_ptr<KvSide> make_quant_side(const KvFormat& f, const KvShape& s, int requested_block) {
    return std::make_unique<QuantSide>(f, s, requested_block);
}

}  // namespace nqkv
