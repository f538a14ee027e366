// The nqkv command line: help on every command, one-line errors, and each command working.
#include <QElapsedTimer>
#include <QFile>
#include <QLibrary>
#include <QProcess>
#include <QStandardPaths>
#include <csignal>

#include "tests/cli_runner.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

using Result = test::CliResult;

Result run(const QStringList& args) {
    return test::run_cli(args);
}

Result run_with_input(const QStringList& args, const QByteArray& input) {
    return test::run_cli(args, input);
}

QString tiny() {
    static const QString path = QString::fromStdString(test::write_tiny_model({}));
    return path;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

  private slots:
    void help_everywhere_data() {
        QTest::addColumn<QString>("command");
        for (const char* c :
             {"generate", "chat", "tokenize", "info", "bench", "ppl", "compare", "kv-stats",
              "kv-block", "ar", "eval-ar", "synth-model", "convert-llama2c"})
            QTest::newRow(c) << c;
    }
    void help_everywhere() {
        QFETCH(QString, command);
        const Result r = run({command, "--help"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("usage: nqkv " + command));
        QVERIFY(r.out.contains("--help"));
    }

    void top_level_help_and_unknown_command() {
        QCOMPARE(run({"--help"}).code, 0);
        const Result r = run({"frobnicate"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown command \"frobnicate\""));
    }

    // Without -m, generate and ar use the bundled models (or say that there are none).
    void bundled_models_are_the_default() {
        const bool bundled = QFile::exists(NQKV_RESOURCES_DIR "/models/policy.gguf");
        Result r = run({"generate", "-p", "User: What is 2 + 3?\nAssistant:\n## Step 1: ", "-n",
                        "8", "--temp", "0"});
        if (!bundled) {
            QCOMPARE(r.code, 1);
            QVERIFY(
                r.err.contains("--model: not given, and this build has no bundled policy.gguf"));
            return;
        }
        QCOMPARE(r.code, 0);
        QVERIFY(!r.out.isEmpty());
        r = run({"ar", "-p", "Mia has 12 apples. She buys 5 more. How many apples does Mia have?",
                 "--temp", "0", "--max-tokens", "120"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("Answer:"), qPrintable(r.out));

        // The policy names where its replies begin (nqkv.chat.reply_prefix), so a chat prompts
        // it exactly as it was trained and the reply shows its first step heading.
        r = run({"info"});
        QVERIFY2(r.out.contains("chat          plain format, replies begin with \"## Step 1: \""),
                 qPrintable(r.out));
        const QString q =
            "Ana has 60 books. Then Ana uses 13. Ana finds 18 more books. How many "
            "books are there at the end?";
        const QString trained = "User: " + q + "\nAssistant:\n## Step 1: ";
        const Result gen = run({"generate", "-p", trained, "-n", "100", "--temp", "0"});
        const Result chat =
            run_with_input({"chat", "-n", "100", "--temp", "0"}, (q + "\n").toUtf8());
        QCOMPARE(gen.code, 0);
        QCOMPARE(chat.code, 0);
        QVERIFY2(gen.out.startsWith(trained), qPrintable(gen.out));
        QCOMPARE(chat.out.trimmed(), ("## Step 1: " + gen.out.mid(trained.size())).trimmed());
        QVERIFY2(chat.out.contains("The answer is"), qPrintable(chat.out));
    }

    void errors_are_one_clear_line() {
        Result r = run({"ppl"});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err, QString("error: nqkv ppl: -f TEXT is required (see nqkv ppl --help)\n"));
        r = run({"info", "-m", "/nonexistent/model.gguf"});
        QCOMPARE(r.code, 1);
        QCOMPARE(
            r.err,
            QString("error: /nonexistent/model.gguf: cannot open: No such file or directory\n"));
        r = run({"generate", "-m", tiny(), "-f", "/nonexistent/prompt.txt"});
        QCOMPARE(r.err, QString("error: /nonexistent/prompt.txt: cannot open the text file: No "
                                "such file or directory\n"));
        r = run({"convert-llama2c", "-m", "/nonexistent/model.bin", "--vocab", "/nonexistent/v.bin",
                 "-o", "/nonexistent/out.gguf"});
        QVERIFY2(r.err.startsWith("error: /nonexistent/model.bin: cannot open checkpoint"),
                 qPrintable(r.err));
        r = run({"generate", "-m", tiny(), "-p", "x", "--threads", "many"});
        QCOMPARE(r.err,
                 QString("error: nqkv generate: --threads \"many\" is not a whole number\n"));
        r = run({"bench", "--bogus"});
        QCOMPARE(r.err,
                 QString("error: nqkv bench: unknown option --bogus (see nqkv bench --help)\n"));
        r = run({"generate", "-m", tiny(), "-p", "x", "--backend", "tpu"});
        QVERIFY(r.err.contains("unknown backend \"tpu\""));
        r = run({"bench", "-m", tiny(), "-p", "0", "-n", "0"});
        QCOMPARE(r.err, QString("error: nqkv bench: --n-prompt and --n-gen are both 0: nothing "
                                "to measure\n"));
    }

    void generate_streams_and_reports() {
        const Result r =
            run({"generate", "-m", tiny(), "-p", "Tom found", "-n", "8", "--temp", "0"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("Tom found"));
        QVERIFY(r.err.contains("generated 8 tokens"));
        const Result j =
            run({"generate", "-m", tiny(), "-p", "Tom found", "-n", "8", "--temp", "0", "--json"});
        const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
        QCOMPARE(o["generated_ids"].toArray().size(), 8);
        QCOMPARE(o["stop_reason"].toString(), QString("max tokens"));
        QCOMPARE(r.out.trimmed(), ("Tom found" + o["text"].toString()).trimmed());
        const Result t = run(
            {"generate", "-m", tiny(), "-p", "Tom found", "-n", "3", "--temp", "0", "--tokens"});
        QCOMPARE(t.out.split('\n', Qt::SkipEmptyParts).size(), 4);  // prompt line + 3 tokens
    }

    void ppl_and_kv_stats() {
        const QString text = QString(NQKV_TEST_DATA_DIR) + "/stories.txt";
        const Result p = run({"ppl", "-m", tiny(), "-f", text, "--ctx", "64", "--chunks", "2",
                              "--kv", "nq8,nq2", "--json"});
        QCOMPARE(p.code, 0);
        const QJsonArray rows = QJsonDocument::fromJson(p.out.toUtf8()).object()["rows"].toArray();
        QCOMPARE(rows.size(), 3);  // fp16 first, always
        QCOMPARE(rows[0].toObject()["kv"].toString(), QString("fp16"));
        QVERIFY(rows[2].toObject()["ppl"].toDouble() > 1);
        QVERIFY(p.err.contains("chunk 2/2"));
        const Result table =
            run({"ppl", "-m", tiny(), "-f", text, "--ctx", "64", "--chunks", "1", "--kv", "nq4"});
        const QStringList lines = table.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);  // title, header, rule, fp16, nq4
        for (int i = 1; i < lines.size(); ++i) QCOMPARE(lines[i].count('|'), 8);
        const Result s = run({"kv-stats", "-m", tiny(), "-f", text, "--ctx", "64"});
        QCOMPARE(s.code, 0);
        QVERIFY(s.out.contains("| 1 | V |"));
        QVERIFY(s.out.contains("| lm2 |"));
        const Result blk =
            run({"kv-block", "-m", tiny(), "-p", "Tom found 3 apples.", "--layer", "1", "--token",
                 "2", "--kind", "V", "--block", "0", "--kv", "int4", "--json"});
        QCOMPARE(blk.code, 0);
        const QJsonObject bo = QJsonDocument::fromJson(blk.out.toUtf8()).object();
        QCOMPARE(bo["format"].toString(), QString("int4"));
        QCOMPARE(bo["codes"].toArray().size(), 32);
        QCOMPARE(bo["original"].toArray().size(), 32);
        QVERIFY(bo["mse"].toDouble() > 0);
        const Result far = run({"kv-block", "-m", tiny(), "-p", "Tom", "--token", "99"});
        QVERIFY(far.err.contains("--token 99 is past the"));
        // LFM2's cache holds its attention layers only (2 of 6 here), and says so.
        test::TinySpec lfm2;
        lfm2.arch = "lfm2";
        lfm2.n_layer = 6;
        const QString lfm2_path = QString::fromStdString(test::temp_dir()) + "/lfm2.gguf";
        test::tiny_model_writer(lfm2).write(lfm2_path.toStdString());
        const Result conv = run({"kv-block", "-m", lfm2_path, "-p", "Tom", "--layer", "2"});
        QCOMPARE(conv.code, 1);
        QVERIFY2(conv.err.contains("--layer 2: the cache holds this model's 2 attention layers, "
                                   "numbered 0..1 (its 4 convolution layers keep no K and V)"),
                 qPrintable(conv.err));
        QCOMPARE(run({"kv-block", "-m", lfm2_path, "-p", "Tom", "--layer", "1"}).code, 0);
        const Result bad = run({"ppl", "-m", tiny(), "-f", text, "--kv", "nq5"});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.startsWith("error: --kv: unknown KV format \"nq5\""));
        const Result mem = run({"info", "-m", tiny(), "--kv-mem", "1M", "--kv", "fp16,nq4"});
        QVERIFY(mem.out.contains("| nq4 | 4.50, 4.50 | 72 | 14563 | 3.56x |"));
    }

    // nqkv compare on the bundled policy: each configuration's output is what nqkv generate
    // writes with that cache, where it leaves fp16's is where their tokens first differ, and the
    // perplexities are nqkv ppl's on the scored text it gives.
    void compare_matches_generate_and_ppl() {
        const QString question =
            "Ana has 60 books. Then Ana uses 13. Ana finds 18 more books. How many books are "
            "there at the end?";
        const Result r = run({"compare", "-p", question, "--temp", "0", "-n", "40", "--kv",
                              "nq4,nq2,k=nq8,v=nq2", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("5/5 done"));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray rows = o["rows"].toArray();
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].toObject()["kv"].toString(), QString("fp16"));
        QCOMPARE(o["reply_start"].toString(), QString("## Step 1: "));
        const QString fp16 = rows[0].toObject()["text"].toString();
        const QString scored = o["ppl_text"].toString();
        QVERIFY(scored.endsWith(fp16));
        // The chat format's prompt: the plain layout and the policy's reply prefix.
        const QString prompt = scored.left(scored.size() - fp16.size());
        QCOMPARE(prompt, "User: " + question + "\nAssistant:\n## Step 1: ");
        const QJsonArray base = rows[0].toObject()["ids"].toArray();
        int diverged = 0;
        for (const auto& v : rows) {
            const QJsonObject row = v.toObject();
            const Result g = run({"generate", "-p", prompt, "--temp", "0", "-n", "40", "--kv",
                                  row["kv"].toString(), "--json"});
            QCOMPARE(g.code, 0);
            const QJsonObject go = QJsonDocument::fromJson(g.out.toUtf8()).object();
            QCOMPARE(row["text"].toString(), go["text"].toString());
            const QJsonArray ids = row["ids"].toArray();
            int first = -1;
            for (int i = 0; i < std::min(ids.size(), base.size()) && first < 0; ++i)
                if (ids[i] != base[i]) first = i;
            if (first < 0 && ids.size() != base.size())
                first = int(std::min(ids.size(), base.size()));
            QCOMPARE(row["first_divergence"].toInt(), first);
            diverged += first >= 0;
            QCOMPARE(row["token_kl"].toArray().size(), row["tokens_scored"].toInt());
        }
        QVERIFY(diverged >= 1);  // nq2 leaves fp16 on this prompt
        const QString text = QString::fromStdString(test::temp_dir()) + "/scored.txt";
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(scored.toUtf8());
        f.close();
        const Result p =
            run({"ppl", "-f", text, "--special", "--ctx", QString::number(o["ppl_ctx"].toInt()),
                 "--score-from", QString::number(o["ppl_score_from"].toInt()), "--kv",
                 "fp16,nq4,nq2,k=nq8,v=nq2", "--json"});
        QCOMPARE(p.code, 0);
        const QJsonArray ppl = QJsonDocument::fromJson(p.out.toUtf8()).object()["rows"].toArray();
        QCOMPARE(ppl.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const double want = rows[i].toObject()["ppl"].toDouble();
            QVERIFY(std::abs(ppl[i].toObject()["ppl"].toDouble() - want) <= 1e-8 * want);
        }

        // The table: a row per configuration, then each output under its name.
        const Result t = run({"compare", "-p", question, "--temp", "0", "-n", "40", "--kv", "nq2"});
        QCOMPARE(t.code, 0);
        QVERIFY(t.out.contains("| fp16 | 2048 |"));
        QVERIFY(t.out.contains("=== fp16 ===\n## Step 1: " + fp16));
        QVERIFY(t.out.contains("=== nq2 (leaves fp16 at token "));
        // A prompt of one token and a short reply are scored too (the scoring starts at the
        // reply, so the chunk may be shorter than ppl's usual 8 tokens).
        const Result shortest =
            run({"compare", "-p", "x", "--raw", "-n", "3", "--temp", "0", "--kv", "nq2", "--json"});
        QVERIFY2(shortest.code == 0, qPrintable(shortest.err));
        const QJsonObject so = QJsonDocument::fromJson(shortest.out.toUtf8()).object();
        QVERIFY(so["ppl_ctx"].toInt() < 8);
        QFile sf(text);
        QVERIFY(sf.open(QIODevice::WriteOnly));
        sf.write(so["ppl_text"].toString().toUtf8());
        sf.close();
        const Result sp =
            run({"ppl", "-f", text, "--special", "--ctx", QString::number(so["ppl_ctx"].toInt()),
                 "--score-from", QString::number(so["ppl_score_from"].toInt()), "--kv", "fp16,nq2",
                 "--json"});
        QVERIFY2(sp.code == 0, qPrintable(sp.err));
        const double sw = so["rows"].toArray()[1].toObject()["ppl"].toDouble();
        QVERIFY(std::abs(QJsonDocument::fromJson(sp.out.toUtf8())
                             .object()["rows"]
                             .toArray()[1]
                             .toObject()["ppl"]
                             .toDouble() -
                         sw) <= 1e-8 * sw);
        const Result empty = run({"compare", "-p", "  "});
        QCOMPARE(empty.code, 1);
        QVERIFY(empty.err.contains("the prompt is empty"));
        const Result bad = run({"compare", "-p", question, "--kv", "nq5"});
        QVERIFY(bad.err.startsWith("error: --kv: unknown KV format \"nq5\""));
    }

    void ctrl_c_stops_generation_cleanly() {
        QProcess p;
        p.start(QString::fromStdString(test::bin_dir() + "/nqkv"),
                {"generate", "-m", tiny(), "-p", "Tom", "-n", "10000000", "--ctx", "200000",
                 "--ignore-eos"});
        QVERIFY(p.waitForStarted());
        QVERIFY(p.waitForReadyRead(20000));  // the prompt is echoed once the model is loaded
        QTest::qWait(200);
        QCOMPARE(p.state(), QProcess::Running);
        QVERIFY(p.processId() > 0);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("stop: cancelled"));
    }

    void ar_prints_steps_and_answers() {
        const QString prm = QString::fromStdString(test::write_marker_prm('7'));
        const QStringList base = {"ar",
                                  "-m",
                                  tiny(),
                                  "--prm",
                                  prm,
                                  "-p",
                                  "Tom had 12 apples. How many now?",
                                  "--max-tokens",
                                  "80",
                                  "--max-steps",
                                  "6",
                                  "--temp",
                                  "1",
                                  "--seed",
                                  "3"};
        Result r =
            run(base + QStringList{"--trigger", "Hmm, step {n} looks wrong.\n## Step {n}: "});
        QCOMPARE(r.code, 0);
        qInfo("%s", qPrintable(r.out));
        QVERIFY(r.out.contains("## Step 1:"));
        QVERIFY(r.out.contains("PRM 0."));
        QVERIFY(r.out.contains("Answer: "));
        if (r.out.contains("RETHINK")) QVERIFY(r.out.contains(">> Hmm, step "));
        // At threshold 1 every step is sent back (the tiny policy writes "e" often enough to
        // end steps with it); each line of the trigger is marked, its closing heading too, so
        // that it does not read as a step of its own.
        r = run(base + QStringList{"--threshold", "1", "--delimiter", "e", "--trigger",
                                   "Hmm, step {n} looks wrong.\n## Step {n}: "});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("RETHINK"));
        QVERIFY(r.out.contains("    >> Hmm, step 1 looks wrong.\n    >> ## Step 1:\n"));
        const QString trace = QString::fromStdString(test::temp_dir()) + "/trace.json";
        r = run(base + QStringList{"--n", "3", "--json", "--trace-out", trace});
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["candidates"].toArray().size(), 3);
        QVERIFY(j["selection"].toObject().contains("majority"));
        QFile f(trace);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(f.readAll()).object(), j);
        // eval-ar over a small problem file.
        const QString data = QString::fromStdString(test::temp_dir()) + "/problems.jsonl";
        QFile pf(data);
        QVERIFY(pf.open(QIODevice::WriteOnly));
        pf.write(
            "{\"question\": \"Tom had 2 apples and got 3 more. How many?\", \"answer\": \"5\"}\n"
            "{\"question\": \"Mia had 10 coins and lost 4. How many?\", \"answer\": 6}\n");
        pf.close();
        r = run({"eval-ar", "-m", tiny(), "--prm", prm, "--data", data, "--n", "2", "--max-tokens",
                 "30", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonArray methods =
            QJsonDocument::fromJson(r.out.toUtf8()).object()["methods"].toArray();
        QCOMPARE(methods.size(), 6);
        for (const auto& v : methods) {
            QCOMPARE(v.toObject()["done"].toInt(), 2);
            QVERIFY(v.toObject()["policy_tokens"].toDouble() > 0);
        }
        QVERIFY(r.err.contains("2/2 problems"));
        QCOMPARE(methods[0].toObject()["prm_tokens"].toDouble(), 0.0);  // greedy reads no PRM
        QVERIFY(methods[2].toObject()["prm_tokens"].toDouble() > 0);
        r = run(
            {"eval-ar", "-m", tiny(), "--prm", prm, "--data", data, "--methods", "greedy,beam"});
        QCOMPARE(r.err, QString("error: --methods: unknown method \"beam\" (greedy, sample, ar, "
                                "bon, wbon, maj)\n"));
        // A bad problem line is named by file, line and member.
        QVERIFY(pf.open(QIODevice::Append));
        pf.write("\n{\"question\": \"Zoe had 3 pens.\", \"answer\": [3]}\n");
        pf.close();
        r = run({"eval-ar", "-m", tiny(), "--prm", prm, "--data", data});
        QCOMPARE(r.err, "error: " + data + ":4: \"answer\" is not a string or a number\n");
        // Errors name the input.
        r = run({"ar", "-m", tiny(), "--prm", prm, "-p", "x", "--trigger", "no step number"});
        QCOMPARE(r.err,
                 QString("error: --trigger: \"no step number\" has no {n} for the step number\n"));
        r = run({"ar", "-m", tiny(), "--prm", prm, "-p", "x", "--chat", "alpaca"});
        QVERIFY(r.err.startsWith("error: --chat: unknown format \"alpaca\""));
    }

    void tokenize_and_info() {
        const Result ids = run({"tokenize", "-m", tiny(), "-p", "Tom found 12", "--ids"});
        QCOMPARE(ids.code, 0);
        QVERIFY(ids.out.startsWith("1 "));
        const Result info = run({"info", "-m", tiny(), "--json"});
        QCOMPARE(info.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(info.out.toUtf8()).object();
        QCOMPARE(o["n_layer"].toInt(), 2);
        QCOMPARE(o["n_vocab"].toInt(), 320);
        QVERIFY(o["kv_bytes_per_token_f16"].toDouble() == 2.0 * 2 * 2 * 16 * 2);
        QVERIFY(run({"info", "-m", tiny(), "--tensors"}).out.contains("blk.1.ffn_down.weight"));

        // How the CPU multiplies each matrix type; --float-acts changes the numbers a little.
        test::TinySpec q4;
        q4.matrix_type = TensorType::Q4_0;
        const QString q4_path = QString::fromStdString(test::write_tiny_model(q4));
        const Result qi = run({"info", "-m", q4_path});
        QVERIFY2(qi.out.contains("Q4_0: integer dot products, activations rounded to Q8_0"),
                 qPrintable(qi.out));
        const QJsonObject qj =
            QJsonDocument::fromJson(run({"info", "-m", q4_path, "--json"}).out.toUtf8()).object();
        QCOMPARE(qj["cpu_activations"].toObject()["Q4_0"].toString(), QString("Q8_0"));
        // Bits per weight: Q4_0's 4.5 for the matrices, the F32 norms and embedding above it.
        const double bpw = qj["bits_per_weight"].toDouble();
        QVERIFY2(bpw > 4.5 && bpw < 32, qPrintable(QString::number(bpw)));
        QVERIFY(std::abs(bpw - 8.0 * qj["weight_bytes"].toDouble() / qj["parameters"].toDouble()) <
                1e-4);
        QVERIFY(qi.out.contains(QString("bits per weight")));
        const QStringList ppl = {
            "ppl",  "-m",    q4_path, "-f", QString(NQKV_TEST_DATA_DIR) + "/stories.txt",
            "--kv", "fp16",  "--ctx", "64", "--chunks",
            "1",    "--json"};
        const auto ppl_of = [&](const QStringList& args) {
            const Result r = run(args);
            return QJsonDocument::fromJson(r.out.toUtf8())
                .object()["rows"]
                .toArray()[0]
                .toObject()["ppl"]
                .toDouble();
        };
        const double rounded = ppl_of(ppl), exact = ppl_of(ppl + QStringList{"--float-acts"});
        QVERIFY(rounded > 1 && exact > 1);
        QVERIFY2(rounded != exact && std::abs(rounded - exact) < 0.05 * exact,
                 qPrintable(QString("%1 %2").arg(rounded).arg(exact)));
    }

    void bench_reports_speeds() {
        const Result r = run({"bench", "-m", tiny(), "-p", "16", "-n", "8", "--reps", "1", "--json",
                              "--kv", "fp16,nq4,k=nq8,v=nq2", "--ctx", "20,40"});
        QCOMPARE(r.code, 0);
        const QJsonArray results =
            QJsonDocument::fromJson(r.out.toUtf8()).object()["results"].toArray();
        QCOMPARE(results.size(), 3 * 3);  // per configuration: pp, tg @ 20, tg @ 40
        for (const auto& v : results) {
            const QJsonObject o = v.toObject();
            QVERIFY(o["tokens_per_s"].toDouble() > 0);
            if (o["test"].toString() == "tg8 @ 40")
                QCOMPARE(o["kv_bytes"].toInteger(), o["kv_bytes_per_token"].toInteger() * (40 + 8));
        }
        QCOMPARE(results[3].toObject()["kv"].toString(), QString("nq4"));
        QCOMPARE(results[6].toObject()["kv"].toString(), QString("k=nq8,v=nq2"));
        const Result s =
            run({"bench", "-m", tiny(), "-p", "8", "-n", "4", "--reps", "1", "--isa", "scalar"});
        QVERIFY(s.out.contains("| scalar |"));
        // Without -m, the bundled policy; the isa column says when activations stay floats.
        const Result d = run({"bench", "-p", "4", "-n", "2", "--reps", "1", "--float-acts"});
        QCOMPARE(d.code, 0);
        QVERIFY2(d.out.contains("| nqkv-arith-policy | ") && d.out.contains(", float acts |"),
                 qPrintable(d.out));
    }
    // A conversation from stdin: one reply line per message, /kv and /reset, the same greedy
    // reply to the same first message; a conversation longer than the context keeps going with
    // its oldest messages left out, or, with --overflow refuse, reports and goes on.
    // At a terminal (script(1) makes one) with libedit installed, typed lines are kept in the
    // history file, and a second session adds to what the first kept.
    void chat_at_a_terminal_keeps_its_history() {
        if (QStandardPaths::findExecutable("script").isEmpty())
            QSKIP("no script(1) here to run nqkv chat at a terminal");
        QLibrary edit("edit", 2);
        if (!edit.load()) QSKIP("libedit.so.2 is not installed: nqkv chat reads plain lines");
        const QString state = QString::fromStdString(test::temp_dir()) + "/state";
        const auto session = [&](const QByteArray& typed) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("XDG_STATE_HOME", state);
            p.setProcessEnvironment(env);
            const QString cmd = QString::fromStdString(test::bin_dir()) + "/nqkv chat -m " +
                                tiny() + " -n 4 --temp 0";
            p.start("script", {"-q", "-c", cmd, "/dev/null"});
            p.write(typed);
            p.closeWriteChannel();
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
        };
        session("Tom has three\n/quit\n");
        QFile history(state + "/nqkv/chat_history");
        QVERIFY(history.open(QIODevice::ReadOnly));
        const QByteArray first = history.readAll();
        QVERIFY2(first.contains("Tom\\040has\\040three"), first.constData());
        history.close();
        session("Then there were\n/quit\n");
        QVERIFY(history.open(QIODevice::ReadOnly));
        const QByteArray both = history.readAll();
        QVERIFY2(both.contains("Tom\\040has\\040three") && both.contains("Then\\040there"),
                 both.constData());
    }

    // Ctrl-C while typing at a terminal drops that message, not the program: the conversation
    // goes on with what its cache holds. Where the Ctrl-C lands depends on timing (while the
    // editor reads: "[message dropped ...]"; just before it switched the terminal to its own
    // mode: the terminal drops the typed text), so the checks are what must hold either way.
    void chat_at_a_terminal_drops_a_message_on_ctrl_c() {
        if (QStandardPaths::findExecutable("script").isEmpty())
            QSKIP("no script(1) here to run nqkv chat at a terminal");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_STATE_HOME", QString::fromStdString(test::temp_dir()) + "/ctrl-c");
        p.setProcessEnvironment(env);
        const QString cmd = QString::fromStdString(test::bin_dir()) + "/nqkv chat -m " + tiny() +
                            " -n 4 --temp 0 --ignore-eos";
        p.start("script", {"-q", "-c", cmd, "/dev/null"});
        QByteArray seen;
        // Until `what` has been seen `times` times in all the output.
        const auto await = [&](const QByteArray& what, qsizetype times = 1, int ms = 60000) {
            QElapsedTimer t;
            t.start();
            while (seen.count(what) < times && t.elapsed() < ms) {
                p.waitForReadyRead(50);
                seen += p.readAllStandardOutput();
            }
            return seen.count(what) >= times;
        };
        QVERIFY2(await("/help for commands"), seen.constData());
        p.write("Hello there\n");
        QVERIFY2(await("[4 tokens"), seen.constData());
        const qsizetype after = seen.mid(seen.indexOf("[4 tokens")).count("> ");
        QVERIFY2(await("> ", seen.count("> ") - after + 1), seen.constData());  // the next prompt
        QTest::qWait(300);  // the editor reading by now, most likely
        p.write("half typed\x03");
        await("[message dropped; /quit or Ctrl-D leaves]", 1, 3000);
        // A Ctrl-C the moment a reply ends: let go.
        p.write("Hello again\n");
        QVERIFY2(await("[4 tokens", 2), seen.constData());
        p.write("\x03");
        QTest::qWait(300);
        p.write("/kv\n");
        QVERIFY2(await("[KV fp16]"), seen.constData());
        p.write("/quit\n");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(seen.count("[4 tokens"), 2);   // two replies: the dropped text was never sent
        QVERIFY(!seen.contains("half typed"));  // never read as a message
    }

    void chat_reads_messages_and_commands() {
        const QStringList base{"chat", "-m", tiny(), "--temp", "0", "-n", "6", "--ignore-eos"};
        const QString first = run_with_input(base, "Hello there\n").out;
        QVERIFY(first.size() > 1);
        Result r = run_with_input(base,
                                  "Hello there\nAnd a second\\\nline\n/kv\n/reset\n"
                                  "Hello there\n/quit\nnot read\n");
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(first) && r.out.endsWith(first));
        QVERIFY2(r.err.contains("[KV fp16]") && r.err.contains("[a new conversation]"),
                 qPrintable(r.err));
        QCOMPARE(r.err.count("[6 tokens"), 3);

        QByteArray many;
        for (int i = 0; i < 8; ++i) many += "Tom bought apples and pears at the market\n";
        r = run_with_input(QStringList(base) << "--ctx"
                                             << "64",
                           many);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.err.count("[6 tokens"), 8);
        QVERIFY2(r.err.contains("oldest messages left out to fit the context"), qPrintable(r.err));

        r = run_with_input(QStringList(base) << "--ctx"
                                             << "64"
                                             << "--overflow"
                                             << "refuse",
                           many);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("do not fit the context of 64") &&
                     r.err.contains("(the message was not added)"),
                 qPrintable(r.err));
        r = run(QStringList(base) << "--overflow"
                                  << "wrap");
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("context overflow \"wrap\": expected drop-oldest or refuse"));

        // The tiny model has no template, so nothing can ask it to skip its reasoning.
        r = run_with_input(QStringList(base) << "--no-think", "Hello there\n");
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(first));
        QVERIFY2(r.err.contains("--no-think: the model's chat template has no way"),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
