// A horizontal gauge with a title, a fill for value / maximum, and the numbers as text.
// Doubles rather than QProgressBar's ints, because KV byte counts pass 2^31.
#pragma once

#include <QWidget>

namespace nqkv::studio {

class GaugeBar : public QWidget {
    Q_OBJECT
  public:
    explicit GaugeBar(const QString& title, QWidget* parent = nullptr);

    void setValue(double value, double maximum, const QString& text);
    double value() const { return value_; }
    double maximum() const { return maximum_; }
    QString text() const { return text_; }
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    QString title_;
    QString text_;
    double value_ = 0, maximum_ = 0;
};

}  // namespace nqkv::studio
