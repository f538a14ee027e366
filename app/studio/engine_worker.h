// The engine's own thread. An EngineWorker is moved to a QThread; the GUI talks to it only
// through queued signals carrying value types, and never calls into the engine itself. Stop
// and cancel are atomic flags the GUI may set directly: generation checks the flag at every
// token, model loading between chunks, the block map between layers.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <atomic>
#include <functional>
#include <memory>

#include "engine/backend.h"
#include "engine/chat_session.h"
#include "engine/llama_model.h"
#include "engine/prm_scorer.h"
#include "engine/vision_model.h"
#include "ui/studio_types.h"

namespace nqkv::studio {

class EngineWorker : public QObject {
    Q_OBJECT
  public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // What a conversation's settings ask of the chat format (reasoning effort, thinking).
    static ChatRenderOptions renderOptions(const ChatSettings& s);

    // Thread-safe: may be called from any thread while the worker is busy.
    // Stops the reply with this id (and any earlier one), even if it has not started yet.
    void requestStop(quint64 requestId);
    void requestCancelLoad() { cancelLoad_ = true; }
    void requestCancelMap() { cancelMap_ = true; }
    void requestCancelCompare() { cancelCompare_ = true; }

    // Original K/V values kept per context for the block inspector.
    static constexpr size_t kCaptureBytes = size_t(64) << 20;

  public slots:
    void loadModel(const QString& path, const QString& backend);
    // A vision projector for the loaded model from anywhere (instead of the one beside it).
    void loadProjector(const QString& path);
    void reply(quint64 requestId, const QList<nqkv::studio::ChatTurn>& turns,
               const nqkv::studio::ChatSettings& settings);
    void inspectBlock(int layer, int token, int kind, int block);
    void computeBlockMap(int kind, int metric);
    // The prompt (a user message, rendered with the chat format) under every configuration in
    // `configs` (--kv syntax each); sampling and the memory budget come from `settings`.
    // The prompt's pictures go before its text, as a message's do.
    void compare(const QString& prompt, const QStringList& configs,
                 const nqkv::studio::ChatSettings& settings, int maxTokens,
                 const QList<QByteArray>& pictures);

  signals:
    void loadProgress(double fraction, const QString& stage);
    // Reading a message's pictures before a reply: what is done, for the status bar.
    void pictureProgress(quint64 requestId, const QString& stage);
    void modelLoaded(const nqkv::studio::ModelInfo& info);
    // The cache was rebuilt for new KV settings: context size and bytes per token changed.
    void contextChanged(const nqkv::studio::ModelInfo& info);
    void loadFailed(const QString& path, const QString& message);
    void projectorFailed(const QString& path, const QString& message);
    // Text coalesced to at most about 30 updates a second.
    void replyText(quint64 requestId, const QString& text);
    void replyFinished(quint64 requestId, const QString& text,
                       const nqkv::studio::ReplyStats& stats);
    void replyFailed(quint64 requestId, const QString& message);
    // While a reply runs (5–10 a second) and after it ends.
    void speed(double tokensPerSecond, int tokensInContext, int contextSize);
    void kvStats(const nqkv::KvStats& stats);
    void blockReady(const nqkv::BlockView& view, double n01Limit);
    void blockMapProgress(double fraction);
    void blockMapReady(const nqkv::BlockMap& map);
    void inspectFailed(const QString& message);
    // AR-Sampling replies: a candidate begins, then each step as the PRM decides it.
    void arCandidate(quint64 requestId, int candidate);
    void arStep(quint64 requestId, const nqkv::studio::ArPoint& point);
    void compareProgress(double fraction, const QString& stage);
    void compareReady(const nqkv::CompareResult& result);
    void compareFailed(const QString& message);

  private:
    static qint64 steadyNs();
    void arReply(quint64 requestId, const std::vector<ChatMessage>& messages,
                 const ChatSettings& settings, std::atomic<bool>& stop);
    // The PRM the settings name (loaded once and kept while the path stays the same).
    PrmScorer& prmFor(const ChatSettings& settings);
    void ensureContext(const ChatSettings& s);
    static std::unique_ptr<InferenceContext> makeContext(Backend& backend, const LlamaModel& model,
                                                         const ChatSettings& s);
    ModelInfo describe() const;
    // The messages' pictures as rows (read once each, with progress); false when stopped.
    bool readPictures(quint64 requestId, const QList<ChatTurn>& turns,
                      std::vector<ChatMessage>& messages, std::atomic<bool>& stop);
    // One picture's rows (picture `index` of `total`): from memory when read before, else
    // encoded, each layer reported to `progress`; null when stopped. Throws without a projector.
    std::shared_ptr<const InputRows> pictureRows(
        const QByteArray& file, int index, int total,
        const std::function<void(const QString&)>& progress, std::atomic<bool>& stop);
    void emitState();

    std::atomic<quint64> stopThrough_{0};
    std::atomic<qint64> stopAtNs_{0};  // steady-clock time of the last stop request
    std::atomic<bool> cancelLoad_{false};
    std::atomic<bool> cancelMap_{false};
    std::atomic<bool> cancelCompare_{false};
    std::unique_ptr<Backend> backend_;
    std::unique_ptr<LlamaModel> model_;
    std::unique_ptr<InferenceContext> ctx_;
    std::unique_ptr<ChatSession> session_;
    ChatSettings ctxSettings_;  // the cache layout ctx_ was built with
    QString path_;
    QString backendNote_;  // why automatic selection chose the CPU
    // The model's vision projector (beside it), and the pictures it has read, by their
    // files' SHA-1, so that a conversation's pictures are read once.
    std::unique_ptr<VisionModel> vision_;
    QHash<QByteArray, std::shared_ptr<const InputRows>> pictureRows_;
    std::unique_ptr<LlamaModel> prm_;
    std::unique_ptr<PrmScorer> scorer_;
    QString prmPath_, prmLayout_;
    int scorerCtx_ = 0;
};

}  // namespace nqkv::studio
