#include "ui/reply_markdown.h"

#include <QCoreApplication>

namespace nqkv::studio {

QString ReplyMarkdown::feed(const QString& piece) {
    return format(stream_.feed(piece.toStdString()));
}

QString ReplyMarkdown::finish() {
    return format(stream_.finish());
}

QString ReplyMarkdown::whole(const QString& reply) {
    ReplyMarkdown m;
    return m.feed(reply) + m.finish();
}

QString ReplyMarkdown::format(const ReplyParts& delta) {
    QString out;
    if (!delta.reasoning.empty()) {
        if (!quoting_) {
            out += "> *" + QCoreApplication::translate("ReplyMarkdown", "Thinking") + "*\n>\n";
            quoting_ = lineStart_ = true;
        }
        // Each line of the reasoning quoted, its "> " written when the line's first character
        // comes (so that the answer can still end the quote after a line break).
        for (const QChar c : QString::fromStdString(delta.reasoning)) {
            if (lineStart_) out += "> ";
            out += c;
            lineStart_ = c == '\n';
        }
    }
    if (!delta.answer.empty()) {
        if (quoting_ && !answered_) out += "\n\n";
        answered_ = true;
        out += QString::fromStdString(delta.answer);
    }
    return out;
}

}  // namespace nqkv::studio
