// Token sampling: repetition penalty, then top-k, top-p and min-p filtering, then temperature,
// then a draw from a seeded generator. Temperature 0 is greedy (the first maximum on ties).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace nqkv {

struct SamplingParams {
    float temperature = 0.8f;
    int top_k = 40;               // 0: off
    float top_p = 0.95f;          // 1: off
    float min_p = 0.05f;          // 0: off
    float repeat_penalty = 1.0f;  // 1: off
    int repeat_last_n = 64;
    uint64_t seed = 0xC0FFEE;
};

class Sampler {
  public:
    explicit Sampler(const SamplingParams& p);
    // Picks the next token from logits (n_vocab floats); `history` feeds the penalty.
    int sample(const float* logits, int n_vocab, const std::vector<int>& history);
    const SamplingParams& params() const { return p_; }

  private:
    struct Candidate {
        int id;
        float logit;
        float p;
    };
    SamplingParams p_;
    std::mt19937_64 rng_;
    std::vector<Candidate> cand_;
};

int argmax(const float* x, int n);

}  // namespace nqkv
