// NQKV on real models: perplexity against fp16 on stories260K, per-layer statistics from a
// real run, contexts sized from a memory budget, bit-widths compared on a prompt with a
// picture, and a comparison read back from its JSON.
#include <cmath>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/generator.h"
#include "engine/kv_analysis.h"
#include "engine/kv_compare.h"
#include "engine/llama_model.h"
#include "engine/perplexity.h"
#include "engine/picture_prompt.h"
#include "engine/vision_encoder.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "tests/tiny_vision.h"

using namespace nqkv;

namespace {

std::string story_text() {
    QFile f(QString(NQKV_TEST_DATA_DIR) + "/stories.txt");
    if (!f.open(QIODevice::ReadOnly)) qFatal("tests/data/stories.txt missing");
    return f.readAll().toStdString();
}

const PplRow& row(const std::vector<PplRow>& rows, const std::string& name) {
    for (const auto& r : rows)
        if (r.config.name() == name) return r;
    qFatal("no row %s", name.c_str());
}

}  // namespace

class TestNqkvModel : public QObject {
    Q_OBJECT

  private slots:
    void stories260k_perplexity_against_fp16() {
        NQKV_REQUIRE_SHARED(path, "models/stories260K.gguf");
        auto model = LlamaModel::load(path);
        auto backend = make_cpu_backend();
        PplOptions opt;
        opt.n_ctx = 256;
        opt.max_chunks = 8;
        for (const char* kv : {"nq8", "nq4", "k=fp16,v=nq4", "k=nq8,v=nq4", "lm4", "int4"}) {
            KvConfig c = KvConfig::parse(kv);
            c.block = 32;  // the KV row holds 32 values
            opt.configs.push_back(c);
        }
        int progress_calls = 0;
        opt.progress = [&](int done, int total) {
            ++progress_calls;
            QVERIFY(done <= total);
        };
        const auto rows = compare_perplexity(*model, *backend, story_text(), opt);
        QCOMPARE(progress_calls, 8);
        for (const auto& r : rows)
            qInfo("%-22s ppl %.4f  %+7.2f%%  KL %.5f  top-1 %.1f%%  %zu B/token",
                  r.config.name().c_str(), r.ppl, r.delta_pct, r.mean_kl, 100 * r.top1_agree,
                  r.bytes_per_token);
        const PplRow& fp16 = rows.front();
        QCOMPARE(fp16.config.name(), std::string("fp16"));
        QVERIFY(fp16.ppl > 1 && fp16.ppl < 20);  // the model reads these stories well
        QCOMPARE(fp16.tokens_scored, 8 * 127);
        QVERIFY(std::abs(row(rows, "nq8,block=32").delta_pct) <= 0.5);
        // 4-bit V costs little; 4-bit K does not (see README: K needs 8 bits on this model).
        QVERIFY(std::abs(row(rows, "k=fp16,v=nq4,block=32").delta_pct) <= 5);
        QVERIFY(std::abs(row(rows, "k=nq8,v=nq4,block=32").delta_pct) <= 5);
        QVERIFY(row(rows, "nq4,block=32").mean_kl > row(rows, "k=nq8,v=nq4,block=32").mean_kl);
        QCOMPARE(row(rows, "nq4,block=32").bytes_per_token, size_t(5 * 2 * (16 + 2)));
    }

    void statistics_from_a_real_run() {
        NQKV_REQUIRE_SHARED(path, "models/stories260K.gguf");
        auto model = LlamaModel::load(path);
        ContextParams cp;
        cp.kv = KvConfig::parse("nq4");
        cp.n_ctx = 200;
        auto ctx = make_cpu_backend()->create_context(*model, cp);
        ctx->set_kv_capture(true);
        auto ids = model->tokenizer().encode(story_text(), true);
        ids.resize(200);
        std::vector<float> logits(static_cast<size_t>(model->hparams().n_vocab));
        ctx->eval(ids.data(), 200, logits.data());
        const auto stats = analyze_kv(ctx->kv_cache(), ctx->n_past());
        QCOMPARE(int(stats.size()), 2 * model->hparams().n_layer);
        for (const auto& s : stats) {
            QCOMPARE(s.values, size_t(200 * 32));
            QCOMPARE(s.blocks, size_t(200));
            QVERIFY(s.moments.stddev > 0);
            QVERIFY(s.ks.statistic > 0 && s.ks.statistic < 1);
            QVERIFY(s.rejected_share >= 0 && s.rejected_share <= 1);
            QCOMPARE(int(s.codebooks.size()), 12);
            for (const auto& c : s.codebooks)
                if (c.name == "nq4") QVERIFY(std::abs(c.nmse - s.config_nmse) < 1e-12);
        }
        const BlockView b = ctx->kv_cache().block(2, 150, KvKind::V, 0);
        QVERIFY(b.has_original);
        QVERIFY(b.mse > 0 && b.max_error > 0);
        QCOMPARE(ctx->kv_stats().tokens_held, 200);
    }

