#include "ui/chat_view.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/composer_edit.h"
#include "ui/message_widget.h"
#include "ui/picture_files.h"

namespace nqkv::studio {

ChatView::ChatView(QWidget* parent) : QWidget(parent) {
    list_ = new QWidget;
    listLayout_ = new QVBoxLayout(list_);
    listLayout_->addStretch();
    scroll_ = new QScrollArea;
    scroll_->setWidget(list_);
    scroll_->setWidgetResizable(true);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    composer_ = new ComposerEdit;
    composer_->setObjectName("composer");
    composer_->setPlaceholderText(tr("Type a message. Ctrl+Enter sends."));
    composer_->setMaximumHeight(120);
    sendButton_ = new QPushButton(tr("Send"));
    sendButton_->setObjectName("sendButton");
    stopButton_ = new QPushButton(tr("Stop"));
    stopButton_->setObjectName("stopButton");
    stopButton_->setEnabled(false);
    connect(sendButton_, &QPushButton::clicked, this, &ChatView::send);
    connect(stopButton_, &QPushButton::clicked, this, &ChatView::stopRequested);
    connect(composer_, &QPlainTextEdit::textChanged, this,
            [this] { emit draftChanged(composer_->toPlainText()); });
    auto* sendKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), composer_);
    sendKey->setContext(Qt::WidgetShortcut);
    connect(sendKey, &QShortcut::activated, this, &ChatView::send);

    pictureButton_ = new QPushButton(tr("Picture…"));
    pictureButton_->setObjectName("pictureButton");
    pictureButton_->setToolTip(
        tr("Show the model a picture with the next message (or drop or paste one here)"));
    pictureButton_->setVisible(false);
    connect(pictureButton_, &QPushButton::clicked, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Pictures for the next message"), {}, pictureFileFilter());
        takePictures({paths, {}});
    });
    connect(composer_, &ComposerEdit::picturesOffered, this, &ChatView::takePictures);
    setAcceptDrops(true);  // onto the messages as well as the message box
    pendingLabel_ = new QLabel;
    pendingLabel_->setObjectName("pendingPictures");
    auto* dropPictures = new QToolButton;
    dropPictures->setText(tr("Remove"));
    dropPictures->setToolTip(tr("Send the next message without these pictures"));
    connect(dropPictures, &QToolButton::clicked, this, &ChatView::clearPictures);
    pendingRow_ = new QWidget;
    auto* pendingBox = new QHBoxLayout(pendingRow_);
    pendingBox->setContentsMargins(0, 0, 0, 0);
    pendingBox->addWidget(pendingLabel_, 1);
    pendingBox->addWidget(dropPictures);
    pendingRow_->setVisible(false);

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(sendButton_);
    buttons->addWidget(stopButton_);
    buttons->addWidget(pictureButton_);
    buttons->addStretch();
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(composer_, 1);
    bottom->addLayout(buttons);

    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->addWidget(scroll_, 1);
    box->addWidget(pendingRow_);
    box->addLayout(bottom);
}

void ChatView::setPicturesEnabled(bool on) {
    // Pictures waiting for the next message stay (with the draft) for a model that reads them.
    pictureButton_->setVisible(on);
    composer_->setTakesPictures(on);
    refreshPending();
}

bool ChatView::picturesEnabled() const {
    return pictureButton_->isVisibleTo(this);
}

QString ChatView::addPicture(const QString& path) {
    QByteArray bytes;
    if (const QString why = readPictureFile(path, pictureCheck_, &bytes); !why.isEmpty())
        return why;
    pending_ << bytes;
    refreshPending();
    return {};
}

QString ChatView::addPictureBytes(const QByteArray& bytes, const QString& name) {
    if (const QString why = pictureProblem(bytes, name, pictureCheck_); !why.isEmpty()) return why;
    pending_ << bytes;
    refreshPending();
    return {};
}

void ChatView::takePictures(const OfferedPictures& offer) {
    QStringList refused;
    for (const QString& path : offer.files)
        if (const QString why = addPicture(path); !why.isEmpty()) refused << why;
    for (const QByteArray& image : offer.images)
        if (const QString why = addPictureBytes(image, tr("The pasted picture")); !why.isEmpty())
            refused << why;
    if (refused.isEmpty()) return;
    // Not modal-blocking, like the main window's errors.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Picture"), refused.join("\n"),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName("pictureRefused");
    box->open();
}

