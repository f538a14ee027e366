// AR-Sampling in the chat and its trace view, the compare view, and the interface language, on
// the real main window and engine thread (offscreen). The trace view must draw exactly the
// engine's trace; the compare view's perplexities must equal `nqkv ppl`'s on the same text, and
// its result is kept across restarts.
#include <qcustomplot.h>
#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextBrowser>
#include <QToolButton>
#include <QtTest>

#include "app/studio/chat_controller.h"
#include "app/studio/engine_worker.h"
#include "app/studio/translations.h"
#include "engine/ar_sampling.h"
#include "engine/backend.h"
#include "engine/llama_model.h"
#include "tests/studio_support.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"
#include "ui/ar_bar.h"
#include "ui/ar_reply_format.h"
#include "ui/chat_view.h"
#include "ui/compare_view.h"
#include "ui/markdown_view.h"
#include "ui/trace_view.h"

using namespace nqkv;
using namespace nqkv::studio;
using namespace nqkv::test;

namespace {

const QString kPolicy = NQKV_RESOURCES_DIR "/models/policy.gguf";
const QString kQuestion =
    "There are 27 apples in Eva's box. Then the number of apples grows 6 times. Eva shares "
    "them equally with 2 friends and keeps one share. Eva buys 15 more. How many apples are "
    "there at the end?";

void send(MainWindow& w, const QString& text) {
    auto* composer = w.chatView()->findChild<QPlainTextEdit*>("composer");
    QVERIFY(composer);
    composer->setPlainText(text);
    auto* button = w.chatView()->findChild<QPushButton*>("sendButton");
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

ChatSettings arSettings(const QString& prm) {
    ChatSettings s;
    s.arEnabled = true;
    s.prmPath = prm;
    s.arThreshold = 0.5;
    s.arMaxRethink = 1;
    s.arCandidates = 2;
    s.temperature = 0.7;
    s.seed = 4242;
    s.maxTokens = 200;
    s.contextSize = 1024;
    return s;
}

// The bundled pair answering kQuestion greedily with one candidate, turn after turn, with AR
// on or off for each.
class BundledTurns {
  public:
    explicit BundledTurns(int contextSize)
        : studio_(open_studio(kPolicy)),
          done_(window().controller(), &ChatController::replyDone),
          errors_(window().controller(), &ChatController::errorOccurred) {
        settings_ = arSettings({});
        settings_.arCandidates = 1;
        settings_.temperature = 0;
        settings_.maxTokens = 120;
        settings_.contextSize = contextSize;
        window().arBar()->setSettings(settings_);
    }
    MainWindow& window() { return *studio_.window; }
    void ask(bool ar) {
        settings_.arEnabled = ar;
        window().controller()->setCurrentSettings(settings_);
        const qsizetype before = done_.size();
        send(window(), kQuestion);
        QVERIFY(wait_until([&] { return done_.size() > before || !errors_.isEmpty(); }, 60000));
        QVERIFY2(errors_.isEmpty(), qPrintable(errors_.value(0).value(1).toString()));
    }
    ReplyStats stats(int turn) const { return done_.at(turn).first().value<ReplyStats>(); }

  private:
    Studio studio_;
    ChatSettings settings_;
    QSignalSpy done_, errors_;
};

// The same run straight on the engine, as the worker sets it up.
std::vector<ArResult> engineRun(const ChatSettings& s, ArSelection* sel) {
    auto policy = LlamaModel::load(kPolicy.toStdString());
    auto prm = LlamaModel::load(s.prmPath.toStdString());
    auto backend = make_cpu_backend();
    ContextParams cp;
    cp.n_ctx = s.contextSize;
    cp.kv = KvConfig::parse(s.kvSpec().toStdString());
    auto ctx = backend->create_context(*policy, cp);
    ContextParams pp;
    pp.n_ctx = ctx->n_ctx();
    PrmScorer scorer(*prm, *backend, pp);
    ArParams p;
    p.threshold = float(s.arThreshold);
    p.max_rethink = s.arMaxRethink;
    p.rethink_leaves_weakest = s.arLeaveWeakest;
    p.max_tokens = s.maxTokens;
    p.sampling = s.sampling();
    const std::string prompt =
        ar_policy_prompt(ChatFormat::Plain, {{"user", kQuestion.toStdString()}});
    auto out = run_ar_candidates(*policy, *ctx, scorer, prompt, kQuestion.toStdString(), p,
                                 s.arCandidates);
    *sel = select_answers(out);
    return out;
}

void checkDrawn(const TraceView& view, const std::vector<ArResult>& cands, int best,
                double threshold) {
    QCOMPARE(view.candidateCount(), int(cands.size()));
    QCOMPARE(view.highlighted(), best);
    QCOMPARE(view.drawnThreshold(), threshold);
    for (int c = 0; c < int(cands.size()); ++c) {
        const auto& trace = cands[size_t(c)].trace;
        QCOMPARE(view.pointCount(c), int(trace.size()));
        const QList<double> scores = view.drawnScores(c);
        QList<double> rethinks;
        for (int i = 0; i < int(trace.size()); ++i) {
            QVERIFY2(std::abs(scores[i] - double(trace[size_t(i)].score)) < 1e-7,
                     qPrintable(QString("candidate %1 point %2: %3 drawn, %4 from the engine")
                                    .arg(c)
                                    .arg(i)
                                    .arg(scores[i])
                                    .arg(trace[size_t(i)].score)));
            if (trace[size_t(i)].decision == ArDecision::Rethink) rethinks << double(i + 1);
        }
        QCOMPARE(view.drawnRethinks(c), rethinks);
    }
}

}  // namespace

class TestStudioArCompare : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { registerStudioTypes(); }

