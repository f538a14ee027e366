#include "ui/ar_reply_format.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace nqkv::studio {
namespace {

// Model text is shown as written: Markdown's emphasis characters are escaped.
QString escaped(QString s) {
    static const QRegularExpression special(R"(([\\`*_~\[\]#<>|]))");
    return s.replace(special, R"(\\1)");
}

}  // namespace

QString arStepBody(const QString& stepText) {
    static const QRegularExpression heading(R"(^\s*(##\s*)?Step\s+\d+\s*:\s*)");
    QString s = stepText;
    s.remove(heading);
    return s.simplified();
}

QString arReplyMarkdown(const ArTrace& t) {
    if (t.candidates.isEmpty())
        return QCoreApplication::translate("ArReply", "*No steps were written.*");
    const int best = std::clamp(t.bestCandidate, 0, int(t.candidates.size()) - 1);
    QString md;
    for (const ArPoint& p : t.candidates[best]) {
        const QString body = escaped(arStepBody(p.text));
        const QString head =
            "**" + QCoreApplication::translate("ArReply", "Step %1.").arg(p.step) + "** ";
        const QString score = QString::number(p.score, 'f', 2);
        if (p.decision == "rethink") {
            md += "~~" + head + body + "~~ *(" +
                  QCoreApplication::translate("ArReply", "PRM %1, rethought").arg(score) + ")*\n\n";
            // The trigger ends with the next step's heading, which the next line shows anyway.
            static const QRegularExpression nextHeading(R"(\s*(##\s*)?Step\s+\d+\s*:\s*$)");
            md += "> *" + escaped(p.trigger.simplified().remove(nextHeading)) + "*\n\n";
        } else if (p.decision == "forced_accept") {
            md += head + body + " *(" +
                  QCoreApplication::translate("ArReply", "PRM %1, kept: no rethinks left")
                      .arg(score) +
                  ")*\n\n";
        } else {
            md += head + body + " *(" +
                  QCoreApplication::translate("ArReply", "PRM %1").arg(score) + ")*\n\n";
        }
    }
    const QString answer = best < t.answers.size() ? t.answers[best] : QString();
    md += answer.isEmpty()
              ? "*" + QCoreApplication::translate("ArReply", "No final answer.") + "*"
              : "**" + QCoreApplication::translate("ArReply", "Answer: %1").arg(escaped(answer)) +
                    "**";
    if (t.candidates.size() > 1) {
        QStringList all;
        for (const auto& a : t.answers)
            all << (a.isEmpty() ? QCoreApplication::translate("ArReply", "none") : escaped(a));
        md += "\n\n*" +
              QCoreApplication::translate(
                  "ArReply", "Candidate %1 of %2, chosen by its last PRM score; answers: %3")
                  .arg(best + 1)
                  .arg(t.candidates.size())
                  .arg(all.join(", ")) +
              "*";
    }
    return md;
}

}  // namespace nqkv::studio
