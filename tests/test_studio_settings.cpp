// The Model tab and the conversation settings: what they say of a model's shape (windows, caps,
// experts, recurrent layers, its template's default system prompt) and what the settings keep.
#include <QCheckBox>
#include <QLabel>
#include <QtTest>

#include "app/studio/engine_worker.h"
#include "tests/studio_support.h"
#include "ui/conversation_settings_dialog.h"
#include "ui/kv_panel.h"
#include "ui/model_info_panel.h"

using namespace nqkv;
using namespace nqkv::studio;

class TestStudioSettings : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { registerStudioTypes(); }

    // The Model tab names sliding windows, softcaps, experts and integer products where there
    // are some, and says nothing of them otherwise.
    void modelTabNamesWindowsAndCaps() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.nLayer = 6;
        m.windowedLayers = 5;
        m.slidingWindow = 512;
        m.attnSoftcap = 50;
        m.logitSoftcap = 30;
        m.kvRing = 1024;
        m.kvBytesAllocated = 3 << 20;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("5 of 6 layers see only the latest 512 tokens; their "
                                       "cache keeps the latest 1024"),
                 qPrintable(panel.text()));
        QVERIFY2(panel.text().contains("KV cache 3.00 MB"), qPrintable(panel.text()));
        QVERIFY(panel.text().contains("attention scores 50, logits 30"));
        QVERIFY(!panel.text().contains("Experts"));
        QVERIFY(!panel.text().contains("Matrix products"));
        QVERIFY(!panel.text().contains("bits per weight"));  // no weights counted
        m.parameters = 1000;
        m.weightBytes = 562;  // 4.5 bits each, as Q4_0's
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("1000 (4.50 bits per weight)"), qPrintable(panel.text()));
        m.windowedLayers = 0;
        m.attnSoftcap = m.logitSoftcap = 0;
        m.experts = 128;
        m.expertsUsed = 8;
        panel.setInfo(m);
        QVERIFY(!panel.text().contains("latest") && !panel.text().contains("Softcapping"));
        QVERIFY2(panel.text().contains("128, 8 used per token"), qPrintable(panel.text()));
        m.integerMatmul = QStringList{"Q4_K (Q8_K)", "Q6_K (Q8_K)"};
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("integer dot products for Q4_K (Q8_K), Q6_K (Q8_K)"),
                 qPrintable(panel.text()));
        QVERIFY2(panel.text().contains("RoPE</b></td><td>base 10000</td>"),
                 qPrintable(panel.text()));
        QVERIFY(!panel.text().contains("Multipliers"));
        // RoPE's scaling and the layers without it; Granite's multipliers.
        m.ropeYarn = 4;
        m.ropeBase = 1e6;
        m.unropedLayers = 1;
        m.residualScale = 0.22;
        m.logitScale = 8;
        m.embdScale = 12;
        panel.setInfo(m);
        QVERIFY2(
            panel.text().contains("base 1e+06, YaRN with factor 4; not applied in 1 of 6 layers"),
            qPrintable(panel.text()));
        QVERIFY2(panel.text().contains("embeddings 12, block outputs 0.22, logits divided by 8"),
                 qPrintable(panel.text()));
        m.unropedLayers = 6;
        panel.setInfo(m);
        QVERIFY(panel.text().contains("RoPE</b></td><td>none</td>"));
        m.unropedLayers = 0;
        m.ropeYarn = 0;
        m.ropeSections = {24, 20, 20, 0};  // Qwen3-VL's
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("multimodal (sections 24 20 20 0; text turns as plain RoPE"),
                 qPrintable(panel.text()));

        // The KV panel draws each layer with the tokens it holds: a ring's, or all.
        KvPanel kv;
        KvStats st;
        st.n_layer = 3;
        st.tokens_held = 50;
        st.layer_k_bytes = {8, 8, 8};
        st.layer_v_bytes = {4, 4, 4};
        st.ringed_layers = 2;
        st.ring = 20;
        st.layer_tokens = {20, 50, 20};
        kv.setStats(st);
        QCOMPARE(kv.layerBars(true), (QVector<double>{160, 400, 160}));
        QCOMPARE(kv.layerBars(false), (QVector<double>{80, 200, 80}));
        QVERIFY2(kv.formatText().contains("2 windowed layers keep only the latest 20 tokens"),
                 qPrintable(kv.formatText()));
    }

    // Granite 4.0-H's Mamba-2 layers: named, left out of the cache's layers and of the layers
    // RoPE is counted on, and their state counted in the memory needed.
    void modelTabNamesMamba2Layers() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.nLayer = 40;
        m.ssmLayers = 36;
        m.ssmState = 128;
        m.unropedLayers = 4;
        m.recurrentStateBytes = 3 << 20;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("36 of 40 layers are Mamba-2 state-space mixers"),
                 qPrintable(panel.text()));
        QVERIFY(
            panel.text().contains("the KV cache holds the attention layers (4), numbered 0 to 3"));
        m.kvLayers = 1;  // Nemotron-H: feed-forward blocks besides the Mamba-2 and attention ones
        panel.setInfo(m);
        QVERIFY(
            panel.text().contains("the KV cache holds the attention layers (1), numbered 0 to 0"));
        m.kvLayers = -1;
        panel.setInfo(m);
        QVERIFY(panel.text().contains("RoPE</b></td><td>none</td>"));
        QVERIFY2(panel.text().contains("+ Mamba-2 state and its snapshots 3.00 MB"),
                 qPrintable(panel.text()));
        m.ssmLayers = m.kvLayers = 40;  // Falcon-H1: beside the attention of every layer
        m.ssmBesideAttention = true;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("every layer runs a Mamba-2 state-space mixer beside its "
                                       "attention") &&
                     panel.text().contains("the KV cache holds all 40 layers") &&
                     !panel.text().contains("of 40 layers are Mamba-2"),
                 qPrintable(panel.text()));
        m = ModelInfo{};  // Cohere's Command-R: the feed-forward beside attention, LayerNorm
        m.nLayer = 40;
        m.ffnBesideAttention = m.layerNorm = true;
        m.logitScale = 1 / 0.0625;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("attention and the feed-forward side by side on one "
                                       "LayerNorm of each layer's input") &&
                     panel.text().contains("logits times 0.0625") &&
                     !panel.text().contains("divided by"),
                 qPrintable(panel.text()));
        QVERIFY(!panel.text().contains("Feed-forward"));  // the usual gated one goes unnamed
        m.gatelessFfn = "relu2";                          // Arcee's
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("one projection up, squared ReLU, one down: no gate"),
                 qPrintable(panel.text()));
        m.gatelessFfn = "xielu";  // Apertus's
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("xIELU with each layer's constants, one down: no gate"),
                 qPrintable(panel.text()));
        m = ModelInfo{};  // Llama 4 Maverick: experts every other layer, chunked attention
        m.nLayer = m.kvLayers = 48;
        m.experts = 128;
        m.expertsUsed = 1;
        m.expertStep = 2;
        m.expertsWeighedFirst = m.chunkedAttention = true;
        m.windowedLayers = 36;
        m.slidingWindow = 8192;
        m.unropedLayers = 12;
        m.warmedAfter = 8192;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("128, 1 used per token; in one layer of 2, the others "
                                       "dense; each reads its input times its weight") &&
                     panel.text().contains("36 of 48 layers attend only within their chunk of "
                                           "8192 tokens") &&
                     panel.text().contains("not applied in 12 of 48 layers (their queries "
                                           "scaled up past 8192 positions)"),
                 qPrintable(panel.text()));
        m = ModelInfo{};  // SmallThinker
        m.experts = 32;
        m.expertsUsed = 4;
        m.expertsOnLayerInput = true;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("32, 4 used per token; gates through ReLU, routed on each "
                                       "layer's input"),
                 qPrintable(panel.text()));
    }

    // Qwen3.5's gated delta nets and gated attention heads: named, with their state in the
    // memory needed.
    void modelTabNamesDeltaNetLayers() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.nLayer = 24;
        m.ssmLayers = 18;
        m.kvLayers = 6;
        m.deltaNet = true;
        m.ssmHeads = 16;
        m.ssmState = 128;
        m.gatedAttention = true;
        m.recurrentStateBytes = 5 << 20;
        panel.setInfo(m);
        const QString t = panel.text();
        QVERIFY2(t.contains("18 of 24 layers are gated delta nets (linear attention) instead of "
                            "attention (16 heads, each with a 128 × 128 state"),
                 qPrintable(t));
        QVERIFY(t.contains("the KV cache holds the attention layers (6), numbered 0 to 5"));
        QVERIFY(!t.contains("Mamba-2"));
        QVERIFY(t.contains("multiplied by the sigmoid of its own gates"));
        QVERIFY2(t.contains("+ Gated DeltaNet state and its snapshots 5.00 MB"), qPrintable(t));
    }

    // Gemma 4: the windowed layers' heads beside the others', the shared KV layers and the
    // per-layer inputs.
    void modelTabNamesGemma4Layers() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.nLayer = 35;
        m.nHead = 8;
        m.nHeadKv = 1;
        m.headDim = 512;
        m.nHeadKvSwa = 1;
        m.headDimSwa = 256;
        m.kvSharedLayers = 20;
        m.embdPerLayer = 256;
        panel.setInfo(m);
        const QString t = panel.text();
        QVERIFY2(t.contains("8 query; 1 KV of 512 dims in the full-attention layers, 1 KV of 256 "
                            "dims in the windowed ones"),
                 qPrintable(t));
        QVERIFY(t.contains("the last 20 layers attend to the keys and values of earlier layers"));
        QVERIFY(t.contains("a vector of 256 per token"));
    }

    // Gemma 3n: its streams, LAuReL and the layers with sparse gates.
    void modelTabNamesGemma3nStreams() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.nLayer = 30;
        m.altupStreams = 4;
        m.laurelRank = 64;
        m.sparseFfnLayers = 10;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("4 streams: each layer computes on a prediction of the "
                                       "first") &&
                     panel.text().contains("LAuReL of rank 64 beside attention; sparse "
                                           "feed-forward gates in 10 of 30 layers"),
                 qPrintable(panel.text()));
    }

    // Llama-Nemotron: its kinds of layer.
    void modelTabNamesDeciLayers() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.nLayer = 80;
        m.kvLayers = 49;
        m.linearAttnLayers = 2;
        m.attentionFreeLayers = 29;
        m.ffnFreeLayers = 0;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("49 of 80 attend (the KV cache holds them), 2 have one "
                                       "projection instead of attention, 29 no attention, 0 no "
                                       "feed-forward"),
                 qPrintable(panel.text()));
    }

    // DeepSeek's multi-head latent attention: the Model tab says what the cache holds, and the
    // settings' cost line counts the latent once (it is the values too).
    void modelTabNamesLatentAttention() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.mlaRank = 512;
        m.mlaRope = 64;
        m.mlaQuery = 192;
        m.mlaValue = 128;
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("one latent of 512 dims, which is also the values, and 64 "
                                       "rotated key dims; each query head has 192 dims and 128 "
                                       "values"),
                 qPrintable(panel.text()));
        ConversationSettingsDialog dialog;
        ChatSettings c;
        c.kFormat = "fp16";
        c.vFormat = "fp16";
        dialog.setSettings(c);
        auto* cost = dialog.findChild<QLabel*>("kvCost");
        QVERIFY(cost);
        dialog.setModelShape(std::vector<int>(27, 576), true);  // DeepSeek-V2-Lite
        QVERIFY2(cost->text().startsWith("30.38 kB per token, 1.00×"), qPrintable(cost->text()));
        dialog.setModelShape(std::vector<int>(27, 576), false);
        QVERIFY2(cost->text().startsWith("60.75 kB per token"), qPrintable(cost->text()));
        // The KV panel names the keys' format alone.
        KvPanel kv;
        KvStats st;
        st.k_format = "nq4";
        st.v_format = "nq2";
        st.block = 64;
        st.values_per_token = 27 * 576;
        st.k_bytes_per_token = st.bytes_per_token = 27 * (288 + 18);
        kv.setStats(st);
        QVERIFY2(kv.formatText().startsWith("K nq4 (4.25 bits/value; the values are the keys' "
                                            "latent part), block 64; 8.07 kB per token"),
                 qPrintable(kv.formatText()));
        QVERIFY(!kv.formatText().contains("nq2"));
    }

    // A template's default system prompt: the Model tab quotes it, the settings offer it for
    // an empty system prompt (on by default, kept with the conversation), disabled for a model
    // without one, and the engine is told.
    void defaultSystemPromptIsOffered() {
        ModelInfoPanel panel;
        ModelInfo m;
        m.defaultSystem =
            "You are a helpful assistant. Please ensure responses are "
            "professional, accurate, and safe.";
        panel.setInfo(m);
        QVERIFY2(panel.text().contains("90 characters, used when a conversation has none"),
                 qPrintable(panel.text()));
        QVERIFY2(panel.text().contains("“You are a helpful assistant. Please ensure responses "
                                       "are professional, accurate,…”"),
                 qPrintable(panel.text()));
        m.defaultSystem.clear();
        panel.setInfo(m);
        QVERIFY(!panel.text().contains("Default system prompt"));

        ChatSettings c;
        QVERIFY(c.defaultSystem && EngineWorker::renderOptions(c).default_system);
        c.defaultSystem = false;
        QVERIFY(!ChatSettings::fromJson(c.toJson()).defaultSystem);
        QVERIFY(!EngineWorker::renderOptions(c).default_system);
        QVERIFY(ChatSettings::fromJson(QJsonObject()).defaultSystem);
        ConversationSettingsDialog dialog;
        auto* box = dialog.findChild<QCheckBox*>("defaultSystem");
        QVERIFY(box && !box->isEnabled());  // until a model with one is loaded
        dialog.setSettings(c);
        QVERIFY(!box->isChecked());
        dialog.setDefaultSystemPrompt("Be safe.");
        QVERIFY(box->isEnabled());
        QVERIFY2(box->toolTip().contains("8 characters") && box->toolTip().endsWith("Be safe."),
                 qPrintable(box->toolTip()));
        box->setChecked(true);
        QVERIFY(dialog.settings().defaultSystem);
        dialog.setDefaultSystemPrompt({});
        QVERIFY(!box->isEnabled() && dialog.settings().defaultSystem);  // kept for other models
    }
};

QTEST_MAIN(TestStudioSettings)
#include "test_studio_settings.moc"
