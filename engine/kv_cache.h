// The KV cache interface. For each layer the cache holds one row per token with all KV
// heads laid end to end (n_head_kv * head_dim values). Attention never reads rows directly:
// it asks the cache for dot products with a query and for weighted sums of values, so a
// cache that stores quantized codes can dequantize inside those loops.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace nqkv {

struct KvShape {
    int n_layer = 0;
    int n_ctx = 0;  // tokens the cache can hold
    int n_head_kv = 0;
    int head_dim = 0;
    int row() const { return n_head_kv * head_dim; }
};

enum class KvType { F32, F16 };
const char* kv_type_name(KvType t);
// Parses "f32" / "fp32" / "f16" / "fp16"; throws Error naming `what` otherwise.
KvType parse_kv_type(const std::string& s, const std::string& what = "--kv");

class KvCache {
  public:
    virtual ~KvCache() = default;
    virtual std::string type_name() const = 0;
    const KvShape& shape() const { return shape_; }

    // Stores the K and V rows of token `pos` in `layer`.
    virtual void store(int layer, int pos, const float* k_row, const float* v_row) = 0;
    // scores[p] = q . K[layer][p][head] for p in [0, n).
    virtual void key_dots(int layer, int head, const float* q, int n, float* scores) const = 0;
    // out[0..head_dim) += sum over p < n of w[p] * V[layer][p][head].
    virtual void value_sum(int layer, int head, const float* w, int n, float* out) const = 0;

    // Bytes one token takes across all layers, K and V.
    virtual size_t bytes_per_token() const = 0;
    size_t bytes_allocated() const { return bytes_per_token() * size_t(shape_.n_ctx); }

  protected:
    explicit KvCache(const KvShape& s) : shape_(s) {}
    KvShape shape_;
};

// An unquantized cache storing rows as fp32 or fp16.
std::unique_ptr<KvCache> make_dense_kv_cache(KvType type, const KvShape& shape);

}  // namespace nqkv
