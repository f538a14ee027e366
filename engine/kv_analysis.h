// Statistics over the original K and V values a cache captured: how normal each layer's values
// are, and what each codebook's error would be on these very blocks.
#pragma once

#include <string>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/normal_math.h"

namespace nqkv {

struct CodebookError {
    std::string name;      // "nq4", "lm2", "int3", ...
    double nmse = 0;       // squared error over the blocks' variance (comparable to N(0,1) MSE)
    double n01_limit = 0;  // the DESIGN.md limit for this family and width on N(0,1); 0 if none
};

struct KvLayerStats {
    int layer = 0;
    KvKind kind = KvKind::K;
    size_t values = 0, blocks = 0;
    MomentStats moments;        // of all values in the layer (mean, MLE sigma, ...)
    KsResult ks;                // all values against N(mean, sigma)
    double rejected_share = 0;  // blocks whose own KS test rejects normality at 1%
    double config_nmse = 0;     // the cache's own format on these blocks (0 when unquantized)
    std::vector<CodebookError> codebooks;  // nq, lm and int at 2, 3, 4 and 8 bits
};

// Needs capture on while the tokens were appended; uses positions [0, tokens). Throws Error
// when nothing was captured.
std::vector<KvLayerStats> analyze_kv(const KvCache& cache, int tokens);

// DESIGN.md's N(0,1) MSE limits: Lloyd-Max (lm), optimal uniform (int), plain quantile (nq).
double n01_mse_limit(CodeFamily f, int bits);

}  // namespace nqkv
