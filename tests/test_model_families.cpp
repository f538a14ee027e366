// The llama-family variants the engine runs, each a tiny random model written by the project's
// writer against the naive float64 forward pass: mixtures of experts (Mixtral, Qwen3-MoE,
// Granite-MoE, gpt-oss, OLMoE, Hunyuan-A13B), Gemma 1/2/3, Granite, MiniCPM, SmolLM3, OLMo 2,
// GLM-4, EXAONE 3 and 4, Mistral 3, ERNIE 4.5, Seed-OSS, Cohere's, Hunyuan's, LFM2, Granite 4's
// and Nemotron-H's Mamba-2 hybrids, Qwen3.5's gated delta nets, and the files llama.cpp would
// refuse refused by name.
#include <cmath>

#include "engine/error.h"
#include "engine/llama_model.h"
#include "tests/model_checks.h"
#include "tests/naive_llama.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;
using test::check_rings;
using test::kPrompt;
using test::matches_at_once_and_token_by_token;

namespace {

// A 20-token prompt, then 70 tokens one at a time: the state's copy at position 52 is the
// latest kept before 60, and going back to 60 and to 23 reads again what lies past the copies
// and gives the logits read at once. The cache holds kv_layers layers.
void goes_back_through_state_copies(const LlamaModel& model, const std::vector<int>& ids,
                                    int kv_layers) {
    const int P = 20;
    std::vector<int> text;
    std::vector<float> at_once;
    auto ctx = test::read_prompt_then_tokens(model, ids, 90, P, text, at_once);
    QCOMPARE(ctx->kv_stats().n_layer, kv_layers);
    QCOMPARE(ctx->keepable(P + 40), P + 32);
    for (const int back : {P + 40, P + 3}) {
        const double worst = test::gap_after_going_back(*ctx, text, at_once, back, 7);
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }
}

}  // namespace

class TestModelFamilies : public QObject {
    Q_OBJECT