    void traceViewExtendsItsGraphsPointByPoint() {
        TraceView view;
        view.begin(0.3, 2);
        QCOMPARE(view.candidateCount(), 2);
        QCPGraph* first = view.plot()->graph(0);
        const int graphs = view.plot()->graphCount();
        const double scores[] = {0.9, 0.1, 0.8, 0.95, 0.2};
        const char* decisions[] = {"accept", "rethink", "accept", "accept", "rethink"};
        for (int i = 0; i < 5; ++i) {
            ArPoint p;
            p.candidate = i % 2;
            p.score = scores[i];
            p.decision = decisions[i];
            p.policyMs = 100;
            view.addPoint(p);
        }
        // The same graphs, extended: nothing was rebuilt per point.
        QCOMPARE(view.plot()->graph(0), first);
        QCOMPARE(view.plot()->graphCount(), graphs);
        QCOMPARE(view.drawnScores(0), (QList<double>{0.9, 0.8, 0.2}));
        QCOMPARE(view.drawnScores(1), (QList<double>{0.1, 0.95}));
        QCOMPARE(view.drawnRethinks(0), (QList<double>{3}));
        QCOMPARE(view.drawnRethinks(1), (QList<double>{1}));
        QVERIFY(view.plot()->xAxis->range().upper >= 3.5);

        // A point for a candidate the view did not know of is drawn too.
        ArPoint late;
        late.candidate = 2;
        late.score = 0.5;
        late.decision = "accept";
        view.addPoint(late);
        QCOMPARE(view.candidateCount(), 3);
        QCOMPARE(view.drawnScores(2), (QList<double>{0.5}));
        QCOMPARE(view.drawnScores(0), (QList<double>{0.9, 0.8, 0.2}));
    }

