// Conversations and their messages in SQLite (Qt Sql), one file under the XDG data location.
// Messages are written as they complete; a reply cut short by closing the app is written
// with complete = false so it comes back marked as interrupted.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include "ui/studio_types.h"

namespace nqkv::studio {

struct StoredMessage {
    qint64 id = 0;
    QString role;
    QString content;
    bool complete = true;
    QDateTime created;
    QString trace;    // AR-Sampling replies: the engine's trace JSON
    int leftOut = 0;  // replies: the conversation's first messages their prompt did not hold
    QList<QByteArray> pictures;  // the picture files shown with the message (PNG, JPEG, ...)
};

struct StoredConversation {
    qint64 id = 0;
    QString title;
    QDateTime updated;
    ChatSettings settings;
    QString draft;  // what the user had typed but not sent
};

class ChatStore {
  public:
    // Opens (creating when needed) the database file. ok() says whether that worked and
    // error() why not.
    explicit ChatStore(const QString& path);
    ~ChatStore();
    ChatStore(const ChatStore&) = delete;
    ChatStore& operator=(const ChatStore&) = delete;

    bool ok() const { return error_.isEmpty(); }
    QString error() const { return error_; }
    QString path() const { return path_; }

    // Newest first; a search matches titles and message text, case-insensitively.
    QList<StoredConversation> conversations(const QString& search = {}) const;
    StoredConversation conversation(qint64 id) const;
    qint64 createConversation(const QString& title, const ChatSettings& settings);
    void renameConversation(qint64 id, const QString& title);
    void deleteConversation(qint64 id);
    void setSettings(qint64 id, const ChatSettings& settings);
    void setDraft(qint64 id, const QString& draft);
    // The pictures waiting with the draft (apart from it: conversations() leaves them out).
    void setDraftPictures(qint64 id, const QList<QByteArray>& pictures);
    QList<QByteArray> draftPictures(qint64 id) const;

    QList<StoredMessage> messages(qint64 conversation) const;
    qint64 addMessage(qint64 conversation, const QString& role, const QString& content,
                      bool complete = true, const QString& trace = {}, int leftOut = 0,
                      const QList<QByteArray>& pictures = {});
    // Deletes this message and every later one in its conversation (edit and regenerate).
    void deleteMessagesFrom(qint64 conversation, qint64 message);

    // Export and import. The JSON holds the title, the settings and the messages.
    QJsonObject exportJson(qint64 conversation) const;
    QString exportMarkdown(qint64 conversation) const;
    // Returns the new conversation's id, or 0 with *error saying what is wrong with the input.
    qint64 importJson(const QJsonObject& o, QString* error);

  private:
    bool exec(const QString& sql);
    // Prepares, binds in order and executes; callers read the result or check isActive().
    QSqlQuery run(const QString& sql, const QVariantList& binds = {}) const;
    void touch(qint64 conversation);
    QString latestStamp() const;

    QString path_;
    QString connection_;
    QString error_;
};

}  // namespace nqkv::studio
