// The KV cache: a K side and a V side (kv_side.h), each fp32, fp16 or NQKV-quantized, with
// exact memory accounting and, for inspection, the original values captured on append.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "engine/kv_config.h"
#include "engine/kv_side.h"
#include "engine/kv_stats.h"

namespace nqkv {

enum class KvKind { K, V };
inline const char* kv_kind_name(KvKind k) {
    return k == KvKind::K ? "K" : "V";
}

// Everything about one block of one token's K or V row in one layer.
struct BlockView {
    int layer = 0, pos = 0, block = 0;
    KvKind kind = KvKind::K;
    std::string format;       // "nq4", "fp16", ...
    int first = 0, size = 0;  // element range within the row
    bool has_original = false;
    std::vector<float> original;     // as computed, before storage (empty when not captured)
    std::vector<float> dequantized;  // as attention sees it
    std::vector<int> codes;          // quantized sides only
    float scale = 0;                 // quantized sides only
    std::vector<float> levels;       // codebook levels, unscaled (quantized sides only)
    double mse = 0, max_error = 0;   // against the original, when captured
};

class KvCache {
  public:
    KvCache(const KvConfig& config, const KvShape& shape);

    const KvConfig& config() const { return config_; }
    const KvShape& shape() const { return shape_; }
    const KvSide& side(KvKind k) const { return k == KvKind::K ? *k_ : *v_; }
    KvSide& side(KvKind k) { return k == KvKind::K ? *k_ : *v_; }

    void store(int layer, int pos, const float* k_row, const float* v_row);
    // Positions [from, from + n): scores[i] = q . K_{from+i}; out += sum_i w[i] V_{from+i}.
    // In a ringed layer the range is at most the ring and may wrap around its end. Under
    // values_in_keys (multi-head latent attention) V_i is the whole key row K_i: out receives
    // dim(layer) sums, the values being the first values_in_keys, and store() ignores v_row.
    void key_dots(int layer, int head, const float* q, int from, int n, float* scores) const;
    void value_sum(int layer, int head, const float* w, int from, int n, float* out) const;
    // Four queries of one key head at once over the same positions (a prompt's consecutive
    // tokens, the query heads grouped on it), bit for bit the single forms' results, where
    // multi_query() (fp16 and, in the vector builds, NQKV sides; not under
    // values_in_keys).
    bool multi_query() const {
        return k_->multi_query() && !shape_.values_in_keys && v_->multi_query();
    }
    void key_dots4(int layer, int head, const float* const* q, int from, int n,
                   float* const* scores) const;
    void value_sum4(int layer, int head, const float* const* w, int from, int n,
                    float* const* out) const;
    void key_dots(int layer, int head, const float* q, int n, float* scores) const {
        key_dots(layer, head, q, 0, n, scores);
    }
    void value_sum(int layer, int head, const float* w, int n, float* out) const {
        value_sum(layer, head, w, 0, n, out);
    }

    // Bytes a token adds while no ring is full (all layers).
    size_t bytes_per_token() const;
    KvStats stats(int tokens_held, size_t budget_bytes = 0) const;

    // Whether `layer` still holds position pos (a ring overwrites its oldest positions).
    bool holds(int layer, int pos) const;
    // The positions a context may keep when it goes back to n tokens: n when every ringed layer
    // still holds the window before n, else 0 (the caller reads the text again from the start).
    int keepable(int n) const;

    // While capture is on, store() keeps the original rows of positions below
    // capture_tokens(), which is as many as fit in cap_bytes.
    void set_capture(bool on, size_t cap_bytes = size_t(64) << 20);
    int capture_tokens() const { return capture_tokens_; }
    const float* original_row(int layer, int pos, KvKind kind) const;

    int blocks_per_row(int layer) const { return shape_.row(layer) / block_size(); }
    int max_blocks_per_row() const { return shape_.max_row() / block_size(); }
    int block_size() const { return effective_block(config_.block, shape_.common_row()); }
    // Throws Error when layer, pos or block is out of range.
    BlockView block(int layer, int pos, KvKind kind, int block) const;

  private:
    // Of the positions [from, from + n) of a layer, how many come before its ring wraps.
    int before_wrap(int layer, int from, int n) const;

    KvConfig config_;
    KvShape shape_;
    std::unique_ptr<KvSide> k_, v_;
    std::vector<int> slot_pos_;  // ringed layers: the position each slot holds, -1 for none
    float* original(int layer, int pos, int kind);

    size_t values_ = 0;                  // per token, all layers, one side
    std::vector<size_t> capture_first_;  // each layer's first value in a token's values_
    int capture_tokens_ = 0;
    std::vector<float> originals_;  // [kind][layer][pos < capture_tokens_][row(layer)]
    std::vector<bool> captured_;    // [layer][pos]
};

}  // namespace nqkv
