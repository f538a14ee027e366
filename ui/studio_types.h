// Value types that cross between the engine thread and the widgets. Everything here is
// copied through queued connections, so it holds plain data only.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "engine/kv_block_map.h"
#include "engine/kv_cache.h"
#include "engine/kv_compare.h"
#include "engine/kv_stats.h"
#include "engine/sampler.h"

namespace nqkv::studio {

struct ChatTurn {
    QString role;  // "system", "user" or "assistant"
    QString content;
    QList<QByteArray> pictures = {};  // picture files shown before the text (PNG, JPEG, ...)
};

// Everything a conversation can set: the system prompt, sampling, and the KV cache layout.
struct ChatSettings {
    QString systemPrompt;
    double temperature = 0.8;
    int topK = 40;
    double topP = 0.95;
    double minP = 0.05;
    double repeatPenalty = 1.0;
    qint64 seed = 0xC0FFEE;
    int maxTokens = 512;
    bool ignoreEos = false;  // keep going past the end-of-text token (stress runs)
    QString kFormat = "fp16";
    QString vFormat = "fp16";
    int block = 64;
    int contextSize = 0;  // 0: the model's training context (at most 4096)
    int kvBudgetMiB = 0;  // when set, the context is as many tokens as fit in this much KV memory
    // What a reply does when the conversation outgrows the context: "drop-oldest" leaves the
    // oldest exchanges out of the prompt, "refuse" fails with a message (engine/chat_fit.h).
    QString contextOverflow = "drop-oldest";
    // gpt-oss: how long it reasons before answering, "low", "medium" or "high" (other models
    // have no such setting and ignore it).
    QString reasoningEffort = "medium";
    // Whether a model whose template can be told not to reason (Qwen3, QwQ, ...) reasons.
    bool thinking = true;
    // Whether the model's default system prompt (its template's) is used when systemPrompt is
    // empty.
    bool defaultSystem = true;

    // AR-Sampling: replies are written step by step and a process reward model scores each.
    bool arEnabled = false;
    QString prmPath;  // empty: the bundled PRM
    // What the PRM reads around the steps: "" (the file's own layout, prm_layout.h),
    // "math-shepherd" or "rlhflow-llama3".
    QString prmLayout;
    double arThreshold = 0.5;
    int arMaxRethink = 1;
    int arCandidates = 1;
    bool arLeaveWeakest = true;  // ArParams::rethink_leaves_weakest
    QStringList arTriggers;      // empty: the engine's default sentence; {n} = the step number

