// The real trained stories260K model against llama.cpp's recorded outputs.
#include "engine/backend.h"
#include "engine/generator.h"
#include "engine/llama_model.h"
#include "tests/test_support.h"

using namespace nqkv;

class TestStories260K : public QObject {
    Q_OBJECT

    static std::unique_ptr<InferenceContext> open_context(const LlamaModel& model,
                                                          const std::string& kv) {
        ContextParams cp;
        cp.n_ctx = 512;
        cp.kv = KvConfig::parse(kv);
        cp.n_threads = 2;
        return make_cpu_backend()->create_context(model, cp);
    }

    // Teacher-forces the reference's prompt + generated ids and checks every recorded logit.
    void check_logits(const std::string& ref_path, const std::string& kv, double tol) {
        NQKV_REQUIRE_SHARED(model_path, "models/stories260K.gguf");
        const QJsonObject ref = test::load_json(ref_path);
        auto model = LlamaModel::load(model_path);
        auto ctx = open_context(*model, kv);
        const int n_vocab = model->hparams().n_vocab;
        const auto prompt = test::to_ints(ref["prompt_ids"]);
        const auto gen = test::to_ints(ref["generated_ids"]);
        const QJsonArray full = ref["full_logits_first_steps"].toArray();
        const QJsonArray top5 = ref["top5_per_step"].toArray();
        std::vector<float> logits(static_cast<size_t>(n_vocab));
        double worst = 0;
        ctx->eval(prompt.data(), int(prompt.size()), logits.data());
        for (size_t step = 0; step < gen.size(); ++step) {
            if (step < size_t(full.size())) {
                const auto want = test::to_doubles(full[int(step)]);
                QCOMPARE(int(want.size()), n_vocab);
                for (int i = 0; i < n_vocab; ++i)
                    worst = std::max(worst, std::abs(want[size_t(i)] - logits[size_t(i)]));
            }
            for (const auto& pair : top5[int(step)].toArray()) {
                const int id = pair.toArray()[0].toInt();
                worst =
                    std::max(worst, std::abs(pair.toArray()[1].toDouble() - logits[size_t(id)]));
            }
            ctx->eval(&gen[step], 1, logits.data());
        }
        qInfo("max |logit - llama.cpp| = %.3g (tolerance %.3g)", worst, tol);
        QVERIFY(worst <= tol);
    }

    void check_greedy(const std::string& ref_path, const std::string& kv) {
        NQKV_REQUIRE_SHARED(model_path, "models/stories260K.gguf");
        const QJsonObject ref = test::load_json(ref_path);
        auto model = LlamaModel::load(model_path);
        auto ctx = open_context(*model, kv);
        GenerateParams gp;
        gp.max_tokens = 64;
        gp.sampling.temperature = 0;
        const GenerateResult r = generate(*model, *ctx, ref["prompt"].toString().toStdString(), gp);
        QCOMPARE(r.prompt_ids, test::to_ints(ref["prompt_ids"]));
        QCOMPARE(r.ids, test::to_ints(ref["generated_ids"]));
        QCOMPARE(QString::fromStdString(r.text), ref["generated_text"].toString());
    }

  private slots:
    void greedy_matches_llama_cpp_f32_kv() {
        NQKV_REQUIRE_SHARED(ref, "reference/once_upon_a_time.kv_f32.json");
        check_greedy(ref, "f32");
    }
    void greedy_matches_llama_cpp_f16_kv() {
        NQKV_REQUIRE_SHARED(ref, "reference/once_upon_a_time.kv_f16.json");
        check_greedy(ref, "fp16");
    }
    void logits_match_f32_kv_within_1e4() {
        NQKV_REQUIRE_SHARED(ref, "reference/once_upon_a_time.kv_f32.json");
        check_logits(ref, "f32", 1e-4);
    }
    // The reference's llama.cpp rounded the softmax's weights to fp16 before reading its f16
    // values; the engine keeps them in float (as llama.cpp does now), since rounded they lose
    // their precision over thousands of positions. That leaves about 0.015 on these logits.
    void logits_match_f16_kv_within_2e2() {
        NQKV_REQUIRE_SHARED(ref, "reference/once_upon_a_time.kv_f16.json");
        check_logits(ref, "fp16", 2e-2);
    }
    void batched_prompt_equals_token_by_token() {
        NQKV_REQUIRE_SHARED(model_path, "models/stories260K.gguf");
        auto model = LlamaModel::load(model_path);
        const auto ids = model->tokenizer().encode("Once upon a time, there was a cat.", true);
        const int n_vocab = model->hparams().n_vocab;
        ContextParams cp;
        cp.n_ctx = 64;
        cp.kv = KvConfig::parse("f32");
        auto batched = make_cpu_backend()->create_context(*model, cp);
        std::vector<float> all(ids.size() * size_t(n_vocab)), one(static_cast<size_t>(n_vocab));
        batched->eval(ids.data(), int(ids.size()), all.data(), true);
        auto single = make_cpu_backend()->create_context(*model, cp);
        for (size_t t = 0; t < ids.size(); ++t) {
            single->eval(&ids[t], 1, one.data());
            for (int i = 0; i < n_vocab; ++i)
                QVERIFY(std::abs(one[size_t(i)] - all[t * size_t(n_vocab) + size_t(i)]) < 1e-4);
        }
    }
};

QTEST_GUILESS_MAIN(TestStories260K)
#include "test_stories260k.moc"
