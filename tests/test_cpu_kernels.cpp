// Every instruction-set build of the CPU kernels against the scalar reference dequantizer and
// a double-precision dot product; the vector NQKV attention kernels against codes unpacked one
// by one; the half-precision conversions.
#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "engine/activation_quant.h"
#include "engine/aligned_vector.h"
#include "engine/cpu_kernels.h"
#include "engine/cpu_matmul.h"
#include "engine/grid_blocks.h"
#include "engine/half.h"
#include "engine/nqkv_block.h"
#include "engine/quant_blocks.h"
#include "tests/test_support.h"

using namespace nqkv;
using test::all_kernels;

namespace {

// A data row per grid format, n values each.
void add_grid_rows(int n) {
    for (TensorType t : kGridTypes)
        QTest::newRow(qPrintable(QString("%1 n=%2").arg(type_name(t)).arg(n))) << int(t) << n;
}

// Random but well-formed blocks: scales are finite and modest, codes arbitrary.
std::vector<uint8_t> random_row(TensorType type, int64_t n, std::mt19937& rng) {
    const TypeTraits& tr = *type_traits(uint32_t(type));
    std::vector<uint8_t> bytes(row_bytes(tr, uint64_t(n)));
    for (auto& b : bytes) b = uint8_t(rng());
    std::normal_distribution<float> normal;
    auto half = [&](float x) { return fp32_to_fp16(x); };
    // An fp16 scale at a byte offset in a block.
    auto put = [&](uint8_t* blk, size_t offset, float x) {
        const uint16_t h = half(x);
        std::memcpy(blk + offset, &h, 2);
    };
    const int64_t blocks = n / tr.block_elems;
    for (int64_t i = 0; i < blocks; ++i) {
        uint8_t* blk = bytes.data() + size_t(i) * size_t(tr.block_bytes);
        switch (type) {
            case TensorType::F32:
                for (int k = 0; k < 1; ++k) {
                    const float v = normal(rng);
                    std::memcpy(blk, &v, 4);
                }
                break;
            case TensorType::F16: {
                const uint16_t h = half(normal(rng));
                std::memcpy(blk, &h, 2);
                break;
            }
            case TensorType::BF16: {
                const uint16_t h = fp32_to_bf16(normal(rng));
                std::memcpy(blk, &h, 2);
                break;
            }
            case TensorType::Q8_0:
            case TensorType::Q4_0:
            case TensorType::Q1_0:
            case TensorType::Q2_0:
            case TensorType::Q5_0:
            case TensorType::IQ4_NL:
            case TensorType::IQ4_XS:  // d first; the scale bits stay random
                put(blk, 0, 0.01f + std::abs(normal(rng)) * 0.02f);
                break;
            case TensorType::MXFP4:  // the exponent: scales from 2^-12 to 2^-4
                blk[0] = uint8_t(116 + rng() % 9);
                break;
            case TensorType::Q4_1:
            case TensorType::Q5_1:  // d, then m
                put(blk, 0, 0.01f + std::abs(normal(rng)) * 0.02f);
                put(blk, 2, normal(rng) * 0.1f);
                break;
            case TensorType::Q4_K:
            case TensorType::Q5_K:  // d, then dmin, first in the block
                put(blk, 0, 0.001f + std::abs(normal(rng)) * 0.002f);
                put(blk, 2, 0.001f + std::abs(normal(rng)) * 0.002f);
                break;
            case TensorType::Q2_K:
                put(blk, offsetof(BlockQ2_K, d), 0.001f + std::abs(normal(rng)) * 0.002f);
                put(blk, offsetof(BlockQ2_K, dmin), 0.001f + std::abs(normal(rng)) * 0.002f);
                break;
            case TensorType::Q3_K:
                put(blk, offsetof(BlockQ3_K, d), 0.001f + std::abs(normal(rng)) * 0.002f);
                break;
            case TensorType::Q6_K:
                put(blk, offsetof(BlockQ6_K, d), 0.001f + std::abs(normal(rng)) * 0.002f);
                break;
            case TensorType::IQ1_S:
            case TensorType::IQ2_XXS:
            case TensorType::IQ2_XS:
            case TensorType::IQ2_S:
            case TensorType::IQ3_XXS:
            case TensorType::IQ3_S:
                put(blk, 0, 0.001f + std::abs(normal(rng)) * 0.002f);
                break;
            case TensorType::TQ1_0:
            case TensorType::TQ2_0:
                put(blk, tr.block_bytes - 2, 0.01f + std::abs(normal(rng)) * 0.02f);
                break;
            case TensorType::IQ1_M: {  // d's four nibbles at the top of the scales' uint16
                const uint16_t d = half(0.001f + std::abs(normal(rng)) * 0.002f);
                for (int k = 0; k < 4; ++k)
                    blk[48 + 2 * k + 1] =
                        uint8_t((blk[48 + 2 * k + 1] & 0x0F) | ((d >> (4 * k)) & 0xF) << 4);
                break;
            }
            default:
                break;
        }
    }
    return bytes;
}

// R such rows, one after another.
std::vector<uint8_t> random_rows(TensorType type, int64_t n, int R, std::mt19937& rng) {
    std::vector<uint8_t> rows;
    for (int r = 0; r < R; ++r) {
        const auto row = random_row(type, n, rng);
        rows.insert(rows.end(), row.begin(), row.end());
    }
    return rows;
}

// The values quantize_activations() rounded n activations to; Q8_K's per-16 sums, Q8_1's
// sums and Q8_0's and Q8_1's fp16 scales checked.
void unround(TensorType at, const uint8_t* acts, int64_t n, float* out) {
    dequantize_activations(at, acts, n, out);
    if (at == TensorType::Q8_K) {
        const auto* b = reinterpret_cast<const ActQ8_K*>(acts);
        for (int64_t k = 0; k < n / kQK_K; ++k)
            for (int g = 0; g < kQK_K / 16; ++g) {
                int sum = 0;
                for (int j = 0; j < 16; ++j) sum += b[k].qs[16 * g + j];
                QCOMPARE(int(b[k].bsums[g]), sum);
            }
    }
    if (at == TensorType::Q8_0) {
        const auto* b = reinterpret_cast<const ActQ8_0*>(acts);
        for (int64_t k = 0; k < n / kQK; ++k)
            QCOMPARE(fp16_to_fp32(fp32_to_fp16(b[k].d)), b[k].d);  // llama.cpp's fp16 scale
    }
    if (at == TensorType::Q8_1) {
        const auto* b = reinterpret_cast<const ActQ8_1*>(acts);
        for (int64_t k = 0; k < n / kQK; ++k) {
            int sum = 0;
            for (int j = 0; j < kQK; ++j) sum += b[k].qs[j];
            const float want = b[k].d * float(sum);
            QVERIFY(std::abs(b[k].s - want) <= 2e-3f * std::abs(want) + 1e-6f);
            // llama.cpp's values: the scale and the sum are fp16 numbers.
            QCOMPARE(fp16_to_fp32(fp32_to_fp16(b[k].d)), b[k].d);
            QCOMPARE(fp16_to_fp32(fp32_to_fp16(b[k].s)), b[k].s);
        }
    }
}

// Empty when got equals want bit for bit, else the first difference ("what" names want's path).
QString first_difference(const CpuKernels* k, const std::vector<float>& got,
                         const std::vector<float>& want, const char* what) {
    for (size_t i = 0; i < want.size(); ++i)
        if (got[i] != want[i])
            return QString("%1 value %2: %3, %4 %5")
                .arg(k->isa)
                .arg(i)
                .arg(double(got[i]))
                .arg(what)
                .arg(double(want[i]));
    return {};
}

}  // namespace

