#include "ui/compare_view.h"

#include <qcustomplot.h>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include "engine/error.h"
#include "engine/kv_config.h"
#include "engine/reply_channels.h"
#include "ui/picture_files.h"

namespace nqkv::studio {
namespace {

const QStringList kFormats{"nq8", "nq4", "nq3", "nq2", "lm2", "int4"};

QColor seriesColor(int i) {
    static const QColor c[] = {QColor(60, 60, 60),   QColor(40, 110, 200), QColor(220, 120, 30),
                               QColor(40, 160, 90),  QColor(200, 50, 60),  QColor(140, 80, 190),
                               QColor(120, 120, 40), QColor(30, 150, 170)};
    return c[i % 8];
}

QTableWidgetItem* number(double v, const QString& shown) {
    auto* item = new QTableWidgetItem(shown);
    item->setData(Qt::UserRole, v);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    prompt_ = new QPlainTextEdit;
    prompt_->setObjectName("comparePrompt");
    prompt_->setPlaceholderText(tr("The prompt every configuration answers"));
    prompt_->setMaximumHeight(70);
    // Two rows of formats and the mixes below, so the view stays narrow beside the panels.
    auto* formatGrid = new QGridLayout;
    auto* fp16 = new QCheckBox("fp16");
    fp16->setChecked(true);
    fp16->setEnabled(false);
    fp16->setToolTip(tr("The reference: always run"));
    formatGrid->addWidget(fp16, 0, 0);
    for (const QString& f : kFormats) {
        auto* box = new QCheckBox(f);
        box->setChecked(f == "nq8" || f == "nq4" || f == "nq2");
        formats_ << box;
        const int at = int(formats_.size());
        formatGrid->addWidget(box, at / 4, at % 4);
    }
    mixes_ = new QLineEdit;
    mixes_->setPlaceholderText(tr("mixes, e.g. k=nq4,v=nq2; k=nq8,v=nq4"));
    pictureButton_ = new QPushButton(tr("Picture…"));
    pictureButton_->setObjectName("comparePictureButton");
    pictureButton_->setToolTip(tr("Show the model a picture with the prompt"));
    pictureButton_->setVisible(false);
    connect(pictureButton_, &QPushButton::clicked, this, [this] {
        QStringList refused;
        for (const QString& path : QFileDialog::getOpenFileNames(
                 this, tr("Pictures for the prompt"), {}, pictureFileFilter()))
            if (const QString why = addPicture(path); !why.isEmpty()) refused << why;
        if (!refused.isEmpty()) showError(refused.join("\n"));
    });
    pictureLabel_ = new QLabel;
    pictureLabel_->setObjectName("comparePictures");
    auto* dropPictures = new QToolButton;
    dropPictures->setText(tr("Remove"));
    dropPictures->setToolTip(tr("Compare without these pictures"));
    connect(dropPictures, &QToolButton::clicked, this, &CompareView::clearPictures);
    pictureRow_ = new QWidget;
    auto* pictureRow = new QHBoxLayout(pictureRow_);
    pictureRow->setContentsMargins(0, 0, 0, 0);
    pictureRow->addWidget(pictureLabel_, 1);
    pictureRow->addWidget(dropPictures);
    pictureRow_->setVisible(false);
    maxTokens_ = new QSpinBox;
    maxTokens_->setObjectName("compareTokens");
    maxTokens_->setRange(4, 2048);
    maxTokens_->setValue(96);
    run_ = new QPushButton(tr("Compare"));
    run_->setObjectName("compareRun");
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName("compareCancel");
    cancel_->setEnabled(false);
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setVisible(false);
    status_ = new QLabel;
    status_->setObjectName("compareStatus");
    status_->setWordWrap(true);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(pictureButton_);
    runRow->addWidget(new QLabel(tr("Tokens")));
    runRow->addWidget(maxTokens_);
    runRow->addWidget(run_);
    runRow->addWidget(cancel_);
    runRow->addWidget(progress_, 1);
    connect(prompt_, &QPlainTextEdit::textChanged, this, &CompareView::stateChanged);
    for (QCheckBox* b : formats_) connect(b, &QCheckBox::toggled, this, &CompareView::stateChanged);
    connect(mixes_, &QLineEdit::textChanged, this, &CompareView::stateChanged);
    connect(maxTokens_, &QSpinBox::valueChanged, this, &CompareView::stateChanged);
    connect(run_, &QPushButton::clicked, this, &CompareView::run);
    connect(cancel_, &QPushButton::clicked, this, &CompareView::cancelRequested);

    columnsHost_ = new QWidget;
    columns_ = new QHBoxLayout(columnsHost_);
    auto* columnScroll = new QScrollArea;
    columnScroll->setWidget(columnsHost_);
    columnScroll->setWidgetResizable(true);

    metric_ = new QComboBox;
    metric_->addItems({tr("KL divergence from fp16 (nats)"), tr("log-probability − fp16's")});
    connect(metric_, &QComboBox::currentIndexChanged, this, &CompareView::drawChart);
    chart_ = new QCustomPlot;
    chart_->setMinimumHeight(110);
    chart_->xAxis->setLabel(tr("token of fp16's output"));
    chart_->legend->setVisible(true);
    bars_ = new QCustomPlot;
    bars_->setMinimumHeight(110);
    bars_->yAxis->setLabel(tr("KV bytes"));

    table_ = new QTableWidget(0, ColumnCount);
    table_->setHorizontalHeaderLabels({tr("KV"), tr("KV bytes"), tr("bytes/token"), tr("tokens/s"),
                                       tr("perplexity"), tr("Δ% vs fp16"), tr("mean KL"),
                                       tr("top-1 = fp16"), tr("diverges at"),
                                       tr("context in budget")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    command_ = new QLabel;
    command_->setWordWrap(true);
    command_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    saveText_ = new QPushButton(tr("Save scored text…"));
    saveText_->setEnabled(false);
    connect(saveText_, &QPushButton::clicked, this, &CompareView::saveText);
    exportJson_ = new QPushButton(tr("Export JSON…"));
    exportJson_->setObjectName("compareExport");
    exportJson_->setToolTip(
        tr("Everything this comparison measured, as nqkv compare --json "
           "writes it"));
    exportJson_->setEnabled(false);
    connect(exportJson_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"),
                                                          "compare.json", tr("JSON (*.json)"));
        if (path.isEmpty()) return;
        if (const QString why = exportJson(path); !why.isEmpty())
            QMessageBox::warning(this, tr("Export comparison"), why);
    });

    openJson_ = new QPushButton(tr("Open JSON…"));
    openJson_->setObjectName("compareOpen");
    openJson_->setToolTip(
        tr("Show a comparison exported before, or written by nqkv compare --json"));
    connect(openJson_, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open comparison"), {}, tr("JSON (*.json)"));
        if (path.isEmpty()) return;
        if (const QString why = openJson(path); !why.isEmpty())
            QMessageBox::warning(this, tr("Open comparison"), why);
    });

