// Streams a reply's text and the engine's gauges to the GUI at a pace it can draw: text at most
// about 30 times a second, speed and KV snapshots 8 times a second. Lives on the engine thread.
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <functional>

namespace nqkv::studio {

class StreamPacer {
  public:
    static constexpr qint64 kTextIntervalMs = 33;
    static constexpr qint64 kStatsIntervalMs = 125;

    // text(pending) sends coalesced text; stats(tokensPerSecond) sends gauges.
    StreamPacer(std::function<void(const QString&)> text, std::function<void(double)> stats)
        : text_(std::move(text)), stats_(std::move(stats)) {
        clock_.start();
    }

    // One generated token (id < 0: text the model did not write, such as a trigger).
    void token(int id, const QString& piece) {
        // The speed counts from the first token the model wrote, not from text set before it.
        if (genStart_ < 0 && id >= 0) genStart_ = clock_.elapsed();
        if (id >= 0) ++generated_;
        pending_ += piece;
        const qint64 now = clock_.elapsed();
        if (!pending_.isEmpty() && now - lastText_ >= kTextIntervalMs) flushText(now);
        if (genStart_ >= 0 && now - lastStats_ >= kStatsIntervalMs) {
            const double secs = double(now - genStart_) / 1000.0;
            stats_(secs > 0 ? generated_ / secs : 0);
            lastStats_ = now;
        }
    }
    void flush() {
        if (!pending_.isEmpty()) flushText(clock_.elapsed());
    }
    double elapsedSeconds() const { return double(clock_.elapsed()) / 1000.0; }

  private:
    void flushText(qint64 now) {
        text_(pending_);
        pending_.clear();
        lastText_ = now;
    }

    std::function<void(const QString&)> text_;
    std::function<void(double)> stats_;
    QElapsedTimer clock_;
    qint64 lastText_ = -kTextIntervalMs, lastStats_ = 0, genStart_ = -1;
    int generated_ = 0;
    QString pending_;
};

}  // namespace nqkv::studio
