#include "app/studio/main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include "app/common/bundled_models.h"
#include "app/common/picture_file.h"
#include "app/studio/chat_controller.h"
#include "app/studio/engine_worker.h"
#include "app/studio/translations.h"
#include "engine/error.h"
#include "engine/kv_config.h"
#include "ui/ar_bar.h"
#include "ui/block_inspector.h"
#include "ui/chat_view.h"
#include "ui/compare_view.h"
#include "ui/conversation_list.h"
#include "ui/conversation_settings_dialog.h"
#include "ui/kv_panel.h"
#include "ui/model_info_panel.h"
#include "ui/trace_view.h"

namespace nqkv::studio {

QString bundledModelPath() {
    return QString::fromStdString(app::bundled_model("policy.gguf"));
}

MainWindow::MainWindow(const StudioOptions& options, QWidget* parent)
    : QMainWindow(parent), options_(options) {
    registerStudioTypes();
    setWindowTitle(tr("NQKV Studio"));
    settings_ = options.settingsFile.isEmpty()
                    ? std::make_unique<QSettings>()
                    : std::make_unique<QSettings>(options.settingsFile, QSettings::IniFormat);
    QString dataDir = options.dataDir;
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    store_ = std::make_unique<ChatStore>(dataDir + "/chats.sqlite");
    backend_ = !options.backend.isEmpty() ? options.backend
                                          : settings_->value("model/backend", "auto").toString();

    worker_ = new EngineWorker;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.setObjectName("engine");
    thread_.start();

    chat_ = new ChatView;
    // The same decoder that reads the picture for the model checks it when it is added.
    const auto pictureCheck = [](const QByteArray& bytes, const QString& path) {
        try {
            app::decode_picture(reinterpret_cast<const unsigned char*>(bytes.constData()),
                                size_t(bytes.size()), path.toStdString());
            return QString();
        } catch (const Error& e) {
            return QString::fromStdString(e.what());
        }
    };
    chat_->setPictureCheck(pictureCheck);
    list_ = new ConversationList;
    kvPanel_ = new KvPanel;
    inspector_ = new BlockInspector;
    info_ = new ModelInfoPanel;
    arBar_ = new ArBar;
    trace_ = new TraceView;
    compare_ = new CompareView;
    compare_->setPictureCheck(pictureCheck);
    // The comparison's prompt and setup are the user's typing too: kept across restarts.
    compare_->restoreState(settings_->value("compare/state").toMap());
    connect(compare_, &CompareView::stateChanged, this,
            [this] { settings_->setValue("compare/state", compare_->state()); });
    // So is its last result: a comparison takes minutes on a large model.
    compare_->keepResultIn(dataDir + "/last-comparison.json");
    tabs_ = new QTabWidget;
    tabs_->addTab(kvPanel_, tr("KV memory"));
    tabs_->addTab(trace_, tr("AR trace"));
    tabs_->addTab(inspector_, tr("Block inspector"));
    tabs_->addTab(info_, tr("Model"));

    auto* chatPage = new QWidget;
    auto* chatLayout = new QVBoxLayout(chatPage);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->addWidget(arBar_);
    chatLayout->addWidget(chat_, 1);
    center_ = new QTabWidget;
    center_->addTab(chatPage, tr("Chat"));
    center_->addTab(compare_, tr("Compare bit-widths"));
    // The comparison needs the width; the side panels are about the chat's own cache.
    connect(center_, &QTabWidget::currentChanged, this,
            [this](int i) { tabs_->setVisible(center_->widget(i) != compare_); });

    auto* split = new QSplitter;
    split->addWidget(list_);
    split->addWidget(center_);
    split->addWidget(tabs_);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);
    setCentralWidget(split);

    speed_ = new QLabel;
    context_ = new QLabel;
    model_ = new QLabel(tr("No model"));
    loadBar_ = new QProgressBar;
    loadBar_->setRange(0, 1000);
    loadBar_->setMaximumWidth(220);
    loadBar_->setVisible(false);
    loadCancel_ = new QPushButton(tr("Cancel"));
    loadCancel_->setVisible(false);
    connect(loadCancel_, &QPushButton::clicked, this, [this] { worker_->requestCancelLoad(); });
    statusBar()->addWidget(model_);
    statusBar()->addWidget(loadBar_);
    statusBar()->addWidget(loadCancel_);
    statusBar()->addPermanentWidget(speed_);
    statusBar()->addPermanentWidget(context_);

