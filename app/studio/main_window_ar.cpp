// The main window's AR-Sampling and comparison wiring: the AR bar edits the conversation's
// settings, the trace view follows the reply being written (and the conversation's last AR
// reply otherwise), and the compare view's runs go to the engine thread.
#include "app/studio/chat_controller.h"
#include "app/studio/engine_worker.h"
#include "app/studio/main_window.h"
#include "ui/ar_bar.h"
#include "ui/ar_reply_format.h"
#include "ui/chat_view.h"
#include "ui/compare_view.h"
#include "ui/trace_view.h"

#include <QTabWidget>

namespace nqkv::studio {

void MainWindow::connectArAndCompare() {
    const auto q = Qt::QueuedConnection;
    connect(arBar_, &ArBar::changed, this, [this] {
        ChatSettings s = controller_->currentSettings();
        arBar_->apply(s);
        controller_->setCurrentSettings(s);
    });
    connect(controller_, &ChatController::conversationShown, this,
            [this] { arBar_->setSettings(controller_->currentSettings()); });
    connect(controller_, &ChatController::traceChanged, this, [this](const QString& json) {
        if (json.isEmpty())
            trace_->clear();
        else
            trace_->setTrace(json);
    });
    connect(controller_, &ChatController::replyRequested, this,
            [this](quint64, const QList<ChatTurn>&, const ChatSettings& s) {
                if (s.arEnabled) {
                    trace_->begin(s.arThreshold, std::max(1, s.arCandidates));
                    showPanel("trace");
                }
            });
    connect(
        worker_, &EngineWorker::arStep, this,
        [this](quint64 id, const ArPoint& p) {
            if (id == controller_->activeRequest()) trace_->addPoint(p);
        },
        q);
    connect(trace_, &TraceView::stepClicked, this, [this](int, int, const QString& text) {
        showPanel("chat");
        chat_->revealText(arStepBody(text).left(48));
    });

    connect(compare_, &CompareView::runRequested, this,
            [this](const QString& prompt, const QStringList& configs, int maxTokens,
                   const QList<QByteArray>& pictures) {
                compare_->setRunning(true);
                emit compareRequested(prompt, configs, controller_->currentSettings(), maxTokens,
                                      pictures);
            });
    connect(compare_, &CompareView::cancelRequested, this,
            [this] { worker_->requestCancelCompare(); });
    connect(this, &MainWindow::compareRequested, worker_, &EngineWorker::compare, q);
    connect(worker_, &EngineWorker::compareProgress, compare_, &CompareView::setProgress, q);
    connect(worker_, &EngineWorker::compareReady, compare_, &CompareView::showResult, q);
    connect(worker_, &EngineWorker::compareFailed, compare_, &CompareView::showError, q);
    connect(this, &MainWindow::modelOpened, this, [this](const ModelInfo& info) {
        compare_->setModelPath(info.path);
        compare_->setProjectorPath(info.visionProjector);
    });
}

}  // namespace nqkv::studio
