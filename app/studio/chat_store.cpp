#include "app/studio/chat_store.h"

#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include "engine/reply_channels.h"

namespace nqkv::studio {
namespace {

// A message's pictures in one column: a count, then each file's bytes (QDataStream); null when
// there are none.
QVariant pack_pictures(const QList<QByteArray>& pictures) {
    if (pictures.isEmpty()) return QVariant(QMetaType(QMetaType::QByteArray));
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << pictures;
    return out;
}

QList<QByteArray> unpack_pictures(const QByteArray& packed) {
    QList<QByteArray> pictures;
    if (packed.isEmpty()) return pictures;
    QDataStream s(packed);
    s >> pictures;
    return s.status() == QDataStream::Ok ? pictures : QList<QByteArray>{};
}

QList<QByteArray> pictures_of(const QJsonObject& message) {
    QList<QByteArray> out;
    for (const auto& p : message.value("pictures").toArray())
        out << QByteArray::fromBase64(p.toString().toLatin1());
    return out;
}

constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS conversations ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, created TEXT NOT NULL,"
    " updated TEXT NOT NULL, settings TEXT NOT NULL DEFAULT '{}', draft TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS messages ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " conversation INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL, content TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 1,"
    " created TEXT NOT NULL, trace TEXT NOT NULL DEFAULT '',"
    " left_out INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation, id)",
};

QString now() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

}  // namespace

ChatStore::ChatStore(const QString& path)
    : path_(path), connection_("chats-" + QUuid::createUuid().toString(QUuid::WithoutBraces)) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", connection_);
    db.setDatabaseName(path);
    if (!db.open()) {
        error_ = QString("%1: cannot open the chat database: %2").arg(path, db.lastError().text());
        return;
    }
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA journal_mode = WAL");
    for (const char* sql : kSchema)
        if (!exec(sql)) return;
    // Databases written by earlier versions lack the later columns: the trace of AR-Sampling
    // replies, how many messages a reply's prompt left out, a message's pictures, and the
    // pictures waiting with a conversation's draft.
    const struct {
        const char* table;
        const char* column;
        const char* type;
    } added[] = {
        {"messages", "trace", "TEXT NOT NULL DEFAULT ''"},
        {"messages", "left_out", "INTEGER NOT NULL DEFAULT 0"},
        {"messages", "pictures", "BLOB"},
        {"conversations", "draft_pictures", "BLOB"},
    };
    for (const auto& a : added) {
        bool present = false;
        QSqlQuery q = run(QString("PRAGMA table_info(%1)").arg(a.table));
        while (q.next()) present = present || q.value(1).toString() == a.column;
        if (!present &&
            !exec(QString("ALTER TABLE %1 ADD COLUMN %2 %3").arg(a.table, a.column, a.type)))
            return;
    }
}

ChatStore::~ChatStore() {
    {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        if (db.isOpen()) db.close();
    }
    QSqlDatabase::removeDatabase(connection_);
}

bool ChatStore::exec(const QString& sql) {
    QSqlQuery q(QSqlDatabase::database(connection_));
    if (q.exec(sql)) return true;
    error_ = QString("%1: %2 (in \"%3\")").arg(path_, q.lastError().text(), sql.left(60));
    return false;
}

QSqlQuery ChatStore::run(const QString& sql, const QVariantList& binds) const {
    QSqlQuery q(QSqlDatabase::database(connection_));
    q.prepare(sql);
    for (const QVariant& b : binds) q.addBindValue(b);
    q.exec();
    return q;
}

QString ChatStore::latestStamp() const {
    // Strictly after every conversation's stamp, so that "most recently updated first" holds
    // even for changes within the same millisecond.
    QDateTime t = QDateTime::currentDateTimeUtc();
    QSqlQuery q = run("SELECT MAX(updated) FROM conversations");
    if (q.next() && !q.value(0).isNull()) {
        const QDateTime last = QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
        if (last.isValid() && last >= t) t = last.addMSecs(1);
    }
    return t.toString(Qt::ISODateWithMs);
}

void ChatStore::touch(qint64 conversation) {
    run("UPDATE conversations SET updated = ? WHERE id = ?", {latestStamp(), conversation});
}

namespace {

constexpr const char* kConversationColumns = "SELECT id, title, updated, settings, draft FROM ";

StoredConversation readConversation(const QSqlQuery& q) {
    StoredConversation c;
    c.id = q.value(0).toLongLong();
    c.title = q.value(1).toString();
    c.updated = QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs);
    c.settings = ChatSettings::fromJson(QJsonDocument::fromJson(q.value(3).toByteArray()).object());
    c.draft = q.value(4).toString();
    return c;
}

