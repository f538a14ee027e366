// Llama-Nemotron (deci) against the naive float64 forward pass: layers with their own
// key/value head counts and feed-forward widths, attention replaced by one projection, layers
// without attention or without anything, a KV cache holding only the attention layers, in
// rows of three widths; refusals naming the key.
#include <QtTest>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/kv_cache.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_deci.h"

using namespace nqkv;

class TestDeci : public QObject {
    Q_OBJECT

    static QString refusal(const test::TinyDeci& d) {
        const std::string path = test::write_tiny_deci(d);
        try {
            LlamaModel::load(path);
        } catch (const Error& e) {
            return QString(e.what()).contains(path.c_str()) ? e.what() : "without the path";
        }
        return "loaded";
    }

  private slots:
    void layout_is_read() {
        auto model = LlamaModel::load(test::write_tiny_deci({}));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(model->architecture(), std::string("deci"));
        // A attention, L one projection, F a feed-forward alone, . nothing
        QString kinds, widths;
        for (int l = 0; l < hp.n_layer; ++l) {
            kinds += hp.linear_attn(l) ? 'L'
                     : hp.ffn_only(l)  ? (hp.has_ffn(l) ? 'F' : '.')
                     : hp.attention(l) ? 'A'
                                       : '?';
            widths += QString::number(hp.ffn_width(l)) + " ";
        }
        QCOMPARE(kinds, QString("ALFA.AA"));
        QCOMPARE(widths, QString("96 64 128 96 0 96 32 "));
        QCOMPARE(hp.n_head, 4);
        QCOMPARE(hp.heads_kv(0), 2);
        QCOMPARE(hp.heads_kv(3), 4);
        QCOMPARE(hp.heads_kv(5), 1);
        QVERIFY(!hp.uniform_heads());
        QCOMPARE(hp.n_kv_layer(), 4);
        QCOMPARE(hp.kv_layer(5), 2);
        QCOMPARE(hp.kv_rows(), (std::vector<int>{32, 64, 16, 32}));
        QVERIFY(!model->layers()[2].attn_norm && model->layers()[1].wo.info &&
                !model->layers()[1].wq.info);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Llama-Nemotron"));

        test::TinyDeci uniform;
        uniform.per_layer = false;  // DeciLM-7B's shape: one count and width for all
        auto flat = LlamaModel::load(test::write_tiny_deci(uniform));
        QVERIFY(flat->hparams().uniform_heads());
        QCOMPARE(flat->hparams().n_kv_layer(), 3);
    }

    void refuses_layouts_it_cannot_run() {
        test::TinyDeci d;
        d.layer3_heads = 2;
        QString m = refusal(d);
        QVERIFY2(m.contains("deci.attention.head_count gives layers 2 and 4 query heads"),
                 qPrintable(m));
        d = {};
        d.free_layer_kv = 2;
        m = refusal(d);
        QVERIFY2(m.contains("deci.attention.head_count_kv gives layer 2 2 key/value heads but it "
                            "has no query heads"),
                 qPrintable(m));
    }

    void matches_naive_reference_data() {
        QTest::addColumn<bool>("per_layer");
        QTest::addColumn<int>("type");
        QTest::newRow("layers of every kind, F32") << true << int(TensorType::F32);
        QTest::newRow("layers of every kind, Q8_0") << true << int(TensorType::Q8_0);
        QTest::newRow("uniform, F16") << false << int(TensorType::F16);
    }
    void matches_naive_reference() {
        QFETCH(bool, per_layer);
        QFETCH(int, type);
        test::TinyDeci d;
        d.per_layer = per_layer;
        d.matrix_type = TensorType(type);
        auto model = LlamaModel::load(test::write_tiny_deci(d));
        const auto ids = model->tokenizer().encode(test::kPrompt, true);
        const bool quantized = TensorType(type) == TensorType::Q8_0;
        test::matches_at_once_and_token_by_token(*model, ids,
                                                 test::naive_forward(*model, ids, quantized));
    }

    // The cache holds the four attention layers only, rows of 32, 64, 16 and 32 values: blocks
    // of 16 divide them all; 8-bit codes stay close to the float cache.
    void quantized_cache_holds_the_attention_layers() {
        auto model = LlamaModel::load(test::write_tiny_deci({}));
        const auto ids = model->tokenizer().encode(test::kPrompt, true);
        std::vector<float> ref, q8;
        test::logits_under_cache(*model, ids, "f32", 64, ref);
        auto ctx = test::logits_under_cache(*model, ids, "nq8", 64, q8);
        const KvCache& kv = ctx->kv_cache();
        QCOMPARE(kv.block_size(), 16);
        QCOMPARE(kv.blocks_per_row(0), 2);
        QCOMPARE(kv.blocks_per_row(1), 4);
        QCOMPARE(kv.blocks_per_row(2), 1);
        const KvStats st = ctx->kv_stats();
        QCOMPARE(st.values_per_token, size_t(32 + 64 + 16 + 32));
        QCOMPARE(kv_token_bytes(KvConfig::parse("nq8"), model->hparams(), false).total(),
                 st.bytes_per_token);
        const double gap = test::relative_gap(ref, q8);
        QVERIFY2(gap < 0.05, qPrintable(QString::number(gap)));
    }
};

QTEST_GUILESS_MAIN(TestDeci)
#include "test_deci.moc"
