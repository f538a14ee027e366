// llama-synth-256 in five weight formats against llama.cpp and against an exact float64
// forward pass on the dequantized weights (see ../shared/reference/README.md).
#include <cmath>

#include "engine/backend.h"
#include "engine/generator.h"
#include "engine/llama_model.h"
#include "tests/test_support.h"

using namespace nqkv;

namespace {

const char* kTypes[] = {"F16", "Q8_0", "Q4_0", "Q4_K_M", "Q6_K"};

struct Run {
    std::unique_ptr<LlamaModel> model;
    std::unique_ptr<InferenceContext> ctx;
};

// float_acts: multiply in floats (exact on the dequantized weights) instead of rounding the
// activations as llama.cpp does.
Run open_model(const std::string& path, bool float_acts = false) {
    Run r;
    r.model = LlamaModel::load(path);
    ContextParams cp;
    cp.n_ctx = 64;
    cp.float_activations = float_acts;
    cp.kv = KvConfig::parse("f32");  // the references were made with an f32 cache
    r.ctx = make_cpu_backend()->create_context(*r.model, cp);
    return r;
}

}  // namespace

class TestSynthFormats : public QObject {
    Q_OBJECT

  private slots:
    void teacher_forced_logits_within_llama_cpp_tolerance_data() {
        QTest::addColumn<QString>("type");
        for (const char* t : kTypes) QTest::newRow(t) << t;
    }
    void teacher_forced_logits_within_llama_cpp_tolerance() {
        QFETCH(QString, type);
        const std::string t = type.toStdString();
        NQKV_REQUIRE_SHARED(path, "models/llama-synth-256." + t + ".gguf");
        NQKV_REQUIRE_SHARED(ref_path, "reference/synth/llama-synth-256." + t + ".greedy.json");
        NQKV_REQUIRE_SHARED(summary_path, "reference/synth/llama-synth-256.summary.json");
        const QJsonObject ref = test::load_json(ref_path);
        const double L = test::load_json(summary_path)["files"]
                             .toObject()[type]
                             .toObject()["logit_scale_step0"]
                             .toObject()["max_abs"]
                             .toDouble();
        // Activations are rounded as llama.cpp rounds them (Q8_0 / Q8_K blocks), so the integer
        // block sums are llama.cpp's and only the order of float additions differs: quantized
        // files agree to the reference's printed precision at almost every step. A step may
        // still differ where one activation lies within float noise of a rounding boundary and
        // lands on the other side (at most a few of 32 here). F16 keeps float activations
        // where llama.cpp rounds them to fp16.
        const bool f16 = t == "F16";
        const double tol_max = (f16 ? 2.5e-3 : 2e-3) * L, tol_rms = (f16 ? 6e-4 : 1e-5) * L;
        const double close = 1e-5 * L;  // a step "agrees" within this
        const int max_off = f16 ? 32 : 3;

        Run r = open_model(path);
        const int n_vocab = r.model->hparams().n_vocab;
        const auto prompt = test::to_ints(ref["prompt_ids"]);
        const auto gen = test::to_ints(ref["generated_ids"]);
        const QJsonArray full = ref["full_logits_first_steps"].toArray();
        const QJsonArray top5 = ref["top5_per_step"].toArray();
        std::vector<float> logits(static_cast<size_t>(n_vocab));
        r.ctx->eval(prompt.data(), int(prompt.size()), logits.data());
        double worst = 0, worst_rms = 0;
        int off = 0;
        for (size_t step = 0; step < gen.size(); ++step) {
            double step_worst = 0;
            if (step < size_t(full.size())) {
                const auto want = test::to_doubles(full[int(step)]);
                double ss = 0;
                for (int i = 0; i < n_vocab; ++i) {
                    const double d = std::abs(want[size_t(i)] - logits[size_t(i)]);
                    step_worst = std::max(step_worst, d);
                    ss += d * d;
                }
                worst_rms = std::max(worst_rms, std::sqrt(ss / n_vocab));
            }
            for (const auto& pair : top5[int(step)].toArray()) {
                const int id = pair.toArray()[0].toInt();
                step_worst = std::max(step_worst,
                                      std::abs(pair.toArray()[1].toDouble() - logits[size_t(id)]));
            }
            worst = std::max(worst, step_worst);
            off += step_worst > close;
            r.ctx->eval(&gen[step], 1, logits.data());
        }
        qInfo(
            "%s: max |d| %.2e (tol %.2e), rms %.2e (tol %.2e), %d of %d steps off by more "
            "than %.1e",
            t.c_str(), worst, tol_max, worst_rms, tol_rms, off, int(gen.size()), close);
        QVERIFY(worst <= tol_max);
        QVERIFY(worst_rms <= tol_rms);
        QVERIFY(off <= max_off);
    }