QString settingsText(const ChatSettings& s) {
    return QString::fromUtf8(QJsonDocument(s.toJson()).toJson(QJsonDocument::Compact));
}

}  // namespace

QList<StoredConversation> ChatStore::conversations(const QString& search) const {
    QSqlQuery q;
    if (search.trimmed().isEmpty()) {
        q = run(QString(kConversationColumns) + "conversations ORDER BY updated DESC, id DESC");
    } else {
        QString pattern = search.trimmed();
        pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        pattern = "%" + pattern + "%";
        q = run(QString(kConversationColumns) +
                    "conversations c WHERE title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM "
                    "messages m WHERE m.conversation = c.id AND m.content LIKE ? ESCAPE '\\') "
                    "ORDER BY updated DESC, id DESC",
                {pattern, pattern});
    }
    QList<StoredConversation> out;
    while (q.next()) out << readConversation(q);
    return out;
}

StoredConversation ChatStore::conversation(qint64 id) const {
    QSqlQuery q = run(QString(kConversationColumns) + "conversations WHERE id = ?", {id});
    return q.next() ? readConversation(q) : StoredConversation{};
}

qint64 ChatStore::createConversation(const QString& title, const ChatSettings& settings) {
    const QString t = latestStamp();
    const QSqlQuery q =
        run("INSERT INTO conversations (title, created, updated, settings) VALUES (?, ?, ?, ?)",
            {title, t, t, settingsText(settings)});
    return q.isActive() ? q.lastInsertId().toLongLong() : 0;
}

void ChatStore::renameConversation(qint64 id, const QString& title) {
    run("UPDATE conversations SET title = ? WHERE id = ?", {title, id});
}

void ChatStore::deleteConversation(qint64 id) {
    // Explicit rather than relying on ON DELETE CASCADE, which needs foreign keys switched on.
    run("DELETE FROM messages WHERE conversation = ?", {id});
    run("DELETE FROM conversations WHERE id = ?", {id});
}

void ChatStore::setSettings(qint64 id, const ChatSettings& settings) {
    run("UPDATE conversations SET settings = ? WHERE id = ?", {settingsText(settings), id});
}

void ChatStore::setDraft(qint64 id, const QString& draft) {
    run("UPDATE conversations SET draft = ? WHERE id = ?", {draft, id});
}

void ChatStore::setDraftPictures(qint64 id, const QList<QByteArray>& pictures) {
    run("UPDATE conversations SET draft_pictures = ? WHERE id = ?", {pack_pictures(pictures), id});
}

QList<QByteArray> ChatStore::draftPictures(qint64 id) const {
    QSqlQuery q = run("SELECT draft_pictures FROM conversations WHERE id = ?", {id});
    return q.next() ? unpack_pictures(q.value(0).toByteArray()) : QList<QByteArray>{};
}

QList<StoredMessage> ChatStore::messages(qint64 conversation) const {
    QSqlQuery q =
        run("SELECT id, role, content, complete, created, trace, left_out, pictures FROM messages "
            "WHERE conversation = ? "
            "ORDER BY id",
            {conversation});
    QList<StoredMessage> out;
    while (q.next()) {
        StoredMessage m;
        m.id = q.value(0).toLongLong();
        m.role = q.value(1).toString();
        m.content = q.value(2).toString();
        m.complete = q.value(3).toInt() != 0;
        m.created = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
        m.trace = q.value(5).toString();
        m.leftOut = q.value(6).toInt();
        m.pictures = unpack_pictures(q.value(7).toByteArray());
        out << m;
    }
    return out;
}

qint64 ChatStore::addMessage(qint64 conversation, const QString& role, const QString& content,
                             bool complete, const QString& trace, int leftOut,
                             const QList<QByteArray>& pictures) {
    const QSqlQuery q = run(
        "INSERT INTO messages (conversation, role, content, complete, created, trace, left_out, "
        "pictures) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {conversation, role, content, complete ? 1 : 0, now(), trace.isNull() ? QString("") : trace,
         leftOut, pack_pictures(pictures)});
    if (!q.isActive()) return 0;
    touch(conversation);
    return q.lastInsertId().toLongLong();
}

void ChatStore::deleteMessagesFrom(qint64 conversation, qint64 message) {
    run("DELETE FROM messages WHERE conversation = ? AND id >= ?", {conversation, message});
    touch(conversation);
}

