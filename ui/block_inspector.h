// The block inspector: a heat map of one number per stored block (KS statistic or MSE, K or
// V; a row per layer and block within the row, a column per token) to pick a block from, the
// same pick through spin boxes, and the chosen block's histogram with PNG, PDF and CSV export.
#pragma once

#include <QWidget>

#include "engine/kv_block_map.h"
#include "engine/kv_cache.h"

class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace nqkv::studio {

class BlockHistogramPlot;

class BlockInspector : public QWidget {
    Q_OBJECT
  public:
    explicit BlockInspector(QWidget* parent = nullptr);

    // Ranges for the spin boxes: layers, tokens held, blocks per row.
    void setLimits(int nLayer, int tokens, int blocksPerRow);
    // A cache whose values are part of its keys (multi-head latent attention) has no V blocks:
    // V is then not offered.
    void setValuesInKeys(bool inKeys);
    void setMap(const nqkv::BlockMap& map);
    void setMapProgress(double fraction);
    void setBlock(const nqkv::BlockView& block, double n01Limit);
    void showError(const QString& message);

    // Picks a block as the spin boxes would, and asks for it.
    void pick(int layer, int token, int kind, int block);
    // Emits mapRequested for the side and metric chosen in the combo boxes.
    void requestMap();
    BlockHistogramPlot* histogram() const { return histogram_; }
    const nqkv::BlockMap& map() const { return map_; }
    // The block at a point of the heat map, in its coordinates; false outside it.
    bool cellAt(double token, double row, int* layer, int* block, int* tok) const;

  signals:
    void blockRequested(int layer, int token, int kind, int block);
    void mapRequested(int kind, int metric);
    void mapCancelRequested();

  private:
    void exportPlot(const QString& kind);

    QComboBox* side_;
    QComboBox* metric_;
    QPushButton* compute_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QCustomPlot* heat_;
    QCPColorMap* colorMap_;
    QSpinBox* layer_;
    QSpinBox* token_;
    QSpinBox* block_;
    QLabel* status_;
    BlockHistogramPlot* histogram_;
    nqkv::BlockMap map_;
    bool hasMap_ = false;
};

}  // namespace nqkv::studio
