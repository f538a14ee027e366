// What the loaded model is: architecture, size, weight types, and the memory it needs with
// the current KV configuration.
#pragma once

#include <QWidget>

#include "ui/studio_types.h"

class QLabel;

namespace nqkv::studio {

class ModelInfoPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ModelInfoPanel(QWidget* parent = nullptr);
    void setInfo(const ModelInfo& info);
    void clear();
    QString text() const;

  private:
    QLabel* body_;
};

}  // namespace nqkv::studio
