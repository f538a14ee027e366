#include "ui/block_histogram_plot.h"

#include <qcustomplot.h>
#include <QFile>
#include <QLabel>
#include <QTextStream>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "engine/normal_math.h"

namespace nqkv::studio {
namespace {

QVector<double> density(const std::vector<float>& x, const QVector<double>& edges) {
    const int bins = int(edges.size()) - 1;
    QVector<double> d(bins, 0.0);
    if (x.empty() || bins <= 0) return d;
    const double lo = edges.front(), width = edges[1] - edges[0];
    for (float v : x) {
        const int b = std::clamp(int(std::floor((v - lo) / width)), 0, bins - 1);
        d[b] += 1;
    }
    for (double& c : d) c /= double(x.size()) * width;
    return d;
}

}  // namespace

BlockHistogramPlot::BlockHistogramPlot(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(220);
    original_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    original_->setName(tr("original"));
    original_->setBrush(QColor(70, 130, 180, 160));
    original_->setPen(QPen(QColor(70, 130, 180)));
    dequantized_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    dequantized_->setName(tr("dequantized"));
    dequantized_->setBrush(QColor(230, 140, 60, 140));
    dequantized_->setPen(QPen(QColor(230, 140, 60)));
    pdf_ = plot_->addGraph();
    pdf_->setName(tr("fitted normal"));
    pdf_->setPen(QPen(QColor(40, 40, 40), 2));
    plot_->xAxis->setLabel(tr("value"));
    plot_->yAxis->setLabel(tr("density"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(font());
    caption_ = new QLabel(tr("Pick a block in the map or with the spin boxes."));
    caption_->setWordWrap(true);
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->addWidget(plot_, 1);
    box->addWidget(caption_);
}

void BlockHistogramPlot::setBlock(const nqkv::BlockView& b, double n01Limit) {
    block_ = b;
    hasBlock_ = true;
    n01Limit_ = n01Limit;
    const std::vector<float>& shown = b.has_original ? b.original : b.dequantized;
    const MomentStats m = moments(shown.data(), shown.size());
    mean_ = m.mean;
    sigma_ = m.stddev;
    levelX_.clear();
    for (float l : b.levels) levelX_ << double(l) * double(b.scale);

    double lo = 0, hi = 0;
    bool first = true;
    auto extend = [&](double x) {
        lo = first ? x : std::min(lo, x);
        hi = first ? x : std::max(hi, x);
        first = false;
    };
    for (float v : shown) extend(v);
    for (float v : b.dequantized) extend(v);
    for (double x : levelX_) extend(x);
    if (hi <= lo) hi = lo + 1e-3;
    const double pad = 0.05 * (hi - lo);
    lo -= pad;
    hi += pad;
    const int bins = std::clamp(int(std::ceil(2 * std::sqrt(double(shown.size())))), 8, 60);
    const double width = (hi - lo) / bins;
    edges_.clear();
    for (int i = 0; i <= bins; ++i) edges_ << lo + i * width;

    QVector<double> centers;
    for (int i = 0; i < bins; ++i) centers << lo + (i + 0.5) * width;
    QVector<double> left = centers, right = centers;
    for (int i = 0; i < bins; ++i) {
        left[i] -= width * 0.22;
        right[i] += width * 0.22;
    }
    original_->setWidth(width * 0.44);
    dequantized_->setWidth(width * 0.44);
    original_->setData(left, density(shown, edges_), true);
    original_->setName(b.has_original ? tr("original") : tr("stored (originals not captured)"));
    dequantized_->setData(right, density(b.dequantized, edges_), true);
    dequantized_->setVisible(b.has_original);

    QVector<double> px, py;
    for (int i = 0; i <= 200; ++i) {
        const double x = lo + (hi - lo) * i / 200.0;
        px << x;
        py << (sigma_ > 0 ? normal_pdf((x - mean_) / sigma_) / sigma_ : 0.0);
    }
    pdf_->setData(px, py, true);

    plot_->clearItems();
    for (double x : levelX_) {
        auto* line = new QCPItemStraightLine(plot_);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setPen(QPen(QColor(150, 40, 40, 120), 1, Qt::DashLine));
    }
    double top = 0;
    for (double d : originalDensity() + dequantizedDensity() + py) top = std::max(top, d);
    plot_->xAxis->setRange(lo, hi);
    plot_->yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
    plot_->replot();
    caption_->setText(caption());
}

QVector<double> BlockHistogramPlot::originalDensity() const {
    QVector<double> out;
    for (auto it = original_->data()->constBegin(); it != original_->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

QVector<double> BlockHistogramPlot::dequantizedDensity() const {
    QVector<double> out;
    for (auto it = dequantized_->data()->constBegin(); it != dequantized_->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

QString BlockHistogramPlot::caption() const {
    if (!hasBlock_) return {};
    const BlockView& b = block_;
    QString head = tr("%1 layer %2, token %3, block %4 (values %5–%6), %7")
                       .arg(kv_kind_name(b.kind))
                       .arg(b.layer)
                       .arg(b.pos)
                       .arg(b.block)
                       .arg(b.first)
                       .arg(b.first + b.size - 1)
                       .arg(QString::fromStdString(b.format));
    if (!b.has_original)
        return head + tr(". The original values of this token were not captured (the inspection "
                         "buffer was full), so the stored values are shown.");
    std::vector<float> x = b.original;
    const KsResult ks = sigma_ > 0 ? ks_test_normal(x, mean_, sigma_) : KsResult{1, 0};
    QString text = head + tr(": μ = %1, σ = %2, KS D = %3, p = %4")
                              .arg(mean_, 0, 'g', 4)
                              .arg(sigma_, 0, 'g', 4)
                              .arg(ks.statistic, 0, 'f', 3)
                              .arg(ks.p_value, 0, 'g', 3);
    if (b.levels.empty()) return text + tr("; stored without a codebook.");
    const double var = sigma_ * sigma_;
    text += tr("; scale %1; MSE %2 (%3 of σ², N(0,1) limit %4)")
                .arg(double(b.scale), 0, 'g', 5)
                .arg(b.mse, 0, 'g', 4)
                .arg(var > 0 ? b.mse / var : 0.0, 0, 'g', 4)
                .arg(n01Limit_, 0, 'g', 4);
    return text;
}

bool BlockHistogramPlot::savePng(const QString& path) {
    return plot_->savePng(path, 0, 0, 2.0);
}

bool BlockHistogramPlot::savePdf(const QString& path) {
    return plot_->savePdf(path);
}

bool BlockHistogramPlot::saveCsv(const QString& path, QString* error) const {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error) *error = QString("%1: %2").arg(path, f.errorString());
        return false;
    }
    const BlockView& b = block_;
    QTextStream out(&f);
    out << "# " << caption() << "\n";
    out << "# scale," << QString::number(double(b.scale), 'g', 9) << "\n";
    out << "# levels";
    for (float l : b.levels) out << "," << QString::number(double(l), 'g', 9);
    out << "\nindex,original,dequantized,code\n";
    for (size_t i = 0; i < b.dequantized.size(); ++i) {
        out << (b.first + int(i)) << ","
            << (b.has_original ? QString::number(double(b.original[i]), 'g', 9) : QString()) << ","
            << QString::number(double(b.dequantized[i]), 'g', 9) << ","
            << (i < b.codes.size() ? QString::number(b.codes[i]) : QString()) << "\n";
    }
    out.flush();
    if (f.error() != QFile::NoError) {
        if (error) *error = QString("%1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

}  // namespace nqkv::studio
