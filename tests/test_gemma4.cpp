// Gemma 4 against the naive float64 forward pass: layers whose heads differ in size and count,
// proportional RoPE, normed values, scaled layer outputs, and each of the parts its sizes add
// (the last layers reading earlier layers' keys and values, E2B/E4B's per-layer inputs, the
// full layers' keys as values, 26B-A4B's experts beside a dense feed-forward, widths per
// layer); the KV cache holding rows of two widths, quantized too.
#include <QtTest>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/kv_cache.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_gemma4.h"

using namespace nqkv;

class TestGemma4 : public QObject {
    Q_OBJECT

  private slots:
    void layout_is_read() {
        test::TinyGemma4 g;
        g.shared_kv = true;
        g.widths_per_layer = true;
        auto model = LlamaModel::load(test::write_tiny_gemma4(g));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(model->architecture(), std::string("gemma4"));
        QString kinds;
        for (int l = 0; l < hp.n_layer; ++l) kinds += hp.windowed(l) ? 'w' : 'F';
        QCOMPARE(kinds, QString("wFwFwF"));
        QCOMPARE(hp.head_size(0), 16);
        QCOMPARE(hp.head_size(1), 32);
        QCOMPARE(hp.heads_kv(0), 4);
        QCOMPARE(hp.heads_kv(1), 1);
        QCOMPARE(hp.rot_dims(0), 16);
        QCOMPARE(hp.rot_dims(1), 32);
        QVERIFY(hp.v_norm_plain && hp.rope_neox && !hp.uniform_heads());
        QCOMPARE(hp.attn_scale, 1.f);
        QCOMPARE(hp.final_softcap, 6.f);
        QCOMPARE(hp.embd_scale, 8.f);  // sqrt(64)
        // The last two layers read layers 2 (windowed) and 3 (full); four layers keep K and V.
        QCOMPARE(hp.n_kv_shared, 2);
        QCOMPARE(hp.kv_source(4), 2);
        QCOMPARE(hp.kv_source(5), 3);
        QCOMPARE(hp.n_kv_layer(), 4);
        QCOMPARE(hp.kv_layer(5), 3);
        QCOMPARE(hp.kv_rows(), (std::vector<int>{64, 32, 64, 32}));
        QCOMPARE(hp.ffn_width(0), 48);
        QCOMPARE(hp.ffn_width(5), 96);
        QCOMPARE(int(hp.rope_freq_factors.size()), 16);
        QVERIFY(!model->layers()[4].wk.info && model->layers()[0].out_scale);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Gemma 4"));
    }

    void matches_naive_reference_data() {
        QTest::addColumn<bool>("shared");
        QTest::addColumn<bool>("per_layer");
        QTest::addColumn<bool>("keys_as_values");
        QTest::addColumn<bool>("experts");
        QTest::addColumn<bool>("widths");
        QTest::newRow("31B-like") << false << false << false << false << false;
        QTest::newRow("shared KV") << true << false << false << false << false;
        QTest::newRow("E2B-like") << true << true << false << false << true;
        QTest::newRow("keys as values") << false << false << true << false << false;
        QTest::newRow("26B-A4B-like") << false << false << true << true << false;
    }
    void matches_naive_reference() {
        QFETCH(bool, shared);
        QFETCH(bool, per_layer);
        QFETCH(bool, keys_as_values);
        QFETCH(bool, experts);
        QFETCH(bool, widths);
        test::TinyGemma4 g;
        g.shared_kv = shared;
        g.per_layer_inputs = per_layer;
        g.keys_as_values = keys_as_values;
        g.experts = experts;
        g.widths_per_layer = widths;
        g.window = 64;  // wider than the prompt: the windows are checked with rings below
        auto model = LlamaModel::load(test::write_tiny_gemma4(g));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.n_embd_per_layer, per_layer ? 8 : 0);
        QCOMPARE(hp.n_expert, experts ? 6 : 0);
        QCOMPARE(bool(model->layers()[1].wv.info), !keys_as_values);
        const auto ids = model->tokenizer().encode(test::kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        test::matches_at_once_and_token_by_token(*model, ids, want);
    }

    // A window of 5 in batches of 3: the windowed layers' rings (their own, and the ones the
    // shared layers read) wrap several times, and going back stays exact.
    void windows_wrap_in_rings() {
        test::TinyGemma4 g;
        g.shared_kv = true;
        g.per_layer_inputs = true;
        auto model = LlamaModel::load(test::write_tiny_gemma4(g));
        std::vector<int> ids = model->tokenizer().encode(test::kPrompt, true);
        const auto more = model->tokenizer().encode(" and then 7 more were bought.", false);
        ids.insert(ids.end(), more.begin(), more.end());
        test::check_rings(*model, ids, test::naive_forward(*model, ids));
    }

    // NQKV on rows of two widths (64 values in the windowed layers, 32 in the full ones): blocks
    // of 32 divide both; each layer has its own block count and memory, and 8-bit codes stay
    // close to the float cache.
    void quantized_cache_holds_rows_of_two_widths() {
        auto model = LlamaModel::load(test::write_tiny_gemma4({}));
        const auto ids = model->tokenizer().encode(test::kPrompt, true);
        std::vector<float> ref, q8;
        test::logits_under_cache(*model, ids, "f32", 64, ref);
        auto ctx = test::logits_under_cache(*model, ids, "nq8", 64, q8);
        const KvCache& kv = ctx->kv_cache();
        QCOMPARE(kv.block_size(), 32);
        QCOMPARE(kv.blocks_per_row(0), 2);
        QCOMPARE(kv.blocks_per_row(1), 1);
        QCOMPARE(kv.max_blocks_per_row(), 2);
        const KvStats st = ctx->kv_stats();
        QCOMPARE(st.values_per_token, size_t(64 + 32 + 64 + 32 + 64 + 32));
        QCOMPARE(st.layer_k_bytes[0], size_t(64 + 2 * 2));  // 8-bit codes and two fp16 scales
        QCOMPARE(st.layer_k_bytes[1], size_t(32 + 2));
        QCOMPARE(st.bytes_per_token, 2 * (3 * size_t(68) + 3 * size_t(34)));
        QCOMPARE(kv_token_bytes(KvConfig::parse("nq8"), model->hparams(), false).total(),
                 st.bytes_per_token);
        const BlockView b = kv.block(1, 3, KvKind::V, 0);
        QCOMPARE(b.size, 32);
        QVERIFY(b.has_original && b.codes.size() == 32);
        bool refused = false;
        try {
            kv.block(1, 3, KvKind::V, 1);
        } catch (const Error& e) {
            refused = QString(e.what()).contains("(layer 1)");
        }
        QVERIFY(refused);
        const double gap = test::relative_gap(ref, q8);
        QVERIFY2(gap < 0.05, qPrintable(QString::number(gap)));
    }
};

QTEST_GUILESS_MAIN(TestGemma4)
#include "test_gemma4.moc"