void ChatView::dragEnterEvent(QDragEnterEvent* event) {
    if (picturesEnabled() && !offeredPictures(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ChatView::dropEvent(QDropEvent* event) {
    if (!picturesEnabled()) return;
    const OfferedPictures offer = offeredPictures(event->mimeData());
    if (offer.isEmpty()) return;
    event->acceptProposedAction();
    takePictures(offer);
}

void ChatView::setPictures(const QList<QByteArray>& files) {
    if (files == pending_) return;
    pending_ = files;
    refreshPending();
}

void ChatView::clearPictures() {
    setPictures({});
}

QList<QByteArray> ChatView::picturesToSend() const {
    return picturesEnabled() ? pending_ : QList<QByteArray>{};
}

void ChatView::refreshPending() {
    pendingLabel_->setText(
        picturesEnabled()
            ? tr("Pictures for the next message: %1").arg(pending_.size())
            : tr("Pictures waiting for a model that reads them: %1").arg(pending_.size()));
    pendingRow_->setVisible(!pending_.isEmpty());
    if (pending_ != announced_) {
        announced_ = pending_;
        emit picturesChanged(pending_);
    }
}

void ChatView::send() {
    const QString text = composer_->toPlainText();
    const QList<QByteArray> pictures = picturesToSend();
    if (busy_ || (text.trimmed().isEmpty() && pictures.isEmpty())) return;
    // The draft and the pictures are cleared by the owner once the message is safely stored.
    emit sendRequested(text, pictures);
}

void ChatView::clearMessages() {
    for (auto* m : messages_) m->deleteLater();
    messages_.clear();
    streaming_ = false;
}

void ChatView::appendMessage(const QString& role, const QString& text, const QString& note,
                             const QString& reasoning, const QList<QByteArray>& pictures) {
    auto* m = new MessageWidget(role, text);
    if (!pictures.isEmpty()) m->setPictures(pictures);
    m->setNote(note);
    if (!reasoning.isEmpty()) m->setReasoning(reasoning);
    const int index = messages_.size();
    connect(m, &MessageWidget::editRequested, this, [this, index] { emit editRequested(index); });
    connect(m, &MessageWidget::regenerateRequested, this, &ChatView::regenerateRequested);
    listLayout_->insertWidget(listLayout_->count() - 1, m);
    messages_ << m;
    refreshActions();
    scrollToEndLater();
}

void ChatView::beginStreaming() {
    appendMessage("assistant", {});
    streaming_ = true;
    refreshActions();
}

void ChatView::streamText(const QString& more) {
    stream([&](MessageWidget* m) { m->appendText(more); });
}

void ChatView::streamReasoning(const QString& more) {
    stream([&](MessageWidget* m) { m->appendReasoning(more); });
}

void ChatView::stream(const std::function<void(MessageWidget*)>& add) {
    if (!streaming_ || messages_.isEmpty()) return;
    QScrollBar* bar = scroll_->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    add(messages_.last());
    if (atEnd) scrollToEndLater();
}

void ChatView::endStreaming(const QString& note) {
    if (streaming_ && !messages_.isEmpty()) {
        messages_.last()->finishStreaming();
        messages_.last()->setNote(note);
    }
    streaming_ = false;
    refreshActions();
}

QString ChatView::streamingText() const {
    return streaming_ && !messages_.isEmpty() ? messages_.last()->text() : QString();
}

QString ChatView::messageText(int i) const {
    return messages_.value(i) ? messages_[i]->text() : QString();
}

QString ChatView::messageReasoning(int i) const {
    return messages_.value(i) ? messages_[i]->reasoning() : QString();
}

QString ChatView::messageNote(int i) const {
    return messages_.value(i) ? messages_[i]->note() : QString();
}

void ChatView::markOutOfContext(int count) {
    for (int i = 0; i < messages_.size(); ++i) messages_[i]->setOutOfContext(i < count);
}

bool ChatView::messageOutOfContext(int i) const {
    return messages_.value(i) && messages_[i]->outOfContext();
}

void ChatView::removeLastMessage() {
    if (messages_.isEmpty()) return;
    messages_.takeLast()->deleteLater();
    streaming_ = false;
    refreshActions();
}

QString ChatView::draft() const {
    return composer_->toPlainText();
}

void ChatView::setDraft(const QString& text) {
    if (composer_->toPlainText() != text) composer_->setPlainText(text);
}

void ChatView::setBusy(bool busy) {
    busy_ = busy;
    sendButton_->setEnabled(!busy);
    stopButton_->setEnabled(busy);
    refreshActions();
}

void ChatView::refreshActions() {
    for (int i = 0; i < messages_.size(); ++i) {
        const bool last = i == messages_.size() - 1;
        messages_[i]->setRegenerateVisible(last && messages_[i]->role() == "assistant" &&
                                           !streaming_);
        messages_[i]->setActionsEnabled(!busy_);
    }
}

void ChatView::scrollToEndLater() {
    // The layout grows only after this event; scroll once it has.
    QTimer::singleShot(0, this, [this] {
        scroll_->verticalScrollBar()->setValue(scroll_->verticalScrollBar()->maximum());
    });
}

bool ChatView::revealText(const QString& needle) {
    for (int i = int(messages_.size()) - 1; i >= 0; --i) {
        const int y = messages_[i]->locate(needle);
        if (y < 0) continue;
        const int top = messages_[i]->mapTo(list_, QPoint(0, y)).y();
        scroll_->ensureVisible(0, top, 0, scroll_->viewport()->height() / 3);
        return true;
    }
    return false;
}

}  // namespace nqkv::studio