    auto* chartBox = new QWidget;
    auto* chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(metric_);
    chartLayout->addWidget(chart_, 1);
    auto* summary = new QWidget;
    auto* summaryLayout = new QHBoxLayout(summary);
    summaryLayout->setContentsMargins(0, 0, 0, 0);
    summaryLayout->addWidget(table_, 3);
    summaryLayout->addWidget(bars_, 2);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(columnScroll);
    split->addWidget(chartBox);
    split->addWidget(summary);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);
    columnScroll->setMinimumHeight(110);

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(command_, 1);
    bottom->addWidget(saveText_);
    bottom->addWidget(exportJson_);
    bottom->addWidget(openJson_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(prompt_);
    layout->addWidget(pictureRow_);
    layout->addLayout(formatGrid);
    layout->addWidget(mixes_);
    layout->addLayout(runRow);
    layout->addWidget(status_);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);
}

QString CompareView::prompt() const {
    return prompt_->toPlainText();
}
void CompareView::setPrompt(const QString& text) {
    prompt_->setPlainText(text);
}
void CompareView::setPicturesEnabled(bool on) {
    pictureButton_->setVisible(on);
    showPictures();
}

bool CompareView::picturesEnabled() const {
    return pictureButton_->isVisibleTo(this);
}

QString CompareView::addPicture(const QString& path) {
    QByteArray bytes;
    if (const QString why = readPictureFile(path, pictureCheck_, &bytes); !why.isEmpty())
        return why;
    pictures_ << bytes;
    picturePaths_ << path;
    showPictures();
    emit stateChanged();
    return {};
}

void CompareView::clearPictures() {
    pictures_.clear();
    picturePaths_.clear();
    showPictures();
    emit stateChanged();
}

