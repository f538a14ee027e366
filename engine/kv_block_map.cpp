#include "engine/kv_block_map.h"

#include <algorithm>
#include <limits>

#include "engine/error.h"
#include "engine/normal_math.h"

namespace nqkv {

const char* block_metric_name(BlockMetric m) {
    return m == BlockMetric::Ks ? "KS statistic" : "MSE";
}

BlockMap block_map(const KvCache& cache, KvKind kind, BlockMetric metric, int tokens,
                   const std::function<void(double)>& progress, const std::atomic<bool>* cancel) {
    tokens = std::min(tokens, cache.capture_tokens());
    if (tokens <= 0)
        fail(
            "KV block map: no original values were captured (turn inspection on before the "
            "tokens are evaluated)");
    if (kind == KvKind::V && cache.shape().values_in_keys)
        fail("KV block map: this model's values are the first ", cache.shape().values_in_keys,
             " values of its keys (multi-head latent attention); map the K blocks instead");
    BlockMap m;
    m.kind = kind;
    m.metric = metric;
    m.n_layer = cache.shape().n_layer;
    m.blocks_per_row = cache.max_blocks_per_row();
    m.tokens = tokens;
    m.values.assign(size_t(m.rows()) * size_t(tokens), 0.f);
    const int bs = cache.block_size();
    std::vector<float> x;
    for (int layer = 0; layer < m.n_layer; ++layer) {
        if (cancel && cancel->load()) fail("KV block map: cancelled");
        for (int b = 0; b < m.blocks_per_row; ++b)
            for (int t = 0; t < tokens; ++t) {
                float value = 0;
                if (!cache.holds(layer, t) || b >= cache.blocks_per_row(layer)) {
                    // A sliding-window layer's ring no longer has this token, or the layer's
                    // row is narrower.
                    value = std::numeric_limits<float>::quiet_NaN();
                } else if (metric == BlockMetric::Mse) {
                    value = float(cache.block(layer, t, kind, b).mse);
                } else {
                    // KS needs only the originals: no dequantizing and no BlockView.
                    const float* row = cache.original_row(layer, t, kind);
                    if (row)
                        x.assign(row + size_t(b) * size_t(bs), row + size_t(b + 1) * size_t(bs));
                    else
                        x.clear();
                    const MomentStats s = moments(x.data(), x.size());
                    value =
                        s.stddev > 0 ? float(ks_test_normal(x, s.mean, s.stddev).statistic) : 1.f;
                }
                m.values[(size_t(layer) * m.blocks_per_row + b) * tokens + t] = value;
            }
        if (progress) progress(double(layer + 1) / m.n_layer);
    }
    return m;
}

}  // namespace nqkv
