// Sampling rules: greedy, filters, temperature, penalty and seeded determinism.
#include <cmath>
#include <set>

#include "engine/sampler.h"
#include "tests/test_support.h"

using namespace nqkv;

namespace {

SamplingParams plain(float temp) {
    SamplingParams p;
    p.temperature = temp;
    p.top_k = 0;
    p.top_p = 1;
    p.min_p = 0;
    p.repeat_penalty = 1;
    return p;
}

}  // namespace

class TestSampler : public QObject {
    Q_OBJECT

  private slots:
    void greedy_takes_the_first_maximum() {
        const float logits[] = {1, 5, 3, 5};
        Sampler s(plain(0));
        QCOMPARE(s.sample(logits, 4, {}), 1);
        QCOMPARE(argmax(logits, 4), 1);
    }

    void temperature_one_follows_the_softmax() {
        const float logits[] = {0, std::log(3.f)};  // p = 0.25, 0.75
        Sampler s(plain(1));
        int ones = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i) ones += s.sample(logits, 2, {});
        QVERIFY(std::abs(double(ones) / n - 0.75) < 0.015);
    }

    void low_temperature_sharpens() {
        const float logits[] = {0, std::log(3.f)};
        Sampler s(plain(0.25f));  // p(1) = 81 / 82
        int ones = 0;
        for (int i = 0; i < 5000; ++i) ones += s.sample(logits, 2, {});
        QVERIFY(ones > 4900);
    }

    void filters_keep_only_the_allowed_tokens() {
        const float logits[] = {3.0f, 2.9f, 2.8f, 0.0f, -1.0f};
        SamplingParams k = plain(5);
        k.top_k = 2;
        SamplingParams p = plain(5);
        p.top_p = 0.5f;
        SamplingParams m = plain(5);
        m.min_p = 0.5f;
        Sampler sk(k), sp(p), sm(m);
        std::set<int> seen_k, seen_p, seen_m;
        for (int i = 0; i < 3000; ++i) {
            seen_k.insert(sk.sample(logits, 5, {}));
            seen_p.insert(sp.sample(logits, 5, {}));
            seen_m.insert(sm.sample(logits, 5, {}));
        }
        QCOMPARE(seen_k, (std::set<int>{0, 1}));
        QCOMPARE(seen_p, (std::set<int>{0, 1}));  // 0.36 + 0.33 crosses 0.5
        QCOMPARE(seen_m, (std::set<int>{0, 1, 2}));
    }

    void repetition_penalty_demotes_recent_tokens() {
        const float logits[] = {2.0f, 1.9f, -1.0f};
        SamplingParams p = plain(0);
        p.repeat_penalty = 1.5f;
        p.repeat_last_n = 2;
        Sampler s(p);
        QCOMPARE(s.sample(logits, 3, {0}), 1);        // 2.0 / 1.5 < 1.9
        QCOMPARE(s.sample(logits, 3, {0, 1, 2}), 0);  // only the last two count: 1 and 2
    }

    void same_seed_same_draws() {
        std::vector<float> logits(50);
        for (size_t i = 0; i < logits.size(); ++i) logits[i] = float(std::sin(double(i)));
        SamplingParams p;
        p.seed = 77;
        Sampler a(p), b(p);
        p.seed = 78;
        Sampler c(p);
        std::vector<int> da, db, dc;
        for (int i = 0; i < 100; ++i) {
            da.push_back(a.sample(logits.data(), 50, da));
            db.push_back(b.sample(logits.data(), 50, db));
            dc.push_back(c.sample(logits.data(), 50, dc));
        }
        QCOMPARE(da, db);
        QVERIFY(da != dc);
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "test_sampler.moc"
