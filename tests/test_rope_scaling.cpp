// YaRN RoPE scaling as llama.cpp applies it (ggml's rope_yarn): the loader folds it into
// per-pair frequency divisors and the RoPE attention factor, so this checks what it folds
// against the blend written out the way ggml computes it, in double precision, and a YaRN
// model end to end against the naive forward pass; OLMo 3's windowed layers without it;
// LongRoPE's choice of factors.
#include <cmath>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

// The angle of pair i at position p under YaRN, as ggml's rope_yarn computes it.
double yarn_angle(int p, int i, int n_rot, double base, double factor, int n_orig, double ext,
                  double fast, double slow) {
    const double extrap = p * std::pow(base, -2.0 * i / n_rot), interp = extrap / factor;
    const auto dim = [&](double turns) {
        return n_rot * std::log(n_orig / (turns * 2 * M_PI)) / (2 * std::log(base));
    };
    const double low = std::max(0.0, std::floor(dim(fast)));
    const double high = std::min(double(n_rot - 1), std::ceil(dim(slow)));
    const double y = (i - low) / std::max(0.001, high - low);
    const double mix = (1 - std::clamp(y, 0.0, 1.0)) * ext;
    return interp * (1 - mix) + extrap * mix;
}

GgufWriter yarn_writer(float factor) {
    test::TinySpec spec;
    spec.head_dim = 32;  // 16 pairs: enough for the ramp to have both ends and a middle
    GgufWriter w = test::tiny_model_writer(spec);
    w.set("llama.rope.scaling.type", GgufValue::str("yarn"));
    w.set("llama.rope.scaling.factor", GgufValue::f32(factor));
    w.set("llama.rope.scaling.original_context_length", GgufValue::u32(4096));
    return w;
}

std::string write(const GgufWriter& w, const std::string& name) {
    const std::string path = test::temp_dir() + "/" + name + ".gguf";
    w.write(path);
    return path;
}

}  // namespace

