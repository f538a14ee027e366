#include "ui/message_widget.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace nqkv::studio {

MessageWidget::MessageWidget(const QString& role, const QString& text, QWidget* parent)
    : QFrame(parent), role_(role) {
    setFrameShape(QFrame::StyledPanel);
    setObjectName(role == "user" ? "userMessage" : "assistantMessage");
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, role == "user" ? pal.color(QPalette::AlternateBase)
                                                  : pal.color(QPalette::Base));
    setPalette(pal);

    auto* who = new QLabel(role == "user" ? tr("You") : role == "system" ? tr("System")
                                                                          : tr("Assistant"));
    QFont bold = who->font();
    bold.setBold(true);
    who->setFont(bold);

    copy_ = new QToolButton;
    copy_->setText(tr("Copy"));
    copy_->setToolTip(tr("Copy this message as Markdown"));
    connect(copy_, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(text_); });

    auto* head = new QHBoxLayout;
    head->addWidget(who);
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

    body_ = new QLabel;
    body_->setTextFormat(Qt::MarkdownText);
    body_->setWordWrap(true);
    body_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    body_->setOpenExternalLinks(false);
    note_ = new QLabel;
    note_->setVisible(false);
    QPalette np = note_->palette();
    np.setColor(QPalette::WindowText, np.color(QPalette::PlaceholderText));
    note_->setPalette(np);

    auto* box = new QVBoxLayout(this);
    box->addLayout(head);
    box->addWidget(body_);
    box->addWidget(note_);
    setText(text);
}

void MessageWidget::setText(const QString& text) {
    text_ = text;
    body_->setText(text_);
}

void MessageWidget::appendText(const QString& more) {
    setText(text_ + more);
}

void MessageWidget::setNote(const QString& note) {
    note_->setText(note);
    note_->setVisible(!note.isEmpty());
}

void MessageWidget::setRegenerateVisible(bool on) {
    if (regenerate_) regenerate_->setVisible(on);
}

void MessageWidget::setActionsEnabled(bool on) {
    if (edit_) edit_->setEnabled(on);
    if (regenerate_) regenerate_->setEnabled(on);
}

}  // namespace nqkv::studio