    void f16_greedy_ids_equal_llama_cpp() {
        NQKV_REQUIRE_SHARED(path, "models/llama-synth-256.F16.gguf");
        NQKV_REQUIRE_SHARED(ref_path, "reference/synth/llama-synth-256.F16.greedy.json");
        const QJsonObject ref = test::load_json(ref_path);
        Run r = open_model(path);
        GenerateParams gp;
        gp.max_tokens = 32;
        gp.sampling.temperature = 0;
        const GenerateResult g =
            generate(*r.model, *r.ctx, ref["prompt"].toString().toStdString(), gp);
        QCOMPARE(g.prompt_ids, test::to_ints(ref["prompt_ids"]));
        QCOMPARE(g.ids, test::to_ints(ref["generated_ids"]));
    }

    void exact_float64_dequant_check_data() {
        QTest::addColumn<QString>("type");
        for (const char* t : kTypes) QTest::newRow(t) << t;
    }
    void exact_float64_dequant_check() {
        QFETCH(QString, type);
        const std::string t = type.toStdString();
        NQKV_REQUIRE_SHARED(path, "models/llama-synth-256." + t + ".gguf");
        NQKV_REQUIRE_SHARED(ref_path, "reference/synth/llama-synth-256.float64_dequant.json");
        const QJsonObject all = test::load_json(ref_path);
        const QJsonObject ref = all["types"].toObject()[type].toObject();
        const auto prompt = test::to_ints(all["prompt_ids"]);
        const auto gen = test::to_ints(ref["generated_ids"]);
        const auto step0 = test::to_doubles(ref["full_logits_step0"]);
        const QJsonArray top5 = ref["top5_per_step"].toArray();

        Run r = open_model(path, true);
        const int n_vocab = r.model->hparams().n_vocab;
        std::vector<float> logits(static_cast<size_t>(n_vocab));
        r.ctx->eval(prompt.data(), int(prompt.size()), logits.data());
        double worst0 = 0, worst_top5 = 0;
        for (int i = 0; i < n_vocab; ++i)
            worst0 = std::max(worst0, std::abs(step0[size_t(i)] - logits[size_t(i)]));
        std::vector<int> greedy;
        for (size_t step = 0; step < gen.size(); ++step) {
            greedy.push_back(int(std::max_element(logits.begin(), logits.end()) - logits.begin()));
            for (const auto& pair : top5[int(step)].toArray()) {
                const int id = pair.toArray()[0].toInt();
                worst_top5 = std::max(worst_top5,
                                      std::abs(pair.toArray()[1].toDouble() - logits[size_t(id)]));
            }
            r.ctx->eval(&gen[step], 1, logits.data());
        }
        qInfo("%s: step-0 max |d| %.2e (tol 2e-3), top-5 max |d| %.2e (tol 1e-3)", t.c_str(),
              worst0, worst_top5);
        QVERIFY(worst0 <= 2e-3);
        QVERIFY(worst_top5 <= 1e-3);
        QCOMPARE(greedy, gen);
    }
};

QTEST_GUILESS_MAIN(TestSynthFormats)
#include "test_synth_formats.moc"
