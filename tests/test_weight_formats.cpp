// The weight formats' layouts: blocks quantized by ggml itself read back as ggml reads them
// (every instruction set), the grid formats' tables (IQ1_S ... IQ3_S, TQ1_0, TQ2_0;
// grid_blocks.h) against the formats' definition and their sign rule; the project's own
// quantizers (the tests' and `nqkv synth-model`'s) round trip. The kernels' arithmetic on every
// format is checked in test_cpu_kernels, tiny models in every format in test_tiny_model.
#include <algorithm>
#include <random>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "engine/cpu_kernels.h"
#include "engine/ggml_types.h"
#include "engine/grid_blocks.h"
#include "engine/half.h"
#include "engine/llama_model.h"
#include "engine/quant_blocks.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;
using test::all_kernels;

namespace {

// Sum over entries e and values j of (e + 1) * (j + 1) * value: any change to any value of any
// entry changes it. The expected sums were computed from ggml's grids (gguf-py's copy, which
// stores them in its own packed form).
int64_t weighted_sum(const uint64_t* grid, int entries, int width) {
    int64_t sum = 0;
    for (int e = 0; e < entries; ++e)
        for (int j = 0; j < width; ++j)
            sum += int64_t(e + 1) * (j + 1) * int8_t(uint8_t(grid[e] >> (8 * j)));
    return sum;
}

int64_t weighted_sum(const uint32_t* grid, int entries) {
    std::vector<uint64_t> wide(grid, grid + entries);
    return weighted_sum(wide.data(), entries, 4);
}

}  // namespace

class TestWeightFormats : public QObject {
    Q_OBJECT

  private slots:
    // Blocks quantized and dequantized by ggml itself (tests/data/make_quant_vectors.py): the
    // engine must read the same values out of the same bytes.
    void formats_decode_like_ggml_data() {
        QTest::addColumn<QString>("type");
        for (const char* t :
             {"Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q5_K", "IQ4_NL", "IQ4_XS", "MXFP4"})
            QTest::newRow(t) << t;
        for (const char* t : {"Q1_0", "Q2_0"}) QTest::newRow(t) << t;
        for (TensorType t : kGridTypes) QTest::newRow(type_name(t)) << QString(type_name(t));
    }
    void formats_decode_like_ggml() {
        QFETCH(QString, type);
        QFile f(QString(NQKV_TEST_DATA_DIR) + "/quant_vectors.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject all = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonObject v = all["types"].toObject()[type].toObject();
        const QByteArray blocks = QByteArray::fromHex(v["blocks"].toString().toLatin1());
        const QJsonArray want = v["values"].toArray();
        const int n = all["n"].toInt();
        QCOMPARE(want.size(), n);
        TensorType t = TensorType::F32;
        for (uint32_t id = 0; id < 64; ++id)
            if (const TypeTraits* tr = type_traits(id); tr && type == tr->name) t = TensorType(id);
        const TypeTraits& tr = *type_traits(uint32_t(t));
        QVERIFY(tr.supported);
        QCOMPARE(int64_t(blocks.size()), int64_t(n / tr.block_elems * tr.block_bytes));
        for (const CpuKernels* k : all_kernels()) {
            std::vector<float> got(static_cast<size_t>(n));
            k->dequant_row(t, reinterpret_cast<const uint8_t*>(blocks.constData()), got.data(), n);
            for (int i = 0; i < n; ++i) {
                const double w = want[i].toDouble();
                // The grid formats' values are ggml's bit for bit (grid_blocks.h).
                const double tol = is_grid_type(t) ? 0 : 1e-6 * (1 + std::abs(w));
                QVERIFY2(std::abs(double(got[size_t(i)]) - w) <= tol,
                         qPrintable(QString("%1 %2 value %3: %4, ggml %5")
                                        .arg(k->isa)
                                        .arg(type)
                                        .arg(i)
                                        .arg(double(got[size_t(i)]))
                                        .arg(w)));
            }
        }
    }
    // The simple quantizers the tests and `nqkv synth-model` write files with: what they write
    // reads back close to what they were given.
    void quantizers_round_trip_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("max_rel_rms");
        QTest::newRow("Q8_0") << int(TensorType::Q8_0) << 0.01;
        QTest::newRow("Q4_0") << int(TensorType::Q4_0) << 0.12;
        QTest::newRow("Q4_K") << int(TensorType::Q4_K) << 0.10;
        QTest::newRow("Q6_K") << int(TensorType::Q6_K) << 0.03;
        QTest::newRow("IQ4_XS") << int(TensorType::IQ4_XS) << 0.10;
        QTest::newRow("MXFP4") << int(TensorType::MXFP4) << 0.15;
        // The grid formats at 1.56 to 3.44 bits a value (the ternary ones are for weights that
        // are ternary already: see grid_values_round_trip).
        QTest::newRow("IQ1_S") << int(TensorType::IQ1_S) << 0.70;
        QTest::newRow("IQ1_M") << int(TensorType::IQ1_M) << 0.62;
        QTest::newRow("IQ2_XXS") << int(TensorType::IQ2_XXS) << 0.48;
        QTest::newRow("IQ2_XS") << int(TensorType::IQ2_XS) << 0.45;
        QTest::newRow("IQ2_S") << int(TensorType::IQ2_S) << 0.39;
        QTest::newRow("IQ3_XXS") << int(TensorType::IQ3_XXS) << 0.24;
        QTest::newRow("IQ3_S") << int(TensorType::IQ3_S) << 0.19;
        QTest::newRow("TQ1_0") << int(TensorType::TQ1_0) << 0.9;
        QTest::newRow("TQ2_0") << int(TensorType::TQ2_0) << 0.9;
        QTest::newRow("Q1_0") << int(TensorType::Q1_0) << 0.65;
        QTest::newRow("Q2_0") << int(TensorType::Q2_0) << 0.9;
    }
    void quantizers_round_trip() {
        QFETCH(int, type);
        QFETCH(double, max_rel_rms);
        const auto t = TensorType(type);
        std::mt19937 rng(7);
        std::normal_distribution<float> normal;
        std::vector<float> x(1024), back(x.size());
        for (size_t i = 0; i < x.size(); ++i) x[i] = normal(rng) * (i < 256 ? 0.01f : 1.f);
        const auto bytes = quantize_values(x.data(), int64_t(x.size()), t);
        dequantize_row_reference(t, bytes.data(), back.data(), int64_t(x.size()));
        // Per 256 values, so the small block (scaled by 0.01) is judged on its own scale.
        double worst = 0;
        for (size_t b = 0; b < x.size(); b += 256) {
            double err = 0, ref = 0;
            for (size_t i = b; i < b + 256; ++i) {
                err += double(back[i] - x[i]) * double(back[i] - x[i]);
                ref += double(x[i]) * double(x[i]);
            }
            const double rel = std::sqrt(err / ref);
            worst = std::max(worst, rel);
            QVERIFY2(rel <= max_rel_rms, qPrintable(QString("block %1: %2").arg(b).arg(rel)));
        }
        qInfo("relative rms error %.4f", worst);
    }

