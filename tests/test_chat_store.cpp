// The chat database: conversations and messages, search, settings and drafts, export to
// Markdown and JSON, and import with errors that say what is wrong.
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include "app/studio/chat_store.h"
#include "tests/test_support.h"

using namespace nqkv::studio;

class TestChatStore : public QObject {
    Q_OBJECT
  private slots:
    void conversationsAndMessages() {
        const QString path = QString::fromStdString(nqkv::test::temp_dir()) + "/sub/chats.sqlite";
        ChatSettings s;
        s.kFormat = "nq4";
        s.vFormat = "nq2";
        s.systemPrompt = "Be brief.";
        s.seed = 123456789012345;
        qint64 a = 0, b = 0;
        {
            ChatStore store(path);
            QVERIFY2(store.ok(), qPrintable(store.error()));
            a = store.createConversation("Apples", s);
            b = store.createConversation("Pears 100%_done", ChatSettings{});
            QVERIFY(a > 0 && b > a);
            store.addMessage(a, "user", "How many apples?");
            const qint64 r = store.addMessage(a, "assistant", "Seven", true);
            store.addMessage(a, "user", "And now?");
            store.addMessage(a, "assistant", "Eig", false);
            store.addMessage(b, "user", "pears are green");
            store.setDraft(b, "unsent words");
            QCOMPARE(store.messages(a).size(), 4);
            store.deleteMessagesFrom(a, r);
            QCOMPARE(store.messages(a).size(), 1);
            store.addMessage(a, "assistant", "Eight", false);
        }
        ChatStore store(path);
        QVERIFY(store.ok());
        const auto all = store.conversations();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.first().id, a);  // most recently updated first
        const auto c = store.conversation(a);
        QCOMPARE(c.settings.kFormat, QString("nq4"));
        QCOMPARE(c.settings.vFormat, QString("nq2"));
        QCOMPARE(c.settings.systemPrompt, QString("Be brief."));
        QCOMPARE(c.settings.seed, qint64(123456789012345));
        QCOMPARE(store.conversation(b).draft, QString("unsent words"));
        const auto msgs = store.messages(a);
        QCOMPARE(msgs.size(), 2);
        QCOMPARE(msgs[1].content, QString("Eight"));
        QVERIFY(!msgs[1].complete);

        // Search: titles and message text, case-insensitive, wildcards taken literally.
        QCOMPARE(store.conversations("APPLES").size(), 1);
        QCOMPARE(store.conversations("green").first().id, b);
        QCOMPARE(store.conversations("100%_").size(), 1);
        QCOMPARE(store.conversations("%").size(), 1);
        QCOMPARE(store.conversations("nothing like this").size(), 0);

