// `nqkv info` and the GPU backend's refusals on each family's layout: what the memory line,
// the JSON and the messages say of windows, experts, state-space and latent layers.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "tests/cli_runner.h"
#include "tests/test_support.h"
#include "tests/tiny_deci.h"
#include "tests/tiny_deepseek2.h"
#include "tests/tiny_gemma3n.h"
#include "tests/tiny_gemma4.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

using Result = test::CliResult;

Result run(const QStringList& args) {
    return test::run_cli(args);
}

// `nqkv info --json` on a model, with any further arguments.
QJsonObject info_json(const QString& model, const QStringList& more = {}) {
    return QJsonDocument::fromJson(
               run(QStringList{"info", "-m", model, "--json"} + more).out.toUtf8())
        .object();
}

// A short generation on the GPU backend, which refuses these layouts before looking for a device.
Result on_gpu(const QString& model) {
    return run({"generate", "-m", model, "-p", "Tom", "-n", "2", "--backend", "cuda"});
}

// What the GPU backend says refusing the model (exit code 1); empty when it did not refuse.
QString gpu_refusal(const QString& model) {
    const Result r = on_gpu(model);
    return r.code == 1 ? r.err : QString();
}

}  // namespace

class TestCliInfo : public QObject {
    Q_OBJECT

  private slots:
    void gemma3_windowed_layers_in_the_memory_line() {
        // Gemma 3's windowed layers keep window + batch positions on the CPU: the memory line,
        // the JSON and the context a budget holds say so.
        test::TinySpec g;
        g.arch = "gemma3";
        g.n_layer = 7;
        g.swa_window = 5;
        g.n_ctx = 4096;
        const QString gemma = QString::fromStdString(test::write_tiny_model(g));
        const Result gi =
            run({"info", "-m", gemma, "--ctx", "2048", "--kv-mem", "1M", "--kv", "fp16"});
        QCOMPARE(gi.code, 0);
        QVERIFY2(gi.out.contains("(on the CPU the 6 windowed layers keep only the latest 517)"),
                 qPrintable(gi.out));
        const double per_layer = 2.0 * 2 * 16 * 2;  // K and V, 2 KV heads of 16, fp16
        QVERIFY2(gi.out.contains("| fp16 | 16.00, 16.00 | 896 | " +
                                 QString::number(int((1048576 - 6 * 517 * per_layer) / per_layer)) +
                                 " |"),
                 qPrintable(gi.out));
        const QJsonObject gj = info_json(gemma, {"--ctx", "2048"});
        QCOMPARE(gj["kv_ring"].toInt(), 517);
        QCOMPARE(gj["kv_bytes_f16"].toDouble(), (2048 + 6 * 517) * per_layer);
    }

    void experts_named_and_kept_off_the_gpu() {
        // A mixture of experts: info names them; the GPU backend refuses it by name (auto
        // picks the CPU), before looking for a device.
        test::TinySpec moe;
        moe.n_expert = 4;
        moe.n_expert_used = 2;
        const QString moe_path = QString::fromStdString(test::write_tiny_model(moe));
        const Result mi = run({"info", "-m", moe_path});
        QVERIFY2(mi.out.contains("experts       4, 2 used per token"), qPrintable(mi.out));
        const Result cuda = on_gpu(moe_path);
        QCOMPARE(cuda.code, 1);
        QVERIFY2(cuda.err.contains("mixture-of-experts models (4 experts) run on the CPU"),
                 qPrintable(cuda.err));
        QCOMPARE(run({"generate", "-m", moe_path, "-p", "Tom", "-n", "2"}).code, 0);
        // SmallThinker's: ReLU gates routed on the layer's input; RoPE on the windowed layers.
        moe.arch = "smallthinker";
        moe.n_layer = 5;
        moe.swa_window = 16;
        const QString st_path = QString::fromStdString(test::write_tiny_model(moe));
        const Result si = run({"info", "-m", st_path});
        QVERIFY2(si.out.contains("ReLU gates, routed on each layer's input") &&
                     si.out.contains("3 of 5 layers see only the latest 16 tokens") &&
                     si.out.contains("RoPE          not applied in 2 of 5 layers"),
                 qPrintable(si.out));
        QVERIFY(info_json(st_path)["router_on_layer_input"].toBool());
    }

