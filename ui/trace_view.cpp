#include "ui/trace_view.h"

#include <qcustomplot.h>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace nqkv::studio {
namespace {

const QColor kChosen(40, 110, 200);
const QColor kOther(150, 150, 150);
const QColor kRethink(210, 60, 50);

}  // namespace

TraceView::TraceView(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(240);
    plot_->xAxis->setLabel(tr("step (each attempt, in order)"));
    plot_->yAxis->setLabel(tr("PRM score"));
    plot_->yAxis->setRange(-0.02, 1.02);
    plot_->xAxis->setRange(0.5, 4.5);
    plot_->xAxis->ticker()->setTickStepStrategy(QCPAxisTicker::tssReadability);
    plot_->setInteraction(QCP::iSelectPlottables, false);
    threshold_ = new QCPItemStraightLine(plot_);
    threshold_->setPen(QPen(kRethink, 1, Qt::DashLine));
    threshold_->point1->setCoords(0, 0);
    threshold_->point2->setCoords(1, 0);
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &TraceView::showTip);
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        int c = 0, i = 0;
        if (pointAt(e->pos(), &c, &i)) emit stepClicked(c, i, points_[c][i].text);
    });

    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    exportJson_ = new QPushButton(tr("Export JSON…"));
    exportImage_ = new QPushButton(tr("Export image…"));
    auto* imageMenu = new QMenu(exportImage_);
    imageMenu->addAction(tr("PNG…"), this, [this] { exportAs("png"); });
    imageMenu->addAction(tr("PDF…"), this, [this] { exportAs("pdf"); });
    exportImage_->setMenu(imageMenu);
    connect(exportJson_, &QPushButton::clicked, this, [this] { exportAs("json"); });

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(exportJson_);
    buttons->addWidget(exportImage_);
    auto* layout = new QVBoxLayout(this);
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    layout->addWidget(hint_);
    layout->addWidget(plot_, 1);
    layout->addWidget(summary_);
    layout->addLayout(buttons);
    clear();
}

void TraceView::clear() {
    points_.clear();
    json_.clear();
    best_ = -1;
    final_ = false;
    seconds_ = 0;
    p_ = 0;
    redraw();
}

void TraceView::begin(double threshold, int candidates) {
    clear();
    p_ = threshold;
    for (int c = 0; c < candidates; ++c) points_.append(QList<ArPoint>{});
    redraw();
}

void TraceView::addPoint(const ArPoint& p) {
    const bool drawn = p.candidate < series_.size();
    while (points_.size() <= p.candidate) points_.append(QList<ArPoint>{});
    points_[p.candidate].append(p);
    seconds_ += (p.policyMs + p.prmMs) / 1000.0;
    if (!drawn) {
        redraw();
        return;
    }
    // Points arrive one per step while the engine runs: extend this candidate's graphs
    // instead of building every graph again.
    const int x = int(points_[p.candidate].size());
    series_[p.candidate]->addData(x, p.score);
    if (p.decision == "rethink") rethinkMarks_[p.candidate]->addData(x, p.score);
    if (x + 0.5 > plot_->xAxis->range().upper) plot_->xAxis->setRange(0.5, x + 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    updateSummary();
    exportImage_->setEnabled(true);
}

void TraceView::setTrace(const QString& json) {
    QString error;
    const ArTrace t = ArTrace::fromJson(json, &error);
    if (!error.isEmpty()) {
        clear();
        summary_->setText(tr("The trace could not be read: %1").arg(error));
        return;
    }
    points_ = t.candidates;
    p_ = t.threshold;
    best_ = t.candidates.isEmpty() ? -1 : t.bestCandidate;
    seconds_ = t.seconds;
    final_ = true;
    json_ = json;
    redraw();
}

int TraceView::pointCount(int c) const {
    return c < series_.size() ? series_[c]->dataCount() : 0;
}

QList<double> TraceView::drawnScores(int c) const {
    QList<double> out;
    if (c >= series_.size()) return out;
    for (auto it = series_[c]->data()->constBegin(); it != series_[c]->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

QList<double> TraceView::drawnRethinks(int c) const {
    QList<double> out;
    if (c >= rethinkMarks_.size()) return out;
    const auto data = rethinkMarks_[c]->data();
    for (auto it = data->constBegin(); it != data->constEnd(); ++it) out << it->key;
    return out;
}

double TraceView::drawnThreshold() const {
    return threshold_->point1->coords().y();
}

void TraceView::redraw() {
    hint_->setText(points_.isEmpty()
                       ? tr("Turn on AR-Sampling in the bar above the chat; each reply's "
                            "steps and scores are drawn here. Click a point to show its "
                            "step in the chat.")
                       : tr("Each attempt at a step is a point: its PRM score. A step "
                            "under the dashed line p is rethought. Click a point to show "
                            "its step in the chat."));
    plot_->clearGraphs();
    series_.clear();
    rethinkMarks_.clear();
    int longest = 0;
    const int best = best_ >= 0 ? best_ : 0;
    for (int c = 0; c < points_.size(); ++c) {
        const bool chosen = c == best;
        auto* g = plot_->addGraph();
        g->setName(points_.size() > 1 ? (chosen && final_ ? tr("candidate %1 (chosen)").arg(c + 1)
                                                          : tr("candidate %1").arg(c + 1))
                                      : tr("PRM score"));
        g->setPen(QPen(chosen ? kChosen : kOther, chosen ? 2.5 : 1.2));
        g->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, chosen ? kChosen : kOther, chosen ? 7 : 5));
        auto* marks = plot_->addGraph();
        marks->setLineStyle(QCPGraph::lsNone);
        marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCrossCircle, kRethink, 11));
        marks->setName(tr("rethink"));
        if (c > 0) marks->removeFromLegend();
        for (int i = 0; i < points_[c].size(); ++i) {
            const ArPoint& p = points_[c][i];
            g->addData(i + 1, p.score);
            if (p.decision == "rethink") marks->addData(i + 1, p.score);
        }
        longest = std::max(longest, int(points_[c].size()));
        series_ << g;
        rethinkMarks_ << marks;
    }
    threshold_->point1->setCoords(0, p_);
    threshold_->point2->setCoords(1, p_);
    threshold_->setVisible(!points_.isEmpty());
    plot_->xAxis->setRange(0.5, std::max(4, longest) + 0.5);
    plot_->legend->setVisible(!points_.isEmpty());
    plot_->replot(QCustomPlot::rpQueuedReplot);
    updateSummary();
    exportJson_->setEnabled(final_);
    exportImage_->setEnabled(!points_.isEmpty());
}