  private slots:
    // Mixture of experts: Mixtral's layout (llama with experts) and Qwen3-MoE's (wider heads,
    // head norms, the experts' width in its own key), 6 experts of which 2 per token; the
    // prompt read at once (experts run on the rows that chose them) and token by token.
    // gpt-oss: biases on the router and every expert, the clamped SwiGLU, attention sinks, every
    // other layer windowed (its rings wrapping as Gemma's do). LFM2-MoE: a dense first layer
    // wider than the experts, then experts weighed by the router's sigmoid and picked with a
    // selection bias, between short convolutions (c c a). ERNIE 4.5's: a dense first layer,
    // then softmax-weighed experts picked with a selection bias, and an ungated shared expert.
    // OLMoE's: whole-width query and key norms, the chosen experts' weights not renormalised.
    void moe_matches_naive_reference_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("mixtral") << "llama";
        QTest::newRow("qwen3moe") << "qwen3moe";
        QTest::newRow("granitemoe") << "granitemoe";
        QTest::newRow("gpt-oss") << "gpt-oss";
        QTest::newRow("lfm2moe") << "lfm2moe";
        QTest::newRow("ernie4_5-moe") << "ernie4_5-moe";
        QTest::newRow("olmoe") << "olmoe";  // whole-width q/k norms; weights not renormalised
        QTest::newRow("hunyuan-moe") << "hunyuan-moe";    // q/k norms after RoPE; a shared expert
        QTest::newRow("smallthinker") << "smallthinker";  // routed on the input; ReLU; windows
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
        const bool smallthinker = arch == "smallthinker";
        if (gpt_oss || smallthinker) {
            spec.n_layer = smallthinker ? 5 : 3;
            spec.swa_window = 5;
        }
        const bool lfm2moe = arch == "lfm2moe", ernie = arch == "ernie4_5-moe";
        if (lfm2moe) spec.n_layer = 3;
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
        QCOMPARE(hp.expert_sigmoid, lfm2moe || smallthinker);
        QCOMPARE(hp.router_on_input && hp.ffn_relu_gate, smallthinker);
        QCOMPARE(bool(L.expert_select_bias), lfm2moe || ernie);
        QCOMPARE(hp.dense_lead, lfm2moe || ernie ? 1 : 0);
        if (lfm2moe) QVERIFY(hp.conv(1) && !hp.conv(2));
        if (lfm2moe || ernie) {
            QVERIFY(!hp.moe(0) && hp.moe(1));
            QCOMPARE(int(model->layers()[0].w_gate.rows), 48);
            QVERIFY(model->layers()[0].e_gate.empty());
        }
        const bool olmoe = arch == "olmoe";
        QVERIFY(hp.qk_norm_whole == olmoe && hp.expert_weights_norm == !olmoe);
        const bool hunyuan = arch == "hunyuan-moe";
        QCOMPARE(hp.rope_neox,
                 olmoe || gpt_oss || lfm2moe || hunyuan || smallthinker || arch == "qwen3moe");
        QCOMPARE(hp.qk_norm_after_rope, hunyuan);
        QCOMPARE(hp.n_ff_shared, ernie || hunyuan ? 56 : 0);  // not gated
        QVERIFY(bool(L.sh_down.info) == (ernie || hunyuan) && !L.sh_gate_inp);
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
        if (gpt_oss) QVERIFY(hp.windowed(0) && !hp.windowed(1) && hp.windowed(2));
        if (smallthinker)  // RoPE on the windowed layers only
            QVERIFY(!hp.windowed(0) && hp.roped(1) && hp.windowed(3) && !hp.roped(4));
        if (gpt_oss || smallthinker) check_rings(*model, ids, want);
        if (ernie) {  // experts in every other layer only: refused by name
            GgufWriter w = test::tiny_model_writer(spec);
            w.set("ernie4_5-moe.interleave_moe_layer_step", GgufValue::u32(2));
            const std::string path = test::temp_dir() + "/ernie-step2.gguf";
            w.write(path);
            const QString e = test::error_of([&] { LlamaModel::load(path); });
            QVERIFY2(e.contains("interleave_moe_layer_step 2"), qPrintable(e));
        }
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
        QTest::newRow("minicpm") << "minicpm" << true;  // Granite's layers, MiniCPM's multipliers
        QTest::newRow("smollm3") << "smollm3" << true;
        QTest::newRow("olmo2") << "olmo2" << true;
        QTest::newRow("glm4") << "glm4" << true;
        QTest::newRow("glm-4.1v") << "glm4v" << true;
        QTest::newRow("exaone") << "exaone" << true;
        QTest::newRow("mistral3") << "mistral3" << true;
        QTest::newRow("ernie4_5") << "ernie4_5" << true;  // llama's layout under another name
        QTest::newRow("exaone4") << "exaone4" << true;    // EXAONE 4.0 1.2B's layout
        QTest::newRow("seed_oss") << "seed_oss" << true;  // biases; post_attention_norm
        // Cohere's: LayerNorm, attention beside the feed-forward; Command R+'s query and key
        // norms with weights of each head's own; Command R7B's windows on three layers of four
        // and RoPE on those only.
        QTest::newRow("command-r") << "command-r" << true;
        QTest::newRow("command-r+") << "command-r+" << true;
        QTest::newRow("cohere2") << "cohere2" << true;
        // Hunyuan's: query and key norms after RoPE, NTK-aware RoPE base from its alpha.
        QTest::newRow("hunyuan-dense") << "hunyuan-dense" << true;
    }
    void other_families_match_naive_reference() {
        QFETCH(QString, arch);
        QFETCH(bool, rope);
        // GLM-4.1V: GLM-4 with multimodal RoPE (sections 2 1 0 1: the last pair stays still for
        // text, the others turn as NeoX RoPE's do).
        const bool glm4v = arch == "glm4v", plus = arch == "command-r+";
        if (glm4v) arch = "glm4";
        if (plus) arch = "command-r";
        test::TinySpec spec;
        spec.arch = arch.toStdString();
        spec.n_layer = 4;
        if (arch == "cohere2") spec.swa_window = 3;
        GgufWriter w = test::tiny_model_writer(spec);
        for (int l = 0; plus && l < spec.n_layer; ++l) {  // each head's weights differ
            const int hd = spec.n_embd / spec.n_head;
            std::vector<float> q(size_t(spec.n_embd)), k(size_t(hd * spec.n_head_kv));
            for (size_t i = 0; i < q.size(); ++i) q[i] = 0.5f + float((i * 7 + size_t(l)) % 11) / 8;
            for (size_t i = 0; i < k.size(); ++i) k[i] = 1.5f - float((i * 5 + size_t(l)) % 9) / 8;
            const std::string p = "blk." + std::to_string(l) + ".";
            w.add_f32(p + "attn_q_norm.weight", {uint64_t(hd), uint64_t(spec.n_head)}, q);
            w.add_f32(p + "attn_k_norm.weight", {uint64_t(hd), uint64_t(spec.n_head_kv)}, k);
        }
        if (!rope) w.set("granite.rope.scaling.finetuned", GgufValue::boolean(false));
        if (arch == "hunyuan-dense") w.set("hunyuan-dense.rope.scaling.alpha", GgufValue::f32(4.f));
        if (arch == "glm4") w.set("glm4.rope.dimension_count", GgufValue::u32(8));  // half
        if (glm4v) {
            std::vector<GgufValue> sections;
            for (int n : {2, 1, 0, 1}) sections.push_back(GgufValue::i32(n));
            w.set("glm4.rope.dimension_sections",
                  GgufValue::array(GgufType::I32, std::move(sections)));
        }
        if (arch == "mistral3") {  // YaRN with its log multiplier; a temperature from position 4
            w.set("mistral3.rope.scaling.type", GgufValue::str("yarn"));
            w.set("mistral3.rope.scaling.factor", GgufValue::f32(4.f));
            w.set("mistral3.rope.scaling.original_context_length", GgufValue::u32(4));
            w.set("mistral3.rope.scaling.yarn_log_multiplier", GgufValue::f32(0.1f));
            w.set("mistral3.attention.temperature_scale", GgufValue::f32(0.5f));
        }
        const std::string path = test::temp_dir() + "/" + spec.arch + (rope ? "" : "-nope") +
                                 (glm4v ? "v" : "") + (plus ? "-plus" : "") + ".gguf";
        w.write(path);
        auto model = LlamaModel::load(path);
        const LlamaHParams& hp = model->hparams();
        const bool granite = arch == "granite", minicpm = arch == "minicpm";
        QCOMPARE(hp.embd_scale, granite ? 3.f : minicpm ? 12.f : 1.f);  // MiniCPM's own values
        QCOMPARE(hp.residual_scale, granite ? 0.6f : minicpm ? 1.4f / 2 : 1.f);
        QCOMPARE(hp.attn_scale, granite ? 0.09f : 0.f);
        const bool cohere = arch == "command-r" || arch == "cohere2";
        QCOMPARE(hp.logit_scale, granite   ? 2.5f
                                 : cohere  ? 1 / 0.8f  // Cohere's times 0.8
                                 : minicpm ? 256.f / spec.n_embd
                                           : 1.f);
        QString pattern;
        for (int l = 0; l < spec.n_layer; ++l) pattern += hp.roped(l) ? 'r' : '-';
        QCOMPARE(pattern, !rope                                    ? QString("----")
                          : arch == "smollm3" || arch == "cohere2" ? "rrr-"
                                                                   : "rrrr");
        if (cohere) {  // the norm before the feed-forward is attention's; the output tied
            QVERIFY(hp.layer_norm && hp.parallel_ffn && !model->layers()[1].ffn_norm);
            QCOMPARE(hp.qk_norm_head_weights, plus);
            QVERIFY(model->tied_output() && bool(model->layers()[1].q_norm) == plus);
            for (int l = 0; l < spec.n_layer; ++l)
                QCOMPARE(hp.windowed(l), arch == "cohere2" && l != 3);
        }
        QCOMPARE(hp.rope_neox, arch == "olmo2" || arch == "exaone" || arch == "exaone4" ||
                                   arch == "seed_oss" || arch == "hunyuan-dense" ||
                                   glm4v);  // as llama.cpp rotates
        if (arch == "seed_oss") {           // its feed-forward's norm read under its own name
            const LlamaLayer& L = model->layers()[1];
            QVERIFY(L.bq && L.bk && L.bv && L.ffn_norm && !L.post_attn_norm);
        }
        if (arch == "hunyuan-dense") {  // 10000 * 4^(16 / 14); a negative alpha refused by name
            QVERIFY(hp.qk_norm_after_rope && std::abs(hp.rope_base / 48760.f - 1) < 1e-4);
            w.set("hunyuan-dense.rope.scaling.alpha", GgufValue::f32(-2.f));
            const std::string bad = test::temp_dir() + "/hunyuan-negative-alpha.gguf";
            w.write(bad);
            const QString e = test::error_of([&] { LlamaModel::load(bad); });
            QVERIFY2(e.contains("rope.scaling.alpha -2"), qPrintable(e));
        }
        if (glm4v) {
            QCOMPARE(hp.rope_freq_factors.size(), size_t(4));
            QVERIFY(hp.rope_freq_factors[0] == 1.f && std::isinf(hp.rope_freq_factors[3]));
        }
        if (arch == "mistral3") {
            const double l4 = std::log(4.0);
            QVERIFY(std::abs(hp.rope_attn_factor - (1 + 0.1 * l4) / (1 + 0.01 * l4)) < 1e-6);
            QCOMPARE(hp.attn_temperature(3), 1.f);
            QVERIFY(std::abs(hp.attn_temperature(8) - (1 + 0.5 * std::log(3.0))) < 1e-6);
        }
        if (arch == "glm4") {
            const LlamaLayer& L = model->layers()[1];
            QCOMPARE(hp.n_rot, 8);
            QVERIFY(hp.rope_neox == glm4v && L.bq && L.bk == L.bq + 64 && L.bv == L.bk + 32);
            QVERIFY(L.post_attn_norm && L.post_ffn_norm && L.w_up.first_row == spec.n_ff);
        }
        if (arch == "olmo2" || arch == "exaone4") {
            QCOMPARE(hp.qk_norm_whole, arch == "olmo2");  // EXAONE 4.0's are per head
            QVERIFY(!hp.windowed(0));                     // the 1.2B model has no windows
            QVERIFY(!model->layers()[0].attn_norm && !model->layers()[0].ffn_norm);
            QVERIFY(model->layers()[0].post_attn_norm && model->layers()[0].post_ffn_norm);
        }
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
        if (arch == "cohere2") check_rings(*model, ids, want);
    }

    // EXAONE 4.0 32B's layout (64 layers, as llama.cpp tells the two apart): three layers of
    // four see a window and only those rotate; the others see everything without RoPE.
    void exaone4_32b_windows_and_rotates_three_layers_of_four() {
        test::TinySpec spec;
        spec.arch = "exaone4";
        spec.n_layer = 64;
        spec.n_embd = 32;
        spec.n_head = 2;
        spec.n_head_kv = 1;
        spec.n_ff = 32;
        spec.swa_window = 5;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.swa_window, 5);
        QString pattern;
        for (int l = 0; l < 8; ++l) pattern += hp.windowed(l) ? (hp.roped(l) ? 'w' : '?') : 'g';
        for (int l = 0; l < 8; ++l) pattern += hp.roped(l) ? 'r' : '-';
        QCOMPARE(pattern, QString("wwwgwwwgrrr-rrr-"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
        check_rings(*model, ids, want);
    }

    // LFM2: short-convolution layers (c) between attention layers (a), c c a c c a; the cache
    // holds only the two attention layers. The convolutions keep their inputs in a ring of 512
    // positions: going back within it keeps the cache, going back further reads the text again.
    void lfm2_convolutions_match_naive_reference() {
        test::TinySpec spec;
        spec.arch = "lfm2";
        spec.n_layer = 6;
        spec.n_ctx = 700;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QString pattern;
        for (int l = 0; l < hp.n_layer; ++l) pattern += hp.conv(l) ? 'c' : 'a';
        QCOMPARE(pattern, QString("ccacca"));
        QCOMPARE(hp.n_kv_layer(), 2);
        QCOMPARE(hp.kv_layer(5), 1);
        QCOMPARE(hp.conv_kernel, 3);
        QVERIFY(hp.rope_neox && model->layers()[2].q_norm && !model->layers()[0].wq.info);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("short-convolution"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);

        auto ctx = test::cpu_context(*model, 2, "fp16", 700);
        QCOMPARE(ctx->kv_stats().n_layer, 2);
        std::vector<int> text;
        while (text.size() < 600) text.insert(text.end(), ids.begin(), ids.end());
        const int n = int(text.size()), nv = hp.n_vocab;
        std::vector<float> at_once(size_t(n) * size_t(nv));
        ctx->eval(text.data(), n, at_once.data(), true);
        QCOMPARE(ctx->keepable(n - 400), n - 400);
        QCOMPARE(ctx->keepable(20), 0);  // the ring no longer holds positions 18 and 19
        for (const int back : {n - 400, 20}) {
            const double worst = test::gap_after_going_back(*ctx, text, at_once, back, 97);
            QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
        }

        // A benchmark's synthetic fill gives the convolutions inputs too, so it can come back
        // to the filled depth.
        auto filled = test::cpu_context(*model, 2, "fp16", 700);
        filled->fill_synthetic(100, 7);
        filled->eval(ids.data(), 4, nullptr);
        QCOMPARE(filled->keepable(100), 100);
    }

    // Granite 4's hybrids: Mamba-2 layers (m) between attention layers without RoPE (a),
    // m m a m m a, dense or with experts and a shared expert; the cache holds the two attention
    // layers. The Mamba-2 state goes back only to its snapshots: the prompt's (an eval of several
    // tokens), and every 32 positions while decoding, the oldest of those dropped first once
    // eight are kept; going back elsewhere reads the text again from the latest before.
    void granite_hybrid_matches_naive_reference_data() {
        QTest::addColumn<int>("experts");
        QTest::newRow("dense") << 0;
        QTest::newRow("experts and a shared one") << 6;
    }
    void granite_hybrid_matches_naive_reference() {
        QFETCH(int, experts);
        test::TinySpec spec;
        spec.arch = "granitehybrid";
        spec.n_layer = 6;
        spec.n_ctx = 512;
        spec.n_expert = experts;
        spec.n_expert_used = 2;
        if (experts) spec.n_ff = 40;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QString pattern;
        for (int l = 0; l < hp.n_layer; ++l) pattern += hp.ssm(l) ? 'm' : hp.conv(l) ? 'c' : 'a';
        QCOMPARE(pattern, QString("mmamma"));
        QCOMPARE(hp.n_kv_layer(), 2);
        QCOMPARE(hp.n_conv_layer(), 0);
        QVERIFY(hp.rope_off && hp.residual_scale != 1.f);
        QCOMPARE(hp.ssm_heads, 8);
        QCOMPARE(hp.ssm_channels(), 128 + 64);
        QCOMPARE(hp.n_ff_shared, experts ? 56 : 0);
        QCOMPARE(bool(model->layers()[1].sh_down.info), experts > 0);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Mamba-2"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
        if (experts) return;

        // Decoding keeps snapshots at P + 32, P + 64, ..., P + 256.
        const int n = 280, P = 20;
        std::vector<int> text;
        std::vector<float> at_once;
        auto ctx = test::read_prompt_then_tokens(*model, ids, n, P, text, at_once);
        QCOMPARE(ctx->kv_stats().n_layer, 2);
        QCOMPARE(ctx->keepable(n), n);
        QCOMPARE(ctx->keepable(P + 10), P);  // the prompt's snapshot stays
        QCOMPARE(ctx->keepable(P + 40), P);  // P + 32 went first, the ninth being one too many
        QCOMPARE(ctx->keepable(P + 70), P + 64);
        QCOMPARE(ctx->keepable(P + 100), P + 96);
        QCOMPARE(ctx->keepable(P - 1), 0);
        for (const int back : {P + 100, P + 10, 7}) {
            const double worst = test::gap_after_going_back(*ctx, text, at_once, back, 61);
            QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
        }
    }

    // Nemotron-H: blocks of one part each (M - * M - M: Mamba-2, a feed-forward of ReLU
    // squared without a gate, attention without RoPE), every one behind its attn_norm; the
    // cache holds the one attention layer.
    void nemotron_h_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "nemotron_h";
        spec.n_layer = 6;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QString pattern;
        for (int l = 0; l < hp.n_layer; ++l)
            pattern += hp.ssm(l) ? 'M' : hp.ffn_only(l) ? '-' : hp.attention(l) ? '*' : '?';
        QCOMPARE(pattern, QString("M-*M-M"));
        QCOMPARE(hp.n_kv_layer(), 1);
        QCOMPARE(hp.kv_layer(2), 0);
        QVERIFY(hp.ffn_relu2 && hp.rope_off && !hp.roped(2));
        QVERIFY(!hp.has_ffn(0) && hp.has_ffn(1) && !hp.has_ffn(2));
        const LlamaLayer& ffn = model->layers()[1];
        QVERIFY(ffn.ffn_norm == ffn.attn_norm && !ffn.w_gate.info && ffn.w_up.rows == spec.n_ff);
        QVERIFY(!model->layers()[2].w_up.info && model->layers()[2].wq.info);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Mamba-2"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);
    }

    // Qwen3.5: gated delta nets and gated attention in turn (d a d a), with per-head query and
    // key norms and partial interleaved multimodal RoPE; the block after them, which predicts
    // further tokens, left unused. The delta nets' state goes back to its snapshots as Mamba-2's.
    void qwen35_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "qwen35";
        spec.n_layer = 4;
        spec.head_dim = 32;
        spec.n_ctx = 512;
        spec.bpe_pre = "qwen35";
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.n_layer, 4);  // of five blocks
        QString pattern;
        for (int l = 0; l < hp.n_layer; ++l)
            pattern += hp.ssm(l) && hp.delta_net ? 'd' : hp.attention(l) ? 'a' : '?';
        QCOMPARE(pattern, QString("dada"));
        QCOMPARE(hp.n_kv_layer(), 2);
        QVERIFY(hp.attn_output_gate && !hp.mamba2() && hp.rope_neox && hp.rope_interleaved);
        QCOMPARE(hp.n_rot, 8);
        QCOMPARE(hp.ssm_channels(), 2 * 2 * 16 + 4 * 16);
        QCOMPARE(model->layers()[1].wq.rows, int64_t(2 * hp.q_dim()));
        QVERIFY(model->layers()[1].ffn_norm && !model->layers()[1].post_attn_norm);
        QVERIFY(model->tokenizer().kind().find("qwen35") != std::string::npos);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Gated DeltaNet"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        const auto want = test::naive_forward(*model, ids);
        matches_at_once_and_token_by_token(*model, ids, want);

        LlamaHParams attn_only = hp;  // a file of attention layers alone: its gates keep it
        attn_only.recurrent_layers.assign(size_t(hp.n_layer), 0);  // off the GPU all the same
        QVERIFY(QString::fromStdString(gpu_unsupported(attn_only)).contains("gated attention"));

        // Qwen3.5-MoE: the same layers with experts and a shared expert behind a sigmoid gate.
        spec.arch = "qwen35moe";
        spec.n_expert = 6;
        spec.n_expert_used = 2;
        spec.n_ff = 40;
        auto moe = LlamaModel::load(test::write_tiny_model(spec));
        QCOMPARE(moe->hparams().n_ff_shared, 56);
        QVERIFY(moe->layers()[1].sh_gate_inp && moe->hparams().moe(1));
        matches_at_once_and_token_by_token(*moe, ids, test::naive_forward(*moe, ids));
        spec.fused_experts = true;  // the same numbers, gate and up in one tensor per layer
        auto fused = LlamaModel::load(test::write_tiny_model(spec));
        QVERIFY(!fused->file().tensor("blk.1.ffn_gate_exps.weight"));
        QCOMPARE(test::all_logits(*fused, ids), test::all_logits(*moe, ids));

        goes_back_through_state_copies(*model, ids, 2);
    }

    // Falcon-H1: in every layer attention and a Mamba-2 mixer read the same normed input and
    // their outputs are summed; the cache holds every layer, the state every layer too, and
    // going back restores both.
    void falcon_h1_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "falcon-h1";
        spec.n_layer = 3;
        spec.head_dim = 32;
        spec.n_ctx = 512;
        spec.bpe_pre = "falcon-h1";
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.ssm_beside_attention && hp.mamba2() && hp.rope_neox);
        QCOMPARE(hp.n_ssm_layer(), 3);
        QCOMPARE(hp.n_kv_layer(), 3);
        QVERIFY(hp.ssm(1) && hp.attention(1));
        QVERIFY(model->layers()[1].wq.rows && model->layers()[1].ssm_in.rows);
        QVERIFY(model->layers()[1].ffn_norm);
        QVERIFY(model->tokenizer().kind().find("falcon-h1") != std::string::npos);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Mamba-2 layers (3 of 3)"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        matches_at_once_and_token_by_token(*model, ids, test::naive_forward(*model, ids));

        goes_back_through_state_copies(*model, ids, 3);
    }

    // Qwen3-Next: Qwen3.5-MoE's layers with the value heads grouped by key head, beta and alpha
    // in one tensor, and NeoX RoPE on a quarter of each head (no sections). Its older files'
    // q, k, v and z in one tensor per key head give the same logits from the same weights.
    void qwen3next_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "qwen3next";
        spec.n_layer = 4;
        spec.head_dim = 32;
        spec.n_ctx = 512;
        spec.bpe_pre = "qwen2";
        spec.n_expert = 6;
        spec.n_expert_used = 2;
        spec.n_ff = 40;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.delta_net && hp.delta_net_grouped && hp.attn_output_gate && hp.rope_neox);
        QVERIFY(hp.rope_sections.empty() && !hp.rope_interleaved);
        QCOMPARE(hp.n_rot, 8);
        QCOMPARE(hp.n_layer, 4);  // the block that predicts further tokens left out
        QCOMPARE(hp.n_ff_shared, 56);
        const LlamaLayer& delta = model->layers()[0];
        QVERIFY(delta.ssm_ba.rows == 8 && !delta.ssm_beta.rows && delta.ssm_in.rows);
        QVERIFY(QString::fromStdString(gpu_unsupported(hp)).contains("Gated DeltaNet"));
        const auto ids = model->tokenizer().encode(kPrompt, true);
        matches_at_once_and_token_by_token(*model, ids, test::naive_forward(*model, ids));

        spec.fused_qkvz = true;
        auto older = LlamaModel::load(test::write_tiny_model(spec));
        QVERIFY(older->layers()[0].ssm_qkvz.rows == 192 && !older->layers()[0].ssm_in.rows);
        QCOMPARE(test::all_logits(*older, ids), test::all_logits(*model, ids));
        matches_at_once_and_token_by_token(*older, ids, test::naive_forward(*older, ids));
    }

    // Nemotron 3 Nano: Nemotron-H's blocks with experts in its feed-forward blocks (ReLU
    // squared, no gates), weighed by a sigmoid, picked with a selection bias, not renormalised
    // and scaled, beside a shared expert.
    void nemotron_3_matches_naive_reference() {
        test::TinySpec spec;
        spec.arch = "nemotron_h_moe";
        spec.n_layer = 6;
        spec.n_expert = 6;
        spec.n_expert_used = 2;
        spec.n_ff = 40;
        auto model = LlamaModel::load(test::write_tiny_model(spec));
        const LlamaHParams& hp = model->hparams();
        QVERIFY(hp.moe(1) && hp.ffn_only(1) && hp.expert_sigmoid && !hp.expert_weights_norm);
        QCOMPARE(hp.expert_weights_scale, 2.5f);
        QCOMPARE(hp.n_ff_shared, 56);
        const LlamaLayer& L = model->layers()[1];
        QVERIFY(L.e_gate.empty() && L.e_up.size() == 6 && L.sh_up.info && !L.sh_gate.info);
        QVERIFY(L.expert_select_bias && L.ffn_norm == L.attn_norm);
        test::matches_naive_on_prompt(*model);

        GgufWriter w = test::tiny_model_writer(spec);  // Nemotron 3 Super's latent experts
        w.set("nemotron_h_moe.moe_latent_size", GgufValue::u32(32));
        const std::string path = test::temp_dir() + "/nemotron-latent.gguf";
        w.write(path);
        try {
            LlamaModel::load(path);
            QFAIL("latent experts");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("moe_latent_size"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFamilies)
#include "test_model_families.moc"