    void granite_hybrid_mamba2_layers() {
        // Granite 4.0-H: its Mamba-2 layers named, RoPE counted on the attention layers only,
        // refused by the GPU backend by name; its template's default system prompt quoted.
        test::TinySpec hybrid;
        hybrid.arch = "granitehybrid";
        hybrid.n_layer = 6;
        GgufWriter hw = test::tiny_model_writer(hybrid);
        hw.set("tokenizer.chat_template",
               GgufValue::str("<|start_of_role|>{%- set g4_default_system_message = 'You are "
                              "a helpful assistant.' %}"));
        const QString hybrid_path = QString::fromStdString(test::temp_dir() + "/hybrid.gguf");
        hw.write(hybrid_path.toStdString());
        const Result hi = run({"info", "-m", hybrid_path});
        QVERIFY2(hi.out.contains("mamba-2       4 of 6 layers are state-space mixers") &&
                     hi.out.contains("RoPE          not applied in 2 of 2 attention layers") &&
                     hi.out.contains("the template's default, 28 characters") &&
                     hi.out.contains("\"You are a helpful assistant.\""),
                 qPrintable(hi.out));
        QCOMPARE(info_json(hybrid_path)["default_system"].toString(),
                 QString("You are a helpful assistant."));
        const QString hc = gpu_refusal(hybrid_path);
        QVERIFY2(hc.contains("Mamba-2 layers (4 of 6) run on the CPU"), qPrintable(hc));
    }

    void qwen35_gated_delta_nets() {
        // Qwen3.5: its gated delta nets and gated heads named, refused by the GPU backend.
        test::TinySpec q35;
        q35.arch = "qwen35";
        q35.n_layer = 4;
        q35.head_dim = 32;
        const QString q35_path = QString::fromStdString(test::write_tiny_model(q35));
        const Result di = run({"info", "-m", q35_path});
        QVERIFY2(di.out.contains("delta net     2 of 4 layers are gated delta nets") &&
                     di.out.contains("4 value heads on 2 key heads in turn") &&
                     di.out.contains("gated heads") &&
                     di.out.contains("Gated DeltaNet state and 8 snapshots"),
                 qPrintable(di.out));
        const QJsonObject dj = info_json(q35_path);
        QCOMPARE(dj["ssm_kind"].toString(), QString("Gated DeltaNet"));
        QCOMPARE(dj["ssm_layers"].toInt(), 2);
        QVERIFY(dj["gated_attention"].toBool());
        const QString qc = gpu_refusal(q35_path);
        QVERIFY2(qc.contains("Gated DeltaNet layers (2 of 4) run on the CPU"), qPrintable(qc));
    }

    void falcon_h1_mixers_beside_attention() {
        // Falcon-H1: a Mamba-2 mixer beside the attention of every layer, all of them in the
        // cache; refused by the GPU backend by name.
        test::TinySpec fh;
        fh.arch = "falcon-h1";
        fh.n_layer = 3;
        fh.head_dim = 32;
        const QString fh_path = QString::fromStdString(test::write_tiny_model(fh));
        const Result fi = run({"info", "-m", fh_path});
        QVERIFY2(fi.out.contains("mamba-2       every layer runs a state-space mixer beside its "
                                 "attention") &&
                     fi.out.contains("Mamba-2 state and 8 snapshots"),
                 qPrintable(fi.out));
        const QJsonObject fj = info_json(fh_path);
        QVERIFY(fj["ssm_beside_attention"].toBool());
        QCOMPARE(fj["ssm_layers"].toInt(), 3);
        QCOMPARE(fj["kv_bytes_per_token_f16"].toDouble(), 2.0 * 2 * 3 * 2 * 32);
        const QString fc = gpu_refusal(fh_path);
        QVERIFY2(fc.contains("Mamba-2 layers (3 of 3) run on the CPU"), qPrintable(fc));
    }

