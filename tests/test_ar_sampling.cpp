// AR-Sampling on test-made models: a PRM with scores set by construction, incremental scoring
// against full rescoring, the rethink rules, seeded determinism, selection and the trace; a
// question with a picture.
#include <algorithm>
#include <cmath>

#include "engine/ar_sampling.h"
#include "engine/error.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"
#include "engine/vision_encoder.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "tests/tiny_vision.h"

using namespace nqkv;

namespace {

struct Models {
    std::unique_ptr<LlamaModel> policy, prm;
    std::unique_ptr<Backend> backend = make_cpu_backend();
    std::unique_ptr<InferenceContext> policy_ctx;
    std::unique_ptr<PrmScorer> scorer;
    Models() {
        policy = LlamaModel::load(test::write_tiny_model({}));
        prm = LlamaModel::load(test::write_marker_prm('7'));
        ContextParams cp;
        cp.n_ctx = 1024;
        policy_ctx = backend->create_context(*policy, cp);
        ContextParams pp;
        pp.n_ctx = 2048;
        pp.kv = KvConfig::parse("f32");
        scorer = std::make_unique<PrmScorer>(*prm, *backend, pp);
    }
};

const char* kQuestion = "Tom had 12 apples and found 30 more. How many apples does he have?";

}  // namespace

class TestArSampling : public QObject {
    Q_OBJECT

  private slots:
    void prm_scores_are_set_by_construction() {
        Models m;
        QCOMPARE(m.scorer->step_tag(), std::string(" \xD0\xBA\xD0\xB8"));
        m.scorer->reset(kQuestion);
        const int q = m.scorer->mark();
        const float clean = m.scorer->score_step("## Step 1: 12 + 30 = 42");
        QVERIFY2(clean > 0.85f, qPrintable(QString::number(clean)));
        m.scorer->rollback(q);
        const float marked = m.scorer->score_step("## Step 1: 12 + 35 = 47");
        QVERIFY2(marked < 0.05f, qPrintable(QString::number(marked)));
        m.scorer->rollback(q);  // the rejected step is gone: a clean step scores high again
        QVERIFY(std::abs(m.scorer->score_step("## Step 1: 12 + 30 = 42") - clean) < 1e-6f);
    }

    void incremental_scores_equal_full_rescoring() {
        Models m;
        const std::vector<std::string> steps = {"## Step 1: 12 + 30 = 42", "## Step 2: 42 / 2 = 21",
                                                "## Step 3: The answer is 21."};
        const int before = m.scorer->tokens_read();
        m.scorer->reset(kQuestion);
        const int question_tokens = m.scorer->tokens_read() - before;
        std::vector<float> incremental;
        for (const auto& s : steps) incremental.push_back(m.scorer->score_step(s));
        // Each token was read once: the question, then every step with its tag.
        const Tokenizer& tok = m.prm->tokenizer();
        int expected = int(tok.encode(kQuestion, true).size());
        QCOMPARE(question_tokens, expected);
        for (const auto& s : steps)
            expected +=
                int(tok.encode(s, false).size() + tok.encode(m.scorer->step_tag(), false).size());
        QCOMPARE(m.scorer->tokens_read() - before, expected);
        QCOMPARE(m.scorer->context().n_past(), expected);

        const std::vector<float> full = m.scorer->score_all(kQuestion, steps);
        QCOMPARE(full.size(), incremental.size());
        for (size_t i = 0; i < full.size(); ++i)
            QVERIFY(std::abs(full[i] - incremental[i]) <= 1e-5f);

        // And on a real, trained model used as a PRM (scores are arbitrary, equality is not).
        NQKV_REQUIRE_SHARED(stories, "models/stories260K.gguf");
        auto real = LlamaModel::load(stories);
        ContextParams cp;
        cp.kv = KvConfig::parse("f32");
        PrmScorer s2(*real, *m.backend, cp);
        s2.reset("Once upon a time");
        std::vector<float> inc2;
        for (const auto& s : steps) inc2.push_back(s2.score_step(s));
        const auto full2 = s2.score_all("Once upon a time", steps);
        for (size_t i = 0; i < full2.size(); ++i) QVERIFY(std::abs(full2[i] - inc2[i]) <= 1e-5f);
    }

