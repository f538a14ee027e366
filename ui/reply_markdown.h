// How a reasoning model's reply reads in the chat: its reasoning (engine/reply_channels.h) as a
// quoted block under "Thinking", then its answer; a reply without reasoning as it is.
#pragma once

#include <QString>

#include "engine/reply_channels.h"

namespace nqkv::studio {

class ReplyMarkdown {
  public:
    // The Markdown that `piece` of a streaming reply adds to what earlier calls gave.
    QString feed(const QString& piece);
    // What was held back at the end (a reply may end in what looked like a marker).
    QString finish();
    // A whole reply at once: feed and finish in one.
    static QString whole(const QString& reply);

  private:
    QString format(const ReplyParts& delta);
    ReplyStream stream_;
    bool quoting_ = false, lineStart_ = false, answered_ = false;
};

}  // namespace nqkv::studio
