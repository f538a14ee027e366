// The normal distribution helpers and the Kolmogorov-Smirnov test against textbook values.
#include <cmath>
#include <random>

#include "engine/normal_math.h"
#include "tests/test_support.h"

using namespace nqkv;

class TestNormalMath : public QObject {
    Q_OBJECT

  private slots:
    void quantile_inverts_the_cdf() {
        for (double p : {1e-10, 1e-4, 0.01, 0.3, 0.5, 0.7, 0.975, 0.9999})
            QVERIFY(std::abs(normal_cdf(normal_quantile(p)) - p) < 1e-13 * std::max(1.0, p / 1e-3));
        QVERIFY(std::abs(normal_quantile(0.975) - 1.959963984540054) < 1e-12);
        QCOMPARE(normal_quantile(0.5), 0.0);
    }

    void kolmogorov_critical_values() {
        // Textbook asymptotic critical values: 1.36 at 5%, 1.63 at 1%, 1.22 at 10%.
        QVERIFY(std::abs(kolmogorov_survival(1.3581) - 0.05) < 1e-3);
        QVERIFY(std::abs(kolmogorov_survival(1.6276) - 0.01) < 1e-3);
        QVERIFY(std::abs(kolmogorov_survival(1.2238) - 0.10) < 1e-3);
        // Both series agree where they meet.
        QVERIFY(std::abs(kolmogorov_survival(1.1799) - kolmogorov_survival(1.1801)) < 1e-3);
    }

    void ks_on_exact_normal_quantiles_is_half_a_step() {
        const int n = 1000;
        std::vector<float> x;
        for (int i = 1; i <= n; ++i) x.push_back(float(normal_quantile((i - 0.5) / n)));
        const KsResult r = ks_test_normal(x, 0, 1);
        QVERIFY(std::abs(r.statistic - 0.5 / n) < 1e-6);
        QVERIFY(r.p_value > 0.999);
    }

    void ks_on_a_normal_sample_accepts_and_on_a_uniform_rejects() {
        std::mt19937 rng(12);
        std::normal_distribution<float> nd(3.f, 2.f);
        std::uniform_real_distribution<float> ud(0.f, 1.f);
        std::vector<float> normal(4000), uniform(4000);
        for (float& v : normal) v = nd(rng);
        for (float& v : uniform) v = ud(rng);
        const MomentStats mn = moments(normal.data(), normal.size());
        QVERIFY(std::abs(mn.mean - 3) < 0.1 && std::abs(mn.stddev - 2) < 0.1);
        QVERIFY(std::abs(mn.skewness) < 0.1 && std::abs(mn.excess_kurtosis) < 0.2);
        QVERIFY(ks_test_normal(normal, mn.mean, mn.stddev).p_value > 0.01);
        const MomentStats mu = moments(uniform.data(), uniform.size());
        // A uniform variable has skewness 0 and excess kurtosis -1.2.
        QVERIFY(std::abs(mu.excess_kurtosis + 1.2) < 0.1);
        const KsResult r = ks_test_normal(uniform, mu.mean, mu.stddev);
        // D for U(0,1) against its fitted normal tends to sup |x - Phi((x - 1/2) sqrt 12)|.
        double d = 0;
        for (int i = 0; i <= 100000; ++i) {
            const double x = i / 100000.0;
            d = std::max(d, std::abs(x - normal_cdf((x - 0.5) * std::sqrt(12.0))));
        }
        qInfo("uniform sample: D = %.4f (limit %.4f), p = %.2g", r.statistic, d, r.p_value);
        QVERIFY(std::abs(r.statistic - d) < 0.02);
        QVERIFY(r.p_value < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestNormalMath)
#include "test_normal_math.moc"