    void a_budget_buys_more_context_with_fewer_bits() {
        test::TinySpec spec;
        spec.n_ctx = 100000;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        auto backend = make_cpu_backend();
        auto context_for = [&](const char* kv) {
            ContextParams cp;
            cp.kv = KvConfig::parse(kv);
            cp.kv_budget = size_t(256) << 10;
            return backend->create_context(*model, cp);
        };
        auto fp16 = context_for("fp16");
        auto nq4 = context_for("nq4");
        auto nq2 = context_for("nq2");
        // The tiny model's KV row is 32 values: 4-bit blocks cost 16 + 2 bytes, fp16 64 bytes.
        QCOMPARE(fp16->n_ctx(), int((256 << 10) / (2 * 2 * 64)));
        QCOMPARE(nq4->n_ctx(), int((256 << 10) / (2 * 2 * 18)));
        QCOMPARE(nq2->n_ctx(), int((256 << 10) / (2 * 2 * 10)));
        QCOMPARE(nq4->kv_stats().capacity_in_budget, size_t(nq4->n_ctx()));
        qInfo("256 KiB holds %d fp16, %d nq4, %d nq2 tokens", fp16->n_ctx(), nq4->n_ctx(),
              nq2->n_ctx());
        // ... and they run.
        GenerateParams gp;
        gp.max_tokens = 8;
        for (auto* ctx : {nq4.get(), nq2.get()}) {
            const GenerateResult r = generate(*model, *ctx, "Tom found 3 apples.", gp);
            QCOMPARE(int(r.ids.size()), 8);
            QCOMPARE(ctx->kv_stats().bytes_used,
                     ctx->kv_stats().bytes_per_token * size_t(ctx->n_past()));
        }
        ContextParams tiny;
        tiny.kv_budget = 100;
        QVERIFY_THROWS_EXCEPTION(Error, backend->create_context(*model, tiny));
    }

    // Every configuration reads the picture where the prompt marks it, and so does the scoring:
    // fp16's first token and its log-probability are those of a context that read the picture.
    void bit_widths_compared_on_a_picture() {
        auto lm = LlamaModel::load(test::write_tiny_model(test::tiny_gemma3(2, 0)));
        auto vm = VisionModel::load(test::write_tiny_vision({}));
        const auto rows = VisionEncoder(*vm, 1).rows(test::tiny_picture(40, 30, 25));
        auto backend = make_cpu_backend();
        const std::string prompt = "Look: <__media__> What is it?";
        CompareOptions opt;
        opt.configs = {KvConfig::parse("nq4,block=16")};
        opt.max_tokens = 6;
        opt.sampling.temperature = 0;
        opt.pictures = {rows};
        const CompareResult r = compare_kv(*lm, *backend, prompt, opt);
        const Tokenizer& tok = lm->tokenizer();
        const PicturePrompt pp = tokenize_with_pictures(tok, prompt, {rows}, tok.add_bos());
        QCOMPARE(r.prompt_tokens, int(pp.ids.size()));
        QCOMPARE(int(r.rows.size()), 2);
        QVERIFY(!r.rows[0].ids.empty());

        ContextParams cp;
        cp.n_ctx = 64;
        auto ctx = backend->create_context(*lm, cp);
        ctx->set_rows(pp.pictures);
        const int n_vocab = lm->hparams().n_vocab;
        std::vector<float> logits(static_cast<size_t>(n_vocab));
        ctx->eval(pp.ids.data(), int(pp.ids.size()), logits.data());
        QCOMPARE(r.rows[0].ids[0],
                 int(std::max_element(logits.begin(), logits.end()) - logits.begin()));
        // The scoring reads prompt and output again (as text, tokenized anew).
        const PicturePrompt text = tokenize_with_pictures(tok, r.ppl_text, {rows}, true);
        const int at = r.ppl_score_from, next = text.ids[size_t(at) + 1];
        ctx->truncate(0);
        std::vector<float> all(text.ids.size() * size_t(n_vocab));
        ctx->eval(text.ids.data(), int(text.ids.size()), all.data(), true);
        const float* row = all.data() + size_t(at) * size_t(n_vocab);
        double sum = 0;
        for (int i = 0; i < n_vocab; ++i) sum += std::exp(double(row[i]) - double(row[next]));
        QCOMPARE(r.rows[0].ppl.next_tokens[0], next);
        QVERIFY(std::abs(r.rows[0].ppl.token_logprob[0] + std::log(sum)) < 1e-5);
        QVERIFY(r.rows[1].ppl.mean_kl >= 0);

        // Without the picture's rows the text's marker is text again, and scoring it as one
        // chunk with pictures refuses a text longer than two chunks.
        PplOptions po;
        po.n_ctx = 8;
        po.pictures = {rows};
        QVERIFY(test::error_of([&] {
                    compare_perplexity(*lm, *backend, r.ppl_text, po);
                }).contains("read as one chunk"));
    }

