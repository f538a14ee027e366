#include "engine/sampler.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace nqkv {

int argmax(const float* x, int n) {
    int best = 0;
    for (int i = 1; i < n; ++i)
        if (x[i] > x[best]) best = i;
    return best;
}

Sampler::Sampler(const SamplingParams& p) : p_(p), rng_(p.seed) {}

int Sampler::sample(const float* logits, int n_vocab, const std::vector<int>& history) {
    cand_.resize(size_t(n_vocab));
    for (int i = 0; i < n_vocab; ++i) cand_[size_t(i)] = {i, logits[i], 0.f};

    if (p_.repeat_penalty != 1.0f && p_.repeat_last_n != 0) {
        // Same rule as llama.cpp: divide positive logits, multiply negative ones.
        const size_t n = p_.repeat_last_n < 0 ? history.size()
                                              : std::min(history.size(), size_t(p_.repeat_last_n));
        std::unordered_set<int> seen(history.end() - long(n), history.end());
        for (int id : seen) {
            if (id < 0 || id >= n_vocab) continue;
            float& l = cand_[size_t(id)].logit;
            l = l > 0 ? l / p_.repeat_penalty : l * p_.repeat_penalty;
        }
    }

    if (p_.temperature <= 0) {
        int best = 0;
        for (int i = 1; i < n_vocab; ++i)
            if (cand_[size_t(i)].logit > cand_[size_t(best)].logit) best = i;
        return best;
    }

    auto by_logit = [](const Candidate& a, const Candidate& b) {
        return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
    };
    size_t keep = cand_.size();
    if (p_.top_k > 0 && size_t(p_.top_k) < keep) {
        keep = size_t(p_.top_k);
        std::partial_sort(cand_.begin(), cand_.begin() + long(keep), cand_.end(), by_logit);
        cand_.resize(keep);
    } else {
        std::sort(cand_.begin(), cand_.end(), by_logit);
    }

    auto normalise = [&](float temp) {
        const float max = cand_[0].logit;
        double sum = 0;
        for (auto& c : cand_) {
            c.p = std::exp((c.logit - max) / temp);
            sum += c.p;
        }
        for (auto& c : cand_) c.p = float(c.p / sum);
    };
    normalise(1.0f);
    if (p_.top_p < 1.0f) {
        double cum = 0;
        size_t n = 0;
        while (n < cand_.size()) {
            cum += cand_[n].p;
            ++n;
            if (cum >= p_.top_p) break;
        }
        cand_.resize(std::max<size_t>(1, n));
    }
    if (p_.min_p > 0) {
        const float limit = cand_[0].p * p_.min_p;
        size_t n = 1;
        while (n < cand_.size() && cand_[n].p >= limit) ++n;
        cand_.resize(n);
    }
    normalise(p_.temperature);

    std::uniform_real_distribution<double> u(0.0, 1.0);
    double r = u(rng_);
    for (const auto& c : cand_) {
        r -= c.p;
        if (r <= 0) return c.id;
    }
    return cand_.back().id;
}

}  // namespace nqkv
