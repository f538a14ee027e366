// One KV block drawn against its fitted normal: a density histogram of the original values,
// the N(mu, sigma) PDF over it, the codebook levels times the block's scale as vertical
// lines, and the dequantized values as a second series. The caption gives mu, sigma, the KS
// statistic and p, and the MSE beside the N(0,1) limit for the width.
#pragma once

#include <QVector>
#include <QWidget>

#include "engine/kv_cache.h"

class QCustomPlot;
class QCPBars;
class QCPGraph;
class QLabel;

namespace nqkv::studio {

class BlockHistogramPlot : public QWidget {
    Q_OBJECT
  public:
    explicit BlockHistogramPlot(QWidget* parent = nullptr);

    void setBlock(const nqkv::BlockView& block, double n01Limit);
    bool hasBlock() const { return hasBlock_; }
    const nqkv::BlockView& block() const { return block_; }
    // Where the level lines are drawn: levels[i] * scale.
    const QVector<double>& levelPositions() const { return levelX_; }
    // Bin edges and densities of the two histograms.
    const QVector<double>& binEdges() const { return edges_; }
    QVector<double> originalDensity() const;
    QVector<double> dequantizedDensity() const;
    double fittedMean() const { return mean_; }
    double fittedSigma() const { return sigma_; }
    QString caption() const;

    bool savePng(const QString& path);
    bool savePdf(const QString& path);
    // Index, original, dequantized and code per value, with the scale and levels first.
    bool saveCsv(const QString& path, QString* error = nullptr) const;

  private:
    nqkv::BlockView block_;
    bool hasBlock_ = false;
    double mean_ = 0, sigma_ = 0, n01Limit_ = 0;
    QVector<double> levelX_, edges_;
    QCustomPlot* plot_;
    QCPBars* original_;
    QCPBars* dequantized_;
    QCPGraph* pdf_;
    QLabel* caption_;
};

}  // namespace nqkv::studio
