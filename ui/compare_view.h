// Bit-widths side by side: one prompt and one seed under fp16 and the chosen KV configurations.
// The outputs stand in columns, a reasoning model's reasoning set apart from its answer, with
// the first token that leaves fp16's output highlighted; a
// chart shows, token by token, the KL divergence from fp16 and the log-probability change with
// fp16's output teacher-forced through each configuration; a table and bars sum up KV bytes,
// speed, perplexity on fp16's output and the context that fits the memory budget. The run
// itself happens on the engine thread; this view asks for it and shows progress and results.
// The last result is kept across restarts, and a saved one (or the CLI's) can be opened.
#pragma once

#include <QVariantMap>
#include <QWidget>

#include "ui/picture_files.h"
#include "ui/studio_types.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace nqkv::studio {

class CompareView : public QWidget {
    Q_OBJECT
  public:
    // Summary table columns.
    enum Column {
        Config,
        KvBytes,
        BytesPerToken,
        TokensPerSec,
        Ppl,
        DeltaPct,
        MeanKl,
        Top1,
        Divergence,
        ContextFits,
        ColumnCount
    };

    explicit CompareView(QWidget* parent = nullptr);

    QString prompt() const;
    void setPrompt(const QString& text);
    // The configurations to run besides fp16, in --kv syntax (checked formats, then the mixes).
    // Sets *error and returns {} when a mix is not valid.
    QStringList configurations(QString* error = nullptr) const;
    void setConfigurations(const QStringList& formats, const QString& mixes);
    int maxTokens() const;
    void setModelPath(const QString& path) { modelPath_ = path; }
    void setProjectorPath(const QString& path) { projectorPath_ = path; }

    // Pictures with the prompt (a model that reads them: the Picture… button shows). Without
    // one, pictures already chosen wait and a run goes without them.
    void setPicturesEnabled(bool on);
    bool picturesEnabled() const;
    // Adds a picture file; returns why it cannot, or empty (the check as the chat's).
    QString addPicture(const QString& path);
    void setPictureCheck(PictureCheck check) { pictureCheck_ = std::move(check); }
    QList<QByteArray> pictures() const { return pictures_; }
    void clearPictures();

    // What the user set up (prompt, formats, mixes, tokens, picture files), kept across
    // restarts; stateChanged() says when it changes.
    QVariantMap state() const;
    // Sets it up again; a picture file that cannot be read again is named in the status line
    // and returned.
    QStringList restoreState(const QVariantMap& state);

    void setRunning(bool running);
    bool running() const { return running_; }
    void setProgress(double fraction, const QString& stage);
    void showResult(const nqkv::CompareResult& r);
    void showError(const QString& message);
    const nqkv::CompareResult& result() const { return result_; }
    // The table's value (full precision) at a row and column.
    double tableValue(int row, Column c) const;
    QTableWidget* table() const { return table_; }
    QCustomPlot* tokenChart() const { return chart_; }
    QCustomPlot* memoryBars() const { return bars_; }
    // Writes result() as `nqkv compare --json` does; returns why it could not, or empty.
    QString exportJson(const QString& path) const;
    // Shows a comparison written by Export JSON… or `nqkv compare --json`; returns why it
    // cannot (the file, the row and what is wrong), or empty.
    QString openJson(const QString& path);
    // Where the result shown is kept, so that it is there again after a restart; opens what is
    // kept there now. Returns why that could not be shown, or empty (also when there is none).
    QString keepResultIn(const QString& path);
    // The command that reproduces the perplexity column.
    QString pplCommand() const;

  signals:
    void runRequested(const QString& prompt, const QStringList& configs, int maxTokens,
                      const QList<QByteArray>& pictures);
    void cancelRequested();
    void stateChanged();

  private:
    static QString outputHtml(const std::string& replyStart, const nqkv::CompareRow& row);
    void run();
    void drawChart();
    void saveText();
    void showPictures();
    // `from`: where an opened result came from (empty for a run's).
    void display(const nqkv::CompareResult& r, const QString& from);
    QString open(const QString& path, const QString& from);
    QString keepResult() const;

    QPlainTextEdit* prompt_;
    QPushButton* pictureButton_;
    QWidget* pictureRow_;  // what the pictures are, and a button to drop them
    QLabel* pictureLabel_;
    QList<QByteArray> pictures_;
    QStringList picturePaths_;
    QStringList runPictures_;  // the last run's, for its command
    PictureCheck pictureCheck_;
    QList<QCheckBox*> formats_;
    QLineEdit* mixes_;
    QSpinBox* maxTokens_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QHBoxLayout* columns_;
    QWidget* columnsHost_;
    QComboBox* metric_;
    QCustomPlot* chart_;
    QCustomPlot* bars_;
    QTableWidget* table_;
    QLabel* command_;
    QPushButton* saveText_;
    QPushButton* exportJson_;
    QPushButton* openJson_;
    QString keptPath_;
    nqkv::CompareResult result_;
    QString modelPath_, projectorPath_;
    // The result shown was opened from a file: the files it read are not known, only its model's
    // name.
    bool opened_ = false;
    bool running_ = false;
};

}  // namespace nqkv::studio
