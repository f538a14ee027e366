// The block inspector against the engine: for a chosen block the plot shows exactly the
// engine's values, scale and levels; the heat map holds the engine's statistics; exports work.
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QtTest>

#include "app/studio/chat_controller.h"
#include "app/studio/engine_worker.h"
#include "engine/chat_template.h"
#include "engine/kv_block_map.h"
#include "engine/llama_model.h"
#include "engine/normal_math.h"
#include "engine/nqkv_codebook.h"
#include "tests/studio_support.h"
#include "tests/test_support.h"
#include "ui/block_histogram_plot.h"
#include "ui/block_inspector.h"

using namespace nqkv;
using namespace nqkv::studio;
using namespace nqkv::test;

class TestStudioInspector : public QObject {
    Q_OBJECT
    Studio studio_;
    std::unique_ptr<LlamaModel> model_;
    std::unique_ptr<InferenceContext> ref_;  // the same prompt, evaluated here
    const QString prompt_ = "Count the blocks of the cache one by one";

  private slots:
    void initTestCase() {
        registerStudioTypes();
        studio_ = open_studio(studio_model());
        MainWindow& w = *studio_.window;
        QVERIFY(w.modelReady());
        ChatSettings s;
        s.kFormat = "nq4";
        s.vFormat = "nq3";
        s.block = 32;
        s.maxTokens = 6;
        s.ignoreEos = true;
        s.contextSize = 512;
        w.controller()->setCurrentSettings(s);
        QSignalSpy done(w.controller(), &ChatController::replyDone);
        w.controller()->send(prompt_);
        QVERIFY(wait_until([&] { return !done.isEmpty(); }, 20000));

        // The reference: the prompt as the chat renders it, through a context of our own.
        model_ = LlamaModel::load(studio_model().toStdString());
        ContextParams p;
        p.n_ctx = 512;
        p.kv = KvConfig::parse("k=nq4,v=nq3,block=32");
        ref_ = make_cpu_backend()->create_context(*model_, p);
        ref_->set_kv_capture(true);
        const std::string text =
            render_chat(ChatFormat::Plain, {{"user", prompt_.toStdString()}}, true);
        const auto ids = model_->tokenizer().encode_special(text, model_->tokenizer().add_bos());
        ref_->eval(ids.data(), int(ids.size()), nullptr);
        QVERIFY(ids.size() > 8);
    }

    void blockShowsTheEnginesNumbers_data() {
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("token");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("block");
        QTest::newRow("K layer 0") << 0 << 1 << 0 << 0;
        QTest::newRow("K layer 3 block 3") << 3 << 7 << 0 << 3;
        QTest::newRow("V layer 2 (3-bit)") << 2 << 5 << 1 << 2;
    }

