// The conversation pane: the messages (one MessageWidget each, the reply streaming into the
// last one) and the composer with Send and Stop. It holds no engine state; the main window
// feeds it and listens to its requests.
#pragma once

#include <QList>
#include <QWidget>
#include <functional>

#include "ui/studio_types.h"

class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace nqkv::studio {

class MessageWidget;

class ChatView : public QWidget {
    Q_OBJECT
  public:
    explicit ChatView(QWidget* parent = nullptr);

    void clearMessages();
    // `note` marks replies that were stopped or interrupted.
    // `reasoning`: a reasoning model's, shown apart from the answer (MessageWidget).
    void appendMessage(const QString& role, const QString& text, const QString& note = {},
                       const QString& reasoning = {});
    // Adds an empty assistant message that streamText() fills.
    void beginStreaming();
    void streamText(const QString& more);
    void streamReasoning(const QString& more);
    void endStreaming(const QString& note = {});
    bool streaming() const { return streaming_; }
    QString streamingText() const;

    int messageCount() const { return messages_.size(); }
    QString messageText(int i) const;
    QString messageReasoning(int i) const;
    MessageWidget* message(int i) const { return messages_.value(i); }
    QString messageNote(int i) const;
    // The first `count` messages are marked as no longer read by the model, the rest not.
    void markOutOfContext(int count);
    bool messageOutOfContext(int i) const;
    // Scrolls to the latest message holding `needle` and selects it there; false if none does.
    bool revealText(const QString& needle);
    // Drops the last message (a reply being regenerated).
    void removeLastMessage();

    QString draft() const;
    void setDraft(const QString& text);
    // While busy, Send is off (the draft stays editable) and Stop is on.
    void setBusy(bool busy);
    bool busy() const { return busy_; }

  signals:
    void sendRequested(const QString& text);
    void stopRequested();
    void regenerateRequested();
    void editRequested(int index);
    void draftChanged(const QString& text);

  private:
    void send();
    void refreshActions();
    // Into the streaming message, following it down if the view was at the end.
    void stream(const std::function<void(MessageWidget*)>& add);
    void scrollToEndLater();

    QScrollArea* scroll_;
    QWidget* list_;
    QVBoxLayout* listLayout_;
    QList<MessageWidget*> messages_;
    QPlainTextEdit* composer_;
    QPushButton* sendButton_;
    QPushButton* stopButton_;
    bool streaming_ = false;
    bool busy_ = false;
};

}  // namespace nqkv::studio
