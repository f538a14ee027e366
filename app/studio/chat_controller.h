// The conversation logic between the store, the conversation list, the chat view and the
// engine worker: sending, streaming, stop, regenerate, edit-and-resend, drafts, and saving a
// reply that is still streaming when the app closes. It talks to the worker only through its
// signals (queued) and the worker's thread-safe stop call.
#pragma once

#include <QObject>
#include <functional>

#include "app/studio/chat_store.h"
#include "engine/reply_channels.h"
#include "ui/studio_types.h"

namespace nqkv::studio {

class ChatView;
class ConversationList;

class ChatController : public QObject {
    Q_OBJECT
  public:
    ChatController(ChatStore* store, ChatView* view, ConversationList* list,
                   std::function<void(quint64)> stopReply, QObject* parent = nullptr);

    // Opens the newest conversation, creating one when there is none.
    void start();
    qint64 current() const { return current_; }
    ChatSettings currentSettings() const;
    void setCurrentSettings(const ChatSettings& s);
    bool streaming() const { return active_ != 0; }
    // The request id of the reply being generated (0 when none).
    quint64 activeRequest() const { return active_; }

    void open(qint64 id);
    void newConversation();
    void renameConversation(qint64 id, const QString& title);
    void deleteConversation(qint64 id);
    void send(const QString& text, const QList<QByteArray>& pictures = {});
    void stop();
    void regenerate();
    void editAndResend(int index, const QString& text);
    // Writes the reply that is still streaming (complete = false); used when the app closes.
    void saveInterrupted();
    void refreshList();

  public slots:
    void onReplyText(quint64 id, const QString& text);
    void onReplyFinished(quint64 id, const QString& text, const nqkv::studio::ReplyStats& stats);
    void onReplyFailed(quint64 id, const QString& message);

  signals:
    void replyRequested(quint64 id, const QList<nqkv::studio::ChatTurn>& turns,
                        const nqkv::studio::ChatSettings& settings);
    void replyDone(const nqkv::studio::ReplyStats& stats);
    void errorOccurred(const QString& title, const QString& message);
    // A conversation is shown (its settings may differ from the last one's).
    void conversationShown(qint64 id);
    // The AR-Sampling trace of the conversation's latest AR reply (empty: none).
    void traceChanged(const QString& json);

  private:
    void startReply();
    // What the chat shows for a message: an AR reply is drawn from its trace, a reasoning
    // model's reasoning set apart from its answer.
    struct Shown {
        QString text, reasoning;
    };
    static Shown shown(const QString& role, const QString& content, const QString& trace);
    static QString leftOutNote(int messages);
    void showConversation();

    ChatStore* store_;
    ChatView* view_;
    ConversationList* list_;
    std::function<void(quint64)> stopReply_;
    qint64 current_ = 0;
    quint64 nextRequest_ = 1;
    quint64 active_ = 0;        // request being generated
    qint64 activeConv_ = 0;     // its conversation
    QString partial_;           // its text so far
    ReplyStream partialParts_;  // partial_ split into reasoning and answer
    Shown partialShown_;
    bool saved_ = false;  // written by saveInterrupted already
    bool loadingDraft_ = false;
};

}  // namespace nqkv::studio
