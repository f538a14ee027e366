// Llama 4 (llama4) against the naive float64 forward pass: experts in every other layer beside
// a shared one as wide, picked by the router's logits and weighed (by their sigmoid) before
// they run; plain query and key norms after RoPE in the layers with RoPE; every fourth layer
// without RoPE, its queries warmed past 8192 positions; chunked attention of 8192 in the
// others, checked on 8,300 tokens (what lies before a chunk has no effect within it, in rings
// that wrap and with NQKV codes); and the files llama.cpp refuses refused by name.
#include <QtTest>

#include <cmath>

#include "engine/backend.h"
#include "engine/kv_config.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;
using test::error_of;

namespace {

test::TinySpec llama4_spec(int n_expert = 6) {
    test::TinySpec spec;
    spec.arch = "llama4";
    spec.n_layer = 4;
    spec.n_expert = n_expert;
    spec.n_expert_used = 1;
    spec.n_ff = 40;
    return spec;
}

std::string write(const GgufWriter& w, const char* name) {
    const std::string path = test::temp_dir() + "/" + name;
    w.write(path);
    return path;
}

// Every position's logits of ids read in batches of 64 (rows of n_vocab).
std::vector<float> read_in_batches(const LlamaModel& m, const std::vector<int>& ids,
                                   const std::string& kv) {
    ContextParams cp;
    cp.n_ctx = int(ids.size()) + 8;
    cp.n_batch = 64;
    cp.kv = KvConfig::parse(kv);
    auto ctx = make_cpu_backend()->create_context(m, cp);
    const size_t nv = size_t(m.hparams().n_vocab);
    std::vector<float> out(ids.size() * nv);
    for (size_t b = 0; b < ids.size(); b += 64) {
        const int n = int(std::min<size_t>(64, ids.size() - b));
        ctx->eval(&ids[b], n, out.data() + b * nv, true);
    }
    return out;
}

double row_gap(const std::vector<float>& a, const std::vector<float>& b, size_t pos, size_t nv) {
    double worst = 0;
    for (size_t i = pos * nv; i < (pos + 1) * nv; ++i)
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

}  // namespace

class TestLlama4 : public QObject {
    Q_OBJECT

  private slots:
    void layout_is_read() {
        auto model = LlamaModel::load(test::write_tiny_model(llama4_spec()));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(model->architecture(), std::string("llama4"));
        QVERIFY(!hp.moe(0) && hp.moe(1) && !hp.moe(2) && hp.moe(3));
        QCOMPARE(hp.n_ff, 40);
        QCOMPARE(hp.n_ff_dense, 48);
        QCOMPARE(hp.n_ff_shared, 40);
        QVERIFY(hp.expert_sigmoid && hp.expert_weight_first && !hp.expert_weights_norm);
        QVERIFY(!hp.rope_neox && hp.qk_plain_norm_roped);
        // Chunks of 8192 in layers 0-2; layer 3 sees everything, without RoPE.
        QVERIFY(hp.swa_chunked);
        QCOMPARE(hp.swa_window, 8192);
        for (int l = 0; l < 3; ++l) QVERIFY(hp.windowed(l) && hp.roped(l));
        QVERIFY(!hp.windowed(3) && !hp.roped(3));
        QCOMPARE(hp.first_key(0, 8191), 0);
        QCOMPARE(hp.first_key(0, 8192), 8192);
        QCOMPARE(hp.first_key(2, 20000), 16384);
        QCOMPARE(hp.first_key(3, 20000), 0);
        // The temperature: 1 + 0.1 ln(floor((p + 1) / 8192) + 1), in layer 3 only.
        QCOMPARE(hp.query_temperature(3, 8190), 1.f);
        QVERIFY(std::abs(hp.query_temperature(3, 8191) - (1 + 0.1 * std::log(2.0))) < 1e-6);
        QVERIFY(std::abs(hp.query_temperature(3, 3 * 8192) - (1 + 0.1 * std::log(4.0))) < 1e-6);
        QCOMPARE(hp.query_temperature(0, 3 * 8192), 1.f);
        const LlamaLayer& L = model->layers()[1];
        QVERIFY(L.router.info && L.sh_gate.info && !L.q_norm && !L.sh_gate_inp);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Llama 4"));

        // Maverick (128 experts) has no query and key norms, as llama.cpp tells them apart.
        test::TinySpec mav = llama4_spec(128);
        mav.n_ff = 8;
        QVERIFY(!LlamaModel::load(test::write_tiny_model(mav))->hparams().qk_plain_norm_roped);
    }

