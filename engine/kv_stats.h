// What the KV cache holds and what it costs, counted exactly in bytes. A plain value so it can
// cross threads (the app's gauges) and go into JSON.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nqkv {

struct KvStats {
    std::string k_format, v_format;  // "fp16", "nq4", ...
    int block = 0;                   // effective block size (0 when nothing is quantized)
    int n_layer = 0;
    size_t values_per_token = 0;    // all layers, K
    size_t v_values_per_token = 0;  // all layers, V (0 where the values are part of the keys)
    int max_row = 0;                // the widest layer's values per token and side
    int common_row = 0;             // what every layer's row is a multiple of
    int tokens_held = 0;
    int tokens_allocated = 0;                             // the context the cache was built for
    size_t bytes_per_token = 0;                           // all layers, K and V, scales included
    size_t k_bytes_per_token = 0, v_bytes_per_token = 0;  // all layers
    std::vector<size_t> layer_k_bytes, layer_v_bytes;     // per token, each layer
    size_t bytes_used = 0;                                // tokens_held * bytes_per_token
    size_t bytes_allocated = 0;
    size_t fp16_bytes_per_token = 0;
    size_t fp16_equivalent_bytes = 0;  // what the held tokens would take in fp16
    size_t budget_bytes = 0;           // 0: sized by a token count, not a budget
    size_t capacity_in_budget = 0;     // tokens that fit the budget (0 without one)
    // Sliding-window layers that keep only a ring of `ring` positions (bytes_used counts each
    // layer's held tokens, layer_tokens).
    int ringed_layers = 0, ring = 0;
    std::vector<int> layer_tokens;

    double compression() const {
        return bytes_per_token ? double(fp16_bytes_per_token) / double(bytes_per_token) : 0;
    }
    double bits_per_value_k() const;
    double bits_per_value_v() const;
};

inline double KvStats::bits_per_value_k() const {
    return values_per_token ? 8.0 * double(k_bytes_per_token) / double(values_per_token) : 0;
}
inline double KvStats::bits_per_value_v() const {
    return v_values_per_token ? 8.0 * double(v_bytes_per_token) / double(v_values_per_token) : 0;
}

}  // namespace nqkv
