// Tiny random models written by the project's own GGUF writer, with a tokenizer trained in
// the test: the CPU backend against a naive double-precision forward pass, and generation
// end to end (stop strings, budgets, cancel, context limits, determinism).
#include <atomic>
#include <cmath>

#include "engine/activation_quant.h"
#include "engine/backend.h"
#include "engine/error.h"
#include "engine/generator.h"
#include "engine/llama_model.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

std::unique_ptr<InferenceContext> context(const LlamaModel& m, int threads = 2,
                                          const std::string& kv = "f32", int n_ctx = 128,
                                          bool float_acts = false) {
    ContextParams cp;
    cp.n_threads = threads;
    cp.float_activations = float_acts;
    cp.kv = KvConfig::parse(kv);
    cp.n_ctx = n_ctx;
    return make_cpu_backend()->create_context(m, cp);
}

GenerateParams greedy(int n) {
    GenerateParams gp;
    gp.max_tokens = n;
    gp.sampling.temperature = 0;
    return gp;
}

const char* kPrompt = "Tom bought 12 apples. Then there were";

// Every position's logits in a fresh context.
std::vector<float> all_logits(const LlamaModel& m, const std::vector<int>& ids, int threads = 2,
                              int n_ctx = 128, bool float_acts = false) {
    auto ctx = context(m, threads, "f32", n_ctx, float_acts);
    std::vector<float> out(ids.size() * size_t(m.hparams().n_vocab));
    ctx->eval(ids.data(), int(ids.size()), out.data(), true);
    return out;
}

using test::Gap;
using test::gap;

// The model's logits for ids, read at once and token by token, against the float64 reference.
void matches_at_once_and_token_by_token(const LlamaModel& model, const std::vector<int>& ids,
                                        const std::vector<std::vector<double>>& want) {
    const Gap g = gap(want, all_logits(model, ids));
    qInfo("max |logit - naive| = %.2e (logits up to %.1f)", g.worst, g.scale);
    QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
    auto ctx = context(model);
    const size_t nv = size_t(model.hparams().n_vocab);
    std::vector<float> one(ids.size() * nv);
    for (size_t t = 0; t < ids.size(); ++t) ctx->eval(&ids[t], 1, one.data() + t * nv);
    const Gap g1 = gap(want, one);
    QVERIFY2(g1.worst <= 1e-4 * g1.scale + 1e-5, qPrintable(QString::number(g1.worst)));
}