QString TraceView::summaryText() const {
    return summary_->text();
}

void TraceView::updateSummary() {
    if (points_.isEmpty()) {
        summary_->setText(tr("No AR-Sampling reply yet."));
        return;
    }
    int steps = 0, rethinks = 0, policy = 0, prm = 0;
    for (const auto& c : points_)
        for (const auto& p : c) {
            steps += p.decision != "rethink";
            rethinks += p.decision == "rethink";
            policy += p.policyTokens;
            prm += p.prmTokens;
        }
    QString s = tr("steps: %1 · rethinks: %2 · policy tokens: %3 · PRM tokens: %4 · %5 s · p = %6")
                    .arg(steps)
                    .arg(rethinks)
                    .arg(policy)
                    .arg(prm)
                    .arg(seconds_, 0, 'f', 2)
                    .arg(p_, 0, 'f', 2);
    if (points_.size() > 1 && final_)
        s += " · " + tr("candidate %1 of %2 chosen").arg(best_ + 1).arg(points_.size());
    if (!final_) s += " · " + tr("writing…");
    summary_->setText(s);
}

bool TraceView::pointAt(const QPoint& pos, int* candidate, int* index) const {
    double bestDist = 12;  // pixels
    bool found = false;
    // The chosen candidate is looked at first, so it wins where series overlap.
    QList<int> order;
    for (int c = 0; c < points_.size(); ++c) order << c;
    if (best_ > 0 && best_ < points_.size()) order.move(best_, 0);
    for (int c : order)
        for (int i = 0; i < points_[c].size(); ++i) {
            const double x = plot_->xAxis->coordToPixel(i + 1);
            const double y = plot_->yAxis->coordToPixel(points_[c][i].score);
            const double d = std::hypot(x - pos.x(), y - pos.y());
            if (d < bestDist) {
                bestDist = d;
                *candidate = c;
                *index = i;
                found = true;
            }
        }
    return found;
}

void TraceView::showTip(QMouseEvent* e) {
    int c = 0, i = 0;
    if (!pointAt(e->pos(), &c, &i)) {
        QToolTip::hideText();
        return;
    }
    const ArPoint& p = points_[c][i];
    QString tip = tr("<b>Step %1</b> (candidate %2): PRM %3, %4")
                      .arg(p.step)
                      .arg(c + 1)
                      .arg(p.score, 0, 'f', 3)
                      .arg(p.decision)
                      .toHtmlEscaped()
                      .replace("&lt;b&gt;", "<b>")
                      .replace("&lt;/b&gt;", "</b>");
    tip += "<br>" + p.text.left(300).toHtmlEscaped();
    if (!p.trigger.isEmpty())
        tip += "<br><i>" + tr("Trigger:") + " " + p.trigger.toHtmlEscaped() + "</i>";
    if (!p.weakest.isEmpty())
        tip += "<br>" + tr("The rethink may not write “%1” here again (the policy gave it %2)")
                            .arg(p.weakest.toHtmlEscaped())
                            .arg(p.weakestP, 0, 'f', 2);
    if (p.rewound)
        tip += "<br>" + tr("The next version is written after this step's first trigger: the "
                           "policy does not read this one");
    QToolTip::showText(e->globalPosition().toPoint(), tip, plot_);
}

bool TraceView::savePng(const QString& path) {
    return plot_->savePng(path, 900, 500);
}
bool TraceView::savePdf(const QString& path) {
    return plot_->savePdf(path, 900, 500);
}

void TraceView::exportAs(const QString& kind) {
    const QString filter = kind == "json"  ? tr("JSON (*.json)")
                           : kind == "png" ? tr("PNG image (*.png)")
                                           : tr("PDF document (*.pdf)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export trace"), "trace." + kind, filter);
    if (path.isEmpty()) return;
    if (!path.endsWith("." + kind, Qt::CaseInsensitive)) path += "." + kind;
    bool ok = false;
    if (kind == "json") {
        QFile f(path);
        ok = f.open(QIODevice::WriteOnly) && f.write(json_.toUtf8() + "\n") > 0;
    } else {
        ok = kind == "png" ? savePng(path) : savePdf(path);
    }
    if (!ok)
        QMessageBox::warning(this, tr("Export trace"), tr("%1 could not be written.").arg(path));
}

}  // namespace nqkv::studio
