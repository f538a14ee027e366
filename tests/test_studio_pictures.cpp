// Pictures in the app's chat: the Picture… button appears for a model with its projector
// beside it, a picture goes with the next message, is read on the engine thread, answered,
// kept in the chat database with its message (and in the exported JSON), shown as a thumbnail,
// and comes back when the chat is opened again; pictures the app cannot read are refused when
// they are added; pictures dropped or pasted onto the chat are taken; pictures waiting for the
// next message are kept with the draft; AR-Sampling answers a question with a picture, and
// bit-widths are compared on one; a projector from elsewhere is opened from the Model menu and
// remembered for the model.
#include <QClipboard>
#include <QDropEvent>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>
#include <filesystem>

#include "app/studio/chat_controller.h"
#include "app/studio/chat_store.h"
#include "app/studio/engine_worker.h"
#include "tests/studio_support.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "tests/tiny_vision.h"
#include "ui/ar_bar.h"
#include "ui/chat_view.h"
#include "ui/compare_view.h"
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

QString tiny_png() {
    return QString::fromStdString(write_png(tiny_picture(40, 30, 25)));
}

QImage tiny_image() {
    return QImage(tiny_png());
}

QPlainTextEdit* composer(MainWindow& w) {
    return w.chatView()->findChild<QPlainTextEdit*>("composer");
}

void paste(MainWindow& w, QMimeData* data) {
    QGuiApplication::clipboard()->setMimeData(data);
    composer(w)->paste();
}

