#include "app/studio/demo_runner.h"

#include <QFile>
#include <QTextStream>
#include <cstdio>

#include "app/studio/chat_controller.h"
#include "app/studio/engine_worker.h"
#include "app/studio/main_window.h"
#include "ui/ar_bar.h"
#include "ui/block_inspector.h"
#include "ui/chat_view.h"
#include "ui/compare_view.h"

namespace nqkv::studio {
namespace {

const QStringList kCommands = {"size",  "settings", "prompt",  "panel",  "map",
                               "block", "wait",     "compare", "picture"};

int kindOf(const QString& s) {
    return s.compare("V", Qt::CaseInsensitive) == 0 ? 1 : 0;
}

}  // namespace

DemoRunner::DemoRunner(MainWindow* window, QString screenshot, QObject* parent)
    : QObject(parent), window_(window), screenshot_(std::move(screenshot)) {
    timeout_.setSingleShot(true);
    connect(&timeout_, &QTimer::timeout, this,
            [this] { fail(QString("timed out at step %1").arg(at_)); });
}

bool DemoRunner::load(const QString& path, QString* error) {
    path_ = path;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QString("%1: %2").arg(path, f.errorString());
        return false;
    }
    QTextStream in(&f);
    int n = 0;
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        ++n;
        if (line.isEmpty() || line.startsWith('#')) continue;
        const QString cmd = line.section(' ', 0, 0);
        if (!kCommands.contains(cmd)) {
            *error = QString("%1:%2: unknown command \"%3\" (known: %4)")
                         .arg(path)
                         .arg(n)
                         .arg(cmd, kCommands.join(", "));
            return false;
        }
        lines_ << line;
        lineNumbers_ << n;
    }
    return true;
}

void DemoRunner::start(int timeoutMs) {
    timeout_.start(timeoutMs);
    connect(window_, &MainWindow::modelOpened, this, [this] {
        if (waitingModel_) {
            waitingModel_ = false;
            next();
        }
    });
    connect(window_, &MainWindow::modelFailed, this,
            [this](const QString& p, const QString& m) { fail(p + ": " + m); });
    if (window_->modelReady()) {
        waitingModel_ = false;
        QTimer::singleShot(0, this, &DemoRunner::next);
    }
}

