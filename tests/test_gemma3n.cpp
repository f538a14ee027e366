// Gemma 3n against the naive float64 forward pass: four AltUp streams predicted and corrected
// around every layer, LAuReL beside attention, per-layer inputs joining the streams after the
// first, sparse feed-forward gates, the last layers reading earlier layers' keys and values,
// and what the file may leave unstated (llama.cpp's fixed choices).
#include <QtTest>

#include <cmath>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_gemma3n.h"

using namespace nqkv;

class TestGemma3n : public QObject {
    Q_OBJECT

    static QString kinds(const LlamaHParams& hp) {
        QString s;
        for (int l = 0; l < hp.n_layer; ++l) s += hp.windowed(l) ? 'w' : 'F';
        return s;
    }

  private slots:
    void layout_is_read() {
        auto model = LlamaModel::load(test::write_tiny_gemma3n({}));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(model->architecture(), std::string("gemma3n"));
        QCOMPARE(kinds(hp), QString("wwwwFw"));
        QCOMPARE(hp.n_altup, 4);
        QCOMPARE(hp.altup_active, 0);
        QCOMPARE(hp.n_embd_per_layer, 8);
        QVERIFY(hp.sparse_ffn(0) && hp.sparse_ffn(1) && !hp.sparse_ffn(2) && !hp.sparse_ffn(5));
        QCOMPARE(hp.ffn_sparsity[1], 0.5f);
        // The last layer (windowed) reads layer 3's keys and values.
        QCOMPARE(hp.n_kv_shared, 1);
        QCOMPARE(hp.kv_source(5), 3);
        QCOMPARE(hp.n_kv_layer(), 5);
        QVERIFY(hp.uniform_heads() && hp.v_norm_plain && hp.rope_neox && hp.ffn_gelu);
        QCOMPARE(hp.attn_scale, 1.f);
        QCOMPARE(hp.embd_scale, 8.f);      // sqrt(64)
        QCOMPARE(hp.rope_base_swa, 1e4f);  // unstated: Gemma 3n's local base
        QCOMPARE(hp.rope_base, 1e6f);
        QCOMPARE(hp.final_softcap, 6.f);
        QCOMPARE(int(model->altup().proj.size()), 3);
        QCOMPARE(model->layers()[0].laurel_l.rows, int64_t(4));
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Gemma 3n"));
    }

    // A file that states none of the optional keys reads as llama.cpp fixes them: one full
    // layer in five, the first ten layers sparse at the 95th percentile, keys and values
    // shared from layer 20 on.
    void unstated_keys_take_llama_cpp_values() {
        test::TinyGemma3n g;
        g.keys = false;
        g.layers = 22;
        g.per_layer = 2;
        auto model = LlamaModel::load(test::write_tiny_gemma3n(g));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(kinds(hp), QString("wwwwFwwwwFwwwwFwwwwFww"));
        for (int l = 0; l < 22; ++l) QCOMPARE(hp.sparse_ffn(l), l < 10);
        QCOMPARE(hp.ffn_sparsity[0], 1.6448533535003662f);
        QCOMPARE(hp.n_kv_shared, 2);
        QCOMPARE(hp.kv_source(20), 18);  // windowed: the last windowed layer before
        QCOMPARE(hp.kv_source(21), 18);
        QCOMPARE(hp.n_kv_layer(), 20);
    }

    void refuses_another_active_stream() {
        test::TinyGemma3n g;
        g.active = 1;
        const std::string path = test::write_tiny_gemma3n(g);
        QString message;
        try {
            LlamaModel::load(path);
        } catch (const Error& e) {
            message = e.what();
        }
        QVERIFY2(message.contains("altup.active_idx 1") && message.contains(path.c_str()),
                 qPrintable(message));
    }

    void matches_naive_reference_data() {
        QTest::addColumn<bool>("keys");
        QTest::addColumn<int>("type");
        QTest::newRow("stated, F32") << true << int(TensorType::F32);
        QTest::newRow("llama.cpp's defaults, F32") << false << int(TensorType::F32);
        QTest::newRow("stated, Q8_0") << true << int(TensorType::Q8_0);
    }
    void matches_naive_reference() {
        QFETCH(bool, keys);
        QFETCH(int, type);
        test::TinyGemma3n g;
        g.keys = keys;
        g.matrix_type = TensorType(type);
        auto model = LlamaModel::load(test::write_tiny_gemma3n(g));
        // Six layers, all sparse without the keys; with them two, and one reading another's.
        QCOMPARE(model->hparams().sparse_ffn(5), !keys);
        const auto ids = model->tokenizer().encode(test::kPrompt, true);
        const bool quantized = TensorType(type) != TensorType::F32;
        test::matches_at_once_and_token_by_token(*model, ids,
                                                 test::naive_forward(*model, ids, quantized));
    }

    // A window of 5 in batches of 3: the windowed layers' rings (their own, and the one the
    // shared layer reads) wrap several times, and going back stays exact.
    void windows_wrap_in_rings() {
        test::TinyGemma3n g;
        g.window = 5;
        auto model = LlamaModel::load(test::write_tiny_gemma3n(g));
        std::vector<int> ids = model->tokenizer().encode(test::kPrompt, true);
        const auto more = model->tokenizer().encode(" and then 7 more were bought.", false);
        ids.insert(ids.end(), more.begin(), more.end());
        test::check_rings(*model, ids, test::naive_forward(*model, ids));
    }
};

QTEST_GUILESS_MAIN(TestGemma3n)
#include "test_gemma3n.moc"
