// Pictures in the app's chat: the Picture… button appears for a model with its projector
// beside it, a picture goes with the next message, is read on the engine thread, answered,
// kept in the chat database with its message (and in the exported JSON), shown as a thumbnail,
// and comes back when the chat is opened again; pictures the app cannot read are refused when
// they are added; a projector from elsewhere is opened from the Model menu.
#include <QFile>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>
#include <filesystem>

#include "app/studio/chat_controller.h"
#include "app/studio/chat_store.h"
#include "app/studio/engine_worker.h"
#include "tests/studio_support.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "tests/tiny_vision.h"
#include "ui/chat_view.h"
#include "ui/message_widget.h"
#include "ui/model_info_panel.h"

using namespace nqkv;
using namespace nqkv::test;
using namespace nqkv::studio;

namespace {

// A tiny Gemma 3 with its projector beside it, as releases ship them.
QString gemma3_with_projector() {
    namespace fs = std::filesystem;
    const fs::path dir = temp_dir();
    fs::copy_file(write_tiny_model(tiny_gemma3(2, 0)), dir / "gemma.gguf");
    fs::copy_file(write_tiny_vision({}), dir / "mmproj-gemma.gguf");
    return QString::fromStdString((dir / "gemma.gguf").string());
}

}  // namespace

class TestStudioPictures : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { registerStudioTypes(); }

    void aPictureGoesWithTheNextMessage() {
        const QString model = gemma3_with_projector();
        const QString png = QString::fromStdString(write_png(tiny_picture(40, 30, 25)));
        QFile png_file(png);
        QVERIFY(png_file.open(QIODevice::ReadOnly));
        const QByteArray bytes = png_file.readAll();
        QString dataDir;
        {
            Studio s = open_studio(model);
            dataDir = s.dataDir;
            MainWindow& w = *s.window;
            ChatView& view = *w.chatView();
            QVERIFY(view.picturesEnabled());
            QVERIFY(w.modelInfo()->text().contains("mmproj-gemma.gguf; 16 tokens"));
            const QString junk = QString::fromStdString(temp_dir()) + "/junk.png";
            QFile j(junk);
            QVERIFY(j.open(QIODevice::WriteOnly));
            j.write("not a picture");
            j.close();
            QVERIFY(view.addPicture(junk).contains("not a picture"));
            QVERIFY(view.addPicture("/no/such.png").contains("cannot open"));
            QVERIFY(view.pictures().isEmpty());
            QCOMPARE(view.addPicture(png), QString());
            QCOMPARE(view.pictures().size(), 1);

            QSignalSpy done(w.controller(), &ChatController::replyDone);
            QSignalSpy reading(w.worker(), &EngineWorker::pictureProgress);
            view.findChild<QPlainTextEdit*>("composer")->setPlainText("What is this?");
            QTest::mouseClick(view.findChild<QPushButton*>("sendButton"), Qt::LeftButton);
            QVERIFY(view.pictures().isEmpty());  // sent with the message
            QVERIFY(wait_until([&] { return !done.isEmpty(); }, 30000));
            QVERIFY(reading.size() >= 2);  // its layers, then done
            const auto msgs = w.store()->messages(w.controller()->current());
            QCOMPARE(msgs.size(), 2);
            QCOMPARE(msgs[0].pictures, QList<QByteArray>{bytes});
            QCOMPARE(view.message(0)->pictureCount(), 1);
            const QJsonArray exported =
                w.store()->exportJson(w.controller()->current())["messages"].toArray();
            QCOMPARE(exported[0].toObject()["pictures"].toArray().size(), 1);

            // The next turn reads the same picture from memory, not again.
            reading.clear();
            done.clear();
            view.findChild<QPlainTextEdit*>("composer")->setPlainText("And the colours?");
            QTest::mouseClick(view.findChild<QPushButton*>("sendButton"), Qt::LeftButton);
            QVERIFY(wait_until([&] { return !done.isEmpty(); }, 30000));
            for (const auto& r : reading) QVERIFY(r[1].toString().isEmpty());  // no layers

            // Editing the first message keeps its picture; what waits in the message box for
            // the next message (text and a picture) still waits.
            QCOMPARE(view.addPicture(png), QString());
            view.setDraft("later");
            done.clear();
            w.controller()->editAndResend(0, "What is it, really?");
            QVERIFY(wait_until([&] { return !done.isEmpty(); }, 30000));
            const auto edited = w.store()->messages(w.controller()->current());
            QCOMPARE(edited.size(), 2);
            QCOMPARE(edited[0].content, QString("What is it, really?"));
            QCOMPARE(edited[0].pictures, QList<QByteArray>{bytes});
            QCOMPARE(view.pictures().size(), 1);
            QCOMPARE(view.draft(), QString("later"));
            view.clearPictures();
        }
        Studio again = open_studio(model, dataDir);
        QCOMPARE(again.window->chatView()->message(0)->pictureCount(), 1);
        QCOMPARE(again.window->chatView()->message(1)->pictureCount(), 0);
    }

    // A model without a projector beside it has no Picture… button until one is opened from
    // elsewhere (Model → Open vision projector…); one that does not fit is refused by name.
    void projectorFromElsewhere() {
        Studio st = open_studio(QString::fromStdString(write_tiny_model(tiny_gemma3(2, 0))));
        MainWindow& w = *st.window;
        QVERIFY(!w.chatView()->picturesEnabled());
        TinyVision narrow;
        narrow.text_width = 32;
        w.openProjector(QString::fromStdString(write_tiny_vision(narrow)));
        QMessageBox* box = nullptr;
        QVERIFY(wait_until([&] { return (box = w.findChild<QMessageBox*>("errorBox")); }, 10000));
        QVERIFY(box->text().contains("different model sizes"));
        box->close();
        QVERIFY(!w.chatView()->picturesEnabled());
        w.openProjector(QString::fromStdString(write_tiny_vision({})));
        QVERIFY(wait_until([&] { return w.chatView()->picturesEnabled(); }, 10000));
        QVERIFY(w.modelInfo()->text().contains("tiny-mmproj.gguf; 16 tokens"));
    }
};

QTEST_MAIN(TestStudioPictures)
#include "test_studio_pictures.moc"