    void prm_reads_the_question_template_and_the_step_separator() {
        // The marker PRM scores low once it has read a '7': in the template, every step is
        // low; in the separator, only the steps after the first.
        auto backend = make_cpu_backend();
        ContextParams pp;
        pp.n_ctx = 2048;
        pp.kv = KvConfig::parse("f32");
        const std::vector<std::string> steps = {"## Step 1: 12 + 30 = 42",
                                                "## Step 2: 42 / 2 = 21"};
        auto in_template = LlamaModel::load(test::write_marker_prm('7', "Q7: {question}\n"));
        PrmScorer a(*in_template, *backend, pp);
        for (float s : a.score_all(kQuestion, steps))
            QVERIFY2(s < 0.05f, qPrintable(QString::number(s)));

        auto in_separator = LlamaModel::load(test::write_marker_prm('7', "", "\n7\n"));
        PrmScorer b(*in_separator, *backend, pp);
        const std::vector<float> full = b.score_all(kQuestion, steps);
        QVERIFY2(full[0] > 0.85f && full[1] < 0.05f,
                 qPrintable(QString("%1 %2").arg(full[0]).arg(full[1])));
        // Incrementally: the same scores, the separator read once per later step, and a step
        // read again after rolling back to the question is a first step again.
        const Tokenizer& tok = in_separator->tokenizer();
        b.reset(kQuestion);
        const int q = b.mark();
        QCOMPARE(q, int(tok.encode(kQuestion, true).size()));
        const float s1 = b.score_step(steps[0]);
        const float s2 = b.score_step(steps[1]);
        QVERIFY(std::abs(s1 - full[0]) <= 1e-5f && std::abs(s2 - full[1]) <= 1e-5f);
        const size_t tag = tok.encode(b.step_tag(), false).size();
        QCOMPARE(b.context().n_past(), int(q + tok.encode(steps[0], false).size() + tag +
                                           tok.encode("\n7\n" + steps[1], false).size() + tag));
        b.rollback(q);
        QVERIFY(std::abs(b.score_step(steps[1]) - 0.91f) < 0.05f);

        const std::string broken = test::write_marker_prm('7', "no placeholder");
        try {
            auto m = LlamaModel::load(broken);
            PrmScorer c(*m, *backend, pp);
            QFAIL("a template without {question} was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("{question}") &&
                         QString(e.what()).contains("marker-prm-layout"),
                     e.what());
        }
    }

