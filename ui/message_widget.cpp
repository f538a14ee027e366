#include "ui/message_widget.h"

#include "ui/markdown_view.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace nqkv::studio {

MessageWidget::MessageWidget(const QString& role, const QString& text, QWidget* parent)
    : QFrame(parent), role_(role) {
    setFrameShape(QFrame::StyledPanel);
    setObjectName(role == "user" ? "userMessage" : "assistantMessage");
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window,
                 role == "user" ? pal.color(QPalette::AlternateBase) : pal.color(QPalette::Base));
    setPalette(pal);

    auto* who = new QLabel(role == "user"     ? tr("You")
                           : role == "system" ? tr("System")
                                              : tr("Assistant"));
    QFont bold = who->font();
    bold.setBold(true);
    who->setFont(bold);

    copy_ = new QToolButton;
    copy_->setText(tr("Copy"));
    copy_->setToolTip(tr("Copy this message as Markdown"));
    connect(copy_, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(text_); });

    outside_ = new QLabel(tr("not in the model's context"));
    outside_->setToolTip(
        tr("The conversation outgrew the context: the model no longer reads this message."));
    QFont italic = outside_->font();
    italic.setItalic(true);
    outside_->setFont(italic);
    outside_->setEnabled(false);  // drawn greyed out
    outside_->setVisible(false);

    auto* head = new QHBoxLayout;
    head->addWidget(who);
    head->addWidget(outside_);
    head->addStretch();
    if (role == "user") {
        edit_ = new QToolButton;
        edit_->setText(tr("Edit"));
        edit_->setToolTip(tr("Edit this message and send it again (later messages are replaced)"));
        connect(edit_, &QToolButton::clicked, this, &MessageWidget::editRequested);
        head->addWidget(edit_);
    } else {
        regenerate_ = new QToolButton;
        regenerate_->setText(tr("Regenerate"));
        regenerate_->setToolTip(tr("Discard this reply and generate it again"));
        regenerate_->setVisible(false);
        connect(regenerate_, &QToolButton::clicked, this, &MessageWidget::regenerateRequested);
        head->addWidget(regenerate_);
    }
    head->addWidget(copy_);

    reasoningToggle_ = new QToolButton;
    reasoningToggle_->setObjectName("reasoningToggle");
    reasoningToggle_->setCheckable(true);
    reasoningToggle_->setAutoRaise(true);
    reasoningToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    reasoningToggle_->setToolTip(tr("Show or hide how the model reasoned before answering"));
    reasoningToggle_->setVisible(false);
    reasoningView_ = new QPlainTextEdit;
    reasoningView_->setObjectName("reasoning");
    reasoningView_->setReadOnly(true);
    reasoningView_->setFrameShape(QFrame::NoFrame);
    reasoningView_->setVisible(false);
    QPalette rp = reasoningView_->palette();
    rp.setColor(QPalette::Text, rp.color(QPalette::PlaceholderText));
    rp.setColor(QPalette::Base, pal.color(QPalette::Window));
    reasoningView_->setPalette(rp);
    reasoningView_->installEventFilter(this);
    connect(reasoningToggle_, &QToolButton::clicked, this, [this](bool open) {
        reasoningChosen_ = true;
        setReasoningOpen(open);
    });

    body_ = new MarkdownView;
    tail_ = new MarkdownView;
    tail_->setVisible(false);
    note_ = new QLabel;
    note_->setVisible(false);
    QPalette np = note_->palette();
    np.setColor(QPalette::WindowText, np.color(QPalette::PlaceholderText));
    note_->setPalette(np);

    pictures_ = new QWidget;
    pictures_->setObjectName("pictures");
    auto* row = new QHBoxLayout(pictures_);
    row->setContentsMargins(0, 0, 0, 0);
    row->addStretch();
    pictures_->setVisible(false);

    auto* box = new QVBoxLayout(this);
    box->addLayout(head);
    box->addWidget(pictures_);
    box->addWidget(reasoningToggle_, 0, Qt::AlignLeft);
    box->addWidget(reasoningView_);
    box->addWidget(body_);
    box->addWidget(tail_);
    box->addWidget(note_);
    setText(text);
}