    void cohere_feed_forward_beside_attention() {
        // Cohere's Command R7B: LayerNorm, the feed-forward beside attention, windows on three
        // layers of four; logits multiplied by its scale; refused by the GPU backend by name.
        test::TinySpec co;
        co.arch = "cohere2";
        co.n_layer = 4;
        co.swa_window = 8;
        const QString co_path = QString::fromStdString(test::write_tiny_model(co));
        const Result ci = run({"info", "-m", co_path});
        QVERIFY2(ci.out.contains("blocks        attention and the feed-forward side by side on "
                                 "one LayerNorm of the input") &&
                     ci.out.contains("multipliers   logits times 0.8\n"),
                 qPrintable(ci.out));
        const QJsonObject cj = info_json(co_path);
        QVERIFY(cj["layer_norm"].toBool() && cj["ffn_beside_attention"].toBool());
        QCOMPARE(cj["windowed_layers"].toInt(), 3);
        QCOMPARE(cj["layers_without_rope"].toInt(), 1);
        const QString cc = gpu_refusal(co_path);
        QVERIFY2(cc.contains("Cohere's layers (LayerNorm, attention beside "
                             "the feed-forward) run on the CPU backend"),
                 qPrintable(cc));
    }

    void hunyuan_kept_off_the_gpu() {
        // Hunyuan's dense models: llama's layout but for the norms after RoPE, which `info` names
        // and the GPU backend does not apply; it refuses them by name rather than run without.
        test::TinySpec hy;
        hy.arch = "hunyuan-dense";
        const QString hy_path = QString::fromStdString(test::write_tiny_model(hy));
        const QString hc = gpu_refusal(hy_path);
        QVERIFY2(hc.contains("Hunyuan's query and key norms after RoPE run "
                             "on the CPU backend only"),
                 qPrintable(hc));
        QCOMPARE(run({"generate", "-m", hy_path, "-p", "Tom", "-n", "2"}).code, 0);
        const Result hi = run({"info", "-m", hy_path});
        QVERIFY2(hi.out.contains("query and key norms after RoPE (CPU only)"), qPrintable(hi.out));
    }

    void llama4_chunks_and_experts() {
        // Llama 4: experts in every other layer, weighed before they run; chunks of 8192 in
        // three layers of four, the fourth without RoPE and warmed; refused by the GPU backend
        // by name.
        test::TinySpec l4;
        l4.arch = "llama4";
        l4.n_layer = 4;
        l4.n_expert = 4;
        l4.n_expert_used = 1;
        l4.n_ff = 40;
        const QString l4_path = QString::fromStdString(test::write_tiny_model(l4));
        const Result li = run({"info", "-m", l4_path});
        QVERIFY2(li.out.contains("a shared one of 40, in every other layer (the others dense, "
                                 "48), each reading its input times its weight") &&
                     li.out.contains("attention     3 of 4 layers attend within chunks of 8192 "
                                     "tokens") &&
                     li.out.contains("not applied in 1 of 4 layers (their queries times 1 + 0.1 "
                                     "ln(floor((p + 1) / 8192) + 1))") &&
                     li.out.contains("RMS-normed without weights after RoPE"),
                 qPrintable(li.out));
        const QJsonObject lj = info_json(l4_path);
        QVERIFY(lj["chunked_attention"].toBool() && lj["experts_weighed_first"].toBool());
        QCOMPARE(lj["moe_layer_step"].toInt(), 2);
        QCOMPARE(lj["windowed_layers"].toInt(), 3);
        const QString lc = gpu_refusal(l4_path);
        QVERIFY2(lc.contains("Llama 4's layers (chunked attention, experts weighed before they "
                             "run) run on the CPU backend only"),
                 qPrintable(lc));
    }

    void gemma4_heads_and_shared_layers() {
        // Gemma 4: the windowed layers' own heads, the shared layers and the per-layer inputs.
        test::TinyGemma4 g4;
        g4.shared_kv = g4.per_layer_inputs = true;
        const QString g4_path = QString::fromStdString(test::write_tiny_gemma4(g4));
        const Result g4i = run({"info", "-m", g4_path});
        QVERIFY2(g4i.out.contains("4 query, 1 KV (head size 32") &&
                     g4i.out.contains("windowed layers: 4 KV (head size 16, RoPE on 16 dims)") &&
                     g4i.out.contains("the last 2 layers read earlier layers' keys and values") &&
                     g4i.out.contains("inputs of 8 per token and layer"),
                 qPrintable(g4i.out));
        const QJsonObject g4j = info_json(g4_path);
        QCOMPARE(g4j["head_dim_swa"].toInt(), 16);
        QCOMPARE(g4j["kv_shared_layers"].toInt(), 2);
        QCOMPARE(g4j["embd_per_layer"].toInt(), 8);
        // fp16: the four layers that keep K and V, rows of 64 and 32 values, 2 bytes, K and V.
        QCOMPARE(g4j["kv_bytes_per_token_f16"].toDouble(), 2.0 * 2 * (64 + 32 + 64 + 32));
        const QString gc = gpu_refusal(g4_path);
        QVERIFY2(gc.contains("Gemma 4's attention"), qPrintable(gc));
    }