QVariantMap CompareView::state() const {
    QStringList formats;
    for (QCheckBox* b : formats_)
        if (b->isChecked()) formats << b->text();
    return {{"prompt", prompt()},
            {"formats", formats},
            {"mixes", mixes_->text()},
            {"maxTokens", maxTokens()},
            {"pictures", picturePaths_}};
}

QStringList CompareView::restoreState(const QVariantMap& state) {
    if (state.isEmpty()) return {};
    const QSignalBlocker quiet(this);  // restoring is not a change to save
    setPrompt(state.value("prompt").toString());
    setConfigurations(state.value("formats").toStringList(), state.value("mixes").toString());
    maxTokens_->setValue(state.value("maxTokens", maxTokens()).toInt());
    clearPictures();
    QStringList refused;
    for (const QString& path : state.value("pictures").toStringList())
        if (const QString why = addPicture(path); !why.isEmpty()) refused << why;
    if (!refused.isEmpty())
        status_->setText(tr("Pictures from the last session left out: %1").arg(refused.join("; ")));
    return refused;
}

void CompareView::showPictures() {
    QStringList names;
    for (const QString& p : picturePaths_) names << QFileInfo(p).fileName();
    pictureRow_->setVisible(!pictures_.isEmpty());
    pictureLabel_->setText(
        picturesEnabled()
            ? tr("With the prompt: %1").arg(names.join(", "))
            : tr("Pictures waiting for a model that reads them: %1").arg(names.join(", ")));
}

int CompareView::maxTokens() const {
    return maxTokens_->value();
}

void CompareView::setConfigurations(const QStringList& formats, const QString& mixes) {
    for (QCheckBox* b : formats_) b->setChecked(formats.contains(b->text()));
    mixes_->setText(mixes);
}

QStringList CompareView::configurations(QString* error) const {
    QStringList out;
    for (QCheckBox* b : formats_)
        if (b->isChecked()) out << b->text();
    for (QString mix : mixes_->text().split(';', Qt::SkipEmptyParts)) {
        mix = mix.trimmed();
        if (mix.isEmpty()) continue;
        try {
            KvConfig::parse(mix.toStdString(), "mix");
        } catch (const Error& e) {
            if (error) *error = QString::fromStdString(e.what());
            return {};
        }
        out << mix;
    }
    return out;
}

void CompareView::run() {
    QString error;
    const QStringList configs = configurations(&error);
    if (!error.isEmpty()) {
        showError(error);
        return;
    }
    if (prompt().trimmed().isEmpty()) {
        showError(tr("Type a prompt first: every configuration answers the same one."));
        return;
    }
    runPictures_ = picturesEnabled() ? picturePaths_ : QStringList();
    emit runRequested(prompt(), configs, maxTokens(),
                      picturesEnabled() ? pictures_ : QList<QByteArray>());
}

void CompareView::setRunning(bool running) {
    running_ = running;
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    openJson_->setEnabled(!running);
    progress_->setVisible(running);
    if (running) {
        progress_->setValue(0);
        status_->setText(tr("Starting…"));
    }
}

void CompareView::setProgress(double fraction, const QString& stage) {
    progress_->setValue(int(fraction * 1000));
    status_->setText(stage);
}

void CompareView::showError(const QString& message) {
    setRunning(false);
    status_->setText(tr("Comparison failed: %1").arg(message));
}

// One configuration's output as a chat shows it: a reply prefix (the bundled policy's first step
// heading) begins it, and a reasoning model's reasoning (<think>, harmony's analysis channel)
// stands apart from the answer, its markers left out. The token where the output first differs
// from fp16's is highlighted and what follows it tinted; text the reply stream held back at a
// possible marker takes the style of the token that released it.
QString CompareView::outputHtml(const std::string& replyStart, const CompareRow& row) {
    ReplyStream stream;
    QString reasoning, answer;
    const auto add = [&](const ReplyParts& parts, const char* style) {
        for (const auto& [text, out] :
             {std::pair{&parts.reasoning, &reasoning}, std::pair{&parts.answer, &answer}}) {
            if (text->empty()) continue;
            const QString piece =
                QString::fromStdString(*text).toHtmlEscaped().replace("\n", "<br>");
            *out += style ? QString("<span style='%1'>%2</span>").arg(style, piece) : piece;
        }
    };
    add(stream.feed(replyStart), nullptr);
    const char* style = nullptr;
    for (size_t i = 0; i < row.pieces.size(); ++i) {
        const int at = int(i), first = row.first_divergence;
        style = at == first                ? "background:#ffd54f;font-weight:bold"
                : first >= 0 && at > first ? "color:#8a4b00"
                                           : nullptr;
        add(stream.feed(row.pieces[i]), style);
    }
    add(stream.finish(), style);
    if (reasoning.isEmpty()) return answer;
    return "<div style='color:#666666'><i>" + tr("Reasoning") + "</i><br>" + reasoning +
           "</div><hr>" + answer;
}

