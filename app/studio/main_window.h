// The main window: conversations on the left, the chat in the middle, the KV memory panel,
// block inspector and model info on the right, the status line at the bottom. It owns the
// engine thread; every request to the engine is a queued signal.
#pragma once

#include <QMainWindow>
#include <QThread>
#include <memory>

#include "app/studio/chat_store.h"
#include "ui/studio_types.h"

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSettings;
class QTabWidget;

namespace nqkv::studio {

class ArBar;
class BlockInspector;
class ChatController;
class CompareView;
class ChatView;
class ConversationList;
class EngineWorker;
class KvPanel;
class ModelInfoPanel;
class TraceView;

struct StudioOptions {
    QString dataDir;       // where chats.sqlite lives (the XDG data location by default)
    QString settingsFile;  // an INI file instead of the user's settings (tests, demos)
    QString modelPath;     // loaded at start; empty: the last one, else the bundled default
    QString backend;       // cpu, cuda or auto; empty: the setting, else auto
};

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(const StudioOptions& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openModel(const QString& path);
    // A vision projector for the loaded model (Model → Open vision projector…). One that opens
    // is remembered for the model and opened with it next time.
    void openProjector(const QString& path);
    // "chat", "compare" (the centre) or "kv", "inspector", "trace", "model" (the side panel).
    void showPanel(const QString& name);

    ChatView* chatView() const { return chat_; }
    ChatController* controller() const { return controller_; }
    KvPanel* kvPanel() const { return kvPanel_; }
    BlockInspector* inspector() const { return inspector_; }
    ModelInfoPanel* modelInfo() const { return info_; }
    ArBar* arBar() const { return arBar_; }
    TraceView* traceView() const { return trace_; }
    CompareView* compareView() const { return compare_; }
    ConversationList* conversations() const { return list_; }
    EngineWorker* worker() const { return worker_; }
    ChatStore* store() const { return store_.get(); }
    bool modelReady() const { return modelReady_; }
    bool loading() const { return loading_; }
    QString speedText() const;
    QString contextText() const;

  signals:
    // After the worker's modelLoaded / loadFailed have been handled here.
    void modelOpened(const nqkv::studio::ModelInfo& info);
    void modelFailed(const QString& path, const QString& message);
    void loadRequested(const QString& path, const QString& backend);
    void projectorRequested(const QString& path);
    void blockRequested(int layer, int token, int kind, int block);
    void mapRequested(int kind, int metric);
    void compareRequested(const QString& prompt, const QStringList& configs,
                          const nqkv::studio::ChatSettings& settings, int maxTokens,
                          const QList<QByteArray>& pictures);

  protected:
    void closeEvent(QCloseEvent* e) override;

  private:
    void buildMenus();
    void connectWorker();
    // AR bar, trace view and compare view (main_window_ar.cpp).
    void connectArAndCompare();
    void chooseLanguage(const QString& code);
    void chooseBackend(const QString& name);
    void onModelLoaded(const ModelInfo& info);
    void onLoadFailed(const QString& path, const QString& message);
    void onKvStats(const nqkv::KvStats& s);
    void showError(const QString& title, const QString& message);
    void chooseModel();
    void rebuildRecent();
    void editConversationSettings();
    void renameCurrent(qint64 id);
    void deleteCurrent(qint64 id);
    void exportConversation(const QString& kind);
    void importConversation();

    StudioOptions options_;
    std::unique_ptr<QSettings> settings_;
    std::unique_ptr<ChatStore> store_;
    QThread thread_;
    EngineWorker* worker_;
    ChatView* chat_;
    ConversationList* list_;
    ChatController* controller_;
    KvPanel* kvPanel_;
    BlockInspector* inspector_;
    ModelInfoPanel* info_;
    ArBar* arBar_;
    TraceView* trace_;
    CompareView* compare_;
    QTabWidget* center_;
    QTabWidget* tabs_;
    QLabel* speed_;
    QLabel* context_;
    QLabel* model_;
    QProgressBar* loadBar_;
    QPushButton* loadCancel_;
    QMenu* recent_;
    ModelInfo modelInfo_;
    QString projectorAsked_;  // opened from elsewhere, until the engine answers
    QString rememberedProjector(const QString& model) const;
    void rememberProjector(const QString& model, const QString& projector);
    bool modelReady_ = false;
    bool loading_ = false;
    QString backend_;
    int requestedBlock_ = 64;  // the block size of the cache the last reply used
};

// Where the bundled default model is, or an empty string when this build has none.
QString bundledModelPath();

}  // namespace nqkv::studio