    void blockShowsTheEnginesNumbers() {
        QFETCH(int, layer);
        QFETCH(int, token);
        QFETCH(int, kind);
        QFETCH(int, block);
        MainWindow& w = *studio_.window;
        QSignalSpy ready(w.worker(), &EngineWorker::blockReady);
        w.inspector()->pick(layer, token, kind, block);
        QVERIFY(wait_until([&] { return !ready.isEmpty(); }, 5000));
        QTest::qWait(20);

        const BlockView want =
            ref_->kv_cache().block(layer, token, kind ? KvKind::V : KvKind::K, block);
        const BlockHistogramPlot* h = w.inspector()->histogram();
        const BlockView& got = h->block();
        QCOMPARE(got.layer, layer);
        QCOMPARE(got.pos, token);
        QCOMPARE(got.block, block);
        QVERIFY(got.has_original);
        QCOMPARE(got.original, want.original);
        QCOMPARE(got.dequantized, want.dequantized);
        QCOMPARE(got.codes, want.codes);
        QCOMPARE(got.scale, want.scale);
        QCOMPARE(got.levels, want.levels);
        QCOMPARE(int(got.levels.size()), kind ? 8 : 16);
        // The drawn level lines are the levels times the scale.
        QCOMPARE(h->levelPositions().size(), qsizetype(want.levels.size()));
        for (size_t i = 0; i < want.levels.size(); ++i)
            QCOMPARE(h->levelPositions()[qsizetype(i)],
                     double(want.levels[i]) * double(want.scale));
        // The fitted normal is the MLE fit of the original values; the histogram integrates to 1.
        const MomentStats m = moments(want.original.data(), want.original.size());
        QCOMPARE(h->fittedMean(), m.mean);
        QCOMPARE(h->fittedSigma(), m.stddev);
        double area = 0, areaDq = 0;
        const double width = h->binEdges()[1] - h->binEdges()[0];
        for (double d : h->originalDensity()) area += d * width;
        for (double d : h->dequantizedDensity()) areaDq += d * width;
        QVERIFY(std::abs(area - 1) < 1e-9);
        QVERIFY(std::abs(areaDq - 1) < 1e-9);
        // The caption carries mu, sigma, KS, p and the MSE beside the N(0,1) limit.
        std::vector<float> x = want.original;
        const KsResult ks = ks_test_normal(x, m.mean, m.stddev);
        const QString c = h->caption();
        QVERIFY2(c.contains(QString("KS D = %1").arg(ks.statistic, 0, 'f', 3)), qPrintable(c));
        QVERIFY2(c.contains(QString("MSE %1").arg(want.mse, 0, 'g', 4)), qPrintable(c));
        QVERIFY2(c.contains("N(0,1) limit"), qPrintable(c));
    }

    void heatMapHoldsTheEnginesStatistics() {
        MainWindow& w = *studio_.window;
        for (int metric : {0, 1}) {
            QSignalSpy ready(w.worker(), &EngineWorker::blockMapReady);
            emit w.mapRequested(1, metric);
            QVERIFY(wait_until([&] { return !ready.isEmpty(); }, 20000));
            QTest::qWait(20);
            const BlockMap& m = w.inspector()->map();
            QCOMPARE(m.n_layer, 4);
            QCOMPARE(m.blocks_per_row, 4);
            const BlockMap want =
                block_map(ref_->kv_cache(), KvKind::V, metric ? BlockMetric::Mse : BlockMetric::Ks,
                          ref_->n_past());
            // The app's map also covers the reply; the prompt part must match exactly.
            QVERIFY(m.tokens > want.tokens);
            for (int l = 0; l < 4; ++l)
                for (int b = 0; b < 4; ++b)
                    for (int t = 0; t < want.tokens; ++t) QCOMPARE(m.at(l, b, t), want.at(l, b, t));
            // Clicking a cell opens that block.
            int layer = 0, block = 0, token = 0;
            QVERIFY(w.inspector()->cellAt(3.2, 2 * 4 + 1 - 0.3, &layer, &block, &token));
            QCOMPARE(layer, 2);
            QCOMPARE(block, 1);
            QCOMPARE(token, 3);
        }
    }

