// The standard normal distribution and the goodness-of-fit statistics the NQKV views use.
#pragma once

#include <cstddef>
#include <vector>

namespace nqkv {

double normal_pdf(double x);
double normal_cdf(double x);
// Inverse of normal_cdf, accurate to about 1e-15 on (0, 1).
double normal_quantile(double p);

struct MomentStats {
    double mean = 0;
    double stddev = 0;  // MLE (divides by n)
    double skewness = 0;
    double excess_kurtosis = 0;
};
MomentStats moments(const float* x, size_t n);

struct KsResult {
    double statistic = 0;  // sup |F_n - F|
    double p_value = 1;
};
// One-sample Kolmogorov-Smirnov test of x against N(mean, stddev). x is sorted in place.
// The p-value uses the asymptotic Kolmogorov distribution with Stephens' small-sample
// correction; with mean and stddev estimated from the same sample it is conservative.
KsResult ks_test_normal(std::vector<float>& x, double mean, double stddev);
// P(K > lambda) for the Kolmogorov distribution.
double kolmogorov_survival(double lambda);

}  // namespace nqkv