    void gemma3n_streams() {
        // Gemma 3n: its streams, LAuReL's rank and the layers with sparse gates.
        const QString path = QString::fromStdString(test::write_tiny_gemma3n({}));
        const Result r = run({"info", "-m", path});
        QVERIFY2(r.out.contains("architecture  gemma3n") &&
                     r.out.contains("AltUp         4 streams, LAuReL of rank 4, sparse gates in 2 "
                                    "of 6 layers") &&
                     r.out.contains("the last layer reads an earlier layer's keys and values"),
                 qPrintable(r.out));
        const QJsonObject j = info_json(path);
        QCOMPARE(j["altup_streams"].toInt(), 4);
        QCOMPARE(j["laurel_rank"].toInt(), 4);
        QCOMPARE(j["sparse_ffn_layers"].toInt(), 2);
        QCOMPARE(j["kv_shared_layers"].toInt(), 1);
        const QString gc = gpu_refusal(path);
        QVERIFY2(gc.contains("Gemma 3n's layers"), qPrintable(gc));
    }

    void deci_layers() {
        // Llama-Nemotron: its kinds of layer, the KV heads per attention layer, the widths.
        const QString path = QString::fromStdString(test::write_tiny_deci({}));
        const Result r = run({"info", "-m", path});
        QVERIFY2(r.out.contains("4 with attention (KV heads per layer: 4 in 1, 2 in 2, 1 in 1), "
                                "1 with one projection instead, 1 a feed-forward alone, 1 "
                                "without either") &&
                     r.out.contains("widths 32 to 128 per layer; layers without one: 1"),
                 qPrintable(r.out));
        const QJsonObject j = info_json(path);
        QCOMPARE(j["linear_attn_layers"].toInt(), 1);
        QCOMPARE(j["attention_free_layers"].toInt(), 2);
        QCOMPARE(j["ffn_free_layers"].toInt(), 1);
        // fp16: rows of 32, 64, 16 and 32 values, K and V, 2 bytes.
        QCOMPARE(j["kv_bytes_per_token_f16"].toDouble(), 2.0 * 2 * (32 + 64 + 16 + 32));
        const QString gc = gpu_refusal(path);
        QVERIFY2(gc.contains("Llama-Nemotron's layers"), qPrintable(gc));
    }

    void deepseek_latent_cache() {
        // DeepSeek: the latent the cache holds, counted once (it is the values too).
        test::TinyDeepSeek2 ds;
        ds.v3_routing = true;
        const QString ds_path = QString::fromStdString(test::write_tiny_deepseek2(ds));
        const Result dsi = run({"info", "-m", ds_path, "--kv-mem", "1M", "--kv", "fp16,nq4"});
        QVERIFY2(dsi.out.contains("latent KV     one latent of 32 and 16 rotated key dims") &&
                     dsi.out.contains("each head's query 32, value 24, queries through a rank "
                                      "of 24") &&
                     dsi.out.contains("a shared one of 16, from the best 2 of 4 groups") &&
                     dsi.out.contains("| fp16 | 16.00, in K | 288 | 3640 |"),
                 qPrintable(dsi.out));
        const QJsonObject dsj = info_json(ds_path);
        QCOMPARE(dsj["kv_lora_rank"].toInt(), 32);
        QCOMPARE(dsj["head_dim_mla"].toInt(), 32);
        QCOMPARE(dsj["expert_groups_used"].toInt(), 2);
        QCOMPARE(dsj["kv_bytes_per_token_f16"].toDouble(), 2.0 * 3 * 48);
        const QString dsc = gpu_refusal(ds_path);
        QVERIFY2(dsc.contains("multi-head latent attention runs on the CPU"), qPrintable(dsc));
        QVERIFY(!dsi.out.contains("older layout") && !dsj["mla_kv_b_split"].toBool());
        ds.legacy = true;  // one attn_kv_b per layer: said so, the cache the same
        const QString old_path = QString::fromStdString(test::write_tiny_deepseek2(ds));
        const Result oldi = run({"info", "-m", old_path});
        QVERIFY2(oldi.out.contains("latent KV     one latent of 32 and 16 rotated key dims") &&
                     oldi.out.contains("an older layout: each layer's attn_kv_b split into "
                                       "attn_k_b and attn_v_b as the model loaded"),
                 qPrintable(oldi.out));
        const QJsonObject oldj = info_json(old_path);
        QVERIFY(oldj["mla_kv_b_split"].toBool());
        QCOMPARE(oldj["kv_bytes_per_token_f16"].toDouble(), 2.0 * 3 * 48);
    }