    // RLHFlow's chat-trained PRMs (the AR-Sampling paper's): each step a user turn, scored where
    // the assistant answers "+". A Llama 3 chat template selects the layout; the tokens read are
    // the chat rendered in one piece, special tokens only where the template has them.
    void chat_trained_prm_reads_the_rendered_chat() {
        test::TinySpec spec;
        spec.bpe_pre = "llama-bpe";
        GgufWriter w = test::tiny_model_writer(spec);
        w.set("tokenizer.chat_template",
              GgufValue::str("{{- 'Cutting Knowledge Date: December 2023' }}<|start_header_id|>"));
        const std::string path = test::temp_dir() + "/chat-prm.gguf";
        w.write(path);
        auto prm = LlamaModel::load(path);
        auto backend = make_cpu_backend();
        ContextParams pp;
        pp.n_ctx = 512;
        PrmScorer scorer(*prm, *backend, pp);
        QCOMPARE(scorer.layout().name, std::string("rlhflow-llama3"));
        const std::string q = "Is <|eot_id|> text?", s1 = "## Step 1: 2 + 2 = 4.",
                          s2 = "## Step 2: The answer is 4.";
        const std::string user = "<|start_header_id|>user<|end_header_id|>\n\n",
                          asst = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        const std::string head =
            "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December "
            "2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>" +
            user;
        const std::string chat = head + q + " " + s1 + asst + "+<|eot_id|>" + user + s2 + asst;
        // The question's "<|eot_id|>" is text the user typed: it stays text.
        const size_t qb = head.size(), qe = qb + q.size();
        const auto want =
            prm->tokenizer().encode_special_in(chat, {{0, qb}, {qe, chat.size()}}, true);
        std::vector<size_t> ends;
        QCOMPARE(scorer.solution_tokens(q, {s1, s2}, &ends), want);
        QCOMPARE(ends.size(), size_t(2));
        QCOMPARE(ends[1], want.size() - 1);
        QCOMPARE(prm->tokenizer().decode({want[ends[0]]}), std::string("\n\n"));
        const auto eot = prm->tokenizer().encode_special("<|eot_id|>", false);
        QCOMPARE(std::count(want.begin(), want.end(), eot[0]), 4L);  // system, 2 x asst, "+"

        // Scored incrementally or in one pass, the same.
        const auto all = scorer.score_all(q, {s1, s2});
        scorer.reset(q);
        QVERIFY(std::abs(scorer.score_step(s1) - all[0]) < 1e-5f);
        QVERIFY(std::abs(scorer.score_step(s2) - all[1]) < 1e-5f);

        PrmScorer shepherd(*prm, *backend, pp, "math-shepherd");
        QCOMPARE(shepherd.layout().name, std::string("math-shepherd"));
        QCOMPARE(shepherd.solution_tokens(q, {s1}),
                 prm->tokenizer().encode(q + s1 + " \xD0\xBA\xD0\xB8", true));
        try {
            PrmScorer bad(*prm, *backend, pp, "rlhflow");
            QFAIL("an unknown layout was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("\"rlhflow\"") &&
                         QString(e.what()).contains("rlhflow-llama3"),
                     e.what());
        }
    }

    void rethink_rules_hold_and_the_trace_is_reproducible_data() {
        QTest::addColumn<int>("max_rethink");
        QTest::addColumn<int>("seed");
        QTest::newRow("max_rethink 1") << 1 << 3;
        QTest::newRow("max_rethink 2") << 2 << 3;
        QTest::newRow("max_rethink 0") << 0 << 3;
        QTest::newRow("max_rethink 1, seed 8") << 1 << 8;
    }
    void rethink_rules_hold_and_the_trace_is_reproducible() {
        QFETCH(int, max_rethink);
        QFETCH(int, seed);
        Models m;
        ArParams p;
        p.threshold = 0.3f;
        p.max_rethink = max_rethink;
        p.max_step_tokens = 12;  // the random policy rarely writes "\n\n"; cut steps short
        p.max_tokens = 240;
        p.max_steps = 14;
        p.sampling.temperature = 1.0f;
        p.sampling.seed = uint64_t(seed);
        std::vector<TraceEvent> live;
        ArCallbacks cb;
        cb.on_step = [&](const TraceEvent& e) { live.push_back(e); };
        const ArResult r =
            run_ar(*m.policy, *m.policy_ctx, *m.scorer,
                   "Q: " + std::string(kQuestion) + "\n## Step 1: ", kQuestion, p, cb);
        QCOMPARE(int(live.size()), int(r.trace.size()));
        int rethinks = 0, accepts = 0, forced = 0, streak = 0;
        for (size_t i = 0; i < r.trace.size(); ++i) {
            const TraceEvent& e = r.trace[i];
            qInfo("step %d  %.3f  %-13s %s", e.step, double(e.score), ar_decision_name(e.decision),
                  e.text.c_str());
            const bool low = e.score < p.threshold;
            if (e.decision == ArDecision::Rethink) {
                QVERIFY(low);
                QVERIFY(streak < p.max_rethink);
                QCOMPARE(e.trigger, "Wait! Maybe I made some mistakes in Step " +
                                        std::to_string(e.step) +
                                        ". I need to rethink from it.\n## Step " +
                                        std::to_string(e.step) + ": ");
                QVERIFY(r.text.find(e.trigger) != std::string::npos);
                ++streak;
                ++rethinks;
            } else {
                if (low) {
                    // A low step is only accepted once it has used up its rethinks (or the run
                    // ends).
                    QVERIFY(streak >= p.max_rethink || i + 1 == r.trace.size());
                    QCOMPARE(e.decision, ArDecision::ForcedAccept);
                    ++forced;
                } else {
                    QCOMPARE(e.decision, ArDecision::Accept);
                    ++accepts;
                }
                streak = 0;  // the counter resets once a step passes
            }
            if (i > 0 && r.trace[i - 1].decision == ArDecision::Rethink)
                QCOMPARE(e.step, r.trace[i - 1].step);
            if (i > 0 && r.trace[i - 1].decision != ArDecision::Rethink)
                QCOMPARE(e.step, r.trace[i - 1].step + 1);
        }
        QCOMPARE(r.rethinks, rethinks);
        QVERIFY2(accepts > 0 && (max_rethink == 0 ? rethinks == 0 : rethinks > 0),
                 "the seed should exercise both branches");
        if (max_rethink == 0) QVERIFY(forced > 0);
        qInfo("%d accepted, %d rethought, %d forced; %d policy and %d PRM tokens; stop: %s",
              accepts, rethinks, forced, r.policy_tokens, r.prm_tokens, r.stop.c_str());

        const ArResult again =
            run_ar(*m.policy, *m.policy_ctx, *m.scorer,
                   "Q: " + std::string(kQuestion) + "\n## Step 1: ", kQuestion, p);
        QCOMPARE(again.text, r.text);
        QCOMPARE(again.trace.size(), r.trace.size());
        for (size_t i = 0; i < r.trace.size(); ++i) {
            QCOMPARE(again.trace[i].score, r.trace[i].score);
            QCOMPARE(again.trace[i].text, r.trace[i].text);
        }
    }

    void the_trigger_resource_is_the_default() {
        QFile f(QString(NQKV_RESOURCES_DIR) + "/prompts/triggers.txt");
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().toStdString(), std::string(kDefaultTrigger));
    }

    void candidates_share_the_question_and_are_selected() {
        Models m;
        ArParams p;
        p.max_step_tokens = 10;
        p.max_tokens = 60;
        p.sampling.temperature = 1.0f;
        const int before = m.scorer->tokens_read();
        const auto cands = run_ar_candidates(*m.policy, *m.policy_ctx, *m.scorer,
                                             "Q: hi\n## Step 1: ", kQuestion, p, 3);
        QCOMPARE(int(cands.size()), 3);
        int prm_total = 0;
        for (const auto& c : cands) prm_total += c.prm_tokens;
        QCOMPARE(prm_total, m.scorer->tokens_read() - before);
        QVERIFY(cands[0].text != cands[1].text);  // different seeds
        // Sharing the prompt and the question changes nothing: each candidate alone is the same.
        for (int c = 0; c < 3; ++c) {
            const ArResult alone = run_ar(*m.policy, *m.policy_ctx, *m.scorer,
                                          "Q: hi\n## Step 1: ", kQuestion, p, {}, c);
            QCOMPARE(alone.text, cands[size_t(c)].text);
            QCOMPARE(alone.trace.size(), cands[size_t(c)].trace.size());
        }

        // A follow-up whose prompt extends the first reads only its new part, and writes
        // exactly what a fresh context writes.
        const std::string first = "Q: hi\n## Step 1: ",
                          second = "Q: hi\nA: 42\nQ: and?\n## Step 1: ";
        PolicyCache cache;
        run_ar_candidates(*m.policy, *m.policy_ctx, *m.scorer, first, kQuestion, p, 2, {}, &cache);
        QCOMPARE(cache.reused, 0);
        const std::vector<int> first_ids = cache.ids;
        const auto again = run_ar_candidates(*m.policy, *m.policy_ctx, *m.scorer, second, kQuestion,
                                             p, 2, {}, &cache);
        const std::vector<int> second_ids =
            m.policy->tokenizer().encode_special(second, m.policy->tokenizer().add_bos(), "t");
        QCOMPARE(cache.ids, second_ids);
        const int shared =
            int(std::mismatch(first_ids.begin(), first_ids.end(), second_ids.begin()).first -
                first_ids.begin());
        QVERIFY(shared > 2);
        QCOMPARE(cache.reused, shared);
        m.policy_ctx->truncate(0);
        const auto fresh =
            run_ar_candidates(*m.policy, *m.policy_ctx, *m.scorer, second, kQuestion, p, 2);
        for (size_t c = 0; c < 2; ++c) {
            QCOMPARE(again[c].text, fresh[c].text);
            QCOMPARE(again[c].last_score, fresh[c].last_score);
        }
        // The same prompt again re-reads its last token only (its logits start step 1); a
        // cache claiming more than the context holds is trimmed to what it holds.
        run_ar_candidates(*m.policy, *m.policy_ctx, *m.scorer, second, kQuestion, p, 1, {}, &cache);
        QCOMPARE(cache.reused, int(second_ids.size()) - 1);
        m.policy_ctx->truncate(3);
        run_ar_candidates(*m.policy, *m.policy_ctx, *m.scorer, second, kQuestion, p, 1, {}, &cache);
        QCOMPARE(cache.reused, 3);

        std::vector<ArResult> fake(4);
        const char* answers[] = {"42", "41", "41", "7"};
        const float scores[] = {0.9f, 0.3f, 0.35f, 0.95f};
        for (int i = 0; i < 4; ++i) {
            fake[size_t(i)].answer = answers[i];
            fake[size_t(i)].last_score = scores[i];
        }
        const ArSelection s = select_answers(fake);
        QCOMPARE(*s.best_of_n, std::string("7"));
        QCOMPARE(s.best_candidate, 3);
        QCOMPARE(*s.majority, std::string("41"));
        QCOMPARE(*s.weighted_best_of_n, std::string("7"));  // 0.95 > 0.9 > 0.65

        const QJsonObject j = QJsonDocument::fromJson(QByteArray::fromStdString(trace_json(
                                                          cands, select_answers(cands), p)))
                                  .object();
        QCOMPARE(j["schema"].toString(), QString("nqkv.ar-trace/1"));
        QCOMPARE(j["candidates"].toArray().size(), 3);
        const QJsonObject step0 =
            j["candidates"].toArray()[0].toObject()["steps"].toArray()[0].toObject();
        for (const char* k : {"step", "text", "token_begin", "token_end", "score", "decision",
                              "trigger", "policy_tokens", "prm_tokens", "policy_ms", "prm_ms"})
            QVERIFY2(step0.contains(k), k);
    }

    // The policy reads a question's pictures: its prompt's logits are those of the prompt read
    // with the picture's rows by hand, another picture changes them, and a text prompt after it
    // reads tokens again where the picture's rows were (the context held them).
    void a_question_with_a_picture() {
        auto lm = LlamaModel::load(test::write_tiny_model(test::tiny_gemma3(2, 0)));
        auto vm = VisionModel::load(test::write_tiny_vision({}));
        const auto rows = VisionEncoder(*vm, 1).rows(test::tiny_picture(40, 30, 25));
        const auto other = VisionEncoder(*vm, 1).rows(test::tiny_picture(40, 30, 26));
        auto prm = LlamaModel::load(test::write_marker_prm('7'));
        auto backend = make_cpu_backend();
        ContextParams cp;
        cp.n_ctx = 256;
        auto ctx = backend->create_context(*lm, cp);
        PrmScorer scorer(*prm, *backend, cp);
        const Tokenizer& tok = lm->tokenizer();
        const auto logits_by_hand = [&](const std::string& prompt,
                                        const std::shared_ptr<const InputRows>& picture) {
            auto fresh = backend->create_context(*lm, cp);
            const PicturePrompt pp = tokenize_with_pictures(tok, prompt, {picture}, true);
            fresh->set_rows(pp.pictures);
            std::vector<float> out(size_t(lm->hparams().n_vocab));
            fresh->eval(pp.ids.data(), int(pp.ids.size()), out.data());
            return out;
        };

        const std::vector<ChatMessage> asked{{"user", "What is in it?", {rows}}};
        QCOMPARE(message_pictures(asked).size(), size_t(1));
        const std::string prompt = ar_policy_prompt(ChatFormat::Plain, asked);
        QVERIFY(prompt.find(std::string(kPictureMarker) + "What is in it?") != std::string::npos);
        const PolicyPrefix pre = evaluate_prompt(*lm, *ctx, prompt, {}, {rows});
        QCOMPARE(pre.ids, tokenize_with_pictures(tok, prompt, {rows}, true).ids);
        QCOMPARE(pre.logits, logits_by_hand(prompt, rows));
        QVERIFY(pre.logits != logits_by_hand(prompt, other));
        QVERIFY(test::error_of([&] {
                    ar_policy_prompt(ChatFormat::Plain,
                                     {{"user", std::string(kPictureMarker), {rows}}});
                }).contains("marks where pictures go"));

        // Candidates with the picture write what a fresh context writes; the same prompt with
        // another picture is read again from the picture on.
        ArParams p;
        p.max_step_tokens = 6;
        p.max_tokens = 12;
        p.sampling.temperature = 0;
        PolicyCache cache;
        const auto first = run_ar_candidates(*lm, *ctx, scorer, prompt, "What is in it?", p, 1, {},
                                             &cache, {rows});
        QCOMPARE(int(first.size()), 1);
        QVERIFY(first[0].policy_tokens > 0);
        const PicturePrompt marked = tokenize_with_pictures(tok, prompt, {rows}, true);
        QCOMPARE(cache.ids, marked.ids);
        run_ar_candidates(*lm, *ctx, scorer, prompt, "What is in it?", p, 1, {}, &cache, {other});
        QCOMPARE(cache.reused, marked.pictures[0].first);
        auto fresh = backend->create_context(*lm, cp);
        const auto again = run_ar_candidates(*lm, *fresh, scorer, prompt, "What is in it?", p, 1,
                                             {}, nullptr, {rows});
        QCOMPARE(again[0].text, first[0].text);

        // A question without pictures after it: the positions the rows held read its tokens.
        const std::string text = ar_policy_prompt(
            ChatFormat::Plain, {{"user",
                                 "What is in it? Say more about all of its colours, "
                                 "and about the shapes you can see in it."}});
        QVERIFY(tok.encode_special(text, true).size() > marked.ids.size());
        const PolicyPrefix after = evaluate_prompt(*lm, *ctx, text, cache.ids);
        QVERIFY(after.reused > 0 && after.reused <= marked.pictures[0].first);
        auto plain = backend->create_context(*lm, cp);
        QCOMPARE(after.logits, evaluate_prompt(*lm, *plain, text).logits);
    }
};

QTEST_GUILESS_MAIN(TestArSampling)
#include "test_ar_sampling.moc"
