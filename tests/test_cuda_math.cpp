// The arithmetic the CUDA kernels use (kernels/device_math.h), compiled for the host and checked
// against the engine's own code: fp16 conversion, the NQKV block for every family, width and
// block size (scale, codes, packed bytes), unpacking, RoPE. Runs everywhere, GPU or not.
#include <QtTest>
#include <cmath>
#include <random>

#include "engine/backend_registry.h"
#include "engine/half.h"
#include "engine/nqkv_block.h"
#include "engine/nqkv_codebook.h"
#include "kernels/device_math.h"

using namespace nqkv;

class TestCudaMath : public QObject {
    Q_OBJECT
  private slots:
    void halfConversionMatchesTheEngine() {
        // Every fp16 value decodes the same, and fp32 values around every fp16 value and
        // midpoint round the same.
        for (uint32_t h = 0; h < 65536; ++h) {
            const float a = fp16_to_fp32(uint16_t(h)), b = dm::f16_to_f32(uint16_t(h));
            if (std::isnan(a)) {
                QVERIFY(std::isnan(b));
                continue;
            }
            QCOMPARE(dm::float_bits(b), dm::float_bits(a));
        }
        std::mt19937 rng(5);
        std::uniform_int_distribution<uint32_t> any;
        int checked = 0;
        for (int i = 0; i < 2000000; ++i) {
            const float f = dm::bits_float(any(rng));
            if (std::isnan(f)) continue;
            QCOMPARE(dm::f32_to_f16(f), fp32_to_fp16(f));
            ++checked;
        }
        for (uint32_t h = 0; h < 0x7c00; ++h) {  // exact midpoints and their neighbours
            const float lo = fp16_to_fp32(uint16_t(h)), hi = fp16_to_fp32(uint16_t(h + 1));
            const float mid = 0.5f * (lo + hi);
            for (float f : {mid, std::nextafter(mid, 0.f), std::nextafter(mid, 1e9f), -mid})
                QCOMPARE(dm::f32_to_f16(f), fp32_to_fp16(f));
        }
        QVERIFY(checked > 1900000);
    }

    void blocksMatchTheEngine_data() {
        QTest::addColumn<int>("family");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("block");
        for (int f = 0; f < 3; ++f)
            for (int bits : {2, 3, 4, 8})
                for (int block : {16, 32, 64, 128})
                    QTest::newRow(qPrintable(
                        QString("%1%2/B%3").arg(family_name(CodeFamily(f))).arg(bits).arg(block)))
                        << f << bits << block;
    }

    // Scale, codes and packed bytes of a row, as the append kernel computes them, equal the
    // engine's quantize_block + pack_codes; unpacking gives the codes back.
    void blocksMatchTheEngine() {
        QFETCH(int, family);
        QFETCH(int, bits);
        QFETCH(int, block);
        const Codebook& cb = Codebook::get(CodeFamily(family), bits, block);
        const int nb = 4, row = nb * block;
        std::mt19937 rng(uint32_t(family * 100 + bits * 10 + block));
        std::normal_distribution<float> n01;
        std::vector<float> x(static_cast<size_t>(row));
        for (int trial = 0; trial < 50; ++trial) {
            for (auto& v : x) v = n01(rng) * (trial % 5 == 0 ? 30.f : 1.f);
            if (trial == 1) std::fill(x.begin(), x.begin() + block, 0.f);  // an all-zero block
            if (trial == 2) {  // a tie on magnitude: the first one wins
                x[3] = 5.f;
                x[7] = -5.f;
            }
            std::vector<uint8_t> want_codes(static_cast<size_t>(row)),
                got_codes(static_cast<size_t>(row));
            for (int b = 0; b < nb; ++b) {
                const uint16_t want_scale = quantize_block(cb, &x[size_t(b * block)], block,
                                                           &want_codes[size_t(b * block)]);
                const float m = dm::block_absmax(&x[size_t(b * block)], block, cb.signed_scale());
                const uint16_t scale = dm::f32_to_f16(m);
                QCOMPARE(scale, want_scale);
                const float inv = dm::inverse_scale(scale);
                for (int i = 0; i < block; ++i)
                    got_codes[size_t(b * block + i)] = uint8_t(
                        dm::nearest_code(x[size_t(b * block + i)] * inv, cb.thresholds().data(),
                                         int(cb.thresholds().size())));
            }
            QCOMPARE(got_codes, want_codes);
            std::vector<uint8_t> want_packed(packed_bytes(size_t(row), bits));
            pack_codes(want_codes.data(), size_t(row), bits, want_packed.data());
            for (int j = 0; j < int(want_packed.size()); ++j)
                QCOMPARE(dm::packed_byte(got_codes.data(), row, bits, j), want_packed[size_t(j)]);
            for (int i = 0; i < row; ++i)
                QCOMPARE(dm::unpack_code(want_packed.data(), i, bits), int(want_codes[size_t(i)]));
        }
    }