    void matches_naive_reference_data() {
        QTest::addColumn<int>("experts");
        QTest::addColumn<int>("used");
        QTest::newRow("one expert of 6") << 6 << 1;
        QTest::newRow("two of 6") << 6 << 2;
        QTest::newRow("Maverick: 128, no q/k norms") << 128 << 1;
    }
    void matches_naive_reference() {
        QFETCH(int, experts);
        QFETCH(int, used);
        test::TinySpec spec = llama4_spec(experts);
        spec.n_expert_used = used;
        if (experts == 128) spec.n_ff = 8;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        test::matches_naive_on_prompt(*model);
    }

    // Every layer chunked (sliding_window_pattern 0): two texts of 8,300 tokens that differ
    // only before position 8192 give the same logits from 8192 on (each chunk sees itself
    // alone), and different ones before. Read in batches of 64, so that each layer's ring of
    // 8192 + 64 positions wraps, in fp16 and in NQKV codes.
    void chunks_see_only_themselves_data() {
        QTest::addColumn<QString>("kv");
        QTest::newRow("fp16") << "fp16";
        QTest::newRow("nq4") << "nq4";
    }
    void chunks_see_only_themselves() {
        QFETCH(QString, kv);
        test::TinySpec spec = llama4_spec();
        spec.n_embd = 32;
        spec.n_head = 2;
        spec.n_head_kv = 1;
        spec.n_ctx = 16384;
        GgufWriter w = test::tiny_model_writer(spec);
        w.set("llama4.attention.sliding_window_pattern", GgufValue::u32(0));
        auto model = LlamaModel::load(write(w, "chunked.gguf"));
        const LlamaHParams& hp = model->hparams();
        for (int l = 0; l < hp.n_layer; ++l) QVERIFY(hp.windowed(l));
        const size_t nv = size_t(hp.n_vocab), n = 8300;
        std::vector<int> a(n), b(n);
        for (size_t i = 0; i < n; ++i) {
            a[i] = 3 + int((i * 7919) % (nv - 3));
            b[i] = i < 8192 ? 3 + int((i * 104729 + 11) % (nv - 3)) : a[i];
        }
        const auto la = read_in_batches(*model, a, kv.toStdString());
        const auto lb = read_in_batches(*model, b, kv.toStdString());
        QVERIFY(row_gap(la, lb, 8191, nv) > 1e-2);
        for (size_t pos = 8192; pos < n; ++pos)
            QVERIFY2(row_gap(la, lb, pos, nv) == 0, qPrintable(QString::number(pos)));
    }

    void files_llama_cpp_would_refuse_are_refused() {
        const auto refusal = [](const GgufWriter& w) {
            return error_of([&] { LlamaModel::load(write(w, "refused.gguf")); });
        };
        QVERIFY(refusal(test::tiny_model_writer(llama4_spec(0)))
                    .contains("expert_count is missing: Llama 4 files have experts"));
        GgufWriter w = test::tiny_model_writer(llama4_spec());
        w.set("llama4.attention.sliding_window", GgufValue::u32(0));
        QVERIFY(refusal(w).contains("attention.sliding_window 0"));
        w = test::tiny_model_writer(llama4_spec());
        w.erase("llama4.interleave_moe_layer_step");
        QVERIFY(refusal(w).contains("llama4.interleave_moe_layer_step"));
        w = test::tiny_model_writer(llama4_spec());
        w.set("llama4.rope.freq_base_swa", GgufValue::f32(1000.f));
        QVERIFY(refusal(w).contains("rope.freq_base_swa"));
    }
};

QTEST_GUILESS_MAIN(TestLlama4)
#include "test_llama4.moc"
