// The chat window on the engine thread: streaming, stop, the event loop staying responsive,
// the gauges against the engine's numbers, persistence across restarts, and bad model files.
#include <qcustomplot.h>
#include <QCheckBox>
#include <QComboBox>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <QtTest>

#include "app/studio/chat_controller.h"
#include "app/studio/engine_worker.h"
#include "engine/kv_config.h"
#include "tests/studio_support.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "ui/chat_view.h"
#include "ui/conversation_settings_dialog.h"
#include "ui/gauge_bar.h"
#include "ui/kv_panel.h"
#include "ui/markdown_view.h"
#include "ui/message_widget.h"
#include "ui/model_info_panel.h"

using namespace nqkv;
using namespace nqkv::studio;
using namespace nqkv::test;

namespace {

// Settings for a reply that goes on until stopped.
ChatSettings endless(const QString& k = "fp16", const QString& v = "fp16") {
    ChatSettings s;
    s.ignoreEos = true;
    s.maxTokens = 100000;
    s.contextSize = 8192;
    s.kFormat = k;
    s.vFormat = v;
    s.block = 32;
    return s;
}

void typeAndSend(MainWindow& w, const QString& text) {
    auto* composer = w.chatView()->findChild<QPlainTextEdit*>("composer");
    QVERIFY(composer);
    composer->setPlainText(text);
    auto* send = w.chatView()->findChild<QPushButton*>("sendButton");
    QVERIFY(send && send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);
}

}  // namespace

