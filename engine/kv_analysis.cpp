#include "engine/kv_analysis.h"

#include <algorithm>

#include "engine/error.h"
#include "engine/nqkv_block.h"

namespace nqkv {

double n01_mse_limit(CodeFamily f, int bits) {
    static const double lm[] = {0.3634, 0.1175, 0.03454, 0.009497};
    static const double uni[] = {0.3634, 0.1188, 0.03744, 0.01154};
    static const double q[] = {0.3786, 0.1449, 0.05716, 0.02317};
    if (bits < 1 || bits > 4) return 0;
    const double* t = f == CodeFamily::LM ? lm : f == CodeFamily::INT ? uni : q;
    return t[bits - 1];
}

std::vector<KvLayerStats> analyze_kv(const KvCache& cache, int tokens) {
    const int n = std::min(tokens, cache.capture_tokens());
    if (n <= 0)
        fail(
            "KV statistics: no original values were captured (turn inspection on before "
            "evaluating)");
    const KvShape& sh = cache.shape();
    const int B = cache.block_size();
    const int widths[] = {2, 3, 4, 8};
    const CodeFamily families[] = {CodeFamily::NQ, CodeFamily::LM, CodeFamily::INT};
    std::vector<KvLayerStats> out;
    std::vector<float> all, block(static_cast<size_t>(B)), deq(static_cast<size_t>(B));
    std::vector<uint8_t> codes(static_cast<size_t>(B));
    for (int layer = 0; layer < sh.n_layer; ++layer) {
        const int nb = cache.blocks_per_row(layer), row = sh.row(layer);
        for (KvKind kind : {KvKind::K, KvKind::V}) {
            if (kind == KvKind::V && sh.values_in_keys) continue;  // the keys hold them
            KvLayerStats st;
            st.layer = layer;
            st.kind = kind;
            all.clear();
            double var_sum = 0, cfg_err = 0;
            std::vector<double> err(12, 0.0);
            size_t rejected = 0;
            const KvFormat& fmt = cache.side(kind).format();
            for (int pos = 0; pos < n; ++pos) {
                const float* r = cache.original_row(layer, pos, kind);
                if (!r) continue;
                all.insert(all.end(), r, r + row);
                for (int b = 0; b < nb; ++b) {
                    const float* x = r + b * B;
                    const MomentStats m = moments(x, size_t(B));
                    var_sum += m.stddev * m.stddev * B;
                    block.assign(x, x + B);
                    if (ks_test_normal(block, m.mean, m.stddev).p_value < 0.01) ++rejected;
                    for (int f = 0; f < 3; ++f)
                        for (int w = 0; w < 4; ++w) {
                            const Codebook& cb = Codebook::get(families[f], widths[w], B);
                            const uint16_t s = quantize_block(cb, x, B, codes.data());
                            dequantize_block(cb, s, codes.data(), B, deq.data());
                            double e = 0;
                            for (int i = 0; i < B; ++i)
                                e += double(x[i] - deq[size_t(i)]) * (x[i] - deq[size_t(i)]);
                            err[size_t(f * 4 + w)] += e;
                            if (fmt.quantized() && fmt.family == families[f] &&
                                fmt.bits == widths[w])
                                cfg_err += e;
                        }
                    ++st.blocks;
                }
            }
            st.values = all.size();
            st.moments = moments(all.data(), all.size());
            st.ks = ks_test_normal(all, st.moments.mean, st.moments.stddev);
            st.rejected_share = st.blocks ? double(rejected) / double(st.blocks) : 0;
            st.config_nmse = var_sum > 0 ? cfg_err / var_sum : 0;
            for (int f = 0; f < 3; ++f)
                for (int w = 0; w < 4; ++w)
                    st.codebooks.push_back({family_name(families[f]) + std::to_string(widths[w]),
                                            var_sum > 0 ? err[size_t(f * 4 + w)] / var_sum : 0,
                                            n01_mse_limit(families[f], widths[w])});
            out.push_back(std::move(st));
        }
    }
    return out;
}

}  // namespace nqkv