// Windowed layers keep only a ring of window + batch positions: in batches of 3 the ring is
// far shorter than the prompt and wraps several times, and the logits stay the reference's,
// read at once, after going back further than the ring keeps, and with NQKV codes.
void check_rings(const LlamaModel& model, const std::vector<int>& ids,
                 const std::vector<std::vector<double>>& want) {
    const LlamaHParams& hp = model.hparams();
    const int n = int(ids.size()), ring = hp.swa_window + 3, nv = hp.n_vocab;
    QVERIFY(n > ring + 4);
    const auto make = [&](const std::string& kv, int batch) {
        ContextParams cp;
        cp.n_threads = 2;
        cp.kv = KvConfig::parse(kv);
        cp.n_ctx = 128;
        cp.n_batch = batch;
        return make_cpu_backend()->create_context(model, cp);
    };
    auto ctx = make("f32", 3);
    std::vector<float> out(size_t(n) * size_t(nv));
    ctx->eval(ids.data(), n, out.data(), true);
    Gap g = gap(want, out);
    QVERIFY2(g.worst <= 1e-4 * g.scale + 1e-5, qPrintable(QString::number(g.worst)));

    const KvStats st = ctx->kv_stats();
    QCOMPARE(st.ring, ring);
    QCOMPARE(st.ringed_layers, hp.windowed_layers());
    const size_t layer_bytes = st.k_bytes_per_token_layer + st.v_bytes_per_token_layer;
    const int full = hp.n_layer - hp.windowed_layers();
    QCOMPARE(st.bytes_allocated,
             (size_t(full) * 128 + size_t(st.ringed_layers) * ring) * layer_bytes);
    QCOMPARE(st.bytes_used, (size_t(full) * n + size_t(st.ringed_layers) * ring) * layer_bytes);
    for (int l = 0; l < hp.n_layer; ++l) {
        QCOMPARE(st.layer_tokens[size_t(l)], hp.windowed(l) ? ring : n);
        QCOMPARE(ctx->kv_cache().holds(l, 1), !hp.windowed(l));
        QVERIFY(ctx->kv_cache().holds(l, n - 1));
    }
    bool refused = false;
    try {
        ctx->kv_cache().block(0, 1, KvKind::K, 0);
    } catch (const Error& e) {
        refused = QString(e.what()).contains("token 1 is no longer held");
    }
    QCOMPARE(refused, hp.windowed(0));

    // Back by less than a batch: kept. Back to 4: the ring lost that window, so 4 tokens
    // are read again, and what follows matches the reference.
    QCOMPARE(ctx->keepable(n - 2), n - 2);
    QCOMPARE(ctx->keepable(4), 0);
    truncate_to(*ctx, 4, ids.data());
    QCOMPARE(ctx->n_past(), 4);
    for (int t = 4; t < n; ++t) ctx->eval(&ids[size_t(t)], 1, out.data() + size_t(t) * size_t(nv));
    g = gap(want, out);
    QVERIFY2(g.worst <= 1e-4 * g.scale + 1e-5, qPrintable(QString::number(g.worst)));

    // nq4 codes in a ring give what they give in a full layout (the same codes; sums split
    // where the ring wraps).
    std::vector<float> ringed(out.size()), flat(out.size());
    make("nq4", 3)->eval(ids.data(), n, ringed.data(), true);
    make("nq4", 512)->eval(ids.data(), n, flat.data(), true);
    double worst = 0;
    for (size_t i = 0; i < out.size(); ++i)
        worst = std::max(worst, double(std::abs(ringed[i] - flat[i])));
    QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));

    // A follow-up sharing the prompt reads it again once the ring lost its window, and writes
    // the same.
    auto gen = make("f32", 3);
    const GenerateResult a = generate_from_ids(model, *gen, ids, 0, greedy(12));
    const GenerateResult b = generate_from_ids(model, *gen, ids, n, greedy(12));
    QCOMPARE(b.reused_tokens, 0);
    QCOMPARE(b.text, a.text);
    QCOMPARE(b.ids, a.ids);
}

}  // namespace

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
    }
    void forward_matches_naive_reference() {
        QFETCH(int, type);
        QFETCH(bool, tied);
        QFETCH(float, rope_scale);
        test::TinySpec spec;
        spec.matrix_type = TensorType(type);
        spec.tied_output = tied;
        spec.rope_scale = rope_scale;
        if (type_traits(uint32_t(spec.matrix_type))->block_elems == 256) {
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
        auto one = context(*model, 1);
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

    // Qwen3: heads wider than n_embd / n_head (24 x 4 = 96 query dimensions for a width of 64),
    // per-head RMSNorm of queries and keys before NeoX RoPE, byte-level vocabulary.
    // Mixture of experts: Mixtral's layout (llama with experts) and Qwen3-MoE's (wider heads,
    // head norms, the experts' width in its own key), 6 experts of which 2 per token; the
    // prompt read at once (experts run on the rows that chose them) and token by token.
    // gpt-oss: biases on the router and every expert, the clamped SwiGLU, attention sinks, every
    // other layer windowed (its rings wrapping as Gemma's do).
    void moe_matches_naive_reference_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("mixtral") << "llama";
        QTest::newRow("qwen3moe") << "qwen3moe";
        QTest::newRow("granitemoe") << "granitemoe";
        QTest::newRow("gpt-oss") << "gpt-oss";
    }
    void moe_matches_naive_reference() {
        QFETCH(QString, arch);
        test::TinySpec spec;
        spec.arch = arch.toStdString();
        spec.n_expert = 6;
        spec.n_expert_used = 2;
        spec.n_ff = 40;
        const bool gpt_oss = arch == "gpt-oss";
        if (arch == "qwen3moe" || gpt_oss) {
            spec.bpe_pre = "qwen2";
            spec.head_dim = 24;
        }
        if (gpt_oss) {
            spec.n_layer = 3;
            spec.swa_window = 5;
        }
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.n_expert, 6);
        QCOMPARE(hp.n_expert_used, 2);
        QCOMPARE(hp.n_ff, 40);
        const LlamaLayer& L = model->layers()[1];
        QCOMPARE(int(L.e_down.size()), 6);
        QCOMPARE(hp.swiglu_oai, gpt_oss);
        QCOMPARE(bool(L.attn_sinks && L.router_bias && L.e_down_bias && L.bo), gpt_oss);
        QVERIFY(L.ffn_norm && !L.post_attn_norm);
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
        if (gpt_oss) {
            QVERIFY(hp.rope_neox && hp.windowed(0) && !hp.windowed(1) && hp.windowed(2));
            check_rings(*model, ids, want);
        }
    }

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

    // Gemma 1, 2 and 3: scaled embeddings, GELU, NeoX RoPE; Gemma 2's softcapped attention and
    // logits and norms after attention and feed-forward; Gemma 3's query/key norms and its own
    // RoPE base on the windowed layers. The prompt is longer than the window, so windowed layers
    // drop the oldest keys; evaluated at once and token by token (the window then starts inside
    // what the cache holds).
    void gemma_matches_naive_reference_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("window");
        QTest::newRow("gemma") << "gemma" << 2 << 0;
        QTest::newRow("gemma2") << "gemma2" << 3 << 4;
        QTest::newRow("gemma3") << "gemma3" << 7 << 5;
    }
    void gemma_matches_naive_reference() {
        QFETCH(QString, arch);
        QFETCH(int, layers);
        QFETCH(int, window);
        test::TinySpec spec;
        spec.arch = arch.toStdString();
        spec.n_layer = layers;
        spec.swa_window = window;
        spec.head_dim = 32;  // wider than 64 / 4, as Gemma's heads are
        spec.tied_output = true;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.rope_neox && hp.ffn_gelu);
        QCOMPARE(hp.embd_scale, std::sqrt(64.f));
        QCOMPARE(hp.attn_scale, 1 / std::sqrt(32.f));
        QCOMPARE(hp.attn_softcap, arch == "gemma2" ? 8.f : 0.f);
        QCOMPARE(hp.final_softcap, arch == "gemma2" ? 6.f : 0.f);
        QCOMPARE(hp.rope_base_swa, arch == "gemma3" ? 10000.f : 0.f);
        QString pattern;
        for (int l = 0; l < layers; ++l) pattern += hp.windowed(l) ? 'w' : 'g';
        QCOMPARE(pattern, arch == "gemma" ? QString("gg") : arch == "gemma2" ? "wgw" : "wwwwwgw");
        QCOMPARE(bool(model->layers()[0].post_ffn_norm), arch != "gemma");
        QCOMPARE(bool(model->layers()[0].q_norm), arch == "gemma3");

        const auto ids = model->tokenizer().encode(kPrompt, true);
        QVERIFY(int(ids.size()) > 2 * window);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
        if (window > 0) check_rings(*model, ids, want);
    }

    // Granite: its four multipliers (embeddings, each block's outputs, attention scores,
    // logits); SmolLM3: no RoPE on every fourth layer; OLMo 2: norms after the blocks instead of
    // before, query and key norms over the whole projections; GLM-4: fused projections with one
    // bias tensor, norms after the blocks too, RoPE on half of each head; Mistral 3: YaRN with
    // its log multiplier and Llama 4's attention temperature. A Granite file may turn RoPE off.
    void other_families_match_naive_reference_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("rope");
        QTest::newRow("granite") << "granite" << true;
        QTest::newRow("granite without RoPE") << "granite" << false;
        QTest::newRow("smollm3") << "smollm3" << true;
        QTest::newRow("olmo2") << "olmo2" << true;
        QTest::newRow("glm4") << "glm4" << true;
        QTest::newRow("exaone") << "exaone" << true;
        QTest::newRow("mistral3") << "mistral3" << true;
        QTest::newRow("ernie4_5") << "ernie4_5" << true;  // llama's layout under another name
    }
    void other_families_match_naive_reference() {
        QFETCH(QString, arch);
        QFETCH(bool, rope);
        test::TinySpec spec;
        spec.arch = arch.toStdString();
        spec.n_layer = 4;
        GgufWriter w = test::tiny_model_writer(spec);
        if (!rope) w.set("granite.rope.scaling.finetuned", GgufValue::boolean(false));
        if (arch == "glm4") w.set("glm4.rope.dimension_count", GgufValue::u32(8));  // half
        if (arch == "mistral3") {  // YaRN with its log multiplier; a temperature from position 4
            w.set("mistral3.rope.scaling.type", GgufValue::str("yarn"));
            w.set("mistral3.rope.scaling.factor", GgufValue::f32(4.f));
            w.set("mistral3.rope.scaling.original_context_length", GgufValue::u32(4));
            w.set("mistral3.rope.scaling.yarn_log_multiplier", GgufValue::f32(0.1f));
            w.set("mistral3.attention.temperature_scale", GgufValue::f32(0.5f));
        }
        const std::string path =
            test::temp_dir() + "/" + spec.arch + (rope ? "" : "-nope") + ".gguf";
        w.write(path);
        auto model = LlamaModel::load(path);
        const LlamaHParams& hp = model->hparams();
        const bool granite = arch == "granite";
        QCOMPARE(hp.embd_scale, granite ? 3.f : 1.f);
        QCOMPARE(hp.residual_scale, granite ? 0.6f : 1.f);
        QCOMPARE(hp.attn_scale, granite ? 0.09f : 0.f);
        QCOMPARE(hp.logit_scale, granite ? 2.5f : 1.f);
        QString pattern;
        for (int l = 0; l < spec.n_layer; ++l) pattern += hp.roped(l) ? 'r' : '-';
        QCOMPARE(pattern, !rope ? QString("----") : arch == "smollm3" ? "rrr-" : "rrrr");
        QCOMPARE(hp.rope_neox, arch == "olmo2" || arch == "exaone");  // as llama.cpp rotates
        if (arch == "mistral3") {
            const double l4 = std::log(4.0);
            QVERIFY(std::abs(hp.rope_attn_factor - (1 + 0.1 * l4) / (1 + 0.01 * l4)) < 1e-6);
            QCOMPARE(hp.attn_temperature(3), 1.f);
            QVERIFY(std::abs(hp.attn_temperature(8) - (1 + 0.5 * std::log(3.0))) < 1e-6);
        }
        if (arch == "glm4") {
            const LlamaLayer& L = model->layers()[1];
            QCOMPARE(hp.n_rot, 8);
            QVERIFY(!hp.rope_neox && L.bq && L.bk == L.bq + 64 && L.bv == L.bk + 32);
            QVERIFY(L.post_attn_norm && L.post_ffn_norm && L.w_up.first_row == spec.n_ff);
        }
        if (arch == "olmo2") {
            QVERIFY(hp.rope_neox && hp.qk_norm_whole);
            QVERIFY(!model->layers()[0].attn_norm && !model->layers()[0].ffn_norm);
            QVERIFY(model->layers()[0].post_attn_norm && model->layers()[0].post_ffn_norm);
        }
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
    }

    void granite_files_llama_cpp_would_refuse_are_refused() {
        test::TinySpec spec;
        spec.arch = "granite";
        for (const char* what : {"no logit scale", "shared experts"}) {
            GgufWriter w = test::tiny_model_writer(spec);
            if (std::string(what) == "no logit scale")
                w.erase("granite.logit_scale");
            else
                w.set("granite.expert_shared_feed_forward_length", GgufValue::u32(64));
            const std::string path = test::temp_dir() + "/granite-bad.gguf";
            w.write(path);
            try {
                LlamaModel::load(path);
                QFAIL(what);
            } catch (const Error& e) {
                const QString msg = e.what();
                QVERIFY2(msg.contains(std::string(what) == "no logit scale"
                                          ? "granite.logit_scale is missing"
                                          : "shared experts"),
                         e.what());
            }
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
        context(*model, 1)->eval(ids.data(), int(ids.size()), a.data());
        context(*model, 3)->eval(ids.data(), int(ids.size()), b.data());
        QCOMPARE(a, b);
    }

    void truncate_and_replay_gives_the_same_logits() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const size_t nv = size_t(model->hparams().n_vocab);
        auto ctx = context(*model);
        std::vector<float> first(nv), again(nv);
        ctx->eval(ids.data(), int(ids.size()), first.data());
        ctx->truncate(3);
        QCOMPARE(ctx->n_past(), 3);
        ctx->eval(ids.data() + 3, int(ids.size()) - 3, again.data());
        QCOMPARE(first, again);
    }

    void generates_end_to_end_deterministically() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        auto ctx = context(*model, 2, "fp16");
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
        auto ctx = context(*model);
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
        auto small = context(*model, 2, "fp16", 40);
        const GenerateResult r = generate(*model, *small, kPrompt, greedy(100));
        QCOMPARE(r.reason, StopReason::ContextFull);
        // The last token is sampled from the final position and needs no cache slot of its own.
        QCOMPARE(int(r.prompt_ids.size() + r.ids.size()), 40 + 1);

        std::atomic<bool> cancel{false};
        int seen = 0;
        auto ctx = context(*model);
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