class TestStudioChat : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { registerStudioTypes(); }

    void streamsStopsAndStaysResponsive() {
        Studio s = open_studio(studio_model());
        MainWindow& w = *s.window;
        QVERIFY(w.modelReady());
        w.controller()->setCurrentSettings(endless("nq4", "nq4"));
        QSignalSpy texts(w.worker(), &EngineWorker::replyText);
        QSignalSpy stats(w.worker(), &EngineWorker::kvStats);
        QSignalSpy done(w.controller(), &ChatController::replyDone);

        // The GUI thread's event loop must never stall: a 5 ms timer measures the gaps.
        QElapsedTimer clock;
        clock.start();
        qint64 last = clock.elapsed(), worst = 0;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, [&] {
            worst = std::max(worst, clock.elapsed() - last);
            last = clock.elapsed();
        });

        typeAndSend(w, "Tell me a long story");
        QVERIFY(w.chatView()->busy());
        QVERIFY(w.chatView()->draft().isEmpty());
        QVERIFY(wait_until([&] { return !w.chatView()->streamingText().isEmpty(); }, 20000));
        const int statsBefore = int(stats.size());
        const int textsBefore = int(texts.size());
        last = clock.elapsed();
        tick.start();
        QElapsedTimer window;
        window.start();
        QTest::qWait(1500);
        const double seconds = window.elapsed() / 1000.0;
        tick.stop();
        QVERIFY2(done.isEmpty(), "the reply ended before it was stopped");
        qInfo("event-loop worst gap %lld ms over %.2f s; %d text updates, %d KV snapshots", worst,
              seconds, int(texts.size()) - textsBefore, int(stats.size()) - statsBefore);
        QVERIFY2(worst < 100, qPrintable(QString("GUI thread blocked for %1 ms").arg(worst)));
        // Coalescing: about 30 text updates a second at most, 5-10 KV snapshots a second.
        QVERIFY((texts.size() - textsBefore) <= 31 * seconds + 2);
        QVERIFY((stats.size() - statsBefore) <= 8 * seconds + 2);
        QVERIFY((stats.size() - statsBefore) >= 2);

        const QString streamed = w.chatView()->streamingText();
        QVERIFY(!streamed.isEmpty());
        QTest::mouseClick(w.chatView()->findChild<QPushButton*>("stopButton"), Qt::LeftButton);
        QVERIFY(wait_until([&] { return !done.isEmpty(); }, 5000));
        const auto rs = done.first().first().value<ReplyStats>();
        QCOMPARE(rs.stopReason, QString("cancelled"));
        qInfo("stop took %.2f ms of engine time after %d tokens", rs.stopLatencyMs,
              rs.generatedTokens);
        QVERIFY(rs.stopLatencyMs >= 0 && rs.stopLatencyMs < 200);
        QVERIFY(!w.chatView()->busy());
        // The whole reply is in the view and in the database.
        QCOMPARE(w.chatView()->messageCount(), 2);
        QVERIFY(w.chatView()->messageText(1).startsWith(streamed));
        const auto stored = w.store()->messages(w.controller()->current());
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[1].content, w.chatView()->messageText(1));
        QVERIFY(stored[1].complete);

        // Gauges = the engine's KvStats, and those = the exact byte formula.
        QVERIFY(wait_until([&] { return !stats.isEmpty(); }, 1000));
        QTest::qWait(50);
        const auto engine = stats.last().first().value<KvStats>();
        const KvPanel* panel = w.kvPanel();
        QCOMPARE(panel->stats().bytes_used, engine.bytes_used);
        QCOMPARE(panel->bytesGauge()->value(), double(engine.bytes_used));
        QCOMPARE(panel->bytesGauge()->maximum(), double(engine.bytes_allocated));
        QCOMPARE(panel->tokensGauge()->value(), double(engine.tokens_held));
        QCOMPARE(panel->tokensGauge()->maximum(), double(engine.tokens_allocated));
        QCOMPARE(panel->fp16Gauge()->maximum(), double(engine.fp16_equivalent_bytes));
        const QVector<double> kBars = panel->layerBars(true), vBars = panel->layerBars(false);
        QCOMPARE(kBars.size(), 4);
        for (int l = 0; l < 4; ++l) {
            QCOMPARE(kBars[l],
                     double(engine.tokens_held) * double(engine.layer_k_bytes[size_t(l)]));
            QCOMPARE(vBars[l],
                     double(engine.tokens_held) * double(engine.layer_v_bytes[size_t(l)]));
        }
        // The layer axis is labelled at whole layers only.
        const QCPAxis* layerAxis = panel->plot()->xAxis;
        QVector<double> ticks;
        layerAxis->ticker()->generate(layerAxis->range(), QLocale(), 'g', 6, ticks, nullptr,
                                      nullptr);
        QCOMPARE(ticks, (QVector<double>{0, 1, 2, 3}));
        // Also for a 2-layer model, where a free ticker puts ticks at half layers.
        layerAxis->ticker()->generate(QCPRange(-0.5, 1.5), QLocale(), 'g', 6, ticks, nullptr,
                                      nullptr);
        QCOMPARE(ticks, (QVector<double>{0, 1}));
        const KvConfig cfg = KvConfig::parse("k=nq4,v=nq4,block=32");
        QCOMPARE(engine.bytes_per_token, kv_bytes_per_token(cfg, 4, 128));
        QCOMPARE(engine.bytes_used, size_t(engine.tokens_held) * engine.bytes_per_token);
        QCOMPARE(engine.fp16_equivalent_bytes, size_t(engine.tokens_held) * 4 * 2 * 128 * 2);
        QCOMPARE(engine.tokens_allocated, 8192);
        QCOMPARE(w.contextText(), QString("%1 / 8192").arg(engine.tokens_held));
        QVERIFY(w.speedText().endsWith("tokens/s"));

        // Regenerate replaces the last reply; the cache prefix is reused.
        // The controller's signal: it comes after the reply is stored.
        QSignalSpy finished(w.controller(), &ChatController::replyDone);
        ChatSettings shortReply = endless("nq4", "nq4");
        shortReply.maxTokens = 8;
        w.controller()->setCurrentSettings(shortReply);
        w.controller()->regenerate();
        QVERIFY(wait_until([&] { return !finished.isEmpty(); }, 20000));
        QCOMPARE(w.chatView()->messageCount(), 2);
        const auto regen = finished.first().first().value<ReplyStats>();
        QCOMPARE(regen.generatedTokens, 8);
        QVERIFY(regen.reusedTokens > 0);
        QCOMPARE(w.store()->messages(w.controller()->current()).size(), 2);

        // Edit and resend: the edited message replaces the old one and everything after it.
        finished.clear();
        w.controller()->editAndResend(0, "A different question");
        QVERIFY(wait_until([&] { return !finished.isEmpty(); }, 20000));
        const auto after = w.store()->messages(w.controller()->current());
        QCOMPARE(after.size(), 2);
        QCOMPARE(after[0].content, QString("A different question"));
    }

    void gaugesFollowTheMemoryBudget() {
        Studio s = open_studio(studio_model());
        MainWindow& w = *s.window;
        ChatSettings c = endless("nq4", "nq2");
        c.contextSize = 0;
        c.kvBudgetMiB = 1;
        c.maxTokens = 10;
        w.controller()->setCurrentSettings(c);
        QSignalSpy stats(w.worker(), &EngineWorker::kvStats);
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        w.controller()->send("How much fits?");
        QVERIFY(wait_until([&] { return !done.isEmpty(); }, 20000));
        QTest::qWait(50);
        const auto engine = stats.last().first().value<KvStats>();
        const size_t per_token =
            kv_bytes_per_token(KvConfig::parse("k=nq4,v=nq2,block=32"), 4, 128);
        QCOMPARE(engine.budget_bytes, size_t(1) << 20);
        QCOMPARE(engine.capacity_in_budget, (size_t(1) << 20) / per_token);
        const KvPanel* panel = w.kvPanel();
        QCOMPARE(panel->bytesGauge()->maximum(), double(size_t(1) << 20));
        QCOMPARE(panel->bytesGauge()->value(), double(engine.bytes_used));
        QCOMPARE(panel->tokensGauge()->maximum(), double(engine.capacity_in_budget));
        QVERIFY(panel->bytesGauge()->text().contains("budget"));
    }

    void streamingReplySurvivesRestart() {
        QString dataDir;
        QString partial;
        qint64 conv = 0;
        {
            Studio s = open_studio(studio_model());
            dataDir = s.dataDir;
            MainWindow& w = *s.window;
            w.controller()->setCurrentSettings(endless());
            typeAndSend(w, "Keep talking");
            QVERIFY(wait_until([&] { return w.chatView()->streamingText().size() > 20; }, 20000));
            conv = w.controller()->current();
            w.close();  // while the reply is still streaming
            partial = w.store()->messages(conv).value(1).content;
            // Typed but unsent text is kept too.
        }
        QVERIFY(!partial.isEmpty());
        Studio again = open_studio(studio_model(), dataDir);
        MainWindow& w = *again.window;
        QCOMPARE(w.controller()->current(), conv);
        const auto msgs = w.store()->messages(conv);
        QCOMPARE(msgs.size(), 2);
        QCOMPARE(msgs[0].content, QString("Keep talking"));
        QCOMPARE(msgs[1].content, partial);
        QVERIFY(!msgs[1].complete);
        QCOMPARE(w.chatView()->messageCount(), 2);
        QCOMPARE(w.chatView()->messageText(1), partial);
    }

    // A reasoning model's reply (its <think> part, or gpt-oss's analysis channel) shows its
    // reasoning apart from the answer, behind a toggle: open while the model reasons, closed
    // once the answer begins unless the reader chose, closed when a chat is reopened; the store
    // keeps the reply as the model wrote it.
    void reasoningIsShownApartFromTheAnswer() {
        const QString harmony =
            "<|channel|>analysis<|message|>Add: 5.\nSure.<|end|><|start|>assistant<|channel|>"
            "final<|message|>It is **5**.";
        const auto toggle = [](MessageWidget& m) {
            return m.findChild<QToolButton*>("reasoningToggle");
        };
        MessageWidget streamed("assistant", {});
        QVERIFY(!toggle(streamed)->isVisibleTo(&streamed));
        streamed.appendReasoning("Let me ");
        streamed.appendReasoning("add.");
        QVERIFY(streamed.reasoningOpen() && toggle(streamed)->isVisibleTo(&streamed));
        QCOMPARE(toggle(streamed)->text(), QString("Thinking…"));
        streamed.appendText("Five.");
        QVERIFY(!streamed.reasoningOpen());
        QCOMPARE(toggle(streamed)->text(), QString("Reasoning (3 words)"));
        QCOMPARE(streamed.reasoning(), QString("Let me add."));
        QCOMPARE(streamed.text(), QString("Five."));
        toggle(streamed)->click();
        QVERIFY(streamed.reasoningOpen());
        QVERIFY(streamed.findChild<QPlainTextEdit*>("reasoning")->isVisibleTo(&streamed));
        // Its height: eight lines while the model thinks; then as tall as the reasoning, up to
        // 24 lines.
        const auto reasoning = [](MessageWidget& m) {
            return m.findChild<QPlainTextEdit*>("reasoning");
        };
        MessageWidget sized("assistant", {});
        sized.resize(500, 300);
        sized.show();
        sized.appendReasoning("One short line.");
        const int line = reasoning(sized)->fontMetrics().lineSpacing();
        const int margins = reasoning(sized)->height() - MessageWidget::kThinkingLines * line;
        QVERIFY(margins >= 0 && margins < line);
        sized.appendText("Done.");
        toggle(sized)->click();
        QVERIFY(sized.reasoningOpen());
        QCOMPARE(reasoning(sized)->height(), line + margins);
        QStringList many;
        for (int i = 0; i < 60; ++i) many << QString("Step %1 of the reasoning.").arg(i);
        sized.setReasoning(many.join('\n'));
        QCOMPARE(reasoning(sized)->height(), MessageWidget::kReasoningMaxLines * line + margins);
        sized.setReasoning(QString("word ").repeated(60));  // one line, wrapped: wider, fewer
        const int narrow = reasoning(sized)->height();
        QVERIFY(narrow > 2 * line + margins);
        sized.resize(1600, 300);
        QTRY_VERIFY(reasoning(sized)->height() < narrow);
        MessageWidget chosen("assistant", {});  // opened by the reader: stays open
        chosen.appendReasoning("a b");
        toggle(chosen)->click();
        toggle(chosen)->click();
        chosen.appendText("c");
        QVERIFY(chosen.reasoningOpen());

        QString dataDir;
        qint64 conv = 0;
        {
            Studio s = open_studio({});
            dataDir = s.dataDir;
            conv = s.window->controller()->current();
            QVERIFY(s.window->store()->addMessage(conv, "user", "<think>typed</think> 2+3?"));
            QVERIFY(s.window->store()->addMessage(conv, "assistant", harmony));
        }
        Studio again = open_studio({}, dataDir);
        QCOMPARE(again.window->controller()->current(), conv);
        ChatView* view = again.window->chatView();
        QCOMPARE(view->messageText(1), QString("It is **5**."));
        QCOMPARE(view->messageReasoning(1), QString("Add: 5.\nSure."));
        QVERIFY(!view->message(1)->reasoningOpen());
        QCOMPARE(toggle(*view->message(1))->text(), QString("Reasoning (3 words)"));
        QCOMPARE(view->messageText(0), QString("<think>typed</think> 2+3?"));  // as typed
        QVERIFY(view->messageReasoning(0).isEmpty());
        QCOMPARE(again.window->store()->messages(conv).value(1).content, harmony);

        // gpt-oss's reasoning effort: kept with the conversation, set in its dialog.
        ChatSettings c;
        QCOMPARE(c.reasoningEffort, QString("medium"));
        c.reasoningEffort = "low";
        QCOMPARE(ChatSettings::fromJson(c.toJson()).reasoningEffort, QString("low"));
        ConversationSettingsDialog dialog;
        dialog.setSettings(c);
        QCOMPARE(dialog.settings().reasoningEffort, QString("low"));
        QJsonObject unknown = c.toJson();
        unknown["reasoning_effort"] = "extreme";
        QCOMPARE(ChatSettings::fromJson(unknown).reasoningEffort, QString("medium"));

        // Thinking on or off (Qwen3, QwQ, ...): kept likewise; the dialog offers it, and the
        // effort, only to models that take them, keeping the values for other models.
        QVERIFY(c.thinking);
        c.thinking = false;
        QVERIFY(!ChatSettings::fromJson(c.toJson()).thinking);
        QVERIFY(!EngineWorker::renderOptions(c).thinking);
        QCOMPARE(EngineWorker::renderOptions(c).reasoning_effort, std::string("low"));
        QVERIFY(ChatSettings::fromJson(QJsonObject()).thinking);
        dialog.setSettings(c);
        auto* thinking = dialog.findChild<QCheckBox*>("thinking");
        auto* effort = dialog.findChild<QComboBox*>("reasoningEffort");
        QVERIFY(thinking && effort);
        QVERIFY(!thinking->isChecked());
        dialog.setReasoningControls(false, "none");
        QVERIFY(!thinking->isEnabled() && !effort->isEnabled());
        QVERIFY(!dialog.settings().thinking);
        QCOMPARE(dialog.settings().reasoningEffort, QString("low"));
        dialog.setReasoningControls(true, "switch");
        QVERIFY(thinking->isEnabled() && effort->isEnabled());
        dialog.setReasoningControls(false, "opened");
        QVERIFY(thinking->isEnabled());
        thinking->setChecked(true);
        QVERIFY(dialog.settings().thinking);
    }

    void draftsAreNeverLost() {
        QString dataDir;
        {
            Studio s = open_studio({});
            dataDir = s.dataDir;
            s.window->chatView()
                ->findChild<QPlainTextEdit*>("composer")
                ->setPlainText("half a thought");
        }
        Studio again = open_studio({}, dataDir);
        QCOMPARE(again.window->chatView()->draft(), QString("half a thought"));
    }

    // A chat longer than the context goes on: the prompt leaves out the oldest exchanges and the
    // reply says so; every message stays in the conversation. "Stop with a message" refuses
    // instead, and the question typed is kept.
    void longConversationsLeaveOutTheirOldestMessages() {
        Studio s = open_studio(studio_model());
        MainWindow& w = *s.window;
        ChatSettings c = endless();
        c.contextSize = 96;
        c.maxTokens = 6;
        w.controller()->setCurrentSettings(c);
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        QSignalSpy errors(w.controller(), &ChatController::errorOccurred);
        int dropped = 0, turns = 0;
        while (dropped == 0 && turns < 12) {
            typeAndSend(w, QString("Question %1: what comes after the rain?").arg(turns));
            QVERIFY(wait_until([&] { return done.size() > turns || !errors.isEmpty(); }, 20000));
            QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(1).toString()));
            dropped = done.last().first().value<ReplyStats>().droppedMessages;
            ++turns;
        }
        QVERIFY2(dropped > 0, "twelve turns never outgrew a 96-token context");
        QVERIFY(turns > 1);
        QCOMPARE(dropped % 2, 0);
        const int last = w.chatView()->messageCount() - 1;
        QCOMPARE(last + 1, 2 * turns);
        QVERIFY2(w.chatView()->messageNote(last).contains(QString("%1 oldest").arg(dropped)),
                 qPrintable(w.chatView()->messageNote(last)));
        QVERIFY(w.chatView()->messageNote(last - 2).isEmpty());
        for (int i = 0; i <= last; ++i) QCOMPARE(w.chatView()->messageOutOfContext(i), i < dropped);
        QCOMPARE(w.store()->messages(w.controller()->current()).size(), 2 * turns);
        {  // the marks and the note come back with the conversation
            w.close();
            Studio again = open_studio(studio_model(), s.dataDir);
            ChatView* view = again.window->chatView();
            QCOMPARE(view->messageCount(), last + 1);
            for (int i = 0; i <= last; ++i) QCOMPARE(view->messageOutOfContext(i), i < dropped);
            QVERIFY(view->messageNote(last).contains(QString("%1 oldest").arg(dropped)));
            QVERIFY(view->messageNote(last - 2).isEmpty());
        }

        c.contextOverflow = "refuse";
        w.controller()->setCurrentSettings(c);
        typeAndSend(w, "One more?");
        QVERIFY(wait_until([&] { return !errors.isEmpty(); }, 20000));
        const QString message = errors.first().at(1).toString();
        QVERIFY2(message.contains("do not fit the context of 96"), qPrintable(message));
        const auto stored = w.store()->messages(w.controller()->current());
        QCOMPARE(stored.last().content, QString("One more?"));
        QCOMPARE(ChatSettings::fromJson(c.toJson()).contextOverflow, QString("refuse"));
        ConversationSettingsDialog dialog;
        dialog.setSettings(c);
        QCOMPARE(dialog.settings().contextOverflow, QString("refuse"));
        c.contextOverflow = "drop-oldest";
        dialog.setSettings(c);
        QCOMPARE(dialog.settings().contextOverflow, QString("drop-oldest"));
        QJsonObject unknown = c.toJson();
        unknown["context_overflow"] = "wrap";
        QCOMPARE(ChatSettings::fromJson(unknown).contextOverflow, QString("drop-oldest"));
    }

    // The bundled policy declares where its replies begin (nqkv.chat.reply_prefix): a chat
    // prompts it in its trained layout, and the reply, streamed and stored, starts with the
    // first step's heading, drawn as a bold line rather than a page title.
    void bundledPolicyRepliesInItsTrainedLayout() {
        const QString policy = NQKV_RESOURCES_DIR "/models/policy.gguf";
        if (!QFile::exists(policy)) QSKIP("this build has no bundled policy");
        Studio s = open_studio(policy);
        MainWindow& w = *s.window;
        ChatSettings c;
        c.temperature = 0;
        w.controller()->setCurrentSettings(c);
        QSignalSpy texts(w.worker(), &EngineWorker::replyText);
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        typeAndSend(w, "Mia has 23 apples. Mia buys 14 more. How many apples does Mia have now?");
        QVERIFY(wait_until([&] { return !done.isEmpty(); }, 20000));
        QString streamed;
        for (const auto& t : texts) streamed += t.at(1).toString();
        const QString stored = w.store()->messages(w.controller()->current()).last().content;
        QVERIFY2(stored.startsWith("## Step 1: ") && stored.contains("The answer is"),
                 qPrintable(stored));
        QCOMPARE(streamed, stored);
        QVERIFY2(w.modelInfo()->text().contains("replies begin with “## Step 1:”"),
                 qPrintable(w.modelInfo()->text()));

        MarkdownView view;
        view.setMarkdownText("## Step 1: a\n\n## Step 2: b\n\nplain");
        const QTextBlock heading = view.document()->begin();
        QCOMPARE(heading.blockFormat().headingLevel(), 2);
        const QTextCharFormat f = heading.begin().fragment().charFormat();
        QCOMPARE(f.property(QTextFormat::FontSizeAdjustment).toInt(), 0);
        QVERIFY(f.fontWeight() >= QFont::Bold);
    }

    void badModelFilesShowAnErrorAndLeaveTheAppUsable() {
        Studio s = open_studio(studio_model());
        MainWindow& w = *s.window;
        const QString dir = QString::fromStdString(temp_dir());
        struct Bad {
            QString name;
            QByteArray bytes;
            QString expect;
        };
        QByteArray truncated;
        {
            QFile good(studio_model());
            QVERIFY(good.open(QIODevice::ReadOnly));
            truncated = good.read(5000);
        }
        const QList<Bad> bad = {
            {"notes.gguf", "these are not model weights\n", "GGUF"},
            {"picture.gguf", QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(64, '\0'), "GGUF"},
            {"cut.gguf", truncated, "cut.gguf"},
            {"empty.gguf", {}, "empty.gguf"},
        };
        for (const auto& b : bad) {
            QFile f(dir + "/" + b.name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(b.bytes);
            f.close();
            QSignalSpy failed(&w, &MainWindow::modelFailed);
            w.openModel(f.fileName());
            QVERIFY(wait_until([&] { return !failed.isEmpty(); }, 10000));
            const QString message = failed.first().at(1).toString();
            qInfo("%s: %s", qPrintable(b.name), qPrintable(message));
            QVERIFY2(message.contains(b.expect, Qt::CaseInsensitive), qPrintable(message));
            QMessageBox* box = nullptr;
            QVERIFY(wait_until(
                [&] {
                    box = w.findChild<QMessageBox*>("errorBox");
                    return box && box->isVisible();
                },
                2000));
            QVERIFY(box->text().contains(b.name));
            box->close();
            QTest::qWait(10);
        }
        // The model that was loaded before is still there and answers.
        QVERIFY(w.modelReady());
        ChatSettings quick = endless();
        quick.maxTokens = 5;
        w.controller()->setCurrentSettings(quick);
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        typeAndSend(w, "Still there?");
        QVERIFY(wait_until([&] { return !done.isEmpty(); }, 20000));
        QCOMPARE(done.first().first().value<ReplyStats>().generatedTokens, 5);
        QVERIFY(w.modelInfo()->text().contains("Parameters"));
    }

    void loadingCanBeCancelled() {
        // A worker on this thread, so the cancel lands at a known point: the first progress
        // report while the file is read.
        EngineWorker worker;
        QSignalSpy failed(&worker, &EngineWorker::loadFailed);
        QSignalSpy loaded(&worker, &EngineWorker::modelLoaded);
        QSignalSpy progress(&worker, &EngineWorker::loadProgress);
        auto conn = connect(&worker, &EngineWorker::loadProgress, [&](double f) {
            if (f > 0) worker.requestCancelLoad();
        });
        worker.loadModel(studio_model(), "cpu");
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().at(1).toString().contains("cancelled"));
        QVERIFY(progress.size() >= 2);
        // A cancel left over from before does not stop the next load.
        disconnect(conn);
        worker.loadModel(studio_model(), "cpu");
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().first().value<ModelInfo>().nLayer, 4);
        QVERIFY(loaded.first().first().value<ModelInfo>().integerMatmul.isEmpty());  // F32

        // A quantized model: the Model tab says which matrices take integer dot products.
        TinySpec q4;
        q4.matrix_type = TensorType::Q4_0;
        worker.loadModel(QString::fromStdString(write_tiny_model(q4)), "cpu");
        QCOMPARE(loaded.size(), 2);
        QCOMPARE(loaded.last().first().value<ModelInfo>().integerMatmul,
                 QStringList{"Q4_0 (Q8_0)"});
    }
};

QTEST_MAIN(TestStudioChat)
#include "test_studio_chat.moc"