    void grids_match_the_format_definition() {
        const GridTables& g = kGridTables;
        QCOMPARE(weighted_sum(g.iq2xxs, 256, 8), int64_t(25268190));
        QCOMPARE(weighted_sum(g.iq2xs, 512, 8), int64_t(107570417));
        QCOMPARE(weighted_sum(g.iq2s, 1024, 8), int64_t(425950849));
        QCOMPARE(weighted_sum(g.iq3xxs, 256), int64_t(9809562));
        QCOMPARE(weighted_sum(g.iq3s, 512), int64_t(9536338));
        QCOMPARE(weighted_sum(g.iq1s, 2048, 8), int64_t(9640208));
        // No entry twice: a grid is a set of distinct points.
        for (auto [grid, n] :
             {std::pair{g.iq2xxs, 256}, {g.iq2xs, 512}, {g.iq2s, 1024}, {g.iq1s, 2048}}) {
            std::vector<uint64_t> sorted(grid, grid + n);
            std::sort(sorted.begin(), sorted.end());
            QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
        }
        for (int i = 0; i < 256; ++i)
            for (int j = 0; j < 8; ++j)
                QCOMPARE(int(int8_t(uint8_t(g.signs[i] >> (8 * j)))), (i >> j) & 1 ? -1 : 1);
    }

    // IQ2_XXS, IQ2_XS and IQ3_XXS store 7 of every 8 signs: the eighth makes the number of
    // minus signs even.
    void eighth_sign_makes_the_count_even() {
        for (uint32_t s = 0; s < 128; ++s) {
            const uint8_t all = even_signs(s);
            QCOMPARE(uint32_t(all & 127), s);
            QCOMPARE(__builtin_popcount(all) % 2, 0);
        }
        QCOMPARE(int(even_signs(0x80)), 0);  // only the low 7 bits are read
    }

