// Live KV-memory gauges: bytes used against the budget (or the allocation), the fp16
// equivalent and the compression, tokens cached against capacity, and K and V bytes per
// layer as bars. Fed with the engine's KvStats during generation and after every turn.
#pragma once

#include <QWidget>

#include "engine/kv_stats.h"

class QCustomPlot;
class QCPBars;
class QLabel;

namespace nqkv::studio {

class GaugeBar;

class KvPanel : public QWidget {
    Q_OBJECT
  public:
    explicit KvPanel(QWidget* parent = nullptr);
    void setStats(const nqkv::KvStats& s);

    // What is on screen, for tests and the demo mode.
    const nqkv::KvStats& stats() const { return stats_; }
    const GaugeBar* bytesGauge() const { return bytes_; }
    const GaugeBar* tokensGauge() const { return tokens_; }
    const GaugeBar* fp16Gauge() const { return fp16_; }
    QString formatText() const;
    QVector<double> layerBars(bool k) const;
    const QCustomPlot* plot() const { return plot_; }

  private:
    nqkv::KvStats stats_;
    GaugeBar* bytes_;
    GaugeBar* fp16_;
    GaugeBar* tokens_;
    QLabel* format_;
    QCustomPlot* plot_;
    QCPBars* kBars_;
    QCPBars* vBars_;
};

}  // namespace nqkv::studio