    void olmo3_windows_without_yarn() {
        // OLMo 3: its windowed layers, rotated with the model's base and without YaRN; its
        // Think template's opened reasoning.
        test::TinySpec olmo;
        olmo.arch = "olmo2";
        olmo.n_layer = 4;
        olmo.swa_window = 5;
        GgufWriter ow = test::tiny_model_writer(olmo);
        ow.set("olmo2.rope.scaling.type", GgufValue::str("yarn"));
        ow.set("olmo2.rope.scaling.factor", GgufValue::f32(8.f));
        ow.set("tokenizer.chat_template",
               GgufValue::str("{{ '<|im_start|>' + m }}{{ '<|im_start|>assistant\n<think>' }}"));
        const QString olmo_path = QString::fromStdString(test::temp_dir() + "/olmo3.gguf");
        ow.write(olmo_path.toStdString());
        const Result oi = run({"info", "-m", olmo_path});
        QVERIFY2(oi.out.contains("3 of 4 layers see only the latest 5 tokens, rotated with base "
                                 "10000 without YaRN"),
                 qPrintable(oi.out));
        const QJsonObject oj = info_json(olmo_path);
        QCOMPARE(oj["windowed_layers"].toInt(), 3);
        QCOMPARE(oj["rope_base_swa"].toDouble(), 10000.0);
        QCOMPARE(oj["thinking_prompt"].toString(), QString("opened"));
        QVERIFY2(oi.out.contains("the template opens every reply with it"), qPrintable(oi.out));
    }

    void arcee_and_apertus_feed_forwards_named() {
        test::TinySpec arcee;
        arcee.arch = "arcee";
        const QString path = QString::fromStdString(test::write_tiny_model(arcee));
        const Result ai = run({"info", "-m", path});
        QVERIFY2(ai.out.contains("feed-forward 96 (ReLU squared, no gate; CPU only)"),
                 qPrintable(ai.out));
        QVERIFY(info_json(path)["ffn_relu2"].toBool());
        QVERIFY(gpu_refusal(path).contains("Arcee's feed-forward (ReLU squared, no gate)"));
        test::TinySpec apertus;
        apertus.arch = "apertus";
        const QString ap = QString::fromStdString(test::write_tiny_model(apertus));
        QVERIFY(run({"info", "-m", ap}).out.contains("feed-forward 96 (xIELU, no gate; CPU only)"));
        QVERIFY(info_json(ap)["ffn_xielu"].toBool());
        QVERIFY(gpu_refusal(ap).contains("Apertus's feed-forward (xIELU, no gate)"));
    }

    void granite_multipliers_and_smollm3_layers_without_rope() {
        // Granite's multipliers and SmolLM3's layers without RoPE, in the text and the JSON.
        test::TinySpec granite;
        granite.arch = "granite";
        const QString granite_path = QString::fromStdString(test::write_tiny_model(granite));
        QVERIFY(run({"info", "-m", granite_path})
                    .out.contains("multipliers   embeddings 3, block outputs 0.6, logits divided "
                                  "by 2.5"));
        test::TinySpec smol;
        smol.arch = "smollm3";
        smol.n_layer = 8;
        const QString smol_path = QString::fromStdString(test::write_tiny_model(smol));
        QVERIFY(run({"info", "-m", smol_path}).out.contains("RoPE          not applied in 2 of 8"));
        QCOMPARE(info_json(smol_path)["layers_without_rope"].toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "test_cli_info.moc"