        store.renameConversation(b, "Renamed");
        QCOMPARE(store.conversation(b).title, QString("Renamed"));
        store.deleteConversation(b);
        QCOMPARE(store.conversations().size(), 1);
        QCOMPARE(store.messages(b).size(), 0);
    }

    void exportAndImport() {
        ChatStore store(QString::fromStdString(nqkv::test::temp_dir()) + "/chats.sqlite");
        ChatSettings s;
        s.temperature = 0.25;
        s.kFormat = "lm3";
        const qint64 id = store.createConversation("Sums", s);
        store.addMessage(id, "user", "What is 2 + 3?");
        store.addMessage(id, "assistant", "**5**", true, {}, 2);
        store.addMessage(id, "user", "Times 4?");
        store.addMessage(id, "assistant", "2", false);
        store.addMessage(id, "user", "And 3 + 3?");
        store.addMessage(id, "assistant", "<think>\nThree and three.\n</think>\n\nIt is 6.");

        const QString md = store.exportMarkdown(id);
        QVERIFY(md.startsWith("# Sums\n"));
        QVERIFY(md.contains("## User\n\nWhat is 2 + 3?"));
        QVERIFY(md.contains("## Assistant\n\n**5**"));
        QVERIFY(md.contains("## Assistant (interrupted)"));
        // The reasoning folded away above the answer, its markers gone.
        QVERIFY2(md.endsWith("## Assistant\n\n<details><summary>Reasoning</summary>\n\nThree and "
                             "three.\n\n</details>\n\nIt is 6.\n\n"),
                 qPrintable(md));

        const QJsonObject json = store.exportJson(id);
        QCOMPARE(json["format"].toString(), QString("nqkv.conversation/1"));
        QString error;
        const qint64 copy = store.importJson(
            QJsonDocument::fromJson(QJsonDocument(json).toJson()).object(), &error);
        QVERIFY2(copy > 0, qPrintable(error));
        QCOMPARE(store.conversation(copy).title, QString("Sums"));
        QCOMPARE(store.conversation(copy).settings.temperature, 0.25);
        QCOMPARE(store.conversation(copy).settings.kFormat, QString("lm3"));
        const auto a = store.messages(id), b = store.messages(copy);
        QCOMPARE(b.size(), a.size());
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].role, a[i].role);
            QCOMPARE(b[i].content, a[i].content);
            QCOMPARE(b[i].complete, a[i].complete);
            QCOMPARE(b[i].leftOut, a[i].leftOut);
        }
        QCOMPARE(b[1].leftOut, 2);

        struct Bad {
            QJsonObject o;
            QString expect;
        };
        QJsonObject wrongRole = json;
        QJsonArray msgs = json["messages"].toArray();
        QJsonObject m = msgs[1].toObject();
        m["role"] = "robot";
        msgs[1] = m;
        wrongRole["messages"] = msgs;
        QJsonObject noContent = json;
        msgs = json["messages"].toArray();
        m = msgs[0].toObject();
        m.remove("content");
        msgs[0] = m;
        noContent["messages"] = msgs;
        QJsonObject noMessages = json;
        noMessages.remove("messages");
        const QList<Bad> bad = {
            {QJsonObject{{"title", "x"}}, "not an NQKV Studio conversation"},
            {wrongRole, "message 2: role \"robot\""},
            {noContent, "message 1: \"content\""},
            {noMessages, "\"messages\" is missing"},
        };
        const int before = int(store.conversations().size());
        for (const auto& x : bad) {
            QString why;
            QCOMPARE(store.importJson(x.o, &why), qint64(0));
            QVERIFY2(why.contains(x.expect), qPrintable(why));
        }
        QCOMPARE(int(store.conversations().size()), before);
    }

    // A database from before traces and left-out counts were stored opens, keeps its
    // messages, and takes both from then on.
    void olderDatabasesGainTheNewColumns() {
        const QString path = QString::fromStdString(nqkv::test::temp_dir()) + "/old.sqlite";
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "old");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                "CREATE TABLE conversations (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT "
                "NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, settings TEXT NOT NULL "
                "DEFAULT '{}', draft TEXT NOT NULL DEFAULT '')"));
            QVERIFY(q.exec(
                "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation "
                "INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, complete INTEGER "
                "NOT NULL DEFAULT 1, created TEXT NOT NULL)"));
            QVERIFY(
                q.exec("INSERT INTO conversations (title, created, updated) VALUES "
                       "('Old', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"));
            QVERIFY(
                q.exec("INSERT INTO messages (conversation, role, content, created) VALUES "
                       "(1, 'user', 'Hello', '2026-01-01T00:00:00Z')"));
            db.close();
        }
        QSqlDatabase::removeDatabase("old");
        ChatStore store(path);
        QVERIFY2(store.error().isEmpty(), qPrintable(store.error()));
        QCOMPARE(store.messages(1).size(), 1);
        QCOMPARE(store.messages(1)[0].content, QString("Hello"));
        QCOMPARE(store.messages(1)[0].leftOut, 0);
        QVERIFY(store.addMessage(1, "assistant", "Hi", true, "{}", 3) > 0);
        QCOMPARE(store.messages(1)[1].leftOut, 3);
        QCOMPARE(store.messages(1)[1].trace, QString("{}"));
    }

    void unwritableLocationIsReported() {
        ChatStore store("/proc/no-such-place/chats.sqlite");
        QVERIFY(!store.ok());
        QVERIFY(store.error().contains("/proc/no-such-place/chats.sqlite"));
    }
};

QTEST_MAIN(TestChatStore)
#include "test_chat_store.moc"
