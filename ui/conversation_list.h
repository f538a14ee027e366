// The list of conversations with search, new, rename and delete. It shows what it is given
// and reports what the user asks for; the main window owns the data.
#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QPushButton;

namespace nqkv::studio {

class ConversationList : public QWidget {
    Q_OBJECT
  public:
    explicit ConversationList(QWidget* parent = nullptr);

    // (id, title) pairs, in display order; keeps the current one selected when present.
    void setConversations(const QList<QPair<qint64, QString>>& items);
    void setCurrent(qint64 id);
    qint64 current() const;
    QString searchText() const;
    int count() const;

  signals:
    void selected(qint64 id);
    void newRequested();
    void renameRequested(qint64 id);
    void deleteRequested(qint64 id);
    void searchChanged(const QString& text);

  private:
    QLineEdit* search_;
    QListWidget* list_;
    QPushButton* rename_;
    QPushButton* delete_;
    bool filling_ = false;
};

}  // namespace nqkv::studio
