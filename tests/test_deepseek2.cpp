// DeepSeek-V2/V3 (deepseek2) against the naive float64 forward pass, which decompresses every
// head's keys and values from the latent where the engine takes the queries into it: queries
// direct and through a low rank, DeepSeek-V3's routing (sigmoid, selection bias, groups, scaled
// weights), dense throughout, DeepSeek's YaRN, an attention temperature; the cache holding one
// latent per token and layer that is the values too, in fp16 and NQKV codes; older files with
// one attn_kv_b per layer, MiniCPM3's and Mistral 4's; DeepSeek-MoE's first version; and
// GLM-4.5's architecture, DeepSeek's experts under ordinary attention.
#include <QtTest>

#include <cmath>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/kv_analysis.h"
#include "engine/kv_block_map.h"
#include "engine/kv_cache.h"
#include "engine/kv_compare.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_deepseek2.h"
#include "tests/tiny_model.h"

using namespace nqkv;

using test::error_of;

namespace {

// The tests' random model of this architecture with 3 layers and 6 experts of width 40, 2 used
// (tests/tiny_model.h says how each lays them out).
std::unique_ptr<LlamaModel> load_tiny_moe(const char* arch) {
    test::TinySpec spec;
    spec.arch = arch;
    spec.n_layer = 3;
    spec.n_expert = 6;
    spec.n_expert_used = 2;
    spec.n_ff = 40;
    return LlamaModel::load(test::write_tiny_model(spec));
}

}  // namespace

class TestDeepSeek2 : public QObject {
    Q_OBJECT

  private slots:
    void layout_is_read() {
        test::TinyDeepSeek2 g;
        g.v3_routing = true;
        g.nextn = true;
        auto model = LlamaModel::load(test::write_tiny_deepseek2(g));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(model->architecture(), std::string("deepseek2"));
        QCOMPARE(hp.n_layer, 3);  // the block that predicts further tokens left out
        QVERIFY(hp.mla());
        QCOMPARE(hp.mla_rank, 32);
        QCOMPARE(hp.mla_nope, 16);
        QCOMPARE(hp.mla_v_dim, 24);
        QCOMPARE(hp.q_lora_rank, 24);
        QCOMPARE(hp.n_head_kv, 1);
        QCOMPARE(hp.head_dim, 48);  // the cached head: latent and rotated key
        QCOMPARE(hp.kv_rows(), (std::vector<int>{48, 48, 48}));
        QCOMPARE(hp.attn_scale, float(1 / std::sqrt(32.0)));  // over the query head's 16 + 16
        QVERIFY(!hp.rope_neox);
        QCOMPARE(hp.dense_lead, 1);
        QCOMPARE(hp.n_ff_dense, 48);
        QCOMPARE(hp.n_ff, 16);
        QCOMPARE(hp.n_ff_shared, 16);
        QVERIFY(hp.expert_sigmoid && hp.expert_weights_norm);
        QCOMPARE(hp.expert_weights_scale, 2.5f);
        QCOMPARE(hp.n_expert_groups, 4);
        QCOMPARE(hp.n_group_used, 2);
        const LlamaLayer& L = model->layers()[1];
        QVERIFY(L.wq_a.info && L.q_a_norm && !L.wq.info && L.expert_select_bias);
        QCOMPARE(int(L.wk_b.size()), 4);
        QCOMPARE(L.wk_b[3].rows, int64_t(32));
        QCOMPARE(L.wv_b[3].rows, int64_t(24));
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("latent attention"));

        // DeepSeek-V2's defaults: a softmax, weights as they are.
        auto v2 = LlamaModel::load(test::write_tiny_deepseek2({}));
        QVERIFY(!v2->hparams().expert_sigmoid && !v2->hparams().expert_weights_norm);
        QCOMPARE(v2->hparams().expert_weights_scale, 1.f);
        QCOMPARE(v2->hparams().n_expert_groups, 0);

