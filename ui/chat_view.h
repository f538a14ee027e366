// The conversation pane: the messages (one MessageWidget each, the reply streaming into the
// last one) and the composer with Send and Stop. It holds no engine state; the main window
// feeds it and listens to its requests.
#pragma once

#include <QList>
#include <QWidget>
#include <functional>

#include "ui/studio_types.h"

class QDragEnterEvent;
class QDropEvent;
class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace nqkv::studio {

class ComposerEdit;
class MessageWidget;
struct OfferedPictures;

class ChatView : public QWidget {
    Q_OBJECT
  public:
    explicit ChatView(QWidget* parent = nullptr);

    void clearMessages();
    // `note` marks replies that were stopped or interrupted.
    // `reasoning`: a reasoning model's, shown apart from the answer (MessageWidget).
    void appendMessage(const QString& role, const QString& text, const QString& note = {},
                       const QString& reasoning = {}, const QList<QByteArray>& pictures = {});
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

    // Pictures for the next message (with a model that reads them: the Picture… button shows,
    // and pictures dropped or pasted onto the chat are taken). Without one, the pictures already
    // waiting stay, shown as waiting, and are not sent.
    void setPicturesEnabled(bool on);
    bool picturesEnabled() const;
    // Adds a picture file to the next message; returns why it cannot, or empty.
    QString addPicture(const QString& path);
    // The same for a picture's bytes; `name` names it in the reason.
    QString addPictureBytes(const QByteArray& bytes, const QString& name);
    // Adds what was dropped, pasted or chosen, telling the user in one box what was refused.
    void takePictures(const nqkv::studio::OfferedPictures& offer);
    // How a picture file is checked before it is added (why it cannot be read, or empty); Qt's
    // own decoders by default, the engine's decoder in the app.
    void setPictureCheck(std::function<QString(const QByteArray&, const QString&)> check) {
        pictureCheck_ = std::move(check);
    }
    void setPictures(const QList<QByteArray>& files);  // (an edited message's, again)
    QList<QByteArray> pictures() const { return pending_; }
    // What Send sends: the waiting pictures while the model reads pictures, none otherwise.
    QList<QByteArray> picturesToSend() const;
    void clearPictures();

  signals:
    void sendRequested(const QString& text, const QList<QByteArray>& pictures);
    void stopRequested();
    void regenerateRequested();
    void editRequested(int index);
    void draftChanged(const QString& text);
    void picturesChanged(const QList<QByteArray>& pictures);  // those waiting, whenever they change

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

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
    ComposerEdit* composer_;
    QPushButton* sendButton_;
    QPushButton* stopButton_;
    QPushButton* pictureButton_;
    QWidget* pendingRow_;  // the pictures for the next message, and a button to drop them
    QLabel* pendingLabel_;
    QList<QByteArray> pending_;
    QList<QByteArray> announced_;  // as picturesChanged last said
    std::function<QString(const QByteArray&, const QString&)> pictureCheck_;
    void refreshPending();
    bool streaming_ = false;
    bool busy_ = false;
};

}  // namespace nqkv::studio
