#include "tests/model_checks.h"

#include <QtTest>
#include <algorithm>
#include <cmath>

#include "engine/chat_session.h"
#include "engine/error.h"
#include "engine/gguf_writer.h"
#include "engine/kv_config.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

std::unique_ptr<InferenceContext> cpu_context(const LlamaModel& m, int threads,
                                              const std::string& kv, int n_ctx, bool float_acts) {
    ContextParams cp;
    cp.n_threads = threads;
    cp.float_activations = float_acts;
    cp.kv = KvConfig::parse(kv);
    cp.n_ctx = n_ctx;
    return make_cpu_backend()->create_context(m, cp);
}

std::unique_ptr<InferenceContext> logits_under_cache(const LlamaModel& m,
                                                     const std::vector<int>& ids,
                                                     const std::string& kv, int n_ctx,
                                                     std::vector<float>& out) {
    auto ctx = cpu_context(m, 2, kv, n_ctx);
    ctx->set_kv_capture(true, size_t(1) << 20);
    out.resize(ids.size() * size_t(m.hparams().n_vocab));
    ctx->eval(ids.data(), int(ids.size()), out.data(), true);
    return ctx;
}

double relative_gap(const std::vector<float>& ref, const std::vector<float>& got) {
    double worst = 0, scale = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        worst = std::max(worst, double(std::abs(ref[i] - got[i])));
        scale = std::max(scale, double(std::abs(ref[i])));
    }
    return worst / scale;
}

GenerateParams greedy(int n) {
    GenerateParams gp;
    gp.max_tokens = n;
    gp.sampling.temperature = 0;
    return gp;
}

const char* const kPrompt = "Tom bought 12 apples. Then there were";

std::vector<float> all_logits(const LlamaModel& m, const std::vector<int>& ids, int threads,
                              int n_ctx, bool float_acts) {
    auto ctx = cpu_context(m, threads, "f32", n_ctx, float_acts);
    std::vector<float> out(ids.size() * size_t(m.hparams().n_vocab));
    ctx->eval(ids.data(), int(ids.size()), out.data(), true);
    return out;
}

void matches_at_once_and_token_by_token(const LlamaModel& model, const std::vector<int>& ids,
                                        const std::vector<std::vector<double>>& want) {
    const Gap g = gap(want, all_logits(model, ids));
    qInfo("max |logit - naive| = %.2e (logits up to %.1f)", g.worst, g.scale);
    QVERIFY(g.worst <= 1e-4 * g.scale + 1e-5);
    auto ctx = cpu_context(model);
    const size_t nv = size_t(model.hparams().n_vocab);
    std::vector<float> one(ids.size() * nv);
    for (size_t t = 0; t < ids.size(); ++t) ctx->eval(&ids[t], 1, one.data() + t * nv);
    const Gap g1 = gap(want, one);
    QVERIFY2(g1.worst <= 1e-4 * g1.scale + 1e-5, qPrintable(QString::number(g1.worst)));
}

