// Drives the main window from a small script and saves a window grab, for
// `nqkv-studio --demo SCRIPT --screenshot FILE.png`. One command per line:
//
//   size W H                  resize the window
//   settings KEY=VALUE ...    conversation settings: k, v, block, context, temperature,
//                             max_tokens, seed, system ("_" stands for a space in values)
//   prompt TEXT               send TEXT and wait for the reply to finish
//   panel chat|kv|inspector|model
//   map K|V ks|mse            compute the block heat map and wait for it
//   block K|V LAYER TOKEN BLOCK   open a block in the inspector and wait for it
//   wait MS                   let the window settle
//
// Blank lines and lines starting with # are ignored. The model is the one the window loads
// (-m, or the bundled default); the script waits for it first.
#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace nqkv::studio {

class MainWindow;

class DemoRunner : public QObject {
    Q_OBJECT
  public:
    DemoRunner(MainWindow* window, QString screenshot, QObject* parent = nullptr);
    // Reads the script; false with *error naming the file and line when it is malformed.
    bool load(const QString& path, QString* error);
    void start(int timeoutMs);

  signals:
    // 0 when the screenshot was written.
    void finished(int exitCode);

  private:
    void next();
    void fail(const QString& message);
    void done();

    MainWindow* window_;
    QString screenshot_;
    QStringList lines_;
    QList<int> lineNumbers_;
    QString path_;
    int at_ = 0;
    bool waitingModel_ = true;
    bool settled_ = false;
    QTimer timeout_;
};

}  // namespace nqkv::studio