class TestRopeScaling : public QObject {
    Q_OBJECT
  private slots:
    void yarn_is_folded_into_the_angles_llama_cpp_computes_data() {
        QTest::addColumn<double>("ext");
        QTest::addColumn<double>("fast");
        QTest::addColumn<double>("slow");
        QTest::newRow("defaults") << -1.0 << -1.0 << -1.0;
        QTest::newRow("stored betas") << -1.0 << 16.0 << 2.0;
        QTest::newRow("half extrapolation") << 0.5 << -1.0 << -1.0;
    }
    void yarn_is_folded_into_the_angles_llama_cpp_computes() {
        QFETCH(double, ext);
        QFETCH(double, fast);
        QFETCH(double, slow);
        GgufWriter w = yarn_writer(4.f);
        if (ext >= 0) w.set("llama.rope.scaling.yarn_ext_factor", GgufValue::f32(float(ext)));
        if (fast >= 0) w.set("llama.rope.scaling.yarn_beta_fast", GgufValue::f32(float(fast)));
        if (slow >= 0) w.set("llama.rope.scaling.yarn_beta_slow", GgufValue::f32(float(slow)));
        auto model = LlamaModel::load(write(w, "yarn"));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.rope_yarn_factor, 4.f);
        QCOMPARE(hp.rope_scale, 1.f);  // folded into the divisors
        QCOMPARE(int(hp.rope_freq_factors.size()), 16);
        const double e = ext >= 0 ? ext : 1;
        QVERIFY(std::abs(hp.rope_attn_factor - (1 + 0.1 * std::log(4.0))) < 1e-6);
        int interpolated = 0, extrapolated = 0;
        for (int i = 0; i < 16; ++i) {
            const double want = yarn_angle(1000, i, 32, 10000, 4, 4096, e, fast >= 0 ? fast : 32,
                                           slow >= 0 ? slow : 1);
            const double got = 1000 * std::pow(10000.0, -2.0 * i / 32) / hp.rope_freq_factors[i];
            QVERIFY2(std::abs(got - want) <= 1e-6 * want,
                     qPrintable(QString("pair %1: %2, want %3").arg(i).arg(got).arg(want)));
            interpolated += std::abs(hp.rope_freq_factors[i] - 4) < 1e-6;
            extrapolated += std::abs(hp.rope_freq_factors[i] - 1) < 1e-6;
        }
        // The ramp runs between its ends: the slowest pairs divided by the factor, the fastest
        // turning as before (with full extrapolation), the middle in between.
        QVERIFY(interpolated >= 1);
        QCOMPARE(extrapolated >= 1, e == 1);
        QVERIFY(interpolated + extrapolated < 16);
    }

    void a_yarn_model_matches_the_naive_reference() {
        auto model = LlamaModel::load(write(yarn_writer(8.f), "yarn8"));
        const auto ids = model->tokenizer().encode("Tom bought 12 apples. Then there were", true);
        const auto want = test::naive_forward(*model, ids);
        ContextParams cp;
        cp.n_ctx = 128;
        cp.kv = KvConfig::parse("f32");
        auto ctx = make_cpu_backend()->create_context(*model, cp);
        const size_t nv = size_t(model->hparams().n_vocab);
        std::vector<float> got(ids.size() * nv);
        ctx->eval(ids.data(), int(ids.size()), got.data(), true);
        const test::Gap g = test::gap(want, got);
        qInfo("max |logit - naive| = %.2e (logits up to %.1f)", g.worst, g.scale);
        QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
    }

    void yarn_files_the_engine_cannot_follow_are_refused() {
        GgufWriter w = yarn_writer(4.f);
        w.set("llama.rope.scaling.yarn_log_multiplier", GgufValue::f32(0.1f));
        try {
            LlamaModel::load(write(w, "yarn-log"));
            QFAIL("loaded DeepSeek's YaRN");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("yarn_log_multiplier"), e.what());
        }
        w = yarn_writer(4.f);
        w.set("llama.rope.scaling.type", GgufValue::str("dynamic"));
        try {
            LlamaModel::load(write(w, "dynamic"));
            QFAIL("loaded an unknown scaling type");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(
                         "\"dynamic\" is not supported (linear, yarn, longrope or none)"),
                     e.what());
        }
    }

    // OLMo 3 (olmo2 with windows): three layers of four see the latest attention.sliding_window
    // tokens (or those the file lists), rotated with the model's base but without YaRN, neither
    // its divisors nor its attention factor; the full layers keep both. Against the naive pass
    // at once and token by token (the windowed layers' rings wrapping).
    void olmo3_windows_rotate_without_yarn() {
        test::TinySpec spec;
        spec.arch = "olmo2";
        spec.n_layer = 4;
        spec.head_dim = 32;
        spec.swa_window = 5;
        GgufWriter w = test::tiny_model_writer(spec);
        w.set("olmo2.rope.scaling.type", GgufValue::str("yarn"));
        w.set("olmo2.rope.scaling.factor", GgufValue::f32(8.f));
        w.set("olmo2.rope.scaling.original_context_length", GgufValue::u32(16));
        w.set("olmo2.rope.scaling.yarn_attn_factor", GgufValue::f32(1.2079f));  // as converted
        auto model = LlamaModel::load(write(w, "olmo3"));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.swa_window, 5);
        QCOMPARE(hp.windowed_layers(), 3);
        QVERIFY(hp.windowed(0) && hp.windowed(2) && !hp.windowed(3));
        QCOMPARE(hp.rope_base_swa, hp.rope_base);
        QVERIFY(hp.rope_swa_unscaled);
        QVERIFY(std::abs(hp.rope_attn_factor - (1 + 0.1 * std::log(8.0))) < 1e-6);

        const auto ids = model->tokenizer().encode(
            "Tom bought 12 apples. Then there were 7 more, and then 30 of them.", true);
        QVERIFY(ids.size() > 3 * size_t(hp.swa_window));
        test::matches_at_once_and_token_by_token(*model, ids, test::naive_forward(*model, ids));

        // The layers as the file lists them; without a window, OLMo 2's full attention.
        w.set("olmo2.attention.sliding_window_pattern",
              GgufValue::array(GgufType::BOOL,
                               {GgufValue::boolean(true), GgufValue::boolean(false),
                                GgufValue::boolean(true), GgufValue::boolean(false)}));
        auto listed = LlamaModel::load(write(w, "olmo3-listed"));
        QCOMPARE(listed->hparams().windowed_layers(), 2);
        QVERIFY(listed->hparams().windowed(2) && !listed->hparams().windowed(1));
        w.set("olmo2.attention.sliding_window", GgufValue::u32(0));
        auto olmo2 = LlamaModel::load(write(w, "olmo2-yarn"));
        QCOMPARE(olmo2->hparams().windowed_layers(), 0);
        QVERIFY(!olmo2->hparams().rope_swa_unscaled);
    }

    // LongRoPE (MiniCPM4's, and llama's files converted with it): its short factors within the
    // original context, the trained one unless the file states another, its long ones past it.
    void longrope_takes_its_long_factors_past_the_original_context() {
        test::TinySpec spec;
        spec.head_dim = 32;
        GgufWriter w = test::tiny_model_writer(spec);
        w.set("llama.rope.scaling.type", GgufValue::str("longrope"));
        std::vector<float> short_f(16), long_f(16);
        for (size_t i = 0; i < 16; ++i)
            short_f[i] = 1.f + 0.05f * float(i), long_f[i] = 1.f + float(i);
        w.add_f32("rope_factors_short.weight", {16}, short_f);
        w.add_f32("rope_factors_long.weight", {16}, long_f);
        auto model = LlamaModel::load(write(w, "longrope"));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.n_ctx_orig, spec.n_ctx);
        QCOMPARE(context_hparams(hp, spec.n_ctx).rope_freq_factors, short_f);
        QCOMPARE(context_hparams(hp, spec.n_ctx + 1).rope_freq_factors, long_f);
        w.set("llama.rope.scaling.original_context_length", GgufValue::u32(64));
        QCOMPARE(LlamaModel::load(write(w, "longrope64"))->hparams().n_ctx_orig, 64);
    }
};

QTEST_GUILESS_MAIN(TestRopeScaling)
#include "test_rope_scaling.moc"
