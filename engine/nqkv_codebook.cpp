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
    const int grid = 8001;
    // One density per block size, shared by the widths (Codebook::get holds its lock here).
    static std::map<int, std::vector<double>> densities;
    auto& dens = densities[block];
    if (dens.empty()) dens = Codebook::absmax_density(block, grid);
    const double h = 2.0 / (grid - 1);
    // Cumulative mass and first moment at the grid points (trapezoid rule), read at any y by
    // linear interpolation so cell boundaries are never snapped to the grid (snapping biases
    // every centroid by half a grid step, and the bias accumulates over the iterations).
    std::vector<double> mass(static_cast<size_t>(grid), 0), moment(static_cast<size_t>(grid), 0);
    for (int i = 1; i < grid; ++i) {
        const double y0 = -1 + (i - 1) * h, y1 = -1 + i * h;
        const double f0 = dens[size_t(i - 1)], f1 = dens[size_t(i)];
        mass[size_t(i)] = mass[size_t(i - 1)] + (f0 + f1) * h / 2;
        moment[size_t(i)] = moment[size_t(i - 1)] + (f0 * y0 + f1 * y1) * h / 2;
    }
    auto at = [&](const std::vector<double>& c, double y) {
        const double t = std::clamp((y + 1) / h, 0.0, double(grid - 1));
        const int i = std::min(int(t), grid - 2);
        return c[size_t(i)] + (t - i) * (c[size_t(i + 1)] - c[size_t(i)]);
    };

    const int n = 1 << bits;
    std::vector<double> lv(static_cast<size_t>(n));
    // Start from the high-resolution optimum, level density proportional to f^(1/3), so that
    // even 255 free levels converge in a few hundred sweeps.
    std::vector<double> cube(static_cast<size_t>(grid), 0);
    for (int i = 1; i < grid; ++i)
        cube[size_t(i)] = cube[size_t(i - 1)] +
                          (std::cbrt(dens[size_t(i - 1)]) + std::cbrt(dens[size_t(i)])) * h / 2;
    for (int k = 0, i = 0; k < n - 1; ++k) {
        const double target = cube.back() * (k + 0.5) / (n - 0.5);
        while (i < grid - 1 && cube[size_t(i + 1)] < target) ++i;
        const double span = cube[size_t(i + 1)] - cube[size_t(i)];
        lv[size_t(k)] = -1 + h * (i + (span > 0 ? (target - cube[size_t(i)]) / span : 0));
    }
    lv.back() = 1;
    for (int iter = 0; iter < 100000; ++iter) {
        double moved = 0;
        for (int k = 0; k < n - 1; ++k) {
            const double a = k == 0 ? -1.0 : (lv[size_t(k - 1)] + lv[size_t(k)]) / 2;
            const double b = (lv[size_t(k)] + lv[size_t(k + 1)]) / 2;
            const double m = at(mass, b) - at(mass, a);
            if (m <= 0) continue;
            const double c = (at(moment, b) - at(moment, a)) / m;
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

}  // namespace nqkv
