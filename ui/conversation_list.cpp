#include "ui/conversation_list.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace nqkv::studio {

ConversationList::ConversationList(QWidget* parent) : QWidget(parent) {
    search_ = new QLineEdit;
    search_->setPlaceholderText(tr("Search conversations"));
    search_->setClearButtonEnabled(true);
    list_ = new QListWidget;
    list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list_->setTextElideMode(Qt::ElideRight);
    auto* add = new QPushButton(tr("New"));
    rename_ = new QPushButton(tr("Rename"));
    delete_ = new QPushButton(tr("Delete"));

    connect(search_, &QLineEdit::textChanged, this, &ConversationList::searchChanged);
    connect(add, &QPushButton::clicked, this, &ConversationList::newRequested);
    connect(rename_, &QPushButton::clicked, this, [this] {
        if (current()) emit renameRequested(current());
    });
    connect(delete_, &QPushButton::clicked, this, [this] {
        if (current()) emit deleteRequested(current());
    });
    connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        rename_->setEnabled(item);
        delete_->setEnabled(item);
        if (!filling_ && item) emit selected(item->data(Qt::UserRole).toLongLong());
    });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(rename_);
    buttons->addWidget(delete_);
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->addWidget(search_);
    box->addWidget(list_, 1);
    box->addLayout(buttons);
    rename_->setEnabled(false);
    delete_->setEnabled(false);
}

void ConversationList::setConversations(const QList<QPair<qint64, QString>>& items) {
    const qint64 keep = current();
    filling_ = true;
    list_->clear();
    for (const auto& [id, title] : items) {
        auto* item = new QListWidgetItem(title.isEmpty() ? tr("(untitled)") : title);
        item->setData(Qt::UserRole, id);
        item->setToolTip(title);
        list_->addItem(item);
    }
    setCurrent(keep);
    filling_ = false;
}

void ConversationList::setCurrent(qint64 id) {
    const bool was = filling_;
    filling_ = true;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(Qt::UserRole).toLongLong() == id) list_->setCurrentRow(i);
    filling_ = was;
}

qint64 ConversationList::current() const {
    const QListWidgetItem* item = list_->currentItem();
    return item ? item->data(Qt::UserRole).toLongLong() : 0;
}

QString ConversationList::searchText() const {
    return search_->text();
}

int ConversationList::count() const {
    return list_->count();
}

}  // namespace nqkv::studio
