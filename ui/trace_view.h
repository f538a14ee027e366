// The AR-Sampling trace: the PRM score of every step as a line with markers (one series per
// candidate, the chosen one highlighted), the threshold p as a horizontal line, and rethink
// points marked, with the step and the trigger in a tooltip. Drawn live while a reply is
// written; clicking a point asks the chat to show that step. Exports the engine's JSON, PNG
// and PDF.
#pragma once

#include <QList>
#include <QWidget>

#include "ui/studio_types.h"

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QLabel;
class QPushButton;

namespace nqkv::studio {

class TraceView : public QWidget {
    Q_OBJECT
  public:
    explicit TraceView(QWidget* parent = nullptr);

    // A new reply starts: forget the last trace.
    void begin(double threshold, int candidates);
    void addPoint(const ArPoint& p);
    // The finished trace (the engine's JSON): redrawn from it, with the chosen candidate.
    void setTrace(const QString& json);
    void clear();
    QString json() const { return json_; }

    // What is drawn, for checks: points per candidate, their scores, the x positions of the
    // rethink markers (a candidate's points are numbered 1, 2, ... in order), the threshold.
    int candidateCount() const { return int(points_.size()); }
    int pointCount(int candidate) const;
    QList<double> drawnScores(int candidate) const;
    QList<double> drawnRethinks(int candidate) const;
    double drawnThreshold() const;
    int highlighted() const { return best_; }
    QString summaryText() const;
    QCustomPlot* plot() const { return plot_; }

    bool savePng(const QString& path);
    bool savePdf(const QString& path);

  signals:
    // A point was clicked: the candidate and the point's index in its series (0-based).
    void stepClicked(int candidate, int index, const QString& text);

  private:
    void redraw();
    void updateSummary();
    void showTip(QMouseEvent* e);
    void exportAs(const QString& kind);
    bool pointAt(const QPoint& pos, int* candidate, int* index) const;

    QCustomPlot* plot_;
    QCPItemStraightLine* threshold_;
    QList<QCPGraph*> series_;
    QList<QCPGraph*> rethinkMarks_;
    QLabel* hint_;
    QLabel* summary_;
    QPushButton* exportJson_;
    QPushButton* exportImage_;
    QList<QList<ArPoint>> points_;
    double p_ = 0;
    int best_ = -1;
    bool final_ = false;
    double seconds_ = 0;
    QString json_;
};

}  // namespace nqkv::studio
