#include "engine/moe_routing.h"

#include <algorithm>
#include <cmath>

#include "engine/llama_model.h"

namespace nqkv {

std::vector<std::vector<ExpertUse>> route_experts(const LlamaHParams& hp, float* logits, int T,
                                                  const float* select_bias) {
    const int ne = hp.n_expert, k = hp.n_expert_used;
    std::vector<std::vector<ExpertUse>> users(static_cast<size_t>(ne));
    std::vector<int> order(static_cast<size_t>(ne));
    std::vector<float> pick(static_cast<size_t>(ne));
    for (int t = 0; t < T; ++t) {
        float* p = logits + size_t(t) * size_t(ne);
        if (hp.expert_sigmoid) {
            for (int e = 0; e < ne; ++e) p[e] = 1.0f / (1.0f + std::exp(-p[e]));
        } else {
            const float max = *std::max_element(p, p + ne);
            double sum = 0;
            for (int e = 0; e < ne; ++e) sum += p[e] = std::exp(p[e] - max);
            const float inv = float(1.0 / sum);
            for (int e = 0; e < ne; ++e) p[e] *= inv;
        }
        for (int e = 0; e < ne; ++e) pick[size_t(e)] = select_bias ? p[e] + select_bias[e] : p[e];
        for (int e = 0; e < ne; ++e) order[size_t(e)] = e;
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
            return pick[size_t(a)] > pick[size_t(b)] ||
                   (pick[size_t(a)] == pick[size_t(b)] && a < b);
        });
        float sum = 0;
        for (int j = 0; j < k; ++j) sum += p[order[size_t(j)]];
        sum = std::max(sum, 6.103515625e-5f);  // as llama.cpp, against a sum of zero
        const float scale = (hp.expert_weights_norm ? 1.f / sum : 1.f) * hp.expert_weights_scale;
        for (int j = 0; j < k; ++j)
            users[size_t(order[size_t(j)])].push_back({t, p[order[size_t(j)]] * scale});
    }
    return users;
}

}  // namespace nqkv