class TestCpuKernels : public QObject {
    Q_OBJECT

  private slots:
    void fp16_decodes_every_value() {
        for (uint32_t h = 0; h < 65536; ++h) {
            const float f = fp16_to_fp32(uint16_t(h));
            const int e = int((h >> 10) & 31), m = int(h & 1023);
            const double sign = (h & 0x8000) ? -1 : 1;
            if (e == 31) {
                QVERIFY(m ? std::isnan(f) : std::isinf(f));
                continue;
            }
            const double want =
                e == 0 ? sign * std::ldexp(m, -24) : sign * std::ldexp(1024 + m, e - 25);
            QCOMPARE(double(f), want);
            if (e != 0 || m != 0)
                QCOMPARE(fp32_to_fp16(f), uint16_t(h));  // exact values round-trip
        }
    }

    void fp16_encode_rounds_to_nearest_even() {
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> exp(-26.f, 16.5f);
        for (int i = 0; i < 200000; ++i) {
            const float f = std::ldexp(1.0f + float(rng() % 100000) / 100000.f, int(exp(rng)));
            const uint16_t h = fp32_to_fp16(f);
            if ((h & 0x7c00) == 0x7c00) {
                QVERIFY(f >= 65520.f);
                continue;
            }
            const double got = fp16_to_fp32(h);
            const double err = std::abs(got - f);
            if (h > 0) QVERIFY(err <= std::abs(double(fp16_to_fp32(uint16_t(h - 1))) - f));
            QVERIFY(err <= std::abs(double(fp16_to_fp32(uint16_t(h + 1))) - f));
        }
        QCOMPARE(fp32_to_fp16(65520.f), uint16_t(0x7c00));
        QCOMPARE(fp32_to_fp16(-0.f), uint16_t(0x8000));
        QCOMPARE(bf16_to_fp32(fp32_to_bf16(1.5f)), 1.5f);
    }