void CompareView::showResult(const CompareResult& r) {
    display(r, {});
}

void CompareView::display(const CompareResult& r, const QString& from) {
    setRunning(false);
    result_ = r;
    opened_ = !from.isEmpty();
    const QString counts =
        tr("%1 configurations, %2 prompt tokens, %3 tokens of fp16's output scored")
            .arg(r.rows.size())
            .arg(r.prompt_tokens)
            .arg(r.rows.empty() ? 0 : r.rows[0].ppl.tokens_scored);
    status_->setText(
        from.isEmpty()
            ? counts
            : tr("From %1, model %2: %3").arg(from, QString::fromStdString(r.model), counts));

    // Output columns, fp16 first; the first token that differs from fp16's is highlighted.
    while (QLayoutItem* item = columns_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const auto& row : r.rows) {
        const QString html = outputHtml(r.reply_start, row);
        auto* box = new QWidget;
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        auto* title = new QLabel("<b>" + QString::fromStdString(row.config.name()) + "</b> " +
                                 (&row == &r.rows[0] ? tr("(reference)")
                                  : row.first_divergence < 0
                                      ? tr("same as fp16")
                                      : tr("diverges at token %1").arg(row.first_divergence + 1)));
        auto* text = new QTextBrowser;
        text->setHtml(html);
        text->setMinimumWidth(220);
        v->addWidget(title);
        v->addWidget(text, 1);
        columns_->addWidget(box);
    }

    table_->setRowCount(int(r.rows.size()));
    for (int i = 0; i < int(r.rows.size()); ++i) {
        const CompareRow& row = r.rows[size_t(i)];
        table_->setItem(i, Config, new QTableWidgetItem(QString::fromStdString(row.config.name())));
        table_->setItem(i, KvBytes,
                        number(double(row.kv_bytes), formatBytes(double(row.kv_bytes))));
        table_->setItem(i, BytesPerToken,
                        number(double(row.bytes_per_token), QString::number(row.bytes_per_token)));
        table_->setItem(
            i, TokensPerSec,
            number(row.tokens_per_second, QString::number(row.tokens_per_second, 'f', 1)));
        table_->setItem(i, Ppl, number(row.ppl.ppl, QString::number(row.ppl.ppl, 'f', 4)));
        table_->setItem(
            i, DeltaPct,
            number(row.ppl.delta_pct, QString::number(row.ppl.delta_pct, 'f', 2) + " %"));
        table_->setItem(i, MeanKl,
                        number(row.ppl.mean_kl, QString::number(row.ppl.mean_kl, 'g', 3)));
        table_->setItem(
            i, Top1,
            number(row.ppl.top1_agree, QString::number(100 * row.ppl.top1_agree, 'f', 1) + " %"));
        table_->setItem(
            i, Divergence,
            number(row.first_divergence, row.first_divergence < 0
                                             ? tr("never")
                                             : QString::number(row.first_divergence + 1)));
        table_->setItem(i, ContextFits,
                        number(double(row.ctx_in_budget), tr("%1 tokens").arg(row.ctx_in_budget)));
    }

    bars_->clearPlottables();
    auto* bars = new QCPBars(bars_->xAxis, bars_->yAxis);
    bars->setBrush(QColor(40, 110, 200, 170));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double top = 1;
    for (int i = 0; i < int(r.rows.size()); ++i) {
        bars->addData(i + 1, double(r.rows[size_t(i)].kv_bytes));
        // "k=nq8,v=nq4,block=32" one part per line: long names stay readable under narrow bars.
        ticker->addTick(i + 1, QString::fromStdString(r.rows[size_t(i)].config.name())
                                   .replace(QLatin1Char(','), QLatin1Char('\n')));
        top = std::max(top, double(r.rows[size_t(i)].kv_bytes));
    }
    bars_->xAxis->setTicker(ticker);
    bars_->xAxis->setRange(0.4, r.rows.size() + 0.6);
    bars_->yAxis->setRange(0, top * 1.1);
    bars_->replot();

    command_->setText(
        tr("Perplexity as `%1`, on the text saved with the button.").arg(pplCommand()));
    saveText_->setEnabled(true);
    exportJson_->setEnabled(true);
    drawChart();
    if (const QString why = keepResult(); !why.isEmpty())
        status_->setText(status_->text() + " " +
                         tr("(not kept for the next session: %1)").arg(why));
}

