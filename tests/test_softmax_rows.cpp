// A softmax's row work in every build: the largest value and the scaling give exactly the
// scalar loops' results (lengths around each vector width, -inf and NaN included), so a
// model's logits do not depend on the instruction set through them.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "engine/cpu_kernels.h"
#include "tests/test_support.h"

using namespace nqkv;

class TestSoftmaxRows : public QObject {
    Q_OBJECT

  private slots:
    void every_build_equals_the_scalar_loops() {
        std::mt19937 rng(3);
        std::normal_distribution<float> normal(0.f, 4.f);
        int checked = 0;
        for (int n : {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 4096, 4099}) {
            std::vector<float> x(static_cast<size_t>(n));
            for (float& v : x) v = normal(rng);
            if (n > 5) {
                x[2] = -INFINITY;         // a masked position
                x[4] = NAN;               // passed over by the maximum, as by the scalar loop
                x[size_t(n) - 1] = 9.5f;  // the largest last (in the tail past the vectors)
                x[size_t(n) / 2] = 9.f;   // the next in the middle
            }
            float want_max = -INFINITY;
            for (float v : x) want_max = std::max(want_max, v);
            std::vector<float> want = x;
            for (float& v : want) v *= 0.37f;
            for (const CpuKernels* k : test::all_kernels()) {
                QCOMPARE(k->max_of(x.data(), n), want_max);
                std::vector<float> got = x;
                k->scale_rows(got.data(), n, 0.37f);
                QVERIFY2(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0,
                         k->isa);
                ++checked;
            }
        }
        QVERIFY(checked >= 13);
    }
};

QTEST_GUILESS_MAIN(TestSoftmaxRows)
#include "test_softmax_rows.moc"