    controller_ = new ChatController(
        store_.get(), chat_, list_, [this](quint64 id) { worker_->requestStop(id); }, this);
    connect(controller_, &ChatController::errorOccurred, this, &MainWindow::showError);
    connect(list_, &ConversationList::renameRequested, this, &MainWindow::renameCurrent);
    connect(list_, &ConversationList::deleteRequested, this, &MainWindow::deleteCurrent);
    connect(chat_, &ChatView::editRequested, this, [this](int index) {
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(
            this, tr("Edit message"), tr("Later messages are replaced by a new reply."),
            chat_->messageText(index), &ok);
        if (ok) controller_->editAndResend(index, text);
    });
    connect(inspector_, &BlockInspector::blockRequested, this, &MainWindow::blockRequested);
    connect(inspector_, &BlockInspector::mapRequested, this, &MainWindow::mapRequested);
    connect(inspector_, &BlockInspector::mapCancelRequested, this,
            [this] { worker_->requestCancelMap(); });
    connectWorker();
    connectArAndCompare();
    buildMenus();

    if (!store_->ok()) showError(tr("Chat database"), store_->error());
    controller_->start();
    resize(settings_->value("window/size", QSize(1280, 800)).toSize());

    QString model = options.modelPath;
    if (model.isEmpty()) model = settings_->value("model/last").toString();
    if (model.isEmpty() || !QFileInfo::exists(model)) model = bundledModelPath();
    if (!model.isEmpty()) openModel(model);
}

MainWindow::~MainWindow() {
    controller_->stop();
    worker_->requestCancelLoad();
    worker_->requestCancelMap();
    thread_.quit();
    thread_.wait();
}