void MessageWidget::setPictures(const QList<QByteArray>& files) {
    auto* row = static_cast<QHBoxLayout*>(pictures_->layout());
    while (row->count() > 1) delete row->takeAt(0)->widget();
    for (const QByteArray& file : files) {
        auto* thumb = new QLabel;
        QPixmap pm;
        if (pm.loadFromData(file))
            thumb->setPixmap(pm.scaled(160, 120, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        else
            thumb->setText(tr("[picture]"));
        row->insertWidget(row->count() - 1, thumb);
    }
    pictures_->setVisible(!files.isEmpty());
}

int MessageWidget::pictureCount() const {
    return pictures_->layout()->count() - 1;
}

void MessageWidget::setText(const QString& text) {
    text_ = text;
    settled_ = int(text_.size());
    tail_->setVisible(false);
    tail_->setPlain({});
    body_->setMarkdownText(text_);
}

namespace {

// The end of the last paragraph break that is not inside a code fence, or 0.
int lastSettledBreak(const QString& text) {
    int fences = 0, settled = 0;
    for (int i = 0; i < text.size(); ++i) {
        if (text[i] == '`' && text.mid(i, 3) == "```" && (i == 0 || text[i - 1] == '\n')) {
            ++fences;
            i += 2;
        } else if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n' &&
                   fences % 2 == 0) {
            settled = i + 2;
        }
    }
    return settled;
}

}  // namespace

void MessageWidget::appendText(const QString& more) {
    const bool answerBegins = text_.isEmpty() && !reasoning_.isEmpty();
    streaming_ = true;
    if (answerBegins && !reasoningChosen_) setReasoningOpen(false);  // the reasoning steps aside
    if (settled_ == text_.size() && !tail_->isVisible()) {
        // First streamed text after a full render: everything so far stays rendered.
        tail_->setVisible(true);
        tail_->setPlain({});
    }
    text_ += more;
    const int split = lastSettledBreak(text_);
    if (split > settled_) {
        settled_ = split;
        body_->setMarkdownText(text_.left(settled_));
        tail_->setPlain(text_.mid(settled_));
    } else {
        tail_->appendPlain(more);
    }
    if (answerBegins) updateReasoningToggle();  // "Thinking…" becomes the word count
}

void MessageWidget::finishStreaming() {
    streaming_ = false;
    setText(text_);
    updateReasoningToggle();
}

void MessageWidget::setReasoning(const QString& reasoning) {
    reasoning_ = reasoning;
    reasoningView_->setPlainText(reasoning);
    if (!reasoningChosen_) setReasoningOpen(false);
    updateReasoningToggle();
}

void MessageWidget::appendReasoning(const QString& more) {
    if (reasoning_.isEmpty() && !reasoningChosen_) setReasoningOpen(true);  // thinking now
    streaming_ = true;
    reasoning_ += more;
    QTextCursor end(reasoningView_->document());
    end.movePosition(QTextCursor::End);
    end.insertText(more);
    reasoningView_->verticalScrollBar()->setValue(reasoningView_->verticalScrollBar()->maximum());
    updateReasoningToggle();
}

bool MessageWidget::reasoningOpen() const {
    return reasoningToggle_->isChecked();
}

void MessageWidget::setReasoningOpen(bool open) {
    reasoningToggle_->setChecked(open);
    reasoningToggle_->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    reasoningView_->setVisible(open && !reasoning_.isEmpty());
    if (open && !reasoning_.isEmpty()) fitReasoningHeight();
}

void MessageWidget::fitReasoningHeight() {
    const bool thinking = streaming_ && text_.isEmpty();
    // A plain-text document counts its laid-out lines (wrapped at the view's width).
    const int lines =
        thinking ? kThinkingLines
                 : std::clamp(reasoningView_->document()->lineCount(), 1, kReasoningMaxLines);
    const int margins = 2 * int(std::ceil(reasoningView_->document()->documentMargin())) +
                        2 * reasoningView_->frameWidth();
    reasoningView_->setFixedHeight(lines * reasoningView_->fontMetrics().lineSpacing() + margins);
}

bool MessageWidget::eventFilter(QObject* watched, QEvent* e) {
    // The view wraps its lines again at a new width only after this event: fit once it has.
    if (watched == reasoningView_ && e->type() == QEvent::Resize)
        QMetaObject::invokeMethod(this, &MessageWidget::fitReasoningHeight, Qt::QueuedConnection);
    return QFrame::eventFilter(watched, e);
}

void MessageWidget::updateReasoningToggle() {
    reasoningToggle_->setVisible(!reasoning_.isEmpty());
    if (reasoning_.isEmpty()) return;
    if (streaming_ && text_.isEmpty()) {  // no answer yet: counting words each token would cost
        reasoningToggle_->setText(tr("Thinking…"));
    } else {
        const auto words = reasoning_.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
        reasoningToggle_->setText(tr("Reasoning (%1 words)").arg(words.size()));
    }
    fitReasoningHeight();
    reasoningView_->setVisible(reasoningOpen());
}

void MessageWidget::setNote(const QString& note) {
    note_->setText(note);
    note_->setVisible(!note.isEmpty());
}

void MessageWidget::setOutOfContext(bool on) {
    outOfContext_ = on;
    outside_->setVisible(on);
}

QString MessageWidget::note() const {
    return note_->text();
}

void MessageWidget::setRegenerateVisible(bool on) {
    if (regenerate_) regenerate_->setVisible(on);
}

int MessageWidget::locate(const QString& needle) {
    if (needle.isEmpty()) return -1;
    const QTextCursor found = body_->document()->find(needle);
    if (found.isNull()) return -1;
    body_->setTextCursor(found);
    return body_->mapTo(this, body_->cursorRect(found).topLeft()).y();
}

void MessageWidget::setActionsEnabled(bool on) {
    if (edit_) edit_->setEnabled(on);
    if (regenerate_) regenerate_->setEnabled(on);
}

}  // namespace nqkv::studio