QString CompareView::pplCommand() const {
    QStringList kv;
    for (const auto& row : result_.rows) kv << QString::fromStdString(row.config.name());
    // A mix such as k=nq4,v=nq2 sits inside the comma-separated list as it is.
    QString command = QString("nqkv ppl -m %1 -f TEXT --special --ctx %2 --score-from %3 --kv '%4'")
                          .arg(modelPath_.isEmpty() || opened_ ? "MODEL" : modelPath_)
                          .arg(result_.ppl_ctx)
                          .arg(result_.ppl_score_from)
                          .arg(kv.join(","));
    // The pictures the run read, by the files they came from (the text marks where they go).
    if (result_.pictures > 0) {
        command += QString(" --mmproj %1")
                       .arg(projectorPath_.isEmpty() || opened_ ? "MMPROJ" : projectorPath_);
        for (int i = 0; i < result_.pictures; ++i)
            command += QString(" --image %1").arg(runPictures_.value(i, "PICTURE"));
    }
    return command;
}

void CompareView::drawChart() {
    chart_->clearGraphs();
    const bool kl = metric_->currentIndex() == 0;
    chart_->yAxis->setLabel(kl ? tr("KL(fp16 ‖ config), nats") : tr("Δ log p of fp16's token"));
    double lo = 0, hi = 1e-6;
    int n = 0;
    for (int i = 0; i < int(result_.rows.size()); ++i) {
        const CompareRow& row = result_.rows[size_t(i)];
        if (i == 0 && kl) continue;  // fp16 against itself is 0 everywhere
        auto* g = chart_->addGraph();
        g->setName(QString::fromStdString(row.config.name()));
        g->setPen(QPen(seriesColor(i), 1.5));
        const auto& base = result_.rows[0].ppl.token_logprob;
        for (size_t t = 0; t < row.ppl.token_logprob.size(); ++t) {
            const double v = kl ? row.ppl.token_kl[t] : row.ppl.token_logprob[t] - base[t];
            g->addData(double(t + 1), v);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        n = std::max(n, int(row.ppl.token_logprob.size()));
    }
    chart_->xAxis->setRange(0.5, std::max(1, n) + 0.5);
    const double pad = 0.05 * (hi - lo);
    chart_->yAxis->setRange(lo - pad, hi + pad);
    chart_->replot();
}

double CompareView::tableValue(int row, Column c) const {
    const QTableWidgetItem* item = table_->item(row, c);
    return item ? item->data(Qt::UserRole).toDouble() : 0;
}

QString CompareView::exportJson(const QString& path) const {
    const std::string json = compare_json(result_) + "\n";
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(QByteArray::fromStdString(json)) != qint64(json.size()))
        return tr("%1 could not be written.").arg(path);
    return {};
}

QString CompareView::openJson(const QString& path) {
    return open(path, QFileInfo(path).fileName());
}

QString CompareView::open(const QString& path, const QString& from) {
    if (running_) return tr("A comparison is running; open %1 when it is done.").arg(path);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return tr("%1 could not be read.").arg(path);
    CompareResult r;
    try {
        r = compare_from_json(f.readAll().toStdString(), path.toStdString());
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    runPictures_.clear();  // the files it read are not known
    display(r, from);
    return {};
}

QString CompareView::keepResultIn(const QString& path) {
    keptPath_.clear();  // showing what is kept does not write it back
    QString why;
    if (QFileInfo::exists(path)) {
        why = open(path, tr("the last session"));
        if (!why.isEmpty())
            status_->setText(tr("The last comparison could not be shown again: %1").arg(why));
    }
    keptPath_ = path;
    return why;
}

QString CompareView::keepResult() const {
    if (keptPath_.isEmpty()) return {};
    QDir().mkpath(QFileInfo(keptPath_).absolutePath());
    return exportJson(keptPath_);
}

void CompareView::saveText() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save scored text"), "compare.txt",
                                                tr("Text (*.txt)"));
    if (path.isEmpty()) return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(QByteArray::fromStdString(result_.ppl_text)) != qint64(result_.ppl_text.size()))
        QMessageBox::warning(this, tr("Save scored text"),
                             tr("%1 could not be written.").arg(path));
}

}  // namespace nqkv::studio
