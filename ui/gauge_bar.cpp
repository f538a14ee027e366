#include "ui/gauge_bar.h"

#include <QPainter>
#include <algorithm>

namespace nqkv::studio {

GaugeBar::GaugeBar(const QString& title, QWidget* parent) : QWidget(parent), title_(title) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void GaugeBar::setValue(double value, double maximum, const QString& text) {
    value_ = value;
    maximum_ = maximum;
    text_ = text;
    setToolTip(title_ + ": " + text_);
    update();
}

QSize GaugeBar::sizeHint() const {
    return {240, 2 * fontMetrics().height() + 14};
}

void GaugeBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int line = fontMetrics().height();
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), line), Qt::AlignLeft | Qt::AlignVCenter, title_);
    const QRect bar(0, line + 4, width() - 1, height() - line - 6);
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRect(bar);
    const double share = maximum_ > 0 ? std::clamp(value_ / maximum_, 0.0, 1.0) : 0.0;
    QRect fill = bar.adjusted(1, 1, 0, 0);
    fill.setWidth(int(share * (bar.width() - 1)));
    // Turns red when nearly full so a filling cache is noticed.
    p.fillRect(fill, share > 0.9 ? QColor(0xd0, 0x50, 0x40) : palette().color(QPalette::Highlight));
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(bar, Qt::AlignCenter, text_);
}

}  // namespace nqkv::studio