    QString kvSpec() const;  // "k=nq4,v=nq2,block=32", the syntax of --kv
    nqkv::SamplingParams sampling() const;
    QJsonObject toJson() const;
    // Missing keys keep their defaults, so settings written by older versions still load.
    static ChatSettings fromJson(const QJsonObject& o);
    bool sameCache(const ChatSettings& o) const {
        return kFormat == o.kFormat && vFormat == o.vFormat && block == o.block &&
               contextSize == o.contextSize && kvBudgetMiB == o.kvBudgetMiB;
    }
};

// The formats a side of the cache can take, in the order the settings offer them.
QStringList kvFormatChoices();

struct ModelInfo {
    QString path;
    // The vision projector found beside the model (mmproj*.gguf), which lets chats show it
    // pictures; empty when none fits. visionTokens: what one picture takes of the context.
    QString visionProjector;
    int visionTokens = 0;
    QString name;
    QString architecture;
    QString chatFormat;
    // How the template asks for reasoning: "none", "switch" or "opened" (chat_template.h).
    QString thinkingPrompt = "none";
    bool takesReasoningEffort = false;  // gpt-oss's harmony format
    QString defaultSystem;              // the template's default system prompt (empty: none)
    QString backend;
    quint64 parameters = 0;
    quint64 weightBytes = 0;
    quint64 fileBytes = 0;
    QStringList weightTypes;  // "F16 × 9", "Q4_K × 3", ...
    // Matrix types the CPU multiplies with integer dot products, with the type the activations
    // are rounded to: "Q4_K (Q8_K)"; empty on the GPU or for float weights.
    QStringList integerMatmul;
    QString tokenizer;  // "SentencePiece", "byte-level BPE (llama-bpe)"
    int nLayer = 0, nEmbd = 0, nHead = 0, nHeadKv = 0, headDim = 0, nVocab = 0, nFf = 0;
    int contextTrain = 0;
    int contextSize = 0;               // of the context the engine built
    int slidingWindow = 0;             // tokens the windowed layers see (0: none)
    int windowedLayers = 0;            // how many layers are windowed
    int experts = 0, expertsUsed = 0;  // mixture of experts (0: dense)
    // Llama 4: experts in one layer of expertStep (0: every layer), each reading its input
    // times its weight; its windowed layers attend within chunks; its layers without RoPE have
    // their queries warmed past warmedAfter positions (0: none).
    int expertStep = 0, warmedAfter = 0;
    bool expertsWeighedFirst = false, chunkedAttention = false;
    bool expertsOnLayerInput = false;    // SmallThinker: ReLU gates, routed on the layer's input
    int convLayers = 0, convKernel = 0;  // LFM2's short convolutions (no KV)
    int ssmLayers = 0, ssmState = 0;     // state-space layers (no KV): Mamba-2 or delta nets
    bool deltaNet = false;               // those layers are gated delta nets (Qwen3.5)
    bool ssmBesideAttention = false;     // Falcon-H1: Mamba-2 beside every layer's attention
    int ssmHeads = 0;                    // a delta net's value heads
    bool gatedAttention = false;         // heads' outputs times sigmoid gates (Qwen3.5)
    // A feed-forward without a gate: "relu2" (ReLU squared: Arcee, Nemotron-H) or "xielu"
    // (Apertus); empty for the usual gated one.
    QString gatelessFfn;
    // Cohere's: attention and the feed-forward side by side, LayerNorm for every norm.
    bool ffnBesideAttention = false, layerNorm = false;
    // Gemma 4: the windowed layers' heads when they differ from the others' (0: alike), the
    // last layers reading earlier layers' keys and values, the per-layer inputs' width.
    int nHeadKvSwa = 0, headDimSwa = 0, kvSharedLayers = 0, embdPerLayer = 0;
    // Gemma 3n: its AltUp streams (0: none), LAuReL's rank, the layers with sparse gates.
    int altupStreams = 0, laurelRank = 0, sparseFfnLayers = 0;
    // Llama-Nemotron: layers whose attention is one projection, layers without attention, and
    // without a feed-forward.
    int linearAttnLayers = 0, attentionFreeLayers = 0, ffnFreeLayers = 0;
    // Multi-head latent attention (DeepSeek's): a latent of this width per token and layer,
    // with mlaRope rotated key dims, is the cache's one head and holds the values too; each query
    // head has mlaQuery dims and mlaValue values. 0: none.
    int mlaRank = 0, mlaRope = 0, mlaQuery = 0, mlaValue = 0;
    std::vector<int> kvRows;          // each cache layer's K (and V, unless mlaRank) row
    int kvLayers = -1;                // the attention layers the cache holds (-1: every layer)
    quint64 recurrentStateBytes = 0;  // what those layers keep (recurrent_state_bytes)
    double attnSoftcap = 0, logitSoftcap = 0;  // Gemma 2's, 0 when absent
    double ropeBase = 10000, ropeLinear = 1;   // positions divided by ropeLinear
    double ropeYarn = 0;                       // YaRN's factor (0: none)
    bool ropeFactors = false;                  // per-pair frequency factors (Llama 3.1's, ...)
    QList<int> ropeSections;                   // Qwen-VL's multimodal RoPE (empty: none)
    int unropedLayers = 0;  // attention layers without RoPE (SmolLM3, some Granite)
    // Granite's multipliers (1: none): embeddings, each block's output, logits (divided).
    double embdScale = 1, residualScale = 1, logitScale = 1;
    quint64 kvBytesPerToken = 0;  // in the current KV configuration
    quint64 kvBytesPerTokenFp16 = 0;
    quint64 kvBytesAllocated = 0;  // the whole context (windowed layers: their rings)
    int kvRing = 0;                // positions a windowed layer keeps (0: all)
};

struct ReplyStats {
    int promptTokens = 0;
    int reusedTokens = 0;     // prompt tokens found already in the cache
    int droppedMessages = 0;  // older messages the prompt left out to fit the context
    int generatedTokens = 0;
    double promptSeconds = 0;
    double generateSeconds = 0;
    QString stopReason;
    double stopLatencyMs = -1;  // from the stop request to the end of generation, when stopped
    QString traceJson;          // AR-Sampling replies: the engine's trace (nqkv.ar-trace/1)
    double tokensPerSecond() const {
        return generateSeconds > 0 ? generatedTokens / generateSeconds : 0;
    }
};

// One scored step of an AR-Sampling reply, as the trace view and the message show it.
struct ArPoint {
    int candidate = 0;
    int step = 0;  // the step number being written (1-based)
    QString text;
    double score = 0;
    QString decision;  // "accept", "rethink" or "forced"
    QString trigger;   // appended after a rethought step
    QString weakest;   // the rejected step's token its rethink may not take again
    double weakestP = 0;
    bool rewound = false;  // the next version was written after the step's first trigger
    int policyTokens = 0, prmTokens = 0;
    double policyMs = 0, prmMs = 0;
};

// A whole trace read back from its JSON (a stored message or an export).
struct ArTrace {
    double threshold = 0;
    int bestCandidate = 0;
    QList<QList<ArPoint>> candidates;
    QStringList answers;  // per candidate, empty when none
    int policyTokens = 0, prmTokens = 0, rethinks = 0;
    double seconds = 0;  // policy and PRM time, summed over steps
    static ArTrace fromJson(const QString& json, QString* error = nullptr);
};

QString formatBytes(double bytes);

// Registers the types above with Qt's meta-type system (once, before threads connect).
void registerStudioTypes();

}  // namespace nqkv::studio

Q_DECLARE_METATYPE(nqkv::studio::ChatTurn)
Q_DECLARE_METATYPE(nqkv::studio::ChatSettings)
Q_DECLARE_METATYPE(nqkv::studio::ModelInfo)
Q_DECLARE_METATYPE(nqkv::studio::ReplyStats)
Q_DECLARE_METATYPE(nqkv::KvStats)
Q_DECLARE_METATYPE(nqkv::BlockView)
Q_DECLARE_METATYPE(nqkv::BlockMap)
Q_DECLARE_METATYPE(nqkv::studio::ArPoint)
Q_DECLARE_METATYPE(nqkv::CompareResult)
