// Activations rounded for the integer kernels: every build's quantize_act writes the same bytes
// as quantize_activations (codes, per-16 sums, scales), for ordinary rows, rows of zeros, rows
// whose largest magnitude comes twice with both signs, values on rounding ties, and scales too
// small for fp16's normal range.
#include <QtTest>

#include <cstring>
#include <random>

#include "engine/activation_quant.h"
#include "engine/cpu_kernels.h"
#include "engine/quant_blocks.h"
#include "tests/test_support.h"

using namespace nqkv;

namespace {

// Four blocks of 256 values of each kind, end to end.
std::vector<float> awkward_rows(uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> x(size_t(kQK_K) * 8);
    for (float& v : x) v = normal(rng);
    for (int j = 0; j < kQK_K; ++j) x[size_t(kQK_K) + size_t(j)] = 0;  // block 1: zeros
    float* twins = x.data() + 2 * kQK_K;                               // block 2: -8 first, then +8
    twins[40] = -8.f;
    twins[200] = 8.f;
    float* ties = x.data() + 3 * kQK_K;  // block 3: k / 2 for a scale of 1 (127 largest)
    for (int j = 0; j < kQK_K; ++j) ties[j] = float(j % 255 - 127) / 2.f;
    ties[7] = 127.f;
    ties[9] = -127.f;
    float* tiny = x.data() + 4 * kQK_K;  // block 4: d below fp16's normal range
    for (int j = 0; j < kQK_K; ++j) tiny[j] *= 1e-6f;
    float* wide = x.data() + 5 * kQK_K;  // block 5: magnitudes far apart
    for (int j = 0; j < kQK_K; ++j) wide[j] *= (j % 7 == 0) ? 1e4f : 1e-3f;
    return x;
}

}  // namespace

class TestActivationQuant : public QObject {
    Q_OBJECT

  private slots:
    void every_build_rounds_as_the_scalar_code_data() {
        QTest::addColumn<int>("type");
        QTest::newRow("Q8_0") << int(TensorType::Q8_0);
        QTest::newRow("Q8_1") << int(TensorType::Q8_1);
        QTest::newRow("Q8_K") << int(TensorType::Q8_K);
    }
    void every_build_rounds_as_the_scalar_code() {
        QFETCH(int, type);
        const auto act = TensorType(type);
        for (uint32_t seed : {1u, 2u, 3u}) {
            const std::vector<float> x = awkward_rows(seed);
            const int64_t n = int64_t(x.size());
            std::vector<uint8_t> want(activation_row_bytes(act, n));
            quantize_activations(act, x.data(), n, want.data());
            std::vector<float> back(x.size());
            dequantize_activations(act, want.data(), n, back.data());
            QCOMPARE(back[size_t(kQK_K) + 3], 0.f);  // the zero block stays zero
            if (act == TensorType::Q8_K) {
                // The first of the two largest values, -8, is the one coded -127 (the scale
                // then comes out positive); the +8 after it is 127.
                const auto* blocks = reinterpret_cast<const ActQ8_K*>(want.data());
                QVERIFY(blocks[2].d > 0);
                QCOMPARE(int(blocks[2].qs[40]), -127);
                QCOMPARE(int(blocks[2].qs[200]), 127);
            }
            int builds = 0;
            for (const CpuKernels* k : test::all_kernels()) {
                std::vector<uint8_t> got(want.size(), 0xa5);
                k->quantize_act(act, x.data(), n, got.data());
                QVERIFY2(std::memcmp(got.data(), want.data(), want.size()) == 0, k->isa);
                ++builds;
            }
            QVERIFY(builds >= 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestActivationQuant)
#include "test_activation_quant.moc"
