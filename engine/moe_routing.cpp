#include "engine/moe_routing.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/llama_model.h"

namespace nqkv {
namespace {

// DeepSeek-V3: a group's score is the sum of its two highest selection weights; the experts of
// all but the n_group_used best groups are out of the running.
void keep_best_groups(const LlamaHParams& hp, std::vector<float>& pick) {
    const int groups = hp.n_expert_groups, per = hp.n_expert / groups;
    std::vector<float> score(static_cast<size_t>(groups));
    for (int g = 0; g < groups; ++g) {
        const auto first = pick.begin() + g * per;
        std::vector<float> members(first, first + per);
        std::partial_sort(members.begin(), members.begin() + 2, members.end(), std::greater<>());
        score[size_t(g)] = members[0] + members[1];
    }
    std::vector<int> order(static_cast<size_t>(groups));
    for (int g = 0; g < groups; ++g) order[size_t(g)] = g;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return score[size_t(a)] > score[size_t(b)]; });
    for (size_t i = size_t(hp.n_group_used); i < order.size(); ++i)
        std::fill_n(pick.begin() + order[i] * per, per, -INFINITY);
}

}  // namespace

std::vector<std::vector<ExpertUse>> route_experts(const LlamaHParams& hp, float* logits, int T,
                                                  const float* select_bias) {
    const int ne = hp.n_expert, k = hp.n_expert_used;
    std::vector<std::vector<ExpertUse>> users(static_cast<size_t>(ne));
    std::vector<int> order(static_cast<size_t>(ne));
    std::vector<float> pick(static_cast<size_t>(ne));
    for (int t = 0; t < T; ++t) {
        float* p = logits + size_t(t) * size_t(ne);
        // Llama 4 picks by the logits themselves, which a sigmoid rounded to 1 could tie.
        if (hp.expert_weight_first) std::copy(p, p + ne, pick.begin());
        if (hp.expert_sigmoid) {
            for (int e = 0; e < ne; ++e) p[e] = 1.0f / (1.0f + std::exp(-p[e]));
        } else {
            const float max = *std::max_element(p, p + ne);
            double sum = 0;
            for (int e = 0; e < ne; ++e) sum += p[e] = std::exp(p[e] - max);
            const float inv = float(1.0 / sum);
            for (int e = 0; e < ne; ++e) p[e] *= inv;
        }
        for (int e = 0; e < ne && !hp.expert_weight_first; ++e)
            pick[size_t(e)] = select_bias ? p[e] + select_bias[e] : p[e];
        if (hp.n_expert_groups > 1) keep_best_groups(hp, pick);
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