QMimeData* files(const QStringList& paths) {
    auto* data = new QMimeData;
    QList<QUrl> urls;
    for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
    data->setUrls(urls);
    return data;
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

    // AR-Sampling answers a question about a picture: the policy reads the picture (its rows
    // are in the prompt), the PRM the words, and the trace comes with the reply.
    void arSamplingReadsThePicture() {
        Studio st = open_studio(gemma3_with_projector());
        MainWindow& w = *st.window;
        ChatSettings s = w.controller()->currentSettings();
        s.arEnabled = true;
        s.prmPath = QString::fromStdString(write_marker_prm('7'));
        s.maxTokens = 12;
        s.temperature = 0;
        w.arBar()->setSettings(s);
        w.controller()->setCurrentSettings(s);
        QCOMPARE(w.chatView()->addPicture(tiny_png()), QString());
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        QSignalSpy errors(w.controller(), &ChatController::errorOccurred);
        composer(w)->setPlainText("What is this?");
        QTest::mouseClick(w.chatView()->findChild<QPushButton*>("sendButton"), Qt::LeftButton);
        QVERIFY(wait_until([&] { return !done.isEmpty() || !errors.isEmpty(); }, 30000));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(1).toString()));
        const auto stats = done[0][0].value<ReplyStats>();
        const QJsonObject trace = QJsonDocument::fromJson(stats.traceJson.toUtf8()).object();
        QVERIFY(!trace["candidates"].toArray()[0].toObject()["steps"].toArray().isEmpty());
        QCOMPARE(w.chatView()->message(0)->pictureCount(), 1);

        // The same question without the picture, in a new chat: at least 18 tokens fewer (the
        // picture's 16 rows between <start_of_image> and <end_of_image>; the marker read as
        // text would be 10).
        w.controller()->newConversation();
        w.controller()->setCurrentSettings(s);
        composer(w)->setPlainText("What is this?");
        QTest::mouseClick(w.chatView()->findChild<QPushButton*>("sendButton"), Qt::LeftButton);
        QVERIFY(wait_until([&] { return done.size() == 2 || !errors.isEmpty(); }, 30000));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(1).toString()));
        QVERIFY(stats.promptTokens >= done[1][0].value<ReplyStats>().promptTokens + 18);
    }

    // Bit-widths compared on a prompt with a picture: the Picture… button shows for a model
    // that reads pictures, every configuration and the scoring read the picture, and the
    // `nqkv ppl` command the view shows (with the projector and the picture) repeats its
    // perplexities.
    void compareReadsThePicture() {
        Studio st = open_studio(gemma3_with_projector());
        MainWindow& w = *st.window;
        CompareView* view = w.compareView();
        QVERIFY(view->picturesEnabled());
        QVERIFY(view->addPicture("/no/such.png").contains("cannot open"));
        const QString png = tiny_png();
        QCOMPARE(view->addPicture(png), QString());
        QVERIFY(view->findChild<QLabel*>("comparePictures")->text().contains(".png"));
        view->setPrompt("What is this?");
        view->setConfigurations({"nq4"}, {});
        QSignalSpy ready(w.worker(), &EngineWorker::compareReady);
        QSignalSpy failed(w.worker(), &EngineWorker::compareFailed);
        const auto runOnce = [&] {
            ready.clear();
            QTest::mouseClick(view->findChild<QPushButton*>("compareRun"), Qt::LeftButton);
            QVERIFY(wait_until([&] { return !ready.isEmpty() || !failed.isEmpty(); }, 30000));
            QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
            QVERIFY(wait_until([&] { return !view->running(); }, 5000));
        };
        runOnce();
        const CompareResult with = view->result();
        QCOMPARE(with.pictures, 1);
        QCOMPARE(int(with.rows.size()), 2);
        // The command line repeats the scoring: the same text, projector and picture.
        QVERIFY(view->pplCommand().contains(" --image " + png));
        QVERIFY(view->pplCommand().contains("mmproj-gemma.gguf --image"));
        const QString text = QString::fromStdString(temp_dir()) + "/scored.txt";
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(with.ppl_text));
        f.close();
        const QStringList words = view->pplCommand().split(' ');
        QProcess p;
        p.start(
            QString::fromStdString(bin_dir() + "/nqkv"),
            {"ppl", "-m", words[3], "-f", text, "--special", "--ctx", QString::number(with.ppl_ctx),
             "--score-from", QString::number(with.ppl_score_from), "--kv", "fp16,nq4", "--mmproj",
             words[words.indexOf("--mmproj") + 1], "--image", png, "--json"});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonArray cli =
            QJsonDocument::fromJson(p.readAllStandardOutput()).object()["rows"].toArray();
        QCOMPARE(cli.size(), 2);
        for (int i = 0; i < 2; ++i)
            QVERIFY(std::abs(cli[i].toObject()["ppl"].toDouble() - with.rows[size_t(i)].ppl.ppl) <=
                    1e-8 * with.rows[size_t(i)].ppl.ppl);

        // Without it: the picture's 16 rows and its two tokens fewer.
        view->clearPictures();
        QVERIFY(!view->findChild<QWidget*>("comparePictures")->isVisibleTo(view));
        runOnce();
        QCOMPARE(view->result().pictures, 0);
        QVERIFY(view->result().prompt_tokens + 18 <= with.prompt_tokens);
    }

    // What the compare view was set up with is typing too: the prompt, the formats, the mixes,
    // the token count and the pictures come back after a restart; a picture file gone since is
    // named, and the rest is kept.
    void compareSetupSurvivesRestart() {
        const QString dir = QString::fromStdString(temp_dir());
        const QString kept = dir + "/kept.png", gone = dir + "/gone.png";
        QVERIFY(QFile::copy(tiny_png(), kept));
        QVERIFY(QFile::copy(tiny_png(), gone));
        QString dataDir;
        {
            Studio st = open_studio({});
            dataDir = st.dataDir;
            CompareView* view = st.window->compareView();
            view->findChild<QPlainTextEdit*>("comparePrompt")
                ->setPlainText("Half a question about");
            view->setConfigurations({"nq3", "int4"}, "k=nq8,v=nq4");
            view->findChild<QSpinBox*>("compareTokens")->setValue(40);
            QCOMPARE(view->addPicture(kept), QString());
            QCOMPARE(view->addPicture(gone), QString());
        }
        {
            Studio st = open_studio({}, dataDir);
            CompareView* view = st.window->compareView();
            QCOMPARE(view->prompt(), QString("Half a question about"));
            QCOMPARE(view->configurations(), QStringList({"nq3", "int4", "k=nq8,v=nq4"}));
            QCOMPARE(view->maxTokens(), 40);
            QCOMPARE(view->pictures().size(), 2);
            QFile file(kept);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(view->pictures()[0], file.readAll());
        }
        QVERIFY(QFile::remove(gone));
        Studio st = open_studio({}, dataDir);
        CompareView* view = st.window->compareView();
        QCOMPARE(view->prompt(), QString("Half a question about"));
        QCOMPARE(view->pictures().size(), 1);
        QVERIFY(view->findChild<QLabel*>("comparePictures")->text().contains("kept.png"));
        QVERIFY(view->findChild<QLabel*>("compareStatus")->text().contains("gone.png"));
        // Removing the pictures is a change kept too.
        view->clearPictures();
        st.window.reset();
        Studio again = open_studio({}, dataDir);
        QCOMPARE(again.window->compareView()->pictures().size(), 0);
        QCOMPARE(again.window->compareView()->prompt(), QString("Half a question about"));
    }

    // Pictures dropped onto the chat or pasted into the message box (files, or an image such as
    // a screenshot) wait for the next message; text pastes stay text; what cannot be read is
    // refused by name, the rest taken.
    void dropAndPaste() {
        Studio st = open_studio(gemma3_with_projector());
        MainWindow& w = *st.window;
        ChatView& view = *w.chatView();
        QVERIFY(view.picturesEnabled());

        auto* image = new QMimeData;
        image->setImageData(tiny_image());
        paste(w, image);
        QCOMPARE(view.pictures().size(), 1);
        QCOMPARE(QImage::fromData(view.pictures()[0]).size(), QSize(40, 30));  // PNG, whole

        paste(w, files({tiny_png()}));
        QCOMPARE(view.pictures().size(), 2);
        QVERIFY(composer(w)->toPlainText().isEmpty());

        auto* text = new QMimeData;
        text->setText("just words");
        paste(w, text);
        QCOMPARE(composer(w)->toPlainText(), QString("just words"));
        QCOMPARE(view.pictures().size(), 2);

        const QString junk = QString::fromStdString(temp_dir()) + "/notes.txt";
        QFile j(junk);
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write("not a picture");
        j.close();
        std::unique_ptr<QMimeData> dropped(files({junk, tiny_png()}));
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, dropped.get(), Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&view, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, dropped.get(), Qt::LeftButton,
                        Qt::NoModifier);
        QCoreApplication::sendEvent(&view, &drop);
        QCOMPARE(view.pictures().size(), 3);  // the picture taken, the text file refused
        auto* box = view.findChild<QMessageBox*>("pictureRefused");
        QVERIFY(box);
        QVERIFY(box->text().contains("notes.txt"));
        QVERIFY(!box->text().contains(".png"));
        box->close();

        // Plain text is not something to drop as a picture.
        QMimeData words;
        words.setText("words");
        QDragEnterEvent enterText(QPoint(5, 5), Qt::CopyAction, &words, Qt::LeftButton,
                                  Qt::NoModifier);
        enterText.setAccepted(false);
        QCoreApplication::sendEvent(&view, &enterText);
        QVERIFY(!enterText.isAccepted());
    }

    // The pictures waiting for the next message are kept with the draft: per conversation,
    // across a restart, and while a model that cannot read them is loaded (shown as waiting,
    // not sent with a message, back when a model that reads them returns).
    void waitingPicturesAreKept() {
        const QString model = gemma3_with_projector();
        QString dataDir;
        qint64 first = 0;
        {
            Studio st = open_studio(model);
            dataDir = st.dataDir;
            MainWindow& w = *st.window;
            ChatView& view = *w.chatView();
            QCOMPARE(view.addPicture(tiny_png()), QString());
            view.setDraft("about this");
            first = w.controller()->current();
            w.controller()->newConversation();
            QVERIFY(w.controller()->current() != first);
            QVERIFY(view.pictures().isEmpty());
            QVERIFY(view.draft().isEmpty());
            w.controller()->open(first);
            QCOMPARE(view.pictures().size(), 1);
            QCOMPARE(view.draft(), QString("about this"));
        }
        {
            Studio st = open_studio(model, dataDir);
            MainWindow& w = *st.window;
            w.controller()->open(first);
            QCOMPARE(w.chatView()->pictures().size(), 1);
            QCOMPARE(w.chatView()->draft(), QString("about this"));
        }
        {
            // A model without a projector: the picture waits, and a message goes without it.
            Studio st =
                open_studio(QString::fromStdString(write_tiny_model(tiny_gemma3(2, 0))), dataDir);
            MainWindow& w = *st.window;
            ChatView& view = *w.chatView();
            w.controller()->open(first);
            QVERIFY(!view.picturesEnabled());
            QCOMPARE(view.pictures().size(), 1);
            QVERIFY(view.picturesToSend().isEmpty());
            QVERIFY(view.findChild<QLabel*>("pendingPictures")->text().contains("waiting"));
            QSignalSpy done(w.controller(), &ChatController::replyDone);
            QTest::mouseClick(view.findChild<QPushButton*>("sendButton"), Qt::LeftButton);
            QVERIFY(wait_until([&] { return !done.isEmpty(); }, 30000));
            const auto msgs = w.store()->messages(first);
            QCOMPARE(msgs.size(), 2);
            QVERIFY(msgs[0].pictures.isEmpty());
            QCOMPARE(view.pictures().size(), 1);
            QCOMPARE(w.store()->draftPictures(first).size(), 1);
        }
        Studio st = open_studio(model, dataDir);
        st.window->controller()->open(first);
        QCOMPARE(st.window->chatView()->picturesToSend().size(), 1);
    }

    // A model without a projector beside it has no Picture… button until one is opened from
    // elsewhere (Model → Open vision projector…); one that does not fit is refused by name.
    void projectorFromElsewhere() {
        Studio st = open_studio(QString::fromStdString(write_tiny_model(tiny_gemma3(2, 0))));
        MainWindow& w = *st.window;
        QVERIFY(!w.chatView()->picturesEnabled());
        QVERIFY(!w.compareView()->picturesEnabled());
        TinyVision narrow;
        narrow.text_width = 32;
        w.openProjector(QString::fromStdString(write_tiny_vision(narrow)));
        QMessageBox* box = nullptr;
        QVERIFY(wait_until([&] { return (box = w.findChild<QMessageBox*>("errorBox")); }, 10000));
        QVERIFY(box->text().contains("different model sizes"));
        box->close();
        QVERIFY(!w.chatView()->picturesEnabled());
        const QString projector = QString::fromStdString(write_tiny_vision({}));
        w.openProjector(projector);
        QVERIFY(wait_until([&] { return w.chatView()->picturesEnabled(); }, 10000));
        QVERIFY(w.compareView()->picturesEnabled());
        QVERIFY(w.modelInfo()->text().contains("tiny-mmproj.gguf; 16 tokens"));
    }

    // A projector opened from elsewhere is opened with its model next time; one that has gone
    // is reported once, by name, and forgotten.
    void projectorIsRemembered() {
        const QString model = QString::fromStdString(write_tiny_model(tiny_gemma3(2, 0)));
        const QString projector = QString::fromStdString(temp_dir()) + "/somewhere-else.gguf";
        QVERIFY(QFile::copy(QString::fromStdString(write_tiny_vision({})), projector));
        QString dataDir;
        {
            Studio st = open_studio(model);
            dataDir = st.dataDir;
            st.window->openProjector(projector);
            QVERIFY(wait_until([&] { return st.window->chatView()->picturesEnabled(); }, 10000));
        }
        {
            Studio st = open_studio(model, dataDir);
            QVERIFY(wait_until([&] { return st.window->chatView()->picturesEnabled(); }, 10000));
            QVERIFY(st.window->modelInfo()->text().contains("somewhere-else.gguf"));
        }
        QVERIFY(QFile::remove(projector));
        {
            Studio st = open_studio(model, dataDir);
            QMessageBox* box = nullptr;
            QVERIFY(wait_until(
                [&] { return (box = st.window->findChild<QMessageBox*>("errorBox")); }, 10000));
            QVERIFY(box->text().contains("somewhere-else.gguf"));
            QVERIFY(box->text().contains("last used with this model"));
            box->close();
            QVERIFY(!st.window->chatView()->picturesEnabled());
        }
        Studio st = open_studio(model, dataDir);
        QTest::qWait(300);
        QVERIFY(!st.window->findChild<QMessageBox*>("errorBox"));
    }
};

QTEST_MAIN(TestStudioPictures)
#include "test_studio_pictures.moc"
