#include "ui/markdown_view.h"

#include <QAbstractTextDocumentLayout>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTextBlock>
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
    tameHeadings(doc);
    // The first document belongs to the widget's text control, which deletes it on the swap;
    // later ones are ours.
    QTextDocument* old = document();
    const bool ours = old && old->parent() == this;
    setDocument(doc);
    if (ours) old->deleteLater();
    fitHeight();
}

void MarkdownView::tameHeadings(QTextDocument* doc) {
    // Qt sizes "## Step 1: ..." as a page title (two steps above the text). In a message, a
    // heading is a bold line one step larger at most, with the spacing of a paragraph.
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        const int level = b.blockFormat().headingLevel();
        if (level <= 0) continue;
        QTextCursor c(b);
        c.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        QTextCharFormat f;
        f.setProperty(QTextFormat::FontSizeAdjustment, level == 1 ? 1 : 0);
        f.setFontWeight(QFont::Bold);
        c.mergeCharFormat(f);
        QTextBlockFormat bf = b.blockFormat();
        bf.setTopMargin(std::min(bf.topMargin(), 6.0));
        bf.setBottomMargin(std::min(bf.bottomMargin(), 4.0));
        c.setBlockFormat(bf);
    }
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