        // YaRN: cos and sin unscaled, the scores by (1 + 0.1 L ln 4)^2 with L = 0.707.
        test::TinyDeepSeek2 y;
        y.yarn = true;
        auto yarn = LlamaModel::load(test::write_tiny_deepseek2(y));
        const double m = 1 + 0.1 * 0.707 * std::log(4.0);
        QCOMPARE(yarn->hparams().rope_attn_factor, 1.f);
        QVERIFY(std::abs(yarn->hparams().attn_scale - m * m / std::sqrt(32.0)) < 1e-6);
        QCOMPARE(yarn->hparams().rope_yarn_factor, 4.f);
    }

    // GLM-4.5's architecture: the same experts (a sigmoid by default, the selection bias, a
    // shared expert, the first layer dense, a further-token block left out) under GLM's
    // attention: biases, query and key norms, NeoX RoPE on half of each head.
    void glm4moe_is_read_and_matches_the_naive_pass() {
        test::TinyDeepSeek2 g;
        g.glm4moe = true;
        g.nextn = true;
        auto model = LlamaModel::load(test::write_tiny_deepseek2(g));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(model->architecture(), std::string("glm4moe"));
        QCOMPARE(hp.n_layer, 3);
        QVERIFY(!hp.mla() && hp.rope_neox && hp.expert_sigmoid && !hp.expert_weights_norm);
        QCOMPARE(hp.head_dim, 24);
        QCOMPARE(hp.n_rot, 12);
        QCOMPARE(hp.n_head_kv, 2);
        QCOMPARE(hp.dense_lead, 1);
        QCOMPARE(hp.n_ff_shared, 16);
        const LlamaLayer& L = model->layers()[1];
        QVERIFY(L.bq && L.bk && L.bv && L.q_norm && L.k_norm && L.expert_select_bias);
        QVERIFY(L.ffn_norm && !L.post_attn_norm);  // post_attention_norm is the feed-forward's
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("mixture-of-experts"));
        test::matches_naive_on_prompt(*model);
    }

    // An older conversion (one attn_kv_b per layer, the heads' own key and value lengths) of
    // the same weights as a current file: read as the latent the current one is, bit for bit the
    // same logits, and the naive pass's; the transposed key maps are counted in the weights.
    void older_conversions_read_as_current_ones() {
        for (const bool q_lora : {false, true}) {
            test::TinyDeepSeek2 g;
            g.q_lora = q_lora;
            g.f16_latent = q_lora;  // F16: attn_k_b made in F16 from F16 rows, exactly
            const auto current = LlamaModel::load(test::write_tiny_deepseek2(g));
            g.legacy = true;
            const auto older = LlamaModel::load(test::write_tiny_deepseek2(g));
            const LlamaHParams& hp = older->hparams();
            QVERIFY(hp.mla_kv_b && !current->hparams().mla_kv_b);
            QCOMPARE(hp.n_head_kv, 1);
            QCOMPARE(hp.head_dim, 32 + 16);
            QCOMPARE(hp.mla_nope, 16);
            QCOMPARE(hp.mla_v_dim, 24);
            QCOMPARE(hp.attn_scale, current->hparams().attn_scale);
            uint64_t file_bytes = 0;
            for (const auto& t : older->file().tensors()) file_bytes += t.n_bytes;
            QCOMPARE(older->weight_bytes(),
                     file_bytes + uint64_t(3 * 4 * 32 * 16 * (q_lora ? 2 : 4)));
            const auto ids = older->tokenizer().encode(test::kPrompt, true);
            const std::vector<float> want = test::all_logits(*current, ids);
            QVERIFY(want == test::all_logits(*older, ids));
            test::matches_at_once_and_token_by_token(*older, ids, test::naive_forward(*older, ids));
        }
    }

    // DeepSeek-MoE's first version (deepseek): llama's attention, a dense first layer, then
    // experts weighed by a softmax, never renormalised, times expert_weights_scale, beside
    // expert_shared_count experts' worth of shared expert.
    void deepseek_moe_is_read_and_matches_the_naive_pass() {
        const auto model = load_tiny_moe("deepseek");
        const LlamaHParams& hp = model->hparams();
        QVERIFY(!hp.mla() && !hp.rope_neox && !hp.expert_sigmoid && !hp.expert_weights_norm);
        QCOMPARE(hp.dense_lead, 1);
        QCOMPARE(hp.n_ff, 40);
        QCOMPARE(hp.n_ff_shared, 80);
        QCOMPARE(hp.expert_weights_scale, 1.5f);
        QVERIFY(!hp.moe(0) && hp.moe(1));
        QCOMPARE(int(model->layers()[0].w_gate.rows), 48);
        QVERIFY(model->layers()[1].sh_down.info && !model->layers()[1].sh_gate_inp);
        test::matches_naive_on_prompt(*model);
    }

    // dots.llm1 (dots1): Qwen3's attention (per-head query and key norms, NeoX RoPE) and
    // DeepSeek-V3's experts as the file states them (here a sigmoid, a selection bias, the
    // weights renormalised and scaled), after a dense first layer, beside shared experts.
    void dots1_is_read_and_matches_the_naive_pass() {
        const auto model = load_tiny_moe("dots1");
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.rope_neox && hp.expert_sigmoid && hp.expert_weights_norm);
        QCOMPARE(hp.expert_weights_scale, 2.5f);
        QCOMPARE(hp.dense_lead, 1);
        QCOMPARE(hp.n_ff_shared, 80);
        const LlamaLayer& L = model->layers()[1];
        QVERIFY(L.q_norm && L.k_norm && L.expert_select_bias && L.sh_down.info);
        test::matches_naive_on_prompt(*model);
    }

    // Ling 2.0 (bailingmoe2): dots.llm1's layers with fused Q, K and V, RoPE on half of each
    // head, expert groups, each shared expert's width stated, a further-token block left out.
    void bailingmoe2_is_read_and_matches_the_naive_pass() {
        const auto model = load_tiny_moe("bailingmoe2");
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.n_layer, 3);  // the fourth block predicts further tokens
        QVERIFY(hp.rope_neox && hp.expert_sigmoid && hp.expert_weights_norm);
        QCOMPARE(hp.n_rot, hp.head_dim / 2);
        QCOMPARE(hp.n_expert_groups, 2);
        QCOMPARE(hp.n_group_used, 1);
        QCOMPARE(hp.n_ff_shared, 2 * 56);  // the stated width times expert_shared_count
        const LlamaLayer& L = model->layers()[1];
        QVERIFY(L.q_norm && L.k_norm && L.expert_select_bias && L.sh_down.info);
        test::matches_naive_on_prompt(*model);
    }

    // MiniMax-M2 (minimax-m2): RMSNorms over the whole query and key projections, RoPE on part
    // of each head, and experts in every layer weighed as the file says (here a sigmoid), picked
    // with a selection bias and always renormalised.
    void minimax_m2_is_read_and_matches_the_naive_pass() {
        const auto model = load_tiny_moe("minimax-m2");
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.rope_neox && hp.qk_norm_whole && hp.expert_sigmoid && hp.expert_weights_norm);
        QCOMPARE(hp.n_rot, hp.head_dim / 2);
        QCOMPARE(hp.dense_lead, 0);
        QCOMPARE(hp.n_ff_shared, 0);
        const LlamaLayer& L = model->layers()[0];
        QVERIFY(L.q_norm && L.k_norm && L.expert_select_bias && !L.sh_down.info);
        test::matches_naive_on_prompt(*model);
    }

    // Mistral 4: DeepSeek's file under another name, read alike but for YaRN, whose cos and
    // sin llama.cpp scales as Mistral 3's by (1 + 0.1 ln f) / (1 + 0.1 L ln f) (L the stored
    // 0.1 L over 0.1), leaving the scores scaled by (1 + 0.1 ln f)^2 / sqrt(key_length_mla).
    void mistral4_reads_as_deepseek_but_its_yarn() {
        test::TinyDeepSeek2 g;
        g.yarn = true;  // factor 4, log multiplier 0.0707
        const auto deepseek = LlamaModel::load(test::write_tiny_deepseek2(g));
        g.mistral4 = true;
        const auto mistral = LlamaModel::load(test::write_tiny_deepseek2(g));
        const LlamaHParams &d = deepseek->hparams(), &m = mistral->hparams();
        QCOMPARE(mistral->architecture(), std::string("mistral4"));
        QCOMPARE(m.mla_rank, d.mla_rank);
        QCOMPARE(m.n_expert, d.n_expert);
        QCOMPARE(m.rope_freq_factors, d.rope_freq_factors);
        const double lnf = std::log(4.0), mscale = 1 + 0.1 * lnf, with_l = 1 + 0.0707 * lnf;
        QCOMPARE(d.rope_attn_factor, 1.f);
        QVERIFY(std::abs(m.rope_attn_factor - mscale / with_l) < 1e-6);
        QVERIFY(std::abs(d.attn_scale - with_l * with_l / std::sqrt(32.0)) < 1e-6);
        QVERIFY(std::abs(m.attn_scale - mscale * mscale / std::sqrt(32.0)) < 1e-6);
        test::matches_naive_on_prompt(*mistral);
    }

    // MiniCPM3: the older layout's latent attention with MiniCPM's fixed multipliers and
    // LongRoPE's short divisors (the context within the trained one), NeoX pairs.
    void minicpm3_is_read_and_matches_the_naive_pass() {
        const auto model = LlamaModel::load(test::write_tiny_minicpm3());
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.mla_kv_b && hp.rope_neox);
        QCOMPARE(hp.mla_rank, 32);
        QCOMPARE(hp.q_lora_rank, 24);
        QCOMPARE(hp.mla_nope, 16);
        QCOMPARE(hp.mla_v_dim, 16);  // n_embd / n_head: the file states no value_length
        QCOMPARE(hp.embd_scale, 12.f);
        QCOMPARE(hp.residual_scale, 1.4f / std::sqrt(3.f));
        QCOMPARE(hp.logit_scale, 64.f / 256.f);
        QCOMPARE(hp.attn_scale, 1.f / std::sqrt(32.f));
        QCOMPARE(hp.n_ctx_orig, 128);  // the long divisors only past the trained context
        QCOMPARE(hp.rope_freq_factors.size(), size_t(8));
        QCOMPARE(hp.rope_freq_factors[1], 1.1f);
        QCOMPARE(hp.rope_freq_factors_long[1], 2.5f);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("latent"));
        test::matches_naive_on_prompt(*model);
    }

    void matches_naive_reference_data() {
        QTest::addColumn<bool>("q_lora");
        QTest::addColumn<bool>("v3");
        QTest::addColumn<bool>("experts");
        QTest::addColumn<bool>("yarn");
        QTest::addColumn<float>("temperature");
        QTest::newRow("V2-Lite-like") << false << false << true << false << 0.f;
        QTest::newRow("V3-like") << true << true << true << false << 0.f;
        QTest::newRow("dense") << true << false << false << false << 0.f;
        QTest::newRow("YaRN") << true << false << true << true << 0.f;
        QTest::newRow("temperature") << false << true << true << false << 0.5f;
    }
    void matches_naive_reference() {
        QFETCH(bool, q_lora);
        QFETCH(bool, v3);
        QFETCH(bool, experts);
        QFETCH(bool, yarn);
        QFETCH(float, temperature);
        test::TinyDeepSeek2 g;
        g.q_lora = q_lora;
        g.v3_routing = v3;
        g.experts = experts;
        g.yarn = yarn;
        g.temperature = temperature;
        auto model = LlamaModel::load(test::write_tiny_deepseek2(g));
        QCOMPARE(model->hparams().n_expert, experts ? 8 : 0);
        test::matches_naive_on_prompt(*model);
    }

    // The cache keeps the latent and the rotated key, 48 values per token and layer, and no V
    // side: its values are the latent. In fp16 and 8-bit codes the logits stay close to f32.
    void cache_holds_one_latent() {
        auto model = LlamaModel::load(test::write_tiny_deepseek2({}));
        const LlamaHParams& hp = model->hparams();
        const auto ids = model->tokenizer().encode(test::kPrompt, true);
        const int n = int(ids.size()), nv = hp.n_vocab;
        const auto run = [&](const std::string& kv, std::vector<float>& out) {
            auto ctx = test::cpu_context(*model, 2, kv, 64);
            ctx->set_kv_capture(true, size_t(1) << 20);
            out.resize(size_t(n) * size_t(nv));
            ctx->eval(ids.data(), n, out.data(), true);
            return ctx;
        };
        std::vector<float> ref, f16, q8;
        run("f32", ref);
        run("fp16", f16);
        auto ctx = run("nq8", q8);
        const KvCache& kv = ctx->kv_cache();
        QCOMPARE(kv.shape().values_in_keys, 32);
        QCOMPARE(kv.block_size(), 16);  // divides the 48-value rows
        QCOMPARE(kv.blocks_per_row(0), 3);
        const KvStats st = ctx->kv_stats();
        QCOMPARE(st.values_per_token, size_t(3 * 48));
        QCOMPARE(st.v_values_per_token, size_t(0));
        QCOMPARE(st.v_bytes_per_token, size_t(0));
        QCOMPARE(st.layer_k_bytes[0], size_t(48 + 3 * 2));  // 8-bit codes and three fp16 scales
        QCOMPARE(st.bytes_per_token, 3 * size_t(54));
        QCOMPARE(st.fp16_bytes_per_token, size_t(2 * 3 * 48));
        QCOMPARE(st.bits_per_value_v(), 0.0);
        QCOMPARE(kv_token_bytes(KvConfig::parse("nq8"), hp, false).total(), st.bytes_per_token);
        QCOMPARE(kv_bytes_per_token(KvConfig::parse("nq8"), hp.kv_rows(), true),
                 st.bytes_per_token);
        const BlockView b = kv.block(2, 3, KvKind::K, 2);  // the rotated key's block
        QVERIFY(b.has_original && b.codes.size() == 16);
        QVERIFY(error_of([&] { kv.block(2, 3, KvKind::V, 0); }).contains("first 32 values"));
        QVERIFY(error_of([&] {
                    block_map(kv, KvKind::V, BlockMetric::Mse, n);
                }).contains("latent attention"));
        QCOMPARE(block_map(kv, KvKind::K, BlockMetric::Mse, n).blocks_per_row, 3);
        const auto stats = analyze_kv(kv, n);
        QCOMPARE(int(stats.size()), 3);  // K only
        for (const auto& s : stats) QCOMPARE(s.kind, KvKind::K);
        QVERIFY(!kv.original_row(2, 3, KvKind::V) && kv.original_row(2, 3, KvKind::K));
        // Capture keeps the keys alone: a cap of ten tokens' keys holds ten tokens.
        auto small = test::cpu_context(*model, 2, "nq8", 64);
        small->set_kv_capture(true, size_t(10) * 3 * 48 * sizeof(float));
        QCOMPARE(small->kv_cache().capture_tokens(), 10);
        const auto gap = [&](const std::vector<float>& got) {
            return test::relative_gap(ref, got);
        };
        QVERIFY2(gap(f16) < 0.005, qPrintable(QString::number(gap(f16))));
        // The heads' own products go to the threads (decoding, short prompts): the same bits on
        // one thread as on two.
        QVERIFY(test::all_logits(*model, ids, 1) == test::all_logits(*model, ids, 2));
        QVERIFY2(gap(q8) < 0.05, qPrintable(QString::number(gap(q8))));
    }

    // Comparing bit-widths: the V format is moot, so a configuration runs as its K format and
    // one that comes out the same (or as fp16) runs once.
    void compare_runs_each_key_format_once() {
        auto model = LlamaModel::load(test::write_tiny_deepseek2({}));
        auto backend = make_cpu_backend();
        CompareOptions opt;
        for (const char* c : {"k=nq4,v=nq2", "nq4", "k=fp16,v=nq2", "k=nq8,v=fp16"})
            opt.configs.push_back(KvConfig::parse(c));
        opt.max_tokens = 6;
        opt.n_threads = 2;
        const CompareResult r = compare_kv(*model, *backend, "Tom has", opt);
        QStringList names;
        for (const auto& row : r.rows) names << QString::fromStdString(row.config.name());
        QCOMPARE(names, (QStringList{"fp16", "nq4", "nq8"}));
    }
};

QTEST_GUILESS_MAIN(TestDeepSeek2)
#include "test_deepseek2.moc"
