#include "ui/block_inspector.h"

#include <qcustomplot.h>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <cmath>

#include "ui/block_histogram_plot.h"

namespace nqkv::studio {

BlockInspector::BlockInspector(QWidget* parent) : QWidget(parent) {
    side_ = new QComboBox;
    side_->setObjectName("kvSide");
    side_->addItems({tr("K"), tr("V")});
    metric_ = new QComboBox;
    metric_->addItems({tr("KS statistic"), tr("MSE")});
    compute_ = new QPushButton(tr("Map blocks"));
    compute_->setToolTip(tr("Compute the statistic for every block the cache captured"));
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setEnabled(false);
    progress_ = new QProgressBar;
    progress_->setRange(0, 100);
    progress_->setVisible(false);
    connect(compute_, &QPushButton::clicked, this, &BlockInspector::requestMap);
    connect(cancel_, &QPushButton::clicked, this, &BlockInspector::mapCancelRequested);

    heat_ = new QCustomPlot;
    heat_->setMinimumHeight(160);
    colorMap_ = new QCPColorMap(heat_->xAxis, heat_->yAxis);
    auto* scale = new QCPColorScale(heat_);
    heat_->plotLayout()->addElement(0, 1, scale);
    colorMap_->setColorScale(scale);
    // Tokens a sliding-window layer no longer holds are NaN: left blank.
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    colorMap_->setGradient(gradient);
    heat_->xAxis->setLabel(tr("token"));
    heat_->yAxis->setLabel(tr("layer · block"));
    connect(heat_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const double x = heat_->xAxis->pixelToCoord(e->position().x());
        const double y = heat_->yAxis->pixelToCoord(e->position().y());
        int layer = 0, block = 0, tok = 0;
        if (cellAt(x, y, &layer, &block, &tok)) pick(layer, tok, int(map_.kind), block);
    });

    layer_ = new QSpinBox;
    token_ = new QSpinBox;
    block_ = new QSpinBox;
    auto* show = new QPushButton(tr("Show block"));
    connect(show, &QPushButton::clicked, this, [this] {
        emit blockRequested(layer_->value(), token_->value(), side_->currentIndex(),
                            block_->value());
    });
    status_ = new QLabel;
    status_->setWordWrap(true);

    histogram_ = new BlockHistogramPlot;
    auto* png = new QPushButton(tr("PNG…"));
    auto* pdf = new QPushButton(tr("PDF…"));
    auto* csv = new QPushButton(tr("CSV…"));
    connect(png, &QPushButton::clicked, this, [this] { exportPlot("png"); });
    connect(pdf, &QPushButton::clicked, this, [this] { exportPlot("pdf"); });
    connect(csv, &QPushButton::clicked, this, [this] { exportPlot("csv"); });

    auto* top = new QHBoxLayout;
    top->addWidget(side_);
    top->addWidget(metric_);
    top->addWidget(compute_);
    top->addWidget(cancel_);
    top->addWidget(progress_, 1);
    auto* pickRow = new QHBoxLayout;
    pickRow->addWidget(new QLabel(tr("Layer")));
    pickRow->addWidget(layer_);
    pickRow->addWidget(new QLabel(tr("Token")));
    pickRow->addWidget(token_);
    pickRow->addWidget(new QLabel(tr("Block")));
    pickRow->addWidget(block_);
    pickRow->addWidget(show);
    pickRow->addStretch();
    pickRow->addWidget(new QLabel(tr("Export:")));
    pickRow->addWidget(png);
    pickRow->addWidget(pdf);
    pickRow->addWidget(csv);

