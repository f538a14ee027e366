#include "engine/normal_math.h"

#include <algorithm>
#include <cmath>

namespace nqkv {

double normal_pdf(double x) {
    return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
}

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (p <= 0) return -HUGE_VAL;
    if (p >= 1) return HUGE_VAL;
    // Acklam's rational approximation (relative error 1.2e-9) ...
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double lo = 0.02425, hi = 1 - lo;
    double x;
    if (p < lo) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= hi) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // ... refined by Halley steps on erfc to full double precision.
    for (int i = 0; i < 2; ++i) {
        const double e = normal_cdf(x) - p;
        const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
        x = x - u / (1 + x * u / 2);
    }
    return x;
}

MomentStats moments(const float* x, size_t n) {
    MomentStats m;
    if (n == 0) return m;
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += x[i];
    m.mean = sum / double(n);
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; ++i) {
        const double d = x[i] - m.mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= double(n);
    m3 /= double(n);
    m4 /= double(n);
    m.stddev = std::sqrt(m2);
    if (m2 > 0) {
        m.skewness = m3 / std::pow(m2, 1.5);
        m.excess_kurtosis = m4 / (m2 * m2) - 3;
    }
    return m;
}

double kolmogorov_survival(double lambda) {
    if (lambda <= 0) return 1;
    if (lambda < 1.18) {
        // The series below converges slowly here; use the Jacobi-theta form instead.
        const double y = std::exp(-M_PI * M_PI / (8 * lambda * lambda));
        double s = 0;
        for (int k = 1; k <= 7; k += 2) s += std::pow(y, k * k);
        return 1 - std::sqrt(2 * M_PI) / lambda * s;
    }
    double s = 0;
    for (int j = 1; j <= 100; ++j) {
        const double term = std::exp(-2.0 * j * j * lambda * lambda);
        s += (j % 2 ? 1 : -1) * term;
        if (term < 1e-17) break;
    }
    return std::clamp(2 * s, 0.0, 1.0);
}

KsResult ks_test_normal(std::vector<float>& x, double mean, double stddev) {
    KsResult r;
    const size_t n = x.size();
    if (n == 0 || !(stddev > 0)) return r;
    std::sort(x.begin(), x.end());
    double d = 0;
    for (size_t i = 0; i < n; ++i) {
        const double f = normal_cdf((x[i] - mean) / stddev);
        d = std::max({d, double(i + 1) / double(n) - f, f - double(i) / double(n)});
    }
    r.statistic = d;
    const double sn = std::sqrt(double(n));
    r.p_value = kolmogorov_survival((sn + 0.12 + 0.11 / sn) * d);
    return r;
}

}  // namespace nqkv