    void arReplyDrawsTheEnginesTrace_data() {
        QTest::addColumn<bool>("leaveWeakest");
        QTest::newRow("rethink differs") << true;
        QTest::newRow("rethink free") << false;
    }
    void arReplyDrawsTheEnginesTrace() {
        if (!QFile::exists(kPolicy)) QSKIP("the bundled policy is not in this checkout");
        QFETCH(bool, leaveWeakest);
        // Steps holding a 7 score about 0.005 under this PRM, others about 0.91.
        const QString prm = QString::fromStdString(write_marker_prm('7'));
        ChatSettings settings = arSettings(prm);
        settings.arLeaveWeakest = leaveWeakest;
        settings.arMaxRethink = 3;  // repeat rethinks, which go back to the first trigger
        ArSelection sel;
        const std::vector<ArResult> cands = engineRun(settings, &sel);
        int rethinks = 0;
        for (const auto& c : cands) rethinks += c.rethinks;
        QVERIFY2(rethinks > 0, "the check needs a run with rethinks");

        Studio s = open_studio(kPolicy);
        MainWindow& w = *s.window;
        QVERIFY(w.modelReady());
        w.controller()->setCurrentSettings(settings);
        w.arBar()->setSettings(settings);
        QSignalSpy steps(w.worker(), &EngineWorker::arStep);
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        QSignalSpy errors(w.controller(), &ChatController::errorOccurred);
        int liveMax = 0;
        QTimer watch;
        connect(&watch, &QTimer::timeout,
                [&] { liveMax = std::max(liveMax, w.traceView()->pointCount(0)); });
        watch.start(2);
        send(w, kQuestion);
        QVERIFY(wait_until([&] { return done.size() == 1 || errors.size() > 0; }, 120000));
        QVERIFY2(errors.isEmpty(),
                 qPrintable(errors.isEmpty() ? QString() : errors.first().at(1).toString()));
        watch.stop();

        size_t events = 0;
        for (const auto& c : cands) events += c.trace.size();
        QCOMPARE(size_t(steps.size()), events);
        QVERIFY2(liveMax > 0, "points appear while the reply is written");
        checkDrawn(*w.traceView(), cands, sel.best_candidate, 0.5);
        // The token each rethink was kept from reaches the view (its tooltip shows it).
        const ArTrace drawn = ArTrace::fromJson(w.traceView()->json());
        int withWeakest = 0, rewound = 0;
        for (int c = 0; c < int(cands.size()); ++c)
            for (int i = 0; i < int(cands[size_t(c)].trace.size()); ++i) {
                const TraceEvent& e = cands[size_t(c)].trace[size_t(i)];
                QCOMPARE(drawn.candidates[c][i].weakest, QString::fromStdString(e.weakest));
                QVERIFY(std::abs(drawn.candidates[c][i].weakestP - double(e.weakest_p)) < 1e-6);
                QCOMPARE(drawn.candidates[c][i].rewound, e.rewound);
                withWeakest += !e.weakest.empty();
                rewound += e.rewound;
            }
        QVERIFY(leaveWeakest ? withWeakest > 0 : withWeakest == 0);
        QVERIFY(leaveWeakest ? rewound > 0 : rewound == 0);
        QVERIFY(w.traceView()->summaryText().contains("rethinks: " + QString::number(rethinks)));

        // The message shows the chosen candidate's steps, a rethought step struck through.
        const ArResult& best = cands[size_t(sel.best_candidate)];
        const QString shown = w.chatView()->messageText(w.chatView()->messageCount() - 1);
        QCOMPARE(shown, arReplyMarkdown(ArTrace::fromJson(w.traceView()->json())));
        if (best.rethinks > 0) QVERIFY(shown.contains("~~"));

        // Clicking a point selects its step in the chat.
        const TraceEvent& first = best.trace.front();
        QCustomPlot* plot = w.traceView()->plot();
        plot->replot();
        const QPoint at(int(plot->xAxis->coordToPixel(1)),
                        int(plot->yAxis->coordToPixel(double(first.score))));
        QSignalSpy clicked(w.traceView(), &TraceView::stepClicked);
        QTest::mousePress(plot, Qt::LeftButton, {}, at);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), sel.best_candidate);
        QCOMPARE(clicked.first().at(1).toInt(), 0);
        const QString needle = arStepBody(QString::fromStdString(first.text)).left(48);
        bool selected = false;
        for (auto* v : w.chatView()->findChildren<MarkdownView*>())
            selected |= v->textCursor().selectedText() == needle;
        QVERIFY2(selected, qPrintable("no message has \"" + needle + "\" selected"));

        // The trace is stored with the message and drawn again after a restart.
        const QString dir = s.dataDir;
        s.window.reset();
        Studio again = open_studio(kPolicy, dir);
        checkDrawn(*again.window->traceView(), cands, sel.best_candidate, 0.5);
        QVERIFY(again.window->arBar()->arEnabled());
    }

    // AR-Sampling replies fit long conversations into the context as chat replies do.
    void arRepliesLeaveOutOldExchanges() {
        if (!QFile::exists(kPolicy)) QSKIP("the bundled policy is not in this checkout");
        BundledTurns t(200);
        for (int turn = 0; turn < 2; ++turn) {
            t.ask(true);
            if (QTest::currentTestFailed()) return;
        }
        QCOMPARE(t.stats(0).droppedMessages, 0);
        QCOMPARE(t.stats(1).droppedMessages, 2);
        QVERIFY(!t.stats(1).traceJson.isEmpty());
        QVERIFY(t.window().chatView()->messageNote(3).contains("2 oldest"));
    }

    // A follow-up AR question reads only what the policy's cache does not hold, and a plain
    // reply after it reuses what the AR reply left there.
    void arFollowUpsReuseTheCache() {
        if (!QFile::exists(kPolicy)) QSKIP("the bundled policy is not in this checkout");
        BundledTurns t(512);
        for (bool ar : {true, true, false}) {
            t.ask(ar);
            if (QTest::currentTestFailed()) return;
        }
        QCOMPARE(t.stats(0).reusedTokens, 0);
        // The second prompt differs from the first where the first reply begins.
        const int first = t.stats(0).promptTokens;
        QVERIFY2(t.stats(1).reusedTokens >= first - 8,
                 qPrintable(QString("%1 of %2").arg(t.stats(1).reusedTokens).arg(first)));
        QVERIFY(t.stats(1).reusedTokens < t.stats(1).promptTokens);
        QVERIFY2(t.stats(2).reusedTokens >= first - 8,
                 qPrintable(QString::number(t.stats(2).reusedTokens)));
    }

    // The PRM layout is a per-conversation setting: chosen in the PRM button's menu, kept in the
    // settings JSON, shown checked again when the conversation is opened.
    void arBarKeepsThePrmLayout() {
        ArBar bar;
        ChatSettings s;
        s.arEnabled = true;
        s.prmLayout = "rlhflow-llama3";
        bar.setSettings(s);
        QMenu* menu = bar.findChild<QToolButton*>()->menu();
        QAction* shepherd = nullptr;
        for (QAction* a : menu->actions()) {
            if (a->data().toString() == "rlhflow-llama3") QVERIFY(a->isChecked());
            if (a->data().toString() == "math-shepherd") shepherd = a;
        }
        QVERIFY(shepherd && !shepherd->isChecked());
        QSignalSpy changed(&bar, &ArBar::changed);
        shepherd->trigger();
        QCOMPARE(changed.size(), 1);
        ChatSettings out;
        bar.apply(out);
        QCOMPARE(out.prmLayout, QString("math-shepherd"));
        QCOMPARE(ChatSettings::fromJson(out.toJson()).prmLayout, QString("math-shepherd"));
        QCOMPARE(ChatSettings::fromJson(ChatSettings{}.toJson()).prmLayout, QString());
    }

    // Whether a rethink must leave the rejected step: on unless switched off, kept per
    // conversation.
    void arBarKeepsTheRethinkRule() {
        ArBar bar;
        ChatSettings s;
        s.arEnabled = true;
        s.arLeaveWeakest = false;
        bar.setSettings(s);
        auto* box = bar.findChild<QCheckBox*>("rethinkDiffers");
        QVERIFY(box && !box->isChecked());
        QSignalSpy changed(&bar, &ArBar::changed);
        box->click();
        QCOMPARE(changed.size(), 1);
        ChatSettings out;
        out.arLeaveWeakest = false;
        bar.apply(out);
        QVERIFY(out.arLeaveWeakest && ChatSettings::fromJson(out.toJson()).arLeaveWeakest);
        s.arLeaveWeakest = false;
        QVERIFY(!ChatSettings::fromJson(s.toJson()).arLeaveWeakest);
        QVERIFY(ChatSettings::fromJson(QJsonObject()).arLeaveWeakest);
    }

    // A model's reply prefix begins every output column, as it begins every chat reply.
    void compareColumnsShowTheReplyPrefix() {
        CompareView view;
        CompareResult r;
        r.reply_start = "## Step 1: ";
        CompareRow row;
        row.config = KvConfig::parse("fp16");
        row.pieces = {"Tom", " has", " 5."};
        r.rows.push_back(row);
        view.showResult(r);
        const auto columns = view.findChildren<QTextBrowser*>();
        QCOMPARE(columns.size(), 1);
        QCOMPARE(columns[0]->toPlainText(), QString("## Step 1: Tom has 5."));
    }

    // A reasoning model's output: its reasoning stands apart, the markers left out (the
    // opened <think> of the prompt's end included), and a divergence inside the answer is
    // highlighted there.
    void compareColumnsSetReasoningApart() {
        CompareView view;
        CompareResult r;
        r.reply_start = "<think>\n";
        CompareRow row;
        row.config = KvConfig::parse("fp16");
        row.pieces = {"Add", " them", ".</th", "ink>", "\n\n", "It", " is", " 7", "."};
        r.rows.push_back(row);
        row.config = KvConfig::parse("nq2");
        row.pieces[7] = " 8";
        row.first_divergence = 7;
        r.rows.push_back(row);
        view.showResult(r);
        const auto columns = view.findChildren<QTextBrowser*>();
        QCOMPARE(columns.size(), 2);
        const QString fp16 = columns[0]->toPlainText(), nq2 = columns[1]->toPlainText();
        QVERIFY2(!fp16.contains("think>") && !nq2.contains("think>"), qPrintable(fp16));
        QVERIFY2(fp16.startsWith("Reasoning\nAdd them.") && fp16.endsWith("It is 7."),
                 qPrintable(fp16));
        QVERIFY2(nq2.endsWith("It is 8."), qPrintable(nq2));
        const QString html = columns[1]->toHtml();
        QVERIFY(html.contains("font-weight:700") || html.contains("font-weight:bold"));
        QVERIFY(!columns[0]->toHtml().contains("font-weight:700"));
    }

    void compareEqualsNqkvPpl() {
        const QString model = QString::fromStdString(write_tiny_model({}));
        Studio s = open_studio(model);
        MainWindow& w = *s.window;
        QVERIFY(w.modelReady());
        CompareView* view = w.compareView();
        view->setPrompt("Once upon a time");
        view->setConfigurations({"nq4"}, "k=nq8,v=nq2");
        QCOMPARE(view->configurations(), QStringList({"nq4", "k=nq8,v=nq2"}));
        QSignalSpy ready(w.worker(), &EngineWorker::compareReady);
        QSignalSpy progress(w.worker(), &EngineWorker::compareProgress);
        w.showPanel("compare");
        auto* run = view->findChild<QPushButton*>("compareRun");
        QCOMPARE(run->text(), QString("Compare"));
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(view->running());
        QVERIFY(wait_until([&] { return ready.size() == 1; }, 60000));
        QVERIFY(wait_until([&] { return !view->running(); }, 5000));
        QVERIFY(progress.size() >= 3);

        const CompareResult& r = view->result();
        QCOMPARE(int(r.rows.size()), 3);
        QCOMPARE(view->table()->rowCount(), 3);
        QCOMPARE(view->tokenChart()->graphCount(), 2);  // KL: the two quantized configurations
        QCOMPARE(view->tokenChart()->graph(0)->dataCount(), r.rows[0].ppl.tokens_scored);
        // A mixed configuration's bar is labelled one part per line.
        auto ticker = view->memoryBars()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(3), QString("k=nq8\nv=nq2"));
        QCOMPARE(ticker->ticks().value(1), QString("fp16"));

        // The same text and settings through the command line.
        const QString text = QString::fromStdString(temp_dir()) + "/compare.txt";
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(r.ppl_text));
        f.close();
        QProcess p;
        p.start(QString::fromStdString(bin_dir() + "/nqkv"),
                {"ppl", "-m", model, "-f", text, "--special", "--ctx", QString::number(r.ppl_ctx),
                 "--score-from", QString::number(r.ppl_score_from), "--kv", "fp16,nq4,k=nq8,v=nq2",
                 "--json"});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonArray rows =
            QJsonDocument::fromJson(p.readAllStandardOutput()).object().value("rows").toArray();
        QCOMPARE(rows.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject cli = rows[i].toObject();
            QCOMPARE(cli.value("kv").toString(),
                     view->table()->item(i, CompareView::Config)->text());
            const auto same = [&](const char* key, CompareView::Column c) {
                const double a = cli.value(key).toDouble(), b = view->tableValue(i, c);
                QVERIFY2(std::abs(a - b) <= 1e-8 * std::max(1.0, std::abs(a)),
                         qPrintable(QString("row %1 %2: nqkv ppl %3, compare view %4")
                                        .arg(i)
                                        .arg(key)
                                        .arg(a, 0, 'g', 12)
                                        .arg(b, 0, 'g', 12)));
            };
            same("ppl", CompareView::Ppl);
            same("mean_kl", CompareView::MeanKl);
            same("top1_agree", CompareView::Top1);
            same("kv_bytes_per_token", CompareView::BytesPerToken);
        }
        QVERIFY(view->pplCommand().contains("--score-from " + QString::number(r.ppl_score_from)));

        // Export JSON… writes what `nqkv compare --json` prints for the same prompt, settings
        // and budget: the same outputs, divergences and figures (the speeds aside).
        QVERIFY(view->findChild<QPushButton*>("compareExport")->isEnabled());
        const QString json = QString::fromStdString(temp_dir()) + "/compare.json";
        QCOMPARE(view->exportJson(json), QString());
        QCOMPARE(view->exportJson("/no/such/dir/compare.json"),
                 QString("/no/such/dir/compare.json could not be written."));
        QFile exported(json);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const QJsonObject app = QJsonDocument::fromJson(exported.readAll()).object();
        QCOMPARE(app.value("ppl_text").toString().toStdString(), r.ppl_text);
        QProcess c;
        c.start(QString::fromStdString(bin_dir() + "/nqkv"),
                {"compare", "-m", model, "-p", "Once upon a time", "--kv", "nq4,k=nq8,v=nq2",
                 "--kv-mem", QString::number(app.value("kv_budget_bytes").toInteger()), "--json"});
        QVERIFY(c.waitForFinished(60000));
        QVERIFY2(c.exitCode() == 0, c.readAllStandardError().constData());
        const QJsonObject cli = QJsonDocument::fromJson(c.readAllStandardOutput()).object();
        for (const char* key : {"model", "prompt_tokens", "ppl_text", "ppl_ctx", "ppl_score_from",
                                "kv_budget_bytes", "reply_start"})
            QCOMPARE(app.value(key), cli.value(key));
        const QJsonArray a = app.value("rows").toArray(), b = cli.value("rows").toArray();
        QCOMPARE(a.size(), 3);
        QCOMPARE(b.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject x = a[i].toObject(), y = b[i].toObject();
            for (const char* key : {"kv", "text", "ids", "pieces", "first_divergence",
                                    "kv_bytes_per_token", "ctx_in_budget", "tokens_scored"})
                QCOMPARE(x.value(key), y.value(key));
            QVERIFY(std::abs(x.value("ppl").toDouble() - y.value("ppl").toDouble()) <=
                    1e-8 * x.value("ppl").toDouble());
            QVERIFY(std::abs(x.value("ppl").toDouble() - view->tableValue(i, CompareView::Ppl)) <=
                    1e-8 * x.value("ppl").toDouble());
            QCOMPARE(x.value("token_kl").toArray().size(), r.rows[size_t(i)].ppl.tokens_scored);
        }

        // The CLI's file opens in the view; a damaged one is refused by name and leaves the
        // result shown as it was.
        const QString cliFile = QString::fromStdString(temp_dir()) + "/cli.json";
        QFile cf(cliFile);
        QVERIFY(cf.open(QIODevice::WriteOnly));
        cf.write(QJsonDocument(cli).toJson());
        cf.close();
        QVERIFY(view->findChild<QPushButton*>("compareOpen")->isEnabled());
        QCOMPARE(view->openJson(cliFile), QString());
        QCOMPARE(view->table()->rowCount(), 3);
        QCOMPARE(QString::fromStdString(view->result().rows[2].text),
                 b[2].toObject().value("text").toString());
        QVERIFY(
            view->findChild<QLabel*>("compareStatus")->text().startsWith("From cli.json, model "));
        // Which model file wrote it is not in the file: the command names none.
        QVERIFY2(view->pplCommand().startsWith("nqkv ppl -m MODEL -f TEXT"),
                 qPrintable(view->pplCommand()));
        const QString bad = QString::fromStdString(temp_dir()) + "/bad.json";
        QFile bf(bad);
        QVERIFY(bf.open(QIODevice::WriteOnly));
        bf.write("{\"model\": \"x\"}");
        bf.close();
        QCOMPARE(view->openJson(bad), bad + ": \"prompt_tokens\" is missing");
        QCOMPARE(view->openJson(bad + ".none"), bad + ".none could not be read.");
        QCOMPARE(view->table()->rowCount(), 3);

        // The result shown is there again after a restart, the divergences highlighted as before.
        const std::string shown = compare_json(view->result());
        const QString firstColumn = view->findChildren<QTextBrowser*>().value(1)->toHtml();
        const QString dataDir = s.dataDir;
        s.window.reset();
        Studio again = open_studio(model, dataDir);
        CompareView* kept = again.window->compareView();
        QCOMPARE(compare_json(kept->result()), shown);
        QCOMPARE(kept->table()->rowCount(), 3);
        QCOMPARE(kept->findChildren<QTextBrowser*>().value(1)->toHtml(), firstColumn);
        QVERIFY2(kept->findChild<QLabel*>("compareStatus")
                     ->text()
                     .startsWith("From the last session, model "),
                 qPrintable(kept->findChild<QLabel*>("compareStatus")->text()));

        // A kept file that no longer reads is named, and the view starts empty.
        again.window.reset();
        QFile damaged(dataDir + "/last-comparison.json");
        QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("{\"model\": 3}");
        damaged.close();
        Studio third = open_studio(model, dataDir);
        CompareView* fresh = third.window->compareView();
        QCOMPARE(fresh->table()->rowCount(), 0);
        QCOMPARE(fresh->findChild<QLabel*>("compareStatus")->text(),
                 "The last comparison could not be shown again: " + dataDir +
                     "/last-comparison.json: \"model\" is not a string");
    }

    void compareCanBeCancelled() {
        Studio s = open_studio(studio_model());
        MainWindow& w = *s.window;
        CompareView* view = w.compareView();
        view->setPrompt("Tell me a long story");
        view->setConfigurations({"nq8", "nq4", "nq3", "nq2", "lm2", "int4"}, {});
        QSignalSpy failed(w.worker(), &EngineWorker::compareFailed);
        auto* cancel = view->findChild<QPushButton*>("compareCancel");
        QCOMPARE(cancel->text(), QString("Cancel"));
        QMetaObject::invokeMethod(view, [view] {
            emit view->runRequested(view->prompt(), view->configurations(), 2048, {});
        });
        QVERIFY(wait_until([&] { return view->running(); }, 2000));
        QTest::qWait(300);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(wait_until([&] { return failed.size() == 1; }, 20000));
        QVERIFY(wait_until([&] { return !view->running(); }, 5000));
        QVERIFY(failed.first().first().toString().contains("cancelled"));
    }

    void languageSwitchChangesVisibleStrings() {
        const auto firstMenu = [](MainWindow& w) { return w.menuBar()->actions().first()->text(); };
        QVERIFY(installTranslations("en"));
        QString english;
        {
            Studio s = open_studio({});
            english = firstMenu(*s.window);
        }
        QCOMPARE(english, QString("&Model"));
        for (const QString code : {"de", "zh_CN"}) {
            QVERIFY2(installTranslations(code), qPrintable(code));
            Studio s = open_studio({});
            QVERIFY2(firstMenu(*s.window) != english, qPrintable(code));
            QVERIFY(s.window->findChild<QPushButton*>() != nullptr);
        }
        QVERIFY(installTranslations("en"));
    }
};

QTEST_MAIN(TestStudioArCompare)
#include "test_studio_ar_compare.moc"
