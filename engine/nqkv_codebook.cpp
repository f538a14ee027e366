#include "engine/nqkv_codebook.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "engine/error.h"
#include "engine/normal_math.h"

namespace nqkv {
namespace {

std::vector<double> linspace(double a, double b, int n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[size_t(i)] = n == 1 ? a : a + (b - a) * i / (n - 1);
    return v;
}

// NF construction: 2^(b-1) positive quantiles, 2^(b-1)-1 negative ones and an exact zero,
// normalised by the largest.
std::vector<double> nq_levels(int bits) {
    const int half = 1 << (bits - 1);
    std::vector<double> v;
    const auto pos = linspace(kNfOffset, 0.5, half + 1);
    for (int i = 0; i < half; ++i) v.push_back(normal_quantile(pos[size_t(i)]));
    const auto neg = linspace(kNfOffset, 0.5, half);
    for (int i = 0; i < half - 1; ++i) v.push_back(-normal_quantile(neg[size_t(i)]));
    v.push_back(0);
    const double max = *std::max_element(v.begin(), v.end());
    for (double& x : v) x /= max;
    std::sort(v.begin(), v.end());
    return v;
}

// q4_0 style: codes -2^(b-1)+1 .. 2^(b-1) over 2^(b-1); the scale carries the max's sign.
std::vector<double> int_levels(int bits) {
    const int half = 1 << (bits - 1);
    std::vector<double> v;
    for (int k = -half + 1; k <= half; ++k) v.push_back(double(k) / half);
    return v;
}

// Lloyd iterations on a discretised density over [-1, 1]. The scale is signed (the block's
// largest-magnitude element maps to exactly +1), so +1 is a fixed level and the other 2^b - 1
// levels move to the centroids of their cells, over the density of the non-max elements,
// until nothing moves.
std::vector<double> lm_levels(int bits, int block) {
    const int grid = 4001;
    const std::vector<double> dens = Codebook::absmax_density(block, grid);
    const double h = 2.0 / (grid - 1);
    // Prefix sums of mass and first moment (trapezoid weights) for O(1) cell centroids.
    std::vector<double> mass(static_cast<size_t>(grid) + 1, 0), moment(static_cast<size_t>(grid) + 1, 0);
    for (int i = 0; i < grid; ++i) {
        const double y = -1 + i * h;
        const double w = (i == 0 || i == grid - 1 ? 0.5 : 1.0) * dens[size_t(i)] * h;
        mass[size_t(i) + 1] = mass[size_t(i)] + w;
        moment[size_t(i) + 1] = moment[size_t(i)] + w * y;
    }
    auto index_of = [&](double y) { return std::clamp(int(std::lround((y + 1) / h)), 0, grid); };

    const int n = 1 << bits;
    std::vector<double> lv(static_cast<size_t>(n));
    for (int k = 0; k < n; ++k) lv[size_t(k)] = -1 + 2.0 * (k + 0.5) / n;  // uniform start
    lv.back() = 1;
    for (int iter = 0; iter < 100000; ++iter) {
        double moved = 0;
        for (int k = 0; k < n - 1; ++k) {
            const int a = k == 0 ? 0 : index_of((lv[size_t(k - 1)] + lv[size_t(k)]) / 2);
            const int b = index_of((lv[size_t(k)] + lv[size_t(k + 1)]) / 2);
            const double m = mass[size_t(b)] - mass[size_t(a)];
            if (m <= 0) continue;
            const double c = (moment[size_t(b)] - moment[size_t(a)]) / m;
            moved = std::max(moved, std::abs(c - lv[size_t(k)]));
            lv[size_t(k)] = c;
        }
        if (moved < 1e-10) break;
    }
    return lv;
}

}  // namespace

const char* family_name(CodeFamily f) {
    switch (f) {
        case CodeFamily::NQ:
            return "nq";
        case CodeFamily::LM:
            return "lm";
        case CodeFamily::INT:
            return "int";
    }
    return "?";
}

std::vector<double> Codebook::absmax_density(int block, int grid) {
    // For one non-max element X and W = the max of the other B-1 |X_j|:
    //   f(y) ∝ ∫ w φ(y w) g(w) dw over |y| < 1, with g(w) = (B-1) 2φ(w) (2Φ(w)-1)^(B-2).
    const int nw = 3000;
    const double wmax = 9.0, dw = wmax / nw;
    std::vector<double> wg(static_cast<size_t>(nw));
    for (int j = 0; j < nw; ++j) {
        const double w = (j + 0.5) * dw;
        wg[size_t(j)] =
            w * (block - 1) * 2 * normal_pdf(w) * std::pow(2 * normal_cdf(w) - 1, block - 2) * dw;
    }
    std::vector<double> f(static_cast<size_t>(grid));
    double total = 0;
    for (int i = 0; i < grid; ++i) {
        const double y = -1 + 2.0 * i / (grid - 1);
        if (i > grid / 2) {
            f[size_t(i)] = f[size_t(grid - 1 - i)];  // symmetric
        } else {
            double s = 0;
            for (int j = 0; j < nw; ++j) s += wg[size_t(j)] * normal_pdf(y * (j + 0.5) * dw);
            f[size_t(i)] = s;
        }
        total += f[size_t(i)];
    }
    const double norm = total * 2.0 / (grid - 1);
    for (double& v : f) v /= norm;
    return f;
}

Codebook::Codebook(CodeFamily f, int bits, int block) : family_(f), bits_(bits), block_(block) {
    std::vector<double> lv = f == CodeFamily::NQ   ? nq_levels(bits)
                             : f == CodeFamily::LM ? lm_levels(bits, block)
                                                   : int_levels(bits);
    levels_.assign(lv.begin(), lv.end());
    for (size_t i = 1; i < levels_.size(); ++i)
        thresholds_.push_back((levels_[i - 1] + levels_[i]) / 2);
}

const Codebook& Codebook::get(CodeFamily family, int bits, int block) {
    if (bits != 2 && bits != 3 && bits != 4 && bits != 8)
        fail("codebook ", family_name(family), bits, ": bit width must be 2, 3, 4 or 8");
    // 16..128 are the configurable sizes; smaller powers of two occur when a model's KV row
    // is shorter than the requested block (see effective_block).
    if (block < 2 || block > 128 || (block & (block - 1)) != 0)
        fail("codebook block size ", block, " must be a power of two from 2 to 128");
    // Only lm depends on the block size; the others share one entry.
    const int key_block = family == CodeFamily::LM ? block : 0;
    static std::mutex mutex;
    static std::map<std::tuple<int, int, int>, std::unique_ptr<Codebook>> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[{int(family), bits, key_block}];
    if (!slot) slot.reset(new Codebook(family, bits, block));
    return *slot;
}

int Codebook::nearest(float y) const {
    // Thresholds are sorted: count how many lie strictly below y.
    return int(std::lower_bound(thresholds_.begin(), thresholds_.end(), y) - thresholds_.begin());
}

std::string Codebook::name() const {
    return family_name(family_) + std::to_string(bits_);
}

}  // namespace nqkv