    void dot_rows_match_reference_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("n");
        QTest::newRow("F32 n=77") << int(TensorType::F32) << 77;
        QTest::newRow("F32 n=1024") << int(TensorType::F32) << 1024;
        QTest::newRow("F16 n=512") << int(TensorType::F16) << 512;
        QTest::newRow("F16 n=300") << int(TensorType::F16) << 300;
        QTest::newRow("BF16 n=64") << int(TensorType::BF16) << 64;
        QTest::newRow("Q8_0 n=544") << int(TensorType::Q8_0) << 544;
        QTest::newRow("Q4_0 n=288") << int(TensorType::Q4_0) << 288;
        QTest::newRow("IQ4_NL n=288") << int(TensorType::IQ4_NL) << 288;
        QTest::newRow("MXFP4 n=288") << int(TensorType::MXFP4) << 288;
        QTest::newRow("IQ4_XS n=768") << int(TensorType::IQ4_XS) << 768;
        QTest::newRow("Q4_K n=512") << int(TensorType::Q4_K) << 512;
        QTest::newRow("Q6_K n=768") << int(TensorType::Q6_K) << 768;
        QTest::newRow("Q4_1 n=288") << int(TensorType::Q4_1) << 288;
        QTest::newRow("Q5_0 n=288") << int(TensorType::Q5_0) << 288;
        QTest::newRow("Q5_1 n=544") << int(TensorType::Q5_1) << 544;
        QTest::newRow("Q2_K n=512") << int(TensorType::Q2_K) << 512;
        QTest::newRow("Q3_K n=768") << int(TensorType::Q3_K) << 768;
        QTest::newRow("Q5_K n=512") << int(TensorType::Q5_K) << 512;
        add_grid_rows(512);
        QTest::newRow("Q1_0 n=384") << int(TensorType::Q1_0) << 384;
        QTest::newRow("Q2_0 n=320") << int(TensorType::Q2_0) << 320;
    }

    void dot_rows_match_reference() {
        QFETCH(int, type);
        QFETCH(int, n);
        const auto t = TensorType(type);
        std::mt19937 rng(uint32_t(type * 1000 + n));
        const auto row = random_row(t, n, rng);
        std::vector<float> ref(static_cast<size_t>(n));
        dequantize_row_reference(t, row.data(), ref.data(), n);
        const int T = 5;
        std::normal_distribution<float> normal;
        std::vector<float> x(size_t(T) * size_t(n));
        for (float& v : x) v = normal(rng);
        for (const CpuKernels* k : all_kernels()) {
            std::vector<float> deq(static_cast<size_t>(n));
            k->dequant_row(t, row.data(), deq.data(), n);
            for (int i = 0; i < n; ++i)
                QVERIFY2(std::abs(deq[size_t(i)] - ref[size_t(i)]) <=
                             1e-6f * (1 + std::abs(ref[size_t(i)])),
                         k->isa);
            float out[T * 3];
            k->dot_rows(t, row.data(), n, x.data(), n, T, out, 3);
            for (int s = 0; s < T; ++s) {
                double want = 0, mag = 0;
                for (int i = 0; i < n; ++i) {
                    want += double(ref[size_t(i)]) * x[size_t(s * n + i)];
                    mag += std::abs(double(ref[size_t(i)]) * x[size_t(s * n + i)]);
                }
                QVERIFY2(std::abs(out[s * 3] - want) <= 1e-5 * mag + 1e-6, k->isa);
            }
        }
    }

    // A softmax's exponentials: within 2 ulp of the library's exp in every build over the range
    // a softmax meets (and a little above), 0 where exp turns subnormal, and the sum returned.
    void exp_rows_match_the_library() {
        std::vector<float> x;
        for (float v = -90.f; v <= 10.f; v += 0.00731f) x.push_back(v);
        x.push_back(0.f);
        x.push_back(-1e30f);
        for (const CpuKernels* k : all_kernels()) {
            for (const float shift : {0.f, 2.5f}) {
                std::vector<float> e = x;
                const double sum = k->exp_rows(e.data(), int64_t(e.size()), shift);
                double want_sum = 0;
                for (size_t i = 0; i < x.size(); ++i) {
                    const float want = std::exp(x[i] - shift);
                    want_sum += want;
                    if (want < 1.2e-38f) {  // subnormal or zero
                        QVERIFY2(e[i] <= 1.2e-38f, k->isa);
                        continue;
                    }
                    QVERIFY2(std::abs(e[i] - want) <= 2.5e-7f * want,
                             qPrintable(QString("%1: exp(%2) = %3, not %4")
                                            .arg(k->isa)
                                            .arg(double(x[i] - shift))
                                            .arg(double(e[i]))
                                            .arg(double(want))));
                }
                QVERIFY2(std::abs(sum - want_sum) <= 1e-6 * want_sum, k->isa);
            }
        }
    }

    // GELU (the tanh form) as the engine's scalar gelu() gives it, in every build: within 1e-6
    // of the value's size (the tanh form itself cancels to about that for large negative x).
    void gelu_rows_match_gelu() {
        std::vector<float> x;
        for (float v = -12.f; v <= 12.f; v += 0.0013f) x.push_back(v);
        x.push_back(-60.f);
        x.push_back(60.f);
        for (const CpuKernels* k : all_kernels()) {
            std::vector<float> g = x;
            k->gelu_rows(g.data(), int64_t(g.size()));
            for (size_t i = 0; i < x.size(); ++i)
                QVERIFY2(std::abs(g[i] - gelu(x[i])) <= 1e-6f * std::max(1.f, std::abs(x[i])),
                         qPrintable(QString("%1: gelu(%2) = %3, not %4")
                                        .arg(k->isa)
                                        .arg(double(x[i]))
                                        .arg(double(g[i]))
                                        .arg(double(gelu(x[i])))));
        }
    }

    // Four queries at once over fp16 rows (a prompt's attention): every score and every output
    // value equal to the single forms' bit for bit, for heads with and without a tail, and an
    // output summed in pieces equal to one sum over the whole range.
    void four_queries_equal_one_at_a_time() {
        std::mt19937 rng(11);
        std::normal_distribution<float> normal;
        for (const int hd : {8, 12, 64, 128, 72}) {
            const int n = 37, stride = hd + 8;
            std::vector<uint16_t> rows(size_t(n) * size_t(stride));
            for (auto& r : rows) r = fp32_to_fp16(normal(rng));
            std::vector<float> q(size_t(4) * size_t(hd)), w(size_t(4) * size_t(n));
            for (auto& v : q) v = normal(rng);
            for (auto& v : w) v = std::abs(normal(rng)) / float(n);
            for (const CpuKernels* k : all_kernels()) {
                std::vector<float> want(size_t(4) * size_t(n)), got(want.size());
                std::vector<float> want_o(size_t(4) * size_t(hd), 0.5f), got_o(want_o);
                const float* qs[4];
                const float* ws[4];
                float* scores[4];
                float* outs[4];
                for (int g = 0; g < 4; ++g) {
                    qs[g] = q.data() + g * hd;
                    ws[g] = w.data() + g * n;
                    scores[g] = got.data() + g * n;
                    outs[g] = got_o.data() + g * hd;
                    k->rows_dot_f16(rows.data(), stride, n, qs[g], hd, want.data() + g * n);
                    k->rows_axpy_f16(rows.data(), stride, n, ws[g], hd, want_o.data() + g * hd);
                }
                k->rows_dot_f16_x4(rows.data(), stride, n, qs, hd, scores);
                // The values in two pieces, as attention splits a range around what all four read.
                const int cut = 13;
                k->rows_axpy_f16_x4(rows.data(), stride, cut, ws, hd, outs);
                const float* rest[4];
                for (int g = 0; g < 4; ++g) rest[g] = ws[g] + cut;
                k->rows_axpy_f16_x4(rows.data() + cut * stride, stride, n - cut, rest, hd, outs);
                QVERIFY2(std::memcmp(got.data(), want.data(), got.size() * 4) == 0,
                         qPrintable(QString("%1: scores, hd %2").arg(k->isa).arg(hd)));
                QVERIFY2(std::memcmp(got_o.data(), want_o.data(), got_o.size() * 4) == 0,
                         qPrintable(QString("%1: values, hd %2").arg(k->isa).arg(hd)));
            }
        }
    }

    // The buffers activation rows live in start on a cache line, however they grow, so the
    // kernels' 64-byte loads of rows whose width is a multiple of 16 never straddle two lines.
    void activation_buffers_start_on_a_cache_line() {
        AlignedVector<float> v;
        for (size_t n : {size_t(1), size_t(5), size_t(1000), size_t(1) << 20}) {
            v.resize(n);
            QCOMPARE(reinterpret_cast<uintptr_t>(v.data()) % 64, uintptr_t(0));
            AlignedVector<float> copy = v;
            QCOMPARE(reinterpret_cast<uintptr_t>(copy.data()) % 64, uintptr_t(0));
        }
    }

    // Batches of rows give exactly dot_rows' values, bit for bit, so a token's logits never
    // depend on how it was batched.
    void gemm_rows_equal_dot_rows_data() { dot_rows_match_reference_data(); }
    void gemm_rows_equal_dot_rows() {
        QFETCH(int, type);
        QFETCH(int, n);
        const auto t = TensorType(type);
        std::mt19937 rng(uint32_t(type * 31 + n));
        const int R = 7, T = 5;
        const std::vector<uint8_t> rows = random_rows(t, n, R, rng);
        const size_t row_bytes = rows.size() / R;
        std::normal_distribution<float> normal;
        std::vector<float> x(size_t(T) * size_t(n));
        for (float& v : x) v = normal(rng);
        for (const CpuKernels* k : all_kernels()) {
            std::vector<float> want(size_t(T) * R), got(want.size());
            for (int r = 0; r < R; ++r)
                k->dot_rows(t, rows.data() + r * row_bytes, n, x.data(), n, T, want.data() + r, R);
            k->gemm_rows(t, rows.data(), row_bytes, R, n, x.data(), n, T, got.data(), R);
            const QString diff = first_difference(k, got, want, "dot_rows");
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
    }

    void integer_dot_rows_match_rounded_activations_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("n");
        QTest::newRow("Q8_0 n=544") << int(TensorType::Q8_0) << 544;
        QTest::newRow("Q4_0 n=288") << int(TensorType::Q4_0) << 288;
        QTest::newRow("Q4_K n=512") << int(TensorType::Q4_K) << 512;
        QTest::newRow("Q5_K n=768") << int(TensorType::Q5_K) << 768;
        QTest::newRow("Q6_K n=768") << int(TensorType::Q6_K) << 768;
        QTest::newRow("Q5_0 n=288") << int(TensorType::Q5_0) << 288;
        QTest::newRow("Q4_1 n=288") << int(TensorType::Q4_1) << 288;
        QTest::newRow("Q5_1 n=544") << int(TensorType::Q5_1) << 544;
        QTest::newRow("IQ4_NL n=288") << int(TensorType::IQ4_NL) << 288;
        QTest::newRow("MXFP4 n=288") << int(TensorType::MXFP4) << 288;
        QTest::newRow("Q2_K n=512") << int(TensorType::Q2_K) << 512;
        QTest::newRow("Q3_K n=768") << int(TensorType::Q3_K) << 768;
        QTest::newRow("IQ4_XS n=768") << int(TensorType::IQ4_XS) << 768;
        add_grid_rows(768);
        QTest::newRow("Q1_0 n=640") << int(TensorType::Q1_0) << 640;
        QTest::newRow("Q2_0 n=448") << int(TensorType::Q2_0) << 448;
    }
    // The weights (dequantized by the reference) times the activations as rounded, in double:
    // the integer sums are exact, so only float rounding may differ, on every instruction set.
    void integer_dot_rows_match_rounded_activations() {
        QFETCH(int, type);
        QFETCH(int, n);
        const auto t = TensorType(type);
        const TensorType at = activation_type(t);
        QVERIFY(at != TensorType::F32);
        std::mt19937 rng(uint32_t(type * 77 + n));
        const auto row = random_row(t, n, rng);
        std::vector<float> w(static_cast<size_t>(n));
        dequantize_row_reference(t, row.data(), w.data(), n);
        const int T = 4;
        const size_t stride = activation_row_bytes(at, n);
        std::vector<uint8_t> acts(stride * T);
        std::vector<float> x(static_cast<size_t>(n)), back(static_cast<size_t>(n));
        std::vector<double> want(T), mag(T);
        std::normal_distribution<float> normal;
        for (int s = 0; s < T; ++s) {
            for (float& v : x) v = normal(rng) * (s == 3 ? 0.f : 1.f + float(s));  // one row zero
            quantize_activations(at, x.data(), n, acts.data() + size_t(s) * stride);
            unround(at, acts.data() + size_t(s) * stride, n, back.data());
            const int block = at == TensorType::Q8_K ? kQK_K : kQK;
            for (int i = 0; i < n; ++i) {
                // Off by at most half a step (the block's largest magnitude / 254; Q8_0's scale
                // is stored in fp16, up to another amax / 2048).
                float amax = 0;
                for (int j = i / block * block; j < (i / block + 1) * block; ++j)
                    amax = std::max(amax, std::abs(x[size_t(j)]));
                const float bound = amax / 254 + (block == kQK ? amax / 2048 : 0);
                QVERIFY(std::abs(back[size_t(i)] - x[size_t(i)]) <= bound * 1.001f + 1e-7f);
                want[size_t(s)] += double(w[size_t(i)]) * back[size_t(i)];
                mag[size_t(s)] += std::abs(double(w[size_t(i)]) * back[size_t(i)]);
            }
            if (at == TensorType::Q8_1) {
                // Q4_1's and Q5_1's minimum m meets the activations' stored sum s, rounded to
                // fp16 (as llama.cpp does), instead of the sum of the rounded values.
                const size_t bytes = type_traits(uint32_t(t))->block_bytes;
                const auto* a = reinterpret_cast<const ActQ8_1*>(acts.data() + size_t(s) * stride);
                for (int b = 0; b < n / kQK; ++b) {
                    uint16_t mh;
                    std::memcpy(&mh, row.data() + size_t(b) * bytes + 2, 2);
                    double sum = 0;
                    for (int j = 0; j < kQK; ++j) sum += back[size_t(b * kQK + j)];
                    want[size_t(s)] += double(fp16_to_fp32(mh)) * (a[b].s - sum);
                }
            }
        }
        for (const CpuKernels* k : all_kernels()) {
            float out[T * 2];
            k->dot_rows_act(t, row.data(), n, acts.data(), stride, T, out, 2);
            for (int s = 0; s < T; ++s)
                QVERIFY2(std::abs(out[s * 2] - want[size_t(s)]) <= 2e-6 * mag[size_t(s)] + 1e-7,
                         qPrintable(QString("%1 row %2: %3, want %4")
                                        .arg(k->isa)
                                        .arg(s)
                                        .arg(double(out[s * 2]))
                                        .arg(want[size_t(s)])));
        }
    }

    // A batch (more than 4 activation rows: each weight row decoded once beforehand; with the
    // super-block formats, eight weight rows in the lanes of a vector) gives every pair of rows
    // bit for bit what they give alone (one weight row against one activation row), so logits
    // never depend on how a prompt is split into batches or the matrix among threads. Eleven
    // weight rows: a group of eight and one of three.
    void integer_dot_rows_same_for_any_batch_data() {
        integer_dot_rows_match_rounded_activations_data();
    }
    void integer_dot_rows_same_for_any_batch() {
        QFETCH(int, type);
        QFETCH(int, n);
        const auto t = TensorType(type);
        const TensorType at = activation_type(t);
        std::mt19937 rng(uint32_t(type * 31 + n));
        const int R = 11, T = 11;
        const std::vector<uint8_t> rows = random_rows(t, n, R, rng);
        const size_t row_bytes = rows.size() / R;
        const size_t stride = activation_row_bytes(at, n);
        std::vector<uint8_t> acts(stride * T);
        std::vector<float> x(static_cast<size_t>(n)), w(x.size());
        std::normal_distribution<float> normal;
        for (int s = 0; s < T; ++s) {
            for (float& v : x) v = normal(rng);
            if (s % 2) {  // every product of weight row s at its largest: +-127 by w's sign
                dequantize_row_reference(t, rows.data() + size_t(s) * row_bytes, w.data(), n);
                for (size_t j = 0; j < x.size(); ++j) x[j] = w[j] < 0 ? -1.f : 1.f;
            }
            quantize_activations(at, x.data(), n, acts.data() + size_t(s) * stride);
        }
        // The vector builds share one order of float additions; the VNNI ones only sum the
        // exact integers with other instructions, so all of them give the same bits.
        std::vector<float> first_vector;
        for (const CpuKernels* k : all_kernels()) {
            std::vector<float> batch(size_t(T) * R), one_row(batch.size()), alone(batch.size());
            k->gemm_rows_act(t, rows.data(), row_bytes, R, n, acts.data(), stride, T, batch.data(),
                             R);
            for (int r = 0; r < R; ++r) {
                const uint8_t* row = rows.data() + size_t(r) * row_bytes;
                k->dot_rows_act(t, row, n, acts.data(), stride, T, one_row.data() + r, R);
                for (int s = 0; s < T; ++s)
                    k->dot_rows_act(t, row, n, acts.data() + size_t(s) * stride, stride, 1,
                                    alone.data() + size_t(s) * R + r, 1);
            }
            QString diff = first_difference(k, batch, alone, "alone");
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
            diff = first_difference(k, one_row, alone, "alone");
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
            if (std::string(k->isa) == "scalar") continue;
            if (first_vector.empty()) first_vector = batch;
            diff = first_difference(k, batch, first_vector, "the first vector build");
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
    }

    void attention_row_kernels_match_reference() {
        // Two cached rows of n values each, read with a stride of n + 3.
        std::mt19937 rng(9);
        std::normal_distribution<float> normal;
        for (int n : {8, 32, 77, 128, 576}) {  // 576: DeepSeek's latent keys
            const int stride = n + 3;
            const double tol = 1e-4 * std::max(1.0, std::sqrt(n / 128.0));
            std::vector<uint16_t> a(size_t(2) * size_t(stride));
            std::vector<float> af(a.size()), b(static_cast<size_t>(n));
            for (size_t i = 0; i < a.size(); ++i) {
                a[i] = fp32_to_fp16(normal(rng));
                af[i] = fp16_to_fp32(a[i]);
            }
            // The f16 kernels round the query to fp16 first; give them a query that is exact.
            for (float& x : b) x = fp16_to_fp32(fp32_to_fp16(normal(rng)));
            // The weights are used as they are: -1/3 rounded to fp16 would be 1e-4 off.
            const float w[2] = {0.5f, -1.f / 3.f};
            for (const CpuKernels* k : all_kernels()) {
                float s16[2], s32[2];
                k->rows_dot_f16(a.data(), stride, 2, b.data(), n, s16);
                k->rows_dot_f32(af.data(), stride, 2, b.data(), n, s32);
                std::vector<float> y16(b), y32(b);
                k->rows_axpy_f16(a.data(), stride, 2, w, n, y16.data());
                k->rows_axpy_f32(af.data(), stride, 2, w, n, y32.data());
                for (int r = 0; r < 2; ++r) {
                    double want = 0;
                    for (int i = 0; i < n; ++i)
                        want += double(af[size_t(r * stride + i)]) * b[size_t(i)];
                    QVERIFY(std::abs(s16[r] - want) < tol);
                    QVERIFY(std::abs(s32[r] - want) < tol);
                }
                for (int i = 0; i < n; ++i) {
                    const double want =
                        b[size_t(i)] + 0.5 * af[size_t(i)] + double(w[1]) * af[size_t(stride + i)];
                    QVERIFY(std::abs(y16[size_t(i)] - want) < 1e-6);
                    QVERIFY(std::abs(y32[size_t(i)] - want) < 1e-6);
                }
            }
        }
    }

    void quant_attention_kernels_match_unpacked_codes_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("hd");
        QTest::addColumn<int>("block");
        for (int bits : {2, 3, 4, 8})
            for (auto [hd, block] :
                 {std::pair{8, 8}, {8, 64}, {32, 16}, {64, 64}, {128, 32}, {256, 128}})
                QTest::newRow(
                    qPrintable(QString("%1-bit hd%2 block%3").arg(bits).arg(hd).arg(block)))
                    << bits << hd << block;
    }
    void quant_attention_kernels_match_unpacked_codes() {
        QFETCH(int, bits);
        QFETCH(int, hd);
        QFETCH(int, block);
        QVERIFY(quant_view_supported(bits, hd, block));
        // Rows of three heads; the middle one is read, so its codes start inside the row. The
        // last row ends the buffer exactly, so a kernel reading past its bytes is caught by ASan.
        const int heads = 3, row = heads * hd, n = 37;
        std::mt19937 rng(uint32_t(bits * 1000 + hd + block));
        std::normal_distribution<float> normal;
        const size_t row_bytes = packed_bytes(size_t(row), bits);
        const int blocks = (row + block - 1) / block;
        std::vector<uint8_t> codes(size_t(n) * size_t(row)), packed(size_t(n) * row_bytes);
        std::vector<uint16_t> scales(size_t(n) * size_t(blocks));
        for (auto& c : codes) c = uint8_t(rng() & ((1u << bits) - 1));
        for (int p = 0; p < n; ++p)
            pack_codes(codes.data() + size_t(p) * size_t(row), size_t(row), bits,
                       packed.data() + size_t(p) * row_bytes);
        for (auto& sc : scales) sc = fp32_to_fp16(0.1f + std::abs(normal(rng)));
        std::vector<float> levels(static_cast<size_t>(1) << bits);
        for (auto& l : levels) l = normal(rng);
        std::vector<float> q(static_cast<size_t>(hd)), w(static_cast<size_t>(n));
        for (auto& x : q) x = normal(rng);
        for (auto& x : w) x = normal(rng);

        const int head = 1, first = head * hd;
        auto value = [&](int p, int i) {
            const int c = first + i;
            return double(levels[codes[size_t(p) * size_t(row) + size_t(c)]]) *
                   double(fp16_to_fp32(scales[size_t(p) * size_t(blocks) + size_t(c / block)]));
        };
        std::vector<double> want_scores(static_cast<size_t>(n)),
            want_out(static_cast<size_t>(hd), 0.5);
        for (int p = 0; p < n; ++p)
            for (int i = 0; i < hd; ++i) {
                want_scores[size_t(p)] += value(p, i) * double(q[size_t(i)]);
                want_out[size_t(i)] += double(w[size_t(p)]) * value(p, i);
            }

        const QuantHeadView view{packed.data(), row_bytes, scales.data(), size_t(blocks), first, hd,
                                 block,         bits,      levels.data()};
        int tested = 0;
        for (const CpuKernels* k : all_kernels()) {
            if (!k->quant_dot) continue;
            ++tested;
            std::vector<float> scores(static_cast<size_t>(n)), out(static_cast<size_t>(hd), 0.5f);
            k->quant_dot(view, q.data(), n, scores.data());
            k->quant_axpy(view, w.data(), n, out.data());
            for (int p = 0; p < n; ++p)
                QVERIFY2(std::abs(scores[size_t(p)] - want_scores[size_t(p)]) <=
                             1e-5 * (1 + std::abs(want_scores[size_t(p)])),
                         qPrintable(QString("%1 score %2: %3, want %4")
                                        .arg(k->isa)
                                        .arg(p)
                                        .arg(scores[size_t(p)])
                                        .arg(want_scores[size_t(p)])));
            for (int i = 0; i < hd; ++i)
                QVERIFY2(std::abs(out[size_t(i)] - want_out[size_t(i)]) <=
                             1e-5 * (1 + std::abs(want_out[size_t(i)])),
                         qPrintable(QString("%1 out %2").arg(k->isa).arg(i)));
            // Split anywhere (as where a ring of positions wraps), the same bits.
            for (const int m : {1, 2, 5, 18}) {
                QuantHeadView rest = view;
                rest.codes += size_t(m) * row_bytes;
                rest.scales += size_t(m) * size_t(blocks);
                std::vector<float> split(scores.size()), split_out(out.size(), 0.5f);
                k->quant_dot(view, q.data(), m, split.data());
                k->quant_dot(rest, q.data(), n - m, split.data() + m);
                k->quant_axpy(view, w.data(), m, split_out.data());
                k->quant_axpy(rest, w.data() + m, n - m, split_out.data());
                QVERIFY2(split == scores && split_out == out, qPrintable(QString(k->isa)));
            }
            // Four queries at once (the decoding heads grouped on one key head): each the
            // single form's bits, also in two pieces.
            if (!k->quant_dot_x4) continue;
            std::vector<float> q4(size_t(4) * size_t(hd)), w4(size_t(4) * size_t(n));
            for (auto& x : q4) x = normal(rng);
            for (auto& x : w4) x = normal(rng);
            std::vector<float> want4(size_t(4) * size_t(n)), got4(want4.size());
            std::vector<float> want4_out(size_t(4) * size_t(hd), 0.25f), got4_out(want4_out);
            const float* qs[4];
            const float* ws[4];
            const float* ws_rest[4];
            float* ss[4];
            float* os[4];
            const int m = 5;
            QuantHeadView rest = view;
            rest.codes += size_t(m) * row_bytes;
            rest.scales += size_t(m) * size_t(blocks);
            for (int g = 0; g < 4; ++g) {
                qs[g] = q4.data() + g * hd;
                ws[g] = w4.data() + g * n;
                ws_rest[g] = ws[g] + m;
                ss[g] = got4.data() + g * n;
                os[g] = got4_out.data() + g * hd;
                k->quant_dot(view, qs[g], n, want4.data() + g * n);
                k->quant_axpy(view, ws[g], n, want4_out.data() + g * hd);
            }
            k->quant_dot_x4(view, qs, n, ss);
            k->quant_axpy_x4(view, ws, m, os);
            k->quant_axpy_x4(rest, ws_rest, n - m, os);
            QVERIFY2(got4 == want4, qPrintable(QString("%1: four scores").arg(k->isa)));
            QVERIFY2(got4_out == want4_out, qPrintable(QString("%1: four outputs").arg(k->isa)));
        }
        // Both vector builds have these kernels; this machine runs at least one of them.
        if (cpu_kernels_for(Isa::Avx2)) QVERIFY(tested >= 1);
    }

    void best_kernels_are_chosen() {
        const std::string isa = cpu_kernels().isa;
        qInfo("kernels in use: %s", isa.c_str());
        if (std::getenv("NQKV_ISA")) return;
        for (Isa i : kIsas)
            if (cpu_kernels_for(i)) {
                QCOMPARE(isa, std::string(isa_name(i)));  // the first (best) one this CPU has
                break;
            }
        for (Isa i : kIsas) {
            const CpuKernels* k = cpu_kernels_named(isa_name(i));
            QCOMPARE(k, cpu_kernels_for(i));
            if (k) QCOMPARE(std::string(k->isa), std::string(isa_name(i)));
        }
        QVERIFY(!cpu_kernels_named("avx1024"));
    }
};

QTEST_GUILESS_MAIN(TestCpuKernels)
#include "test_cpu_kernels.moc"
