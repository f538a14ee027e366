#include "ui/kv_panel.h"

#include <qcustomplot.h>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/gauge_bar.h"
#include "ui/studio_types.h"

namespace nqkv::studio {

KvPanel::KvPanel(QWidget* parent) : QWidget(parent) {
    bytes_ = new GaugeBar(tr("KV memory used"));
    fp16_ = new GaugeBar(tr("Against the same tokens in fp16"));
    tokens_ = new GaugeBar(tr("Tokens cached"));
    format_ = new QLabel;
    format_->setWordWrap(true);
    format_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(180);
    kBars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    vBars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    kBars_->setName(tr("K"));
    vBars_->setName(tr("V"));
    kBars_->setBrush(QColor(70, 130, 180, 200));
    vBars_->setBrush(QColor(230, 140, 60, 200));
    // Side by side within a layer's slot rather than each as wide as the slot.
    kBars_->setWidth(0.38);
    vBars_->setWidth(0.38);
    auto* group = new QCPBarsGroup(plot_);
    kBars_->setBarsGroup(group);
    vBars_->setBarsGroup(group);
    plot_->xAxis->setLabel(tr("layer"));
    // Layers are whole numbers: ticks at 0, 1, 2... (or every 2, 5, 10... for deep models),
    // never at half layers.
    QSharedPointer<QCPAxisTickerFixed> layers(new QCPAxisTickerFixed);
    layers->setTickStep(1);
    layers->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->xAxis->setTicker(layers);
    plot_->yAxis->setLabel(tr("bytes"));
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    auto* box = new QVBoxLayout(this);
    box->addWidget(format_);
    box->addWidget(bytes_);
    box->addWidget(fp16_);
    box->addWidget(tokens_);
    box->addWidget(new QLabel(tr("Bytes per layer")));
    box->addWidget(plot_, 1);
    setStats(nqkv::KvStats{});
}

void KvPanel::setStats(const nqkv::KvStats& s) {
    stats_ = s;
    const bool budget = s.budget_bytes > 0;
    const double limit = double(budget ? s.budget_bytes : s.bytes_allocated);
    bytes_->setValue(double(s.bytes_used), limit,
                     tr("%1 of %2 %3")
                         .arg(formatBytes(double(s.bytes_used)), formatBytes(limit),
                              budget ? tr("(budget)") : tr("(allocated)")));
    fp16_->setValue(
        double(s.bytes_used), double(s.fp16_equivalent_bytes),
        tr("%1 instead of %2: %3× smaller")
            .arg(formatBytes(double(s.bytes_used)), formatBytes(double(s.fp16_equivalent_bytes)))
            .arg(s.compression(), 0, 'f', 2));
    const double capacity =
        double(budget && s.capacity_in_budget ? s.capacity_in_budget : size_t(s.tokens_allocated));
    tokens_->setValue(double(s.tokens_held), capacity,
                      tr("%1 / %2").arg(s.tokens_held).arg(qint64(capacity)));
    format_->setText(s.n_layer == 0 ? tr("No model loaded.") : formatText());

    QVector<double> layers, k, v;
    for (int l = 0; l < s.n_layer; ++l) {
        layers << l;
        // A sliding-window layer holds only its ring's tokens.
        const double held =
            size_t(l) < s.layer_tokens.size() ? s.layer_tokens[size_t(l)] : s.tokens_held;
        const auto per = [l](const std::vector<size_t>& b) {
            return size_t(l) < b.size() ? double(b[size_t(l)]) : 0.0;
        };
        k << held * per(s.layer_k_bytes);
        v << held * per(s.layer_v_bytes);
    }
    kBars_->setData(layers, k, true);
    vBars_->setData(layers, v, true);
    plot_->xAxis->setRange(-0.5, std::max(1, s.n_layer) - 0.5);
    double top = 1;
    for (double x : k + v) top = std::max(top, x);
    plot_->yAxis->setRange(0, top * 1.1);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString KvPanel::formatText() const {
    const nqkv::KvStats& s = stats_;
    if (s.values_per_token > 0 && s.v_values_per_token == 0)  // multi-head latent attention
        return tr("K %1 (%2 bits/value; the values are the keys' latent part), block %3; %4 per "
                  "token")
            .arg(QString::fromStdString(s.k_format))
            .arg(s.bits_per_value_k(), 0, 'f', 2)
            .arg(s.block)
            .arg(formatBytes(double(s.bytes_per_token)));
    return tr("K %1 (%2 bits/value), V %3 (%4 bits/value), block %5; %6 per token")
               .arg(QString::fromStdString(s.k_format))
               .arg(s.bits_per_value_k(), 0, 'f', 2)
               .arg(QString::fromStdString(s.v_format))
               .arg(s.bits_per_value_v(), 0, 'f', 2)
               .arg(s.block)
               .arg(formatBytes(double(s.bytes_per_token))) +
           (s.ringed_layers > 0 ? "; " + tr("%1 windowed layers keep only the latest %2 tokens")
                                             .arg(s.ringed_layers)
                                             .arg(s.ring)
                                : QString());
}

QVector<double> KvPanel::layerBars(bool k) const {
    QVector<double> out;
    const auto data = (k ? kBars_ : vBars_)->data();
    for (auto it = data->constBegin(); it != data->constEnd(); ++it) out << it->value;
    return out;
}

}  // namespace nqkv::studio
