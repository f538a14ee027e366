// One side (K or V) of the KV cache across all layers: rows of heads * head_dim values per token
// and layer, stored as fp32, fp16 or NQKV codes. Attention reads it only through dot() and axpy(),
// which dequantize inside their loops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/cpu_kernels.h"  // kMaxHeadDim
#include "engine/kv_config.h"

namespace nqkv {

struct KvShape {
    int n_layer = 0;
    int n_ctx = 0;  // tokens the cache can hold
    int n_head_kv = 0;
    int head_dim = 0;
    // Sliding-window layers (windowed[l]) may keep only a ring of the latest `ring` positions
    // instead of n_ctx: position p lives in slot p % ring. 0: every layer keeps every position.
    int window = 0;  // the positions such a layer attends to
    int ring = 0;
    std::vector<bool> windowed = {};
    // Layers whose heads are not n_head_kv of head_dim (Gemma 4's full-attention layers: fewer,
    // wider heads than its windowed ones), per layer; empty: every layer alike.
    std::vector<int> layer_heads = {}, layer_dims = {};
    int heads(int layer) const {
        return layer_heads.empty() ? n_head_kv : layer_heads[size_t(layer)];
    }
    int dim(int layer) const { return layer_dims.empty() ? head_dim : layer_dims[size_t(layer)]; }
    int row(int layer) const { return heads(layer) * dim(layer); }
    // Multi-head latent attention (DeepSeek-V2/V3, GLM-4.7-Flash): every layer's values are the
    // first values_in_keys of its key row, so the V side keeps nothing (as llama.cpp's cache);
    // 0: a V row like the K row.
    int values_in_keys = 0;
    int v_row(int layer) const { return values_in_keys ? 0 : row(layer); }
    // The V side's own shape: this one, or rows of no heads under values_in_keys.
    KvShape value_side() const;
    int max_row() const;
    int max_dim() const;
    // What every layer's row is a multiple of: blocks are cut to divide it.
    int common_row() const;
    size_t values_per_token() const;    // all layers' K rows
    size_t v_values_per_token() const;  // all layers' V rows
    bool ringed(int layer) const {
        return ring > 0 && size_t(layer) < windowed.size() && windowed[size_t(layer)];
    }
    int capacity(int layer) const { return ringed(layer) ? ring : n_ctx; }
};

class KvSide {
  public:
    virtual ~KvSide() = default;
    const KvFormat& format() const { return format_; }
    int block() const { return block_; }  // effective block size (quantized sides)
    int blocks_per_row(int layer) const {
        return format_.quantized() ? shape_.row(layer) / block_ : 0;
    }
    size_t bytes_per_token_layer(int layer) const {
        return side_bytes_per_token_layer(format_, shape_.row(layer), block_);
    }

    virtual void store(int layer, int pos, const float* row) = 0;
    // scores[i] = q . row_{from+i}[head] for i < n (a sliding window starts past 0).
    virtual void dot(int layer, int head, const float* q, int from, int n, float* scores) const = 0;
    // out[0..head_dim) += sum_i w[i] * row_{from+i}[head].
    virtual void axpy(int layer, int head, const float* w, int from, int n, float* out) const = 0;
    // Four queries at once (q[g] into scores[g]; w[g] into out[g]), for sides that read each
    // row once for all four and add its terms into out one row at a time, so that a range
    // split in pieces gives the whole range's sums bit for bit (multi_query() says so).
    virtual bool multi_query() const { return false; }
    virtual void dot4(int layer, int head, const float* const* q, int from, int n,
                      float* const* scores) const {
        for (int g = 0; g < 4; ++g) dot(layer, head, q[g], from, n, scores[g]);
    }
    virtual void axpy4(int layer, int head, const float* const* w, int from, int n,
                       float* const* out) const {
        for (int g = 0; g < 4; ++g) axpy(layer, head, w[g], from, n, out[g]);
    }
    // Values [first, first + n) of a stored row, dequantized.
    virtual void read(int layer, int pos, int first, int n, float* out) const = 0;
    // Codes (unpacked) and scale of one block; false for unquantized sides.
    virtual bool block_codes(int layer, int pos, int block, uint8_t* codes, uint16_t* scale) const {
        (void)layer, (void)pos, (void)block, (void)codes, (void)scale;
        return false;
    }

    // Overwrites n stored rows from positions pos.. with bytes in this side's own layout: n rows
    // of row(layer) values (fp32 or fp16) or of packed codes, plus n * blocks_per_row() fp16 scales
    // for quantized sides. Backends that keep the cache elsewhere (CUDA) copy it in with this.
    virtual void import_rows(int layer, int pos, int n, const uint8_t* rows,
                             const uint16_t* scales) = 0;

  protected:
    KvSide(const KvFormat& f, const KvShape& s, int requested_block)
        : format_(f), shape_(s), block_(effective_block(requested_block, s.common_row())) {}
    // A layer's slot for pos: its rows are contiguous, so a range of positions that does not
    // cross the end of a ring is a range of slots (KvCache splits it).
    int slot(int layer, int pos) const {
        const int cap = shape_.capacity(layer);
        return pos < cap ? pos : pos % cap;
    }
    // Where each layer's rows start in a side's storage, where layer l takes capacity(l) rows of
    // units(l) elements (values, code bytes or scales); the last entry is the total.
    template <class Units>
    std::vector<size_t> layer_offsets(Units units) const {
        std::vector<size_t> off{0};
        for (int l = 0; l < shape_.n_layer; ++l)
            off.push_back(off.back() + size_t(shape_.capacity(l)) * size_t(units(l)));
        return off;
    }

    KvFormat format_;
    KvShape shape_;
    int block_;
};

std::unique_ptr<KvSide> make_dense_side(const KvFormat& f, const KvShape& s);
std::unique_ptr<KvSide> make_quant_side(const KvFormat& f, const KvShape& s, int requested_block);

}  // namespace nqkv