    void oddRowsPackAcrossBlocks() {
        // Rows whose blocks end mid-byte (3-bit codes in blocks of 4) pack as one stream.
        for (int bits : {2, 3, 4}) {
            std::vector<uint8_t> codes(37);
            for (size_t i = 0; i < codes.size(); ++i) codes[i] = uint8_t((i * 5 + 1) % (1 << bits));
            std::vector<uint8_t> want(packed_bytes(codes.size(), bits));
            pack_codes(codes.data(), codes.size(), bits, want.data());
            for (int j = 0; j < int(want.size()); ++j)
                QCOMPARE(dm::packed_byte(codes.data(), int(codes.size()), bits, j),
                         want[size_t(j)]);
        }
    }

    // The module built next to the tests loads (every symbol resolves) even without a GPU; a
    // missing driver is the only acceptable reason for no device.
    void cudaModuleLoads() {
        const std::string module = NQKV_BIN_DIR "/libnqkv_cuda.so";
        if (!QFile::exists(QString::fromStdString(module)))
            QSKIP("this build has no CUDA module (NQKV_CUDA=OFF or no nvcc)");
        qputenv("NQKV_CUDA_MODULE", QByteArray::fromStdString(module));
        const CudaProbe p = probe_cuda();
        QVERIFY2(p.module_loaded, p.message.c_str());
        QVERIFY2(p.message.find("undefined symbol") == std::string::npos, p.message.c_str());
        for (const char* sym :
             {"nqkv_cuda_make_backend", "nqkv_cuda_test_kv_append", "nqkv_cuda_test_attention",
              "nqkv_cuda_bench_attention", "nqkv_cuda_bench_gemv"})
            QVERIFY2(cuda_module_symbol(sym) != nullptr, sym);
        qInfo("module: %s; devices: %zu (%s)", p.module_path.c_str(), p.devices.size(),
              p.message.c_str());
    }

    void ropePairMatchesTheFormula() {
        float a = 0.3f, b = -1.2f;
        const float th = 0.7f;
        dm::rope_pair(a, b, std::cos(th), std::sin(th));
        QCOMPARE(a, 0.3f * std::cos(th) - -1.2f * std::sin(th));
        QCOMPARE(b, 0.3f * std::sin(th) + -1.2f * std::cos(th));
    }

    // Gemma's GELU (tanh form) against the formula in double precision; gelu(1) = 0.841192.
    void geluMatchesTheFormula() {
        for (float g = -6.f; g <= 6.f; g += 0.37f) {
            const double want =
                0.5 * g * (1 + std::tanh(std::sqrt(2 / M_PI) * (g + 0.044715 * g * g * g))) * 1.5;
            const float got = dm::gelu_mul(g, 1.5f, std::tanh(dm::gelu_inner(g)));
            QVERIFY2(std::abs(got - want) <= 1e-6 * (1 + std::abs(want)),
                     qPrintable(QString("gelu(%1)").arg(g)));
        }
        QVERIFY(std::abs(dm::gelu_mul(1.f, 1.f, std::tanh(dm::gelu_inner(1.f))) - 0.841192f) <
                1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestCudaMath)
#include "test_cuda_math.moc"
