// How an AR-Sampling reply reads in the chat: its steps as steps, each with its PRM score; a
// rethought step stays, struck through, followed by the trigger and the new attempt.
#pragma once

#include <QString>

#include "ui/studio_types.h"

namespace nqkv::studio {

// Markdown for the chosen candidate of a finished trace.
QString arReplyMarkdown(const ArTrace& trace);

// A step's own text without its "## Step k:" heading, on one line: what the chat shows and
// what a click on the trace looks for.
QString arStepBody(const QString& stepText);

}  // namespace nqkv::studio