void DemoRunner::next() {
    if (at_ >= lines_.size()) {
        done();
        return;
    }
    const QString line = lines_[at_];
    const QString where = QString("%1:%2").arg(path_).arg(lineNumbers_[at_]);
    ++at_;
    const QStringList a = line.split(' ', Qt::SkipEmptyParts);
    const QString cmd = a[0];
    const QString rest = line.section(' ', 1).trimmed();
    if (cmd == "size" && a.size() == 3) {
        window_->resize(a[1].toInt(), a[2].toInt());
        QTimer::singleShot(0, this, &DemoRunner::next);
    } else if (cmd == "settings") {
        ChatSettings s = window_->controller()->currentSettings();
        for (int i = 1; i < a.size(); ++i) {
            const QString key = a[i].section('=', 0, 0);
            const QString value = a[i].section('=', 1).replace('_', ' ');
            if (key == "k")
                s.kFormat = value;
            else if (key == "v")
                s.vFormat = value;
            else if (key == "block")
                s.block = value.toInt();
            else if (key == "budget_mib")
                s.kvBudgetMiB = value.toInt();
            else if (key == "context")
                s.contextSize = value.toInt();
            else if (key == "temperature")
                s.temperature = value.toDouble();
            else if (key == "max_tokens")
                s.maxTokens = value.toInt();
            else if (key == "seed")
                s.seed = value.toLongLong();
            else if (key == "system")
                s.systemPrompt = value;
            else if (key == "ar")
                s.arEnabled = value == "on";
            else if (key == "p")
                s.arThreshold = value.toDouble();
            else if (key == "rethinks")
                s.arMaxRethink = value.toInt();
            else if (key == "n")
                s.arCandidates = value.toInt();
            else if (key == "prm")
                s.prmPath = value;
            else
                return fail(where + ": unknown setting \"" + key + "\"");
        }
        window_->controller()->setCurrentSettings(s);
        window_->arBar()->setSettings(s);
        QTimer::singleShot(0, this, &DemoRunner::next);
    } else if (cmd == "prompt" && !rest.isEmpty()) {
        auto* c = window_->controller();
        // A failed reply (a prompt past the context, ...) ends the run with its message instead
        // of waiting for the timeout.
        auto done = std::make_shared<QMetaObject::Connection>();
        auto failed = std::make_shared<QMetaObject::Connection>();
        *done = connect(c, &ChatController::replyDone, this, [this, done, failed] {
            disconnect(*done);
            disconnect(*failed);
            next();
        });
        *failed = connect(c, &ChatController::errorOccurred, this,
                          [this, where, done, failed](const QString& title, const QString& m) {
                              disconnect(*done);
                              disconnect(*failed);
                              fail(where + ": " + title + ": " + m);
                          });
        c->send(rest, window_->chatView()->pictures());
    } else if (cmd == "picture" && !rest.isEmpty()) {
        if (!window_->chatView()->picturesEnabled())
            return fail(where + ": the model has no vision projector beside it");
        if (const QString why = window_->chatView()->addPicture(rest); !why.isEmpty())
            return fail(where + ": " + why);
        QTimer::singleShot(0, this, &DemoRunner::next);
    } else if (cmd == "panel" && a.size() == 2) {
        window_->showPanel(a[1]);
        QTimer::singleShot(0, this, &DemoRunner::next);
    } else if (cmd == "map" && a.size() == 3) {
        auto conn = std::make_shared<QMetaObject::Connection>();
        *conn = connect(
            window_->worker(), &EngineWorker::blockMapReady, this,
            [this, conn] {
                disconnect(*conn);
                QTimer::singleShot(0, this, &DemoRunner::next);
            },
            Qt::QueuedConnection);
        emit window_->mapRequested(kindOf(a[1]), a[2] == "mse" ? 1 : 0);
    } else if (cmd == "block" && a.size() == 5) {
        auto conn = std::make_shared<QMetaObject::Connection>();
        *conn = connect(
            window_->worker(), &EngineWorker::blockReady, this,
            [this, conn] {
                disconnect(*conn);
                QTimer::singleShot(0, this, &DemoRunner::next);
            },
            Qt::QueuedConnection);
        window_->inspector()->pick(a[2].toInt(), a[3].toInt(), kindOf(a[1]), a[4].toInt());
    } else if (cmd == "compare" && a.size() >= 4) {
        // compare nq8;nq4;k=nq4,v=nq2 TOKENS PROMPT...
        QStringList formats, mixes;
        for (const QString& c : a[1].split(';', Qt::SkipEmptyParts))
            (c.contains('=') ? mixes : formats) << c;
        CompareView* view = window_->compareView();
        view->setConfigurations(formats, mixes.join("; "));
        view->setPrompt(line.section(' ', 3).trimmed());
        window_->showPanel("compare");
        auto conn = std::make_shared<QMetaObject::Connection>();
        const auto resume = [this, conn] {
            disconnect(*conn);
            QTimer::singleShot(0, this, &DemoRunner::next);
        };
        *conn = connect(window_->worker(), &EngineWorker::compareReady, this, resume,
                        Qt::QueuedConnection);
        connect(
            window_->worker(), &EngineWorker::compareFailed, this,
            [this, where](const QString& m) { fail(where + ": " + m); }, Qt::QueuedConnection);
        QString error;
        const QStringList configs = view->configurations(&error);
        if (!error.isEmpty()) return fail(where + ": " + error);
        emit view->runRequested(view->prompt(), configs, a[2].toInt(), view->pictures());
    } else if (cmd == "wait" && a.size() == 2) {
        QTimer::singleShot(a[1].toInt(), this, &DemoRunner::next);
    } else {
        fail(where + ": malformed line \"" + line + "\"");
    }
}

void DemoRunner::fail(const QString& message) {
    timeout_.stop();
    std::fprintf(stderr, "nqkv-studio --demo: %s\n", qPrintable(message));
    emit finished(1);
}

void DemoRunner::done() {
    // Layouts settle over a few more events (message heights follow their final width).
    if (!settled_) {
        settled_ = true;
        QTimer::singleShot(300, this, &DemoRunner::done);
        return;
    }
    timeout_.stop();
    if (!window_->grab().save(screenshot_)) {
        fail(screenshot_ + ": the screenshot could not be written");
        return;
    }
    std::printf("nqkv-studio --demo: wrote %s\n", qPrintable(screenshot_));
    emit finished(0);
}

}  // namespace nqkv::studio