    void exportsPngPdfAndCsv() {
        MainWindow& w = *studio_.window;
        QSignalSpy ready(w.worker(), &EngineWorker::blockReady);
        w.inspector()->pick(1, 2, 0, 1);
        QVERIFY(wait_until([&] { return !ready.isEmpty(); }, 5000));
        QTest::qWait(20);
        const QString dir = QString::fromStdString(temp_dir());
        BlockHistogramPlot* h = w.inspector()->histogram();
        QVERIFY(h->savePng(dir + "/b.png"));
        QVERIFY(h->savePdf(dir + "/b.pdf"));
        QVERIFY(h->saveCsv(dir + "/b.csv"));
        QVERIFY(QFileInfo(dir + "/b.png").size() > 1000);
        QVERIFY(QFileInfo(dir + "/b.pdf").size() > 1000);
        QFile csv(dir + "/b.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4 + 32);
        QVERIFY(lines[1].startsWith("# scale,"));
        QCOMPARE(lines[1].section(',', 1).toFloat(), h->block().scale);
        const QStringList first = lines[4].split(',');
        QCOMPARE(first[0].toInt(), 32);  // block 1 starts at value 32
        QCOMPARE(first[1].toFloat(), h->block().original[0]);
        QCOMPARE(first[2].toFloat(), h->block().dequantized[0]);
        QCOMPARE(first[3].toInt(), h->block().codes[0]);
        QString error;
        QVERIFY(!h->saveCsv(dir + "/missing/folder/b.csv", &error));
        QVERIFY(error.contains("missing/folder"));
    }

    void outOfRangeBlocksAreReported() {
        MainWindow& w = *studio_.window;
        QSignalSpy failed(w.worker(), &EngineWorker::inspectFailed);
        w.inspector()->pick(0, 100000, 0, 0);
        QVERIFY(wait_until([&] { return !failed.isEmpty(); }, 5000));
        QVERIFY(failed.first().first().toString().contains("100000"));
    }

    // A cache whose values are part of its keys (DeepSeek's) offers K only, and V again after.
    void valuesInKeysOfferKOnly() {
        BlockInspector inspector;
        auto* side = inspector.findChild<QComboBox*>("kvSide");
        QVERIFY(side && side->count() == 2);
        side->setCurrentIndex(1);
        inspector.setValuesInKeys(true);
        auto* items = qobject_cast<QStandardItemModel*>(side->model());
        QVERIFY(items && !items->item(1)->isEnabled());
        QCOMPARE(side->currentIndex(), 0);
        QVERIFY(items->item(1)->toolTip().contains("multi-head latent attention"));
        inspector.setValuesInKeys(false);
        QVERIFY(items->item(1)->isEnabled());
    }

    void demoModeWritesAScreenshot() {
        const QString dir = QString::fromStdString(temp_dir());
        QFile script(dir + "/demo.txt");
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(
            "# a demo\nsize 1300 800\nsettings k=nq4 v=nq4 max_tokens=5 temperature=0\n"
            "prompt Hello there\npanel inspector\nmap K ks\nblock K 1 2 0\n");
        script.close();
        QProcess p;
        p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        p.start(QString::fromStdString(bin_dir()) + "/nqkv-studio",
                {"--data-dir", dir, "--settings", dir + "/s.ini", "-m", studio_model(), "--demo",
                 script.fileName(), "--screenshot", dir + "/shot.png", "--timeout", "120"});
        QVERIFY(p.waitForFinished(150000));
        QCOMPARE(p.exitCode(), 0);
        QImage shot(dir + "/shot.png");
        QCOMPARE(shot.size(), QSize(1300, 800));

        // A bad script line is named with its file and line number.
        QVERIFY(script.open(QIODevice::WriteOnly | QIODevice::Truncate));
        script.write("size 800 600\n\nfly away\n");
        script.close();
        p.start(QString::fromStdString(bin_dir()) + "/nqkv-studio",
                {"--data-dir", dir, "--settings", dir + "/s.ini", "-m", studio_model(), "--demo",
                 script.fileName(), "--screenshot", dir + "/shot2.png"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(
            QString::fromUtf8(p.readAllStandardError()).contains("demo.txt:3: unknown command"));

        // A reply that fails (here a prompt longer than a 16-token context) ends the run at once
        // with the engine's message, not at the timeout.
        QVERIFY(script.open(QIODevice::WriteOnly | QIODevice::Truncate));
        script.write(
            "settings context=16\nprompt one two three four five six seven eight nine "
            "ten eleven twelve thirteen fourteen fifteen sixteen\n");
        script.close();
        QElapsedTimer clock;
        clock.start();
        p.start(QString::fromStdString(bin_dir()) + "/nqkv-studio",
                {"--data-dir", dir, "--settings", dir + "/s.ini", "-m", studio_model(), "--demo",
                 script.fileName(), "--screenshot", dir + "/shot3.png", "--timeout", "120"});
        QVERIFY(p.waitForFinished(150000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains("demo.txt:2: The reply failed") && err.contains("do not fit"),
                 qPrintable(err));
        QVERIFY2(clock.elapsed() < 60000, qPrintable(QString::number(clock.elapsed())));
    }

    void cleanupTestCase() { studio_.window.reset(); }
};

QTEST_MAIN(TestStudioInspector)
#include "test_studio_inspector.moc"