    auto* lower = new QWidget;
    auto* lowerBox = new QVBoxLayout(lower);
    lowerBox->setContentsMargins(0, 0, 0, 0);
    lowerBox->addLayout(pickRow);
    lowerBox->addWidget(status_);
    lowerBox->addWidget(histogram_, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(heat_);
    split->addWidget(lower);
    split->setStretchFactor(1, 2);

    auto* box = new QVBoxLayout(this);
    box->addLayout(top);
    box->addWidget(split, 1);
    setLimits(0, 0, 0);
}

void BlockInspector::setValuesInKeys(bool inKeys) {
    auto* sides = qobject_cast<QStandardItemModel*>(side_->model());
    QStandardItem* v = sides ? sides->item(1) : nullptr;
    if (!v) return;
    v->setEnabled(!inKeys);
    v->setToolTip(inKeys ? tr("This model's values are part of its keys (multi-head latent "
                              "attention): its cache has no V blocks")
                         : QString());
    if (inKeys) side_->setCurrentIndex(0);
}

void BlockInspector::setLimits(int nLayer, int tokens, int blocksPerRow) {
    layer_->setRange(0, std::max(0, nLayer - 1));
    token_->setRange(0, std::max(0, tokens - 1));
    block_->setRange(0, std::max(0, blocksPerRow - 1));
    compute_->setEnabled(tokens > 0);
}

void BlockInspector::requestMap() {
    progress_->setValue(0);
    progress_->setVisible(true);
    cancel_->setEnabled(true);
    compute_->setEnabled(false);
    status_->clear();
    emit mapRequested(side_->currentIndex(), metric_->currentIndex());
}

void BlockInspector::setMapProgress(double fraction) {
    progress_->setValue(int(std::lround(fraction * 100)));
}

void BlockInspector::setMap(const nqkv::BlockMap& m) {
    map_ = m;
    hasMap_ = true;
    progress_->setVisible(false);
    cancel_->setEnabled(false);
    compute_->setEnabled(true);
    colorMap_->data()->setSize(m.tokens, m.rows());
    colorMap_->data()->setRange(QCPRange(0, std::max(1, m.tokens - 1)),
                                QCPRange(0, std::max(1, m.rows() - 1)));
    for (int r = 0; r < m.rows(); ++r)
        for (int t = 0; t < m.tokens; ++t)
            colorMap_->data()->setCell(t, r, m.values[size_t(r) * m.tokens + t]);
    colorMap_->colorScale()->axis()->setLabel(
        QString("%1 %2").arg(kv_kind_name(m.kind), block_metric_name(m.metric)));
    // The range of the values held (QCustomPlot's own rescale can start from a NaN cell).
    QCPRange range;
    bool any = false;
    for (float v : m.values) {
        if (std::isnan(v)) continue;
        range = any ? QCPRange(std::min(range.lower, double(v)), std::max(range.upper, double(v)))
                    : QCPRange(v, v);
        any = true;
    }
    colorMap_->setDataRange(any ? range : QCPRange(0, 1));
    heat_->rescaleAxes();
    heat_->xAxis->setRange(-0.5, m.tokens - 0.5);
    heat_->yAxis->setRange(-0.5, m.rows() - 0.5);
    heat_->replot();
    status_->setText(tr("Map of %1 blocks (%2 layers × %3 blocks per row × %4 tokens). Click a "
                        "cell to open its block.")
                         .arg(qint64(m.rows()) * m.tokens)
                         .arg(m.n_layer)
                         .arg(m.blocks_per_row)
                         .arg(m.tokens));
}

bool BlockInspector::cellAt(double token, double row, int* layer, int* block, int* tok) const {
    if (!hasMap_ || map_.blocks_per_row <= 0) return false;
    const int t = int(std::lround(token)), r = int(std::lround(row));
    if (t < 0 || t >= map_.tokens || r < 0 || r >= map_.rows()) return false;
    *tok = t;
    *layer = r / map_.blocks_per_row;
    *block = r % map_.blocks_per_row;
    return true;
}

void BlockInspector::pick(int layer, int token, int kind, int block) {
    layer_->setValue(layer);
    token_->setValue(token);
    block_->setValue(block);
    side_->setCurrentIndex(kind);
    emit blockRequested(layer, token, kind, block);
}

void BlockInspector::setBlock(const nqkv::BlockView& b, double n01Limit) {
    status_->clear();
    histogram_->setBlock(b, n01Limit);
}

void BlockInspector::showError(const QString& message) {
    progress_->setVisible(false);
    cancel_->setEnabled(false);
    compute_->setEnabled(true);
    status_->setText(message);
}

void BlockInspector::exportPlot(const QString& kind) {
    if (!histogram_->hasBlock()) {
        status_->setText(tr("Pick a block first; there is nothing to export yet."));
        return;
    }
    const QString filter = kind == "png"   ? tr("PNG image (*.png)")
                           : kind == "pdf" ? tr("PDF document (*.pdf)")
                                           : tr("CSV table (*.csv)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export block"), "block." + kind, filter);
    if (path.isEmpty()) return;
    if (!path.endsWith("." + kind, Qt::CaseInsensitive)) path += "." + kind;
    QString error;
    bool ok = false;
    if (kind == "png")
        ok = histogram_->savePng(path);
    else if (kind == "pdf")
        ok = histogram_->savePdf(path);
    else
        ok = histogram_->saveCsv(path, &error);
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"),
                             error.isEmpty() ? tr("%1: could not be written.").arg(path) : error);
}

}  // namespace nqkv::studio