void matches_naive_on_prompt(const LlamaModel& model) {
    const auto ids = model.tokenizer().encode(kPrompt, true);
    matches_at_once_and_token_by_token(model, ids, naive_forward(model, ids));
}

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

    // Each of the cache's layers (the model's that keep keys and values) costs its own bytes.
    const KvStats st = ctx->kv_stats();
    QCOMPARE(st.ring, ring);
    std::vector<bool> in_ring;
    for (int l = 0; l < hp.n_layer; ++l)
        if (hp.owns_kv(l)) in_ring.push_back(hp.windowed(l));
    QCOMPARE(st.n_layer, int(in_ring.size()));
    QCOMPARE(st.ringed_layers, int(std::count(in_ring.begin(), in_ring.end(), true)));
    size_t allocated = 0, used = 0;
    for (size_t l = 0; l < in_ring.size(); ++l) {
        const size_t bytes = st.layer_k_bytes[l] + st.layer_v_bytes[l];
        allocated += size_t(in_ring[l] ? ring : 128) * bytes;
        used += size_t(in_ring[l] ? ring : n) * bytes;
        QCOMPARE(st.layer_tokens[l], in_ring[l] ? ring : n);
        QCOMPARE(ctx->kv_cache().holds(int(l), 1), !in_ring[l]);
        QVERIFY(ctx->kv_cache().holds(int(l), n - 1));
    }
    QCOMPARE(st.bytes_allocated, allocated);
    QCOMPARE(st.bytes_used, used);
    bool refused = false;
    try {
        ctx->kv_cache().block(0, 1, KvKind::K, 0);
    } catch (const Error& e) {
        const QString m = e.what();
        refused = m.contains("token 1 is no longer held") &&
                  m.contains(QString("(it attends to at most %1)").arg(hp.swa_window));
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

    // nq4 codes in a ring give what they give in a full layout, bit for bit: the attention
    // kernels sum a range split where the ring wraps as they sum it whole.
    std::vector<float> flat(out.size()), ringed(out.size());
    make("nq4", 512)->eval(ids.data(), n, flat.data(), true);
    for (const int batch : {2, 3}) {
        make("nq4", batch)->eval(ids.data(), n, ringed.data(), true);
        QVERIFY2(ringed == flat, qPrintable(QString("batches of %1").arg(batch)));
    }

    // A follow-up sharing the prompt reads it again once the ring lost its window, and writes
    // the same.
    auto gen = make("f32", 3);
    const GenerateResult a = generate_from_ids(model, *gen, ids, 0, greedy(12));
    const GenerateResult b = generate_from_ids(model, *gen, ids, n, greedy(12));
    QCOMPARE(b.reused_tokens, 0);
    QCOMPARE(b.text, a.text);
    QCOMPARE(b.ids, a.ids);
}

std::unique_ptr<InferenceContext> read_prompt_then_tokens(const LlamaModel& m,
                                                          const std::vector<int>& ids, int n,
                                                          int prompt, std::vector<int>& text,
                                                          std::vector<float>& at_once) {
    text.clear();
    while (int(text.size()) < n) text.insert(text.end(), ids.begin(), ids.end());
    text.resize(size_t(n));
    at_once.assign(size_t(n) * size_t(m.hparams().n_vocab), 0.f);
    cpu_context(m, 2, "fp16", 512)->eval(text.data(), n, at_once.data(), true);
    auto ctx = cpu_context(m, 2, "fp16", 512);
    ctx->eval(text.data(), prompt, nullptr);
    for (int t = prompt; t < n; ++t) ctx->eval(&text[size_t(t)], 1, nullptr);
    return ctx;
}

double gap_after_going_back(InferenceContext& ctx, const std::vector<int>& text,
                            const std::vector<float>& at_once, int back, int batch) {
    const int n = int(text.size());
    const size_t nv = at_once.size() / text.size();
    const int kept = ctx.keepable(back);
    [&] { QCOMPARE(truncate_to(ctx, back, text.data()), back - kept); }();
    std::vector<float> again(at_once.size());
    for (int t = back; t < n; t += batch)
        ctx.eval(&text[size_t(t)], std::min(batch, n - t), again.data() + size_t(t) * nv, true);
    double worst = 0;
    for (size_t i = size_t(back) * nv; i < again.size(); ++i)
        worst = std::max(worst, double(std::abs(again[i] - at_once[i])));
    return worst;
}

std::unique_ptr<LlamaModel> model_with_template(const std::string& tmpl, const std::string& name) {
    GgufWriter w = tiny_model_writer(TinySpec{});
    w.set("tokenizer.chat_template", GgufValue::str(tmpl));
    const std::string path = temp_dir() + "/" + name + ".gguf";
    w.write(path);
    return LlamaModel::load(path);
}

std::string session_prompt(const std::string& tmpl, const std::string& name,
                           const std::vector<ChatMessage>& m, bool thinking) {
    auto model = model_with_template(tmpl, name);
    auto ctx = cpu_context(*model, 1, "fp16", 128);
    ChatSession chat(*model, *ctx);
    ChatRenderOptions o;
    o.thinking = thinking;
    chat.set_render_options(o);
    return chat.render(m);
}

}  // namespace nqkv::test
