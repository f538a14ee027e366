#include "ui/markdown_view.h"

#include <QAbstractTextDocumentLayout>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTextCursor>
#include <QTextDocument>

namespace nqkv::studio {

MarkdownView::MarkdownView(QWidget* parent) : QTextBrowser(parent) {
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setOpenLinks(false);
    viewport()->setAutoFillBackground(false);
    document()->setDocumentMargin(2);
}

void MarkdownView::setMarkdownText(const QString& markdown) {
    // Parsed into a detached document and swapped in: parsing into the displayed document
    // re-lays it out after every block, which grows with the square of the text.
    auto* doc = new QTextDocument(this);
    doc->setDocumentMargin(document()->documentMargin());
    doc->setDefaultFont(font());
    doc->setMarkdown(markdown);
    // The first document belongs to the widget's text control, which deletes it on the swap;
    // later ones are ours.
    QTextDocument* old = document();
    const bool ours = old && old->parent() == this;
    setDocument(doc);
    if (ours) old->deleteLater();
    fitHeight();
}

void MarkdownView::setPlain(const QString& text) {
    setPlainText(text);
    fitHeight();
}

void MarkdownView::appendPlain(const QString& more) {
    QTextCursor c(document());
    c.movePosition(QTextCursor::End);
    c.insertText(more);
    fitHeight();
}

void MarkdownView::fitHeight() {
    document()->setTextWidth(viewport()->width());
    const int h = int(std::ceil(document()->size().height())) + 2 * frameWidth();
    if (h != height()) setFixedHeight(std::max(h, fontMetrics().height()));
}

void MarkdownView::resizeEvent(QResizeEvent* e) {
    QTextBrowser::resizeEvent(e);
    if (e->size().width() != lastWidth_) {
        lastWidth_ = e->size().width();
        fitHeight();
    }
}

QSize MarkdownView::sizeHint() const {
    return {200, height()};
}

QSize MarkdownView::minimumSizeHint() const {
    return {50, height()};
}

}  // namespace nqkv::studio