    // A comparison written as JSON reads back as it was (the compare view keeps its last one
    // this way and opens the CLI's), and a damaged file is refused by name, row and member.
    void comparison_read_back_from_json() {
        auto lm = LlamaModel::load(test::write_tiny_model({}));
        auto backend = make_cpu_backend();
        CompareOptions opt;
        opt.configs = {KvConfig::parse("nq2,block=16"), KvConfig::parse("k=nq8,v=nq4,block=16")};
        opt.max_tokens = 8;
        opt.sampling.temperature = 0;
        const CompareResult r = compare_kv(*lm, *backend, "Tom has", opt);
        const std::string json = compare_json(r);
        const CompareResult back = compare_from_json(json, "cmp.json");
        QCOMPARE(compare_json(back), json);
        QCOMPARE(int(back.rows.size()), 3);
        for (size_t i = 0; i < back.rows.size(); ++i) {
            QCOMPARE(back.rows[i].pieces, r.rows[i].pieces);
            QCOMPARE(back.rows[i].ids, r.rows[i].ids);
            QCOMPARE(back.rows[i].config.name(), r.rows[i].config.name());
            QCOMPARE(back.rows[i].first_divergence, r.rows[i].first_divergence);
            QCOMPARE(back.rows[i].ppl.token_kl.size(), r.rows[i].ppl.token_kl.size());
        }
        QCOMPARE(back.ppl_text, r.ppl_text);

        const auto refused = [&](std::string from, const std::string& to) {
            const size_t at = json.find(from);
            if (at == std::string::npos) qFatal("%s not in the JSON", from.c_str());
            return test::error_of([&] {
                compare_from_json(std::string(json).replace(at, from.size(), to), "cmp.json");
            });
        };
        QCOMPARE(refused("\"ppl_ctx\"", "\"ppl_len\""),
                 QString("cmp.json: \"ppl_ctx\" is missing"));
        const std::string row2 = "\"kv\":\"" + r.rows[1].config.name() + "\"";
        QVERIFY(refused(row2, "\"kv\":\"nq9\"").startsWith("cmp.json row 2 kv: "));
        QCOMPARE(refused("\"kv\":\"fp16\"", "\"kv\":\"nq8\""),
                 QString("cmp.json: the first row is nq8, not fp16"));
        QCOMPARE(refused("\"text\":", "\"text\":3,\"was\":"),
                 QString("cmp.json row 1: \"text\" is not a string"));
        QVERIFY(test::error_of([] {
                    compare_from_json("{\"rows\": [", "cmp.json");
                }).startsWith("cmp.json: "));
        // A file from before the pieces were kept: each output as one piece.
        std::string old = json;
        for (size_t at; (at = old.find(",\"pieces\":[")) != std::string::npos;)
            old.erase(at, old.find("],\"first_divergence\"", at) + 1 - at);
        const CompareResult legacy = compare_from_json(old, "old.json");
        QCOMPARE(legacy.rows[1].pieces, std::vector<std::string>{r.rows[1].text});
    }
};

QTEST_GUILESS_MAIN(TestNqkvModel)
#include "test_nqkv_model.moc"