void MainWindow::connectWorker() {
    const auto q = Qt::QueuedConnection;
    connect(this, &MainWindow::loadRequested, worker_, &EngineWorker::loadModel, q);
    connect(controller_, &ChatController::replyRequested, worker_, &EngineWorker::reply, q);
    connect(controller_, &ChatController::replyRequested, this,
            [this](quint64, const QList<ChatTurn>&, const ChatSettings& s) {
                requestedBlock_ = s.block;
            });
    connect(this, &MainWindow::blockRequested, worker_, &EngineWorker::inspectBlock, q);
    connect(this, &MainWindow::mapRequested, worker_, &EngineWorker::computeBlockMap, q);

    connect(
        worker_, &EngineWorker::loadProgress, this,
        [this](double f, const QString& stage) {
            loadBar_->setValue(int(f * 1000));
            loadBar_->setFormat(stage + " %p%");
        },
        q);
    connect(worker_, &EngineWorker::modelLoaded, this, &MainWindow::onModelLoaded, q);
    connect(
        worker_, &EngineWorker::contextChanged, this,
        [this](const ModelInfo& info) {
            modelInfo_ = info;
            info_->setInfo(info);
            chat_->setPicturesEnabled(!info.visionProjector.isEmpty());
            compare_->setPicturesEnabled(!info.visionProjector.isEmpty());
            compare_->setProjectorPath(info.visionProjector);
            if (!projectorAsked_.isEmpty() && info.visionProjector == projectorAsked_)
                rememberProjector(info.path, projectorAsked_);
            projectorAsked_.clear();
        },
        q);
    connect(worker_, &EngineWorker::loadFailed, this, &MainWindow::onLoadFailed, q);
    connect(this, &MainWindow::projectorRequested, worker_, &EngineWorker::loadProjector, q);
    connect(
        worker_, &EngineWorker::projectorFailed, this,
        [this](const QString& path, const QString& message) {
            projectorAsked_.clear();
            QString text = tr("%1\n\n%2").arg(QDir::toNativeSeparators(path), message);
            if (path == rememberedProjector(modelInfo_.path)) {
                rememberProjector(modelInfo_.path, {});
                text += "\n\n" + tr("It was the projector last used with this model; it will not "
                                    "be opened with the model again.");
            }
            showError(tr("Could not open the vision projector"), text);
        },
        q);
    connect(
        worker_, &EngineWorker::pictureProgress, this,
        [this](quint64, const QString& stage) {
            if (stage.isEmpty())
                statusBar()->clearMessage();
            else
                statusBar()->showMessage(stage);
        },
        q);
    connect(worker_, &EngineWorker::replyText, controller_, &ChatController::onReplyText, q);
    connect(worker_, &EngineWorker::replyFinished, controller_, &ChatController::onReplyFinished,
            q);
    connect(worker_, &EngineWorker::replyFailed, controller_, &ChatController::onReplyFailed, q);
    connect(
        worker_, &EngineWorker::speed, this,
        [this](double tps, int used, int total) {
            speed_->setText(tr("%1 tokens/s").arg(tps, 0, 'f', 1));
            context_->setText(tr("%1 / %2").arg(used).arg(total));
        },
        q);
    connect(
        controller_, &ChatController::replyDone, this,
        [this](const ReplyStats& st) {
            speed_->setToolTip(
                tr("Last reply: read %1 prompt tokens (%2 more were already in the cache) in "
                   "%3 s, wrote %4 tokens in %5 s")
                    .arg(st.promptTokens - st.reusedTokens)
                    .arg(st.reusedTokens)
                    .arg(st.promptSeconds, 0, 'f', 2)
                    .arg(st.generatedTokens)
                    .arg(st.generateSeconds, 0, 'f', 2));
        },
        q);
    connect(worker_, &EngineWorker::kvStats, this, &MainWindow::onKvStats, q);
    connect(worker_, &EngineWorker::blockReady, inspector_, &BlockInspector::setBlock, q);
    connect(worker_, &EngineWorker::blockMapProgress, inspector_, &BlockInspector::setMapProgress,
            q);
    connect(worker_, &EngineWorker::blockMapReady, inspector_, &BlockInspector::setMap, q);
    connect(worker_, &EngineWorker::inspectFailed, inspector_, &BlockInspector::showError, q);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&Model"));
    file->addAction(tr("&Open model…"), QKeySequence::Open, this, &MainWindow::chooseModel);
    recent_ = file->addMenu(tr("Open &recent"));
    file->addAction(tr("Open vision &projector…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Vision projector for the model"), QFileInfo(modelInfo_.path).absolutePath(),
            tr("Vision projectors (*.gguf)"));
        if (!path.isEmpty()) openProjector(path);
    });
    rebuildRecent();
    QMenu* backends = file->addMenu(tr("&Backend"));
    auto* backendGroup = new QActionGroup(backends);
    const QList<QPair<QString, QString>> choices{
        {"auto", tr("&Automatic (CUDA when a GPU is usable)")},
        {"cpu", tr("&CPU")},
        {"cuda", tr("C&UDA")}};
    for (const auto& [name, label] : choices) {
        QAction* a = backends->addAction(label, this, [this, n = name] { chooseBackend(n); });
        a->setCheckable(true);
        a->setChecked(name == backend_);
        backendGroup->addAction(a);
    }
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* conv = menuBar()->addMenu(tr("&Conversation"));
    conv->addAction(tr("&New"), QKeySequence::New, controller_, &ChatController::newConversation);
    conv->addAction(tr("&Rename…"), this, [this] { renameCurrent(controller_->current()); });
    conv->addAction(tr("&Delete…"), this, [this] { deleteCurrent(controller_->current()); });
    conv->addAction(tr("&Settings…"), this, &MainWindow::editConversationSettings);
    conv->addSeparator();
    conv->addAction(tr("Export as &Markdown…"), this, [this] { exportConversation("md"); });
    conv->addAction(tr("Export as &JSON…"), this, [this] { exportConversation("json"); });
    conv->addAction(tr("&Import JSON…"), this, &MainWindow::importConversation);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&KV memory"), this, [this] { showPanel("kv"); });
    view->addAction(tr("&Block inspector"), this, [this] { showPanel("inspector"); });
    view->addAction(tr("&AR trace"), this, [this] { showPanel("trace"); });
    view->addAction(tr("&Model info"), this, [this] { showPanel("model"); });
    view->addAction(tr("&Compare bit-widths"), this, [this] { showPanel("compare"); });
    view->addSeparator();
    QMenu* language = view->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(language);
    const QString current = settings_->value("ui/language").toString();
    for (const auto& [code, name] : availableLanguages()) {
        QAction* a = language->addAction(name, this, [this, c = code] { chooseLanguage(c); });
        a->setCheckable(true);
        a->setChecked(code == current);
        a->setData(code);
        languages->addAction(a);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About NQKV Studio"), this, [this] {
        QMessageBox::about(this, tr("About NQKV Studio"),
                           tr("<b>NQKV Studio %1</b><br>Local LLM chat with a normal-quantile "
                              "quantized KV cache.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::chooseBackend(const QString& name) {
    settings_->setValue("model/backend", name);
    backend_ = name;
    // The model is loaded again on the new backend; if that fails, the old one stays.
    if (modelReady_) openModel(modelInfo_.path);
}

void MainWindow::chooseLanguage(const QString& code) {
    settings_->setValue("ui/language", code);
    QMessageBox::information(this, tr("Language"),
                             tr("The language changes when NQKV Studio starts next time."));
}

void MainWindow::openModel(const QString& path) {
    if (loading_) return;
    loading_ = true;
    loadBar_->setValue(0);
    loadBar_->setVisible(true);
    loadCancel_->setVisible(true);
    model_->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    emit loadRequested(path, backend_);
}

void MainWindow::onModelLoaded(const ModelInfo& info) {
    loading_ = false;
    modelReady_ = true;
    modelInfo_ = info;
    chat_->setPicturesEnabled(!info.visionProjector.isEmpty());
    compare_->setPicturesEnabled(!info.visionProjector.isEmpty());
    loadBar_->setVisible(false);
    loadCancel_->setVisible(false);
    model_->setText(info.name.isEmpty() ? QFileInfo(info.path).fileName() : info.name);
    model_->setToolTip(info.path);
    info_->setInfo(info);
    inspector_->setValuesInKeys(info.mlaRank > 0);  // the model's, not each stats update's
    settings_->setValue("model/last", info.path);
    QStringList recent = settings_->value("model/recent").toStringList();
    recent.removeAll(info.path);
    recent.prepend(info.path);
    settings_->setValue("model/recent", recent.mid(0, 10));
    rebuildRecent();
    emit modelOpened(info);
    // The projector opened from elsewhere for this model last time, when none lies beside it.
    if (info.visionProjector.isEmpty())
        if (const QString p = rememberedProjector(info.path); !p.isEmpty()) openProjector(p);
}

void MainWindow::openProjector(const QString& path) {
    projectorAsked_ = path;
    emit projectorRequested(path);
}

QString MainWindow::rememberedProjector(const QString& model) const {
    return settings_->value("model/projectors").toMap().value(model).toString();
}

void MainWindow::rememberProjector(const QString& model, const QString& projector) {
    QVariantMap all = settings_->value("model/projectors").toMap();
    if (projector.isEmpty())
        all.remove(model);
    else
        all.insert(model, projector);
    settings_->setValue("model/projectors", all);
}

void MainWindow::onLoadFailed(const QString& path, const QString& message) {
    loading_ = false;
    loadBar_->setVisible(false);
    loadCancel_->setVisible(false);
    model_->setText(modelReady_ ? (modelInfo_.name.isEmpty() ? QFileInfo(modelInfo_.path).fileName()
                                                             : modelInfo_.name)
                                : tr("No model"));
    showError(tr("Could not open the model"),
              tr("%1\n\n%2").arg(QDir::toNativeSeparators(path), message));
    emit modelFailed(path, message);
}

void MainWindow::onKvStats(const nqkv::KvStats& s) {
    kvPanel_->setStats(s);
    // An unquantized cache reports block 0 but is still inspected in blocks of the requested size.
    const int blocksPerRow =
        s.max_row / effective_block(s.block ? s.block : requestedBlock_, std::max(1, s.common_row));
    inspector_->setLimits(s.n_layer, s.tokens_held, blocksPerRow);
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Not modal-blocking: the app stays usable and tests can find and close the box.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName("errorBox");
    box->open();
}

void MainWindow::chooseModel() {
    const QString dir = QFileInfo(settings_->value("model/last").toString()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a GGUF model"), dir,
                                                      tr("GGUF models (*.gguf);;All files (*)"));
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::rebuildRecent() {
    recent_->clear();
    const QStringList recent = settings_->value("model/recent").toStringList();
    for (const auto& p : recent)
        recent_->addAction(QFileInfo(p).fileName(), this, [this, p] { openModel(p); })
            ->setToolTip(p);
    recent_->setEnabled(!recent.isEmpty());
}

void MainWindow::showPanel(const QString& name) {
    // A side panel is hidden while the comparison is shown: asking for one goes back to the chat.
    if (name != "compare" && center_->currentWidget() == compare_) center_->setCurrentIndex(0);
    if (name == "kv") tabs_->setCurrentWidget(kvPanel_);
    if (name == "inspector") tabs_->setCurrentWidget(inspector_);
    if (name == "trace") tabs_->setCurrentWidget(trace_);
    if (name == "model") tabs_->setCurrentWidget(info_);
    if (name == "compare") center_->setCurrentWidget(compare_);
    if (name == "chat") {
        center_->setCurrentIndex(0);
        chat_->setFocus();
    }
}

void MainWindow::editConversationSettings() {
    ConversationSettingsDialog dialog(this);
    dialog.setSettings(controller_->currentSettings());
    if (modelReady_) {
        dialog.setModelShape(modelInfo_.kvRows, modelInfo_.mlaRank > 0);
        dialog.setReasoningControls(modelInfo_.takesReasoningEffort, modelInfo_.thinkingPrompt);
        dialog.setDefaultSystemPrompt(modelInfo_.defaultSystem);
    }
    if (dialog.exec() == QDialog::Accepted) controller_->setCurrentSettings(dialog.settings());
}

void MainWindow::renameCurrent(qint64 id) {
    if (!id) return;
    bool ok = false;
    const QString title =
        QInputDialog::getText(this, tr("Rename conversation"), tr("Title"), QLineEdit::Normal,
                              store_->conversation(id).title, &ok);
    if (ok) controller_->renameConversation(id, title);
}

void MainWindow::deleteCurrent(qint64 id) {
    if (!id) return;
    const auto answer = QMessageBox::question(
        this, tr("Delete conversation"),
        tr("Delete \"%1\" and all its messages?").arg(store_->conversation(id).title));
    if (answer == QMessageBox::Yes) controller_->deleteConversation(id);
}

void MainWindow::exportConversation(const QString& kind) {
    const qint64 id = controller_->current();
    if (!id) return;
    const QString title = store_->conversation(id).title;
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export conversation"), title + "." + kind,
                                     kind == "md" ? tr("Markdown (*.md)") : tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        showError(tr("Export failed"), tr("%1: %2").arg(path, f.errorString()));
        return;
    }
    f.write(kind == "md" ? store_->exportMarkdown(id).toUtf8()
                         : QJsonDocument(store_->exportJson(id)).toJson());
}

void MainWindow::importConversation() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import conversation"), {},
                                                      tr("JSON (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        showError(tr("Import failed"), tr("%1: %2").arg(path, f.errorString()));
        return;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
    if (doc.isNull() || !doc.isObject()) {
        showError(tr("Import failed"), tr("%1: not a JSON object (%2 at byte %3)")
                                           .arg(path, perr.errorString())
                                           .arg(perr.offset));
        return;
    }
    QString error;
    const qint64 id = store_->importJson(doc.object(), &error);
    if (!id) {
        showError(tr("Import failed"), tr("%1: %2").arg(path, error));
        return;
    }
    controller_->open(id);
}

QString MainWindow::speedText() const {
    return speed_->text();
}
QString MainWindow::contextText() const {
    return context_->text();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    controller_->saveInterrupted();
    controller_->stop();
    settings_->setValue("window/size", size());
    settings_->sync();
    e->accept();
}

}  // namespace nqkv::studio