    // Weights that are ternary already (BitNet's) come back exactly.
    void ternary_values_round_trip_exactly() {
        for (TensorType t : {TensorType::TQ1_0, TensorType::TQ2_0}) {
            std::mt19937 rng(5);
            std::vector<float> x(1024), back(x.size());
            for (size_t i = 0; i < x.size(); ++i) {
                const float d = (i / 256) % 2 ? 0.0078125f : 0.25f;  // fp16 exactly
                x[i] = d * float(int(rng() % 3) - 1);
            }
            x[0] = x[512] = 0.25f;  // each block's largest magnitude is its d
            x[256] = x[768] = -0.0078125f;
            const auto bytes = quantize_values(x.data(), int64_t(x.size()), t);
            dequantize_row_reference(t, bytes.data(), back.data(), int64_t(x.size()));
            QCOMPARE(back, x);
        }
    }

    // A super-block of zeros (d = 0) reads as zeros, with no NaN from 0 * scale.
    void zero_blocks_read_as_zero() {
        for (uint32_t id = 0; id < 64; ++id) {
            const TensorType t = TensorType(id);
            if (!is_grid_type(t)) continue;
            std::vector<float> x(256, 0.f), back(256, 1.f);
            const auto bytes = quantize_values(x.data(), 256, t);
            dequantize_row_reference(t, bytes.data(), back.data(), 256);
            for (float v : back) QCOMPARE(v, 0.f);
        }
    }

    // Experts stored in the grid formats (as the 1- and 2-bit files of large mixtures of
    // experts store them): a Mixtral-style model with IQ2_XXS and with IQ1_S matrices against
    // the float64 pass, exactly with float activations, and with the integer path against the
    // pass that rounds activations the same way until a rounding boundary parts them.
    void experts_in_grid_formats_match_naive_reference() {
        for (TensorType t : {TensorType::IQ2_XXS, TensorType::IQ1_S}) {
            test::TinySpec spec;
            spec.n_embd = 256;
            spec.n_head = 8;
            spec.n_ff = 256;
            spec.n_expert = 4;
            spec.n_expert_used = 2;
            spec.matrix_type = t;
            auto model = LlamaModel::load(test::write_tiny_model(spec));
            QCOMPARE(model->file().tensor("blk.0.ffn_up_exps.weight")->type, t);
            const auto ids = model->tokenizer().encode(test::kPrompt, true);
            const test::Gap exact = test::gap(test::naive_forward(*model, ids),
                                              test::all_logits(*model, ids, 2, 128, true));
            QVERIFY2(exact.worst <= 1e-4 * exact.scale + 1e-5, type_name(t));
            const auto want = test::naive_forward(*model, ids, true);
            const auto got = test::all_logits(*model, ids);
            const size_t nv = want[0].size();
            size_t agree = 0;
            for (size_t p = 0; p < want.size(); ++p, ++agree) {
                double w = 0;
                for (size_t i = 0; i < nv; ++i)
                    w = std::max(w, std::abs(want[p][i] - double(got[p * nv + i])));
                if (w > 1e-4 * exact.scale + 1e-5) break;
            }
            qInfo(
                "%s experts: float path within %.2e; integer path: the first %zu of %zu "
                "positions agree",
                type_name(t), exact.worst, agree, want.size());
            QVERIFY(agree >= 8);
        }
    }

    // `nqkv synth-model --type` writes the new formats; the files load and name their type.
    void synth_model_writes_grid_formats() {
        QTemporaryDir dir;
        for (const char* type : {"IQ2_XXS", "IQ3_S", "IQ1_M", "TQ2_0", "Q1_0"}) {
            const QString path = dir.filePath(QString(type) + ".gguf");
            QProcess p;
            p.start(QString(NQKV_BIN_DIR) + "/nqkv",
                    {"synth-model", "-o", path, "--dim", "256", "--layers", "1", "--ff", "512",
                     "--heads", "8", "--kv-heads", "2", "--type", type});
            QVERIFY(p.waitForFinished(120000));
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
            auto model = LlamaModel::load(path.toStdString());
            QCOMPARE(QString(type_name(model->file().tensor("blk.0.ffn_up.weight")->type)),
                     QString(type));
        }
    }
};

QTEST_GUILESS_MAIN(TestWeightFormats)
#include "test_weight_formats.moc"
