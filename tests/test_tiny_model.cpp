// Tiny random models written by the project's own GGUF writer, with a tokenizer trained in
// the test: the CPU backend against a naive double-precision forward pass, and generation
// end to end (stop strings, budgets, cancel, context limits, determinism).
#include <atomic>
#include <cmath>

#include "engine/activation_quant.h"
#include "engine/backend.h"
#include "engine/error.h"
#include "engine/generator.h"
#include "engine/grid_blocks.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

using test::all_logits;
using test::cpu_context;
using test::Gap;
using test::gap;
using test::greedy;
using test::kPrompt;

class TestTinyModel : public QObject {
    Q_OBJECT

  private slots:
    void forward_matches_naive_reference_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("tied");
        QTest::addColumn<float>("rope_scale");
        QTest::newRow("F32") << int(TensorType::F32) << false << 1.f;
        QTest::newRow("F32 tied, rope x4") << int(TensorType::F32) << true << 4.f;
        QTest::newRow("F16") << int(TensorType::F16) << false << 1.f;
        QTest::newRow("BF16") << int(TensorType::BF16) << false << 1.f;
        QTest::newRow("Q8_0") << int(TensorType::Q8_0) << true << 1.f;
        QTest::newRow("Q4_0") << int(TensorType::Q4_0) << false << 2.f;
        QTest::newRow("IQ4_NL") << int(TensorType::IQ4_NL) << false << 1.f;
        QTest::newRow("IQ4_XS tied") << int(TensorType::IQ4_XS) << true << 1.f;
        QTest::newRow("Q4_K") << int(TensorType::Q4_K) << false << 1.f;
        QTest::newRow("Q6_K tied") << int(TensorType::Q6_K) << true << 1.f;
        // The grid formats (grid_blocks.h), half of them with the output tied.
        bool tie = false;
        for (TensorType t : kGridTypes) {
            QTest::newRow(qPrintable(QString(type_name(t)) + (tie ? " tied" : "")))
                << int(t) << tie << 1.f;
            tie = !tie;
        }
        QTest::newRow("Q1_0, rope x2") << int(TensorType::Q1_0) << false << 2.f;
        QTest::newRow("Q2_0") << int(TensorType::Q2_0) << false << 1.f;
    }
    void forward_matches_naive_reference() {
        QFETCH(int, type);
        QFETCH(bool, tied);
        QFETCH(float, rope_scale);
        test::TinySpec spec;
        spec.matrix_type = TensorType(type);
        spec.tied_output = tied;
        spec.rope_scale = rope_scale;
        if (type_traits(uint32_t(spec.matrix_type))->block_elems > 32) {
            spec.n_embd = 256;
            spec.n_head = 8;
            spec.n_ff = 512;
        }
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        QCOMPARE(model->tied_output(), tied);
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        const Gap g = gap(want, all_logits(*model, ids, 2, 128, true));
        qInfo("float activations: max |logit - naive| = %.2e (logits up to %.1f)", g.worst,
              g.scale);
        QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
        if (activation_type(spec.matrix_type) == TensorType::F32) return;

        // The default integer path against the reference with the same rounded activations.
        // They agree to float precision until, somewhere, one activation lies within float
        // noise of a rounding boundary (the two add in different orders) and the two round it
        // apart; from there on, through the cache, later positions differ by about one rounding
        // step. Wiring mistakes differ from the first position on, and by far more.
        const auto want_r = test::naive_forward(*model, ids, true);
        const auto got = all_logits(*model, ids);
        const size_t nv = want_r[0].size();
        double worst = 0;
        size_t agree = 0;
        bool parted = false;
        for (size_t t = 0; t < want_r.size(); ++t) {
            double w = 0;
            for (size_t i = 0; i < nv; ++i)
                w = std::max(w, std::abs(want_r[t][i] - double(got[t * nv + i])));
            worst = std::max(worst, w);
            parted = parted || w > 1e-4 * g.scale + 1e-5;
            agree += !parted;
        }
        qInfo(
            "rounded activations: max |logit - naive| = %.2e, the first %zu of %zu positions "
            "agree",
            worst, agree, want_r.size());
        QVERIFY(agree >= 8);
        QVERIFY(worst <= 5e-2 * g.scale);

        // The integer path gives the same bits however the prompt is batched and the matrices
        // shared among threads: the whole prompt at once with two threads, token by token with
        // one.
        auto one = cpu_context(*model, 1);
        std::vector<float> alone(got.size());
        for (size_t t = 0; t < ids.size(); ++t) one->eval(&ids[t], 1, alone.data() + t * nv);
        size_t same = 0;
        for (size_t i = 0; i < got.size(); ++i) same += got[i] == alone[i];
        QCOMPARE(same, got.size());
    }

    // Llama 3.1 and later divide each pair's angle by rope_freqs.weight; the model here also has a
    // byte-level BPE vocabulary, as those models do.
    void rope_frequency_factors_are_applied() {
        test::TinySpec spec;
        spec.bpe_pre = "llama-bpe";
        spec.n_embd = 128;  // 4 heads of 32: 16 pairs, 4 fast, 8 in between, 4 slow
        spec.rope_freqs = true;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        QCOMPARE(model->hparams().rope_freq_factors.size(), size_t(16));
        QCOMPARE(model->hparams().rope_freq_factors.back(), 8.f);
        spec.rope_freqs = false;
        auto plain = LlamaModel::load(test::write_tiny_model(spec));
        QVERIFY(plain->hparams().rope_freq_factors.empty());

        std::string prompt;
        for (int i = 0; i < 6; ++i) prompt += std::string(kPrompt) + " 7 more. ";
        const auto ids = model->tokenizer().encode(prompt, true);
        QVERIFY(ids.size() > 80);
        const auto want = test::naive_forward(*model, ids);
        const auto without = test::naive_forward(*plain, ids);
        const Gap g = gap(want, all_logits(*model, ids));
        double apart = 0;
        for (size_t t = 0; t < ids.size(); ++t)
            for (size_t i = 0; i < want[t].size(); ++i)
                apart = std::max(apart, std::abs(want[t][i] - without[t][i]));
        qInfo("max |logit - naive| = %.2e; the factors move logits by up to %.2f", g.worst, apart);
        QVERIFY(g.worst <= 1e-4);
        QVERIFY(apart > 0.05);  // the factors matter at these positions
    }

    // Qwen2: biases on the query, key and value projections and NeoX RoPE (pairs i, i + 16).
    void qwen2_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "qwen2";
        spec.bpe_pre = "qwen2";
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        QCOMPARE(model->architecture(), std::string("qwen2"));
        QVERIFY(model->hparams().rope_neox);
        QVERIFY(model->layers()[0].bq && model->layers()[0].bk && model->layers()[0].bv);
        QVERIFY(!model->layers()[0].bo);
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        for (int threads : {1, 2}) {
            const Gap g = gap(want, all_logits(*model, ids, threads));
            qInfo("%d threads: max |logit - naive| = %.2e (logits up to %.1f)", threads, g.worst,
                  g.scale);
            QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
        }
    }

    // Phi-3: fused projections read as bands of rows, NeoX RoPE with Phi-3.5's short factors and
    // scaled cos/sin; a context past the original length takes the long factors.
    void phi3_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "phi3";
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.rope_neox);
        QCOMPARE(hp.rope_attn_factor, 1.19f);
        QCOMPARE(model->layers()[1].wv.first_row, int64_t(spec.n_embd + spec.n_embd / 2));
        QCOMPARE(model->layers()[1].w_up.first_row, int64_t(spec.n_ff));
        QCOMPARE(context_hparams(hp, 64).rope_freq_factors, hp.rope_freq_factors);
        QCOMPARE(context_hparams(hp, 65).rope_freq_factors, hp.rope_freq_factors_long);
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);  // short factors
        const std::vector<float> got = all_logits(*model, ids, 2, 64);
        const Gap g = gap(want, got);
        qInfo("max |logit - naive| = %.2e (logits up to %.1f)", g.worst, g.scale);
        QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
        // Past the original context the long factors change the logits.
        const std::vector<float> longer = all_logits(*model, ids, 2, 128);
        double apart = 0;
        for (size_t i = 0; i < got.size(); ++i)
            apart = std::max(apart, double(std::abs(got[i] - longer[i])));
        QVERIFY2(apart > 1e-2, qPrintable(QString::number(apart)));
    }

    // Arcee (AFM-4.5B): llama's layers with ReLU(up x)^2 through down, no gate; the GPU
    // backend refuses it by name.
    // InternLM2 and XVERSE: llama's layers under their own names, read as llama's (their
    // converters split InternLM2's fused projections), the same logits bit for bit.
    void llama_layouts_under_other_names_read_as_llama() {
        test::TinySpec spec;
        const auto llama = LlamaModel::load(test::write_tiny_model(spec));
        const auto ids = llama->tokenizer().encode(kPrompt, true);
        const std::vector<float> want = test::all_logits(*llama, ids);
        for (const char* arch : {"internlm2", "xverse"}) {
            spec.arch = arch;
            const auto model = LlamaModel::load(test::write_tiny_model(spec));
            QCOMPARE(model->architecture(), std::string(arch));
            QVERIFY(!model->hparams().rope_neox);
            QVERIFY2(test::all_logits(*model, ids) == want, arch);
        }
    }

    void arcee_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "arcee";
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        QVERIFY(model->hparams().ffn_relu2 && !model->hparams().rope_neox);
        QVERIFY(!model->layers()[0].w_gate.info && model->layers()[0].w_up.info);
        QCOMPARE(model->layers()[1].w_down.cols, int64_t(spec.n_ff));
        QVERIFY(QString::fromStdString(gpu_unsupported(model->hparams())).contains("Arcee"));
        test::matches_naive_on_prompt(*model);
    }

    // Apertus: xIELU(up x) through down with each layer's constants, per-head query and key
    // norms, NeoX RoPE; its constants are required; the GPU backend refuses it by name.
    void apertus_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "apertus";
        GgufWriter w = test::tiny_model_writer(spec);
        const std::string path = test::temp_dir() + "/apertus.gguf";
        w.write(path);
        auto model = LlamaModel::load(path);
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(int(hp.xielu.size()), spec.n_layer);
        QVERIFY(hp.rope_neox && !hp.ffn_relu2 && model->layers()[0].q_norm);
        // alpha_p through softplus; alpha_n through softplus plus beta
        QVERIFY(std::abs(hp.xielu[0].alpha_p - std::log1p(std::exp(-0.5))) < 1e-6);
        QVERIFY(std::abs(hp.xielu[1].alpha_n - (0.5 + std::log1p(std::exp(1.1)))) < 1e-6);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("xIELU"));
        test::matches_naive_on_prompt(*model);
        w.erase("xielu.beta");
        w.write(path);
        try {
            LlamaModel::load(path);
            QFAIL("loaded Apertus without xielu.beta");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("xielu.beta is missing"), e.what());
        }
    }

    // Qwen2-MoE (Qwen1.5-MoE, Qwen2-57B-A14B): Qwen2's attention (biases, NeoX RoPE), softmax
    // experts whose weights are not renormalised, and a shared expert gated by a sigmoid.
    void qwen2moe_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "qwen2moe";
        spec.n_expert = 6;
        spec.n_expert_used = 2;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.rope_neox && !hp.expert_weights_norm);
        QCOMPARE(hp.n_ff_shared, spec.n_ff + 16);
        QVERIFY(model->layers()[0].bq && model->layers()[0].sh_gate_inp);
        test::matches_naive_on_prompt(*model);
    }

    // Qwen3: heads wider than n_embd / n_head (24 x 4 = 96 query dimensions for a width of 64),
    // per-head RMSNorm of queries and keys before NeoX RoPE, byte-level vocabulary.
    void qwen3_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "qwen3";
        spec.bpe_pre = "qwen2";
        spec.head_dim = 24;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.head_dim, 24);
        QCOMPARE(hp.q_dim(), 96);
        QVERIFY(hp.rope_neox && model->layers()[0].q_norm && model->layers()[0].k_norm);
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const Gap g = gap(test::naive_forward(*model, ids), all_logits(*model, ids));
        qInfo("max |logit - naive| = %.2e (logits up to %.1f)", g.worst, g.scale);
        QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
    }

    // Qwen2-VL's and Qwen3-VL's text: Qwen2's and Qwen3's layers with multimodal RoPE, whose
    // fourth section (a position of 0 for text, as llama.cpp gives it) leaves its pairs
    // unturned: the loader marks exactly those, in order for Qwen2-VL and interleaved for
    // Qwen3-VL.
    void qwen_vl_text_matches_naive_reference_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("still");  // the pairs that never turn
        QTest::newRow("qwen2vl") << "qwen2vl"
                                 << "......xx";
        QTest::newRow("qwen3vl") << "qwen3vl"
                                 << "....x...";
    }
    void qwen_vl_text_matches_naive_reference() {
        QFETCH(QString, arch);
        QFETCH(QString, still);
        test::TinySpec spec;
        spec.arch = arch.toStdString();
        spec.bpe_pre = "qwen2";
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.rope_neox);
        QCOMPARE(hp.rope_interleaved, arch == "qwen3vl");
        QString got;
        for (float f : hp.rope_freq_factors) got += std::isinf(f) ? 'x' : f == 1.f ? '.' : '?';
        QCOMPARE(got, still);
        QCOMPARE(bool(model->layers()[0].q_norm), arch == "qwen3vl");
        QCOMPARE(bool(model->layers()[0].bq), arch == "qwen2vl");
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const Gap g = gap(test::naive_forward(*model, ids), all_logits(*model, ids));
        qInfo("max |logit - naive| = %.2e (logits up to %.1f)", g.worst, g.scale);
        QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);

        // Sections on another architecture are refused by name, not ignored.
        test::TinySpec plain;
        plain.arch = "qwen2";
        GgufWriter w = test::tiny_model_writer(plain);
        w.set("qwen2.rope.dimension_sections",
              GgufValue::array(GgufType::I32, {GgufValue::i32(4), GgufValue::i32(4)}));
        const std::string path = test::temp_dir() + "/qwen2-sections.gguf";
        w.write(path);
        try {
            LlamaModel::load(path);
            QFAIL("loaded qwen2 with multimodal RoPE sections");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("supported for Qwen2-VL, Qwen3-VL and GLM-4.1V"),
                     e.what());
        }
    }

    void biases_the_engine_does_not_apply_are_refused() {
        test::TinySpec spec;
        GgufWriter w = test::tiny_model_writer(spec);
        w.add_f32("blk.1.ffn_up.bias", {uint64_t(spec.n_ff)},
                  std::vector<float>(size_t(spec.n_ff)));
        const std::string path = test::temp_dir() + "/ffn-bias.gguf";
        w.write(path);
        try {
            LlamaModel::load(path);
            QFAIL("loaded a model with a feed-forward bias");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("blk.1.ffn_up.bias"), e.what());
        }
    }

    void thread_count_does_not_change_results() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const size_t nv = size_t(model->hparams().n_vocab);
        std::vector<float> a(nv), b(nv);
        cpu_context(*model, 1)->eval(ids.data(), int(ids.size()), a.data());
        cpu_context(*model, 3)->eval(ids.data(), int(ids.size()), b.data());
        QCOMPARE(a, b);
    }

    void truncate_and_replay_gives_the_same_logits() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const size_t nv = size_t(model->hparams().n_vocab);
        auto ctx = cpu_context(*model);
        std::vector<float> first(nv), again(nv);
        ctx->eval(ids.data(), int(ids.size()), first.data());
        ctx->truncate(3);
        QCOMPARE(ctx->n_past(), 3);
        ctx->eval(ids.data() + 3, int(ids.size()) - 3, again.data());
        QCOMPARE(first, again);
    }

    void generates_end_to_end_deterministically() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        auto ctx = cpu_context(*model, 2, "fp16");
        GenerateParams gp;
        gp.max_tokens = 24;
        gp.sampling.seed = 5;
        gp.sampling.temperature = 1.0f;
        std::string streamed;
        int callbacks = 0;
        const GenerateResult a =
            generate(*model, *ctx, kPrompt, gp, [&](int, const std::string& s) {
                streamed += s;
                ++callbacks;
            });
        QCOMPARE(a.reason, StopReason::MaxTokens);
        QCOMPARE(int(a.ids.size()), 24);
        QCOMPARE(streamed, a.text);
        QVERIFY(callbacks >= 24);
        const GenerateResult b = generate(*model, *ctx, kPrompt, gp);
        QCOMPARE(a.ids, b.ids);
        gp.sampling.seed = 6;
        const GenerateResult c = generate(*model, *ctx, kPrompt, gp);
        QVERIFY(a.ids != c.ids);
    }

    void stop_string_cuts_the_text_before_it() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        auto ctx = cpu_context(*model);
        const GenerateResult full = generate(*model, *ctx, kPrompt, greedy(30));
        QVERIFY(full.text.size() > 12);
        const std::string stop = full.text.substr(full.text.size() / 2, 3);
        GenerateParams gp = greedy(30);
        gp.stop = {stop};
        std::string streamed;
        const GenerateResult cut =
            generate(*model, *ctx, kPrompt, gp, [&](int, const std::string& s) { streamed += s; });
        QCOMPARE(cut.reason, StopReason::StopString);
        QCOMPARE(cut.text, full.text.substr(0, full.text.find(stop)));
        QCOMPARE(streamed, cut.text);  // the held-back start of the stop string never leaked
    }

    void cancel_and_context_limits_stop_generation() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        auto small = cpu_context(*model, 2, "fp16", 40);
        const GenerateResult r = generate(*model, *small, kPrompt, greedy(100));
        QCOMPARE(r.reason, StopReason::ContextFull);
        // The last token is sampled from the final position and needs no cache slot of its own.
        QCOMPARE(int(r.prompt_ids.size() + r.ids.size()), 40 + 1);

        std::atomic<bool> cancel{false};
        int seen = 0;
        auto ctx = cpu_context(*model);
        const GenerateResult c = generate(
            *model, *ctx, kPrompt, greedy(100),
            [&](int, const std::string&) {
                if (++seen == 5) cancel = true;
            },
            &cancel);
        QCOMPARE(c.reason, StopReason::Cancelled);
        QCOMPARE(int(c.ids.size()), 5);
    }
};

QTEST_GUILESS_MAIN(TestTinyModel)
#include "test_tiny_model.moc"
