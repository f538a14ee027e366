// NQKV codebooks: the levels a block's values (divided by the block scale) are rounded to.
//   nq  normal quantiles with the NF construction (at 4 bits, bitsandbytes' NF4)
//   lm  Lloyd-Max levels for the values of an absmax-scaled block of N(0,1) samples
//   int uniform round-to-nearest, llama.cpp q4_0 style
// All levels are computed here from their definitions, never pasted.
#pragma once

#include <string>
#include <vector>

namespace nqkv {

enum class CodeFamily { NQ, LM, INT };

const char* family_name(CodeFamily f);

class Codebook {
  public:
    // Builds (and caches for the life of the process) the codebook for a family, bit width
    // (2, 3, 4 or 8) and block size (a power of two up to 128; only lm depends on it).
    static const Codebook& get(CodeFamily family, int bits, int block);

    CodeFamily family() const { return family_; }
    int bits() const { return bits_; }
    int block() const { return block_; }
    // Ascending levels in [-1, 1]; size 2^bits.
    const std::vector<float>& levels() const { return levels_; }
    // The scale stored for a block: its absmax, signed for int and lm (the max element's own
    // sign, so only +1 needs a level and all 2^bits codes stay useful, as in q4_0). nq keeps
    // the unsigned absmax of the NF construction, which has both -1 and +1.
    bool signed_scale() const { return family_ != CodeFamily::NQ; }
    // Index of the level nearest to y (ties go to the lower level).
    int nearest(float y) const;
    // The midpoints between adjacent levels that nearest() compares against (size 2^bits - 1).
    const std::vector<float>& thresholds() const { return thresholds_; }

    // Lloyd-Max needs the density of y = x / absmax for the non-max elements of a block of B
    // N(0,1) samples; it is computed by numerical integration. Exposed for the tests.
    static std::vector<double> absmax_density(int block, int grid);

  private:
    Codebook(CodeFamily f, int bits, int block);
    CodeFamily family_;
    int bits_, block_;
    std::vector<float> levels_;
    std::vector<float> thresholds_;  // midpoints between adjacent levels
};

// bitsandbytes' NF offset: the outermost quantile, chosen so 0 is exactly representable.
constexpr double kNfOffset = 0.9677083;

}  // namespace nqkv
