// One number per stored block of a layer's K or V rows (the KS statistic of its original
// values against their fitted normal, or its quantization MSE), laid out for a heat map:
// a row per (layer, block within the row), a column per token.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "engine/kv_cache.h"

namespace nqkv {

enum class BlockMetric { Ks, Mse };
const char* block_metric_name(BlockMetric m);

struct BlockMap {
    KvKind kind = KvKind::K;
    BlockMetric metric = BlockMetric::Ks;
    int n_layer = 0;
    int blocks_per_row = 0;
    int tokens = 0;
    // [layer * blocks_per_row + block][token] (blocks_per_row: the widest layer's); NaN where a
    // sliding-window layer no longer holds the token or a narrower layer has no such block.
    std::vector<float> values;

    int rows() const { return n_layer * blocks_per_row; }
    float at(int layer, int block, int token) const {
        return values[(size_t(layer) * blocks_per_row + block) * tokens + token];
    }
};

// Covers the first `tokens` positions (at most what the cache captured: the metrics need the
// original values). Throws Error when nothing was captured. `progress` receives the share
// done; a set `cancel` ends the work early with Error("cancelled").
BlockMap block_map(const KvCache& cache, KvKind kind, BlockMetric metric, int tokens,
                   const std::function<void(double)>& progress = {},
                   const std::atomic<bool>* cancel = nullptr);

}  // namespace nqkv
