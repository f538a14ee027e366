// One chat message: who wrote it, its text rendered as Markdown, and its actions (copy; edit
// for the user's messages; regenerate for the last reply). A reasoning model's reasoning sits
// above the answer behind a toggle: open while the model is still reasoning, closed once the
// answer begins (unless the reader opened or closed it), open or closed at a click.
#pragma once

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace nqkv::studio {

class MarkdownView;

class MessageWidget : public QFrame {
    Q_OBJECT
  public:
    MessageWidget(const QString& role, const QString& text, QWidget* parent = nullptr);

    QString role() const { return role_; }
    QString text() const { return text_; }
    void setText(const QString& text);
    // Streaming: finished paragraphs are rendered as Markdown, the one still growing as
    // plain text, so an update costs the new text rather than the whole reply.
    void appendText(const QString& more);
    void finishStreaming();
    // The reasoning (engine/reply_channels.h) shown apart; empty: none, and no toggle.
    void setReasoning(const QString& reasoning);
    void appendReasoning(const QString& more);
    QString reasoning() const { return reasoning_; }
    bool reasoningOpen() const;
    void setReasoningOpen(bool open);
    // An interrupted or stopped reply carries a note under its text.
    void setNote(const QString& note);
    QString note() const;
    // Marks a message the model no longer reads: the conversation outgrew the context.
    void setOutOfContext(bool on);
    bool outOfContext() const { return outOfContext_; }
    void setRegenerateVisible(bool on);
    void setActionsEnabled(bool on);
    // The pictures shown with the message (picture files), as thumbnails above its text.
    void setPictures(const QList<QByteArray>& files);
    int pictureCount() const;
    // Finds and selects `needle` in the shown text; returns its top in this widget's
    // coordinates, or -1 when it is not there.
    int locate(const QString& needle);
    static constexpr int kThinkingLines = 8, kReasoningMaxLines = 24;

  signals:
    void editRequested();
    void regenerateRequested();

  private:
    QString role_;
    QString text_;
    MarkdownView* body_;
    MarkdownView* tail_;
    int settled_ = 0;  // characters of text_ shown rendered in body_ while streaming
    void updateReasoningToggle();
    // While the model thinks, eight lines that follow the end; once it answered, as tall as the
    // reasoning up to 24 lines (the rest scrolls), fitted again when its text or its width (where
    // its lines wrap) changes.
    void fitReasoningHeight();
    bool eventFilter(QObject* watched, QEvent* e) override;
    QString reasoning_;
    QToolButton* reasoningToggle_;
    QPlainTextEdit* reasoningView_;
    bool reasoningChosen_ = false;  // the reader opened or closed it: it stays so
    bool streaming_ = false;
    QLabel* note_;
    QLabel* outside_;
    QWidget* pictures_;  // a row of thumbnails
    bool outOfContext_ = false;
    QToolButton* copy_;
    QToolButton* edit_ = nullptr;
    QToolButton* regenerate_ = nullptr;
};

}  // namespace nqkv::studio
