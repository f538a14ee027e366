// The float64 reference pass's Gemma 3n parts, one position at a time: the AltUp streams,
// LAuReL and the sparse feed-forward gate, written from the model's definition as llama.cpp
// computes it.
#pragma once

#include <vector>

#include "tests/naive_state_space.h"

namespace nqkv {
class LlamaModel;
}

namespace nqkv::test {

Vec rmsnorm(const Vec& x, const float* w, double eps);  // naive_llama.cpp
double gelu(double x);                                  // the tanh form

// Gemma 3n's gate: g less its mean plus std_mul standard deviations (over n - 1), cut at 0.
void gaussian_top_k(Vec& g, double std_mul);

class NaiveAltup {
  public:
    NaiveAltup(const LlamaModel& m, const MatVec& mv) : m_(m), mv_(mv) {}

    // The streams from the scaled embedding x.
    void stack(const Vec& x);
    // The layer's predictions; returns the active stream's.
    Vec predict(const LlamaLayer& L);
    // LAuReL of the normed input xb, for add_laurel.
    void laurel(const LlamaLayer& L, const Vec& xb);
    void add_laurel(Vec& x) const;
    // The streams corrected by the layer's output x, and its per-layer input (pli) added.
    void correct(const LlamaLayer& L, const Vec& x, const Vec& pli);
    // The merged stream for the output norm.
    Vec merge() const;

  private:
    Vec modalities(const LlamaLayer& L, const Vec& x) const;

    const LlamaModel& m_;
    const MatVec& mv_;
    std::vector<Vec> streams_, pred_;
    Vec laurel_;
};

}  // namespace nqkv::test