QJsonObject ChatStore::exportJson(qint64 conversation) const {
    const StoredConversation c = this->conversation(conversation);
    QJsonArray msgs;
    for (const auto& m : messages(conversation)) {
        QJsonObject j{{"role", m.role},
                      {"content", m.content},
                      {"complete", m.complete},
                      {"created", m.created.toString(Qt::ISODateWithMs)}};
        if (!m.trace.isEmpty())
            j.insert("ar_trace", QJsonDocument::fromJson(m.trace.toUtf8()).object());
        if (m.leftOut > 0) j.insert("left_out", m.leftOut);
        if (!m.pictures.isEmpty()) {
            QJsonArray pics;
            for (const QByteArray& p : m.pictures) pics.append(QString::fromLatin1(p.toBase64()));
            j.insert("pictures", pics);
        }
        msgs.append(j);
    }
    return QJsonObject{{"format", "nqkv.conversation/1"},
                       {"title", c.title},
                       {"settings", c.settings.toJson()},
                       {"messages", msgs}};
}

QString ChatStore::exportMarkdown(qint64 conversation) const {
    const StoredConversation c = this->conversation(conversation);
    QString md = "# " + c.title + "\n\n";
    if (!c.settings.systemPrompt.isEmpty()) md += "*System:* " + c.settings.systemPrompt + "\n\n";
    for (const auto& m : messages(conversation)) {
        const QString who = m.role == "user"        ? "User"
                            : m.role == "assistant" ? "Assistant"
                                                    : m.role;
        md += "## " + who + (m.complete ? "" : " (interrupted)") + "\n\n";
        if (!m.pictures.isEmpty()) md += QString("*(%1 picture(s))*\n\n").arg(m.pictures.size());
        // A reasoning model's reasoning folded away above its answer, as the chat shows it.
        const ReplyParts parts =
            m.role == "assistant" ? split_reply(m.content.toStdString()) : ReplyParts{};
        if (!parts.reasoning.empty())
            md += "<details><summary>Reasoning</summary>\n\n" +
                  QString::fromStdString(parts.reasoning).trimmed() + "\n\n</details>\n\n" +
                  QString::fromStdString(parts.answer) + "\n\n";
        else
            md += m.content + "\n\n";
    }
    return md;
}

qint64 ChatStore::importJson(const QJsonObject& o, QString* error) {
    const auto bad = [&](const QString& why) {
        if (error) *error = why;
        return qint64(0);
    };
    if (o.value("format").toString() != "nqkv.conversation/1")
        return bad(QString("not an NQKV Studio conversation (format is \"%1\", expected "
                           "\"nqkv.conversation/1\")")
                       .arg(o.value("format").toString()));
    if (!o.value("messages").isArray()) return bad("\"messages\" is missing or not a list");
    const QJsonArray msgs = o.value("messages").toArray();
    for (int i = 0; i < msgs.size(); ++i) {
        const QJsonObject m = msgs[i].toObject();
        const QString role = m.value("role").toString();
        if (role != "user" && role != "assistant" && role != "system")
            return bad(QString("message %1: role \"%2\" is not user, assistant or system")
                           .arg(i + 1)
                           .arg(role));
        if (!m.value("content").isString())
            return bad(QString("message %1: \"content\" is missing or not text").arg(i + 1));
        for (const auto& p : m.value("pictures").toArray())
            if (!p.isString() ||
                QByteArray::fromBase64Encoding(p.toString().toLatin1()).decodingStatus !=
                    QByteArray::Base64DecodingStatus::Ok)
                return bad(QString("message %1: a picture is not base64 text").arg(i + 1));
    }
    QString title = o.value("title").toString().trimmed();
    if (title.isEmpty()) title = "Imported conversation";
    const qint64 id =
        createConversation(title, ChatSettings::fromJson(o.value("settings").toObject()));
    if (id == 0) return bad(error_.isEmpty() ? QString("the database refused the insert") : error_);
    for (const auto& v : msgs) {
        const QJsonObject m = v.toObject();
        const QJsonObject trace = m.value("ar_trace").toObject();
        addMessage(id, m.value("role").toString(), m.value("content").toString(),
                   m.value("complete").toBool(true),
                   trace.isEmpty()
                       ? QString()
                       : QString::fromUtf8(QJsonDocument(trace).toJson(QJsonDocument::Compact)),
                   std::max(0, m.value("left_out").toInt()), pictures_of(m));
    }
    return id;
}

}  // namespace nqkv::studio
