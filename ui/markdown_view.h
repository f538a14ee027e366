// Read-only Markdown text that is as tall as its content, for chat messages. A QTextBrowser
// whose height follows its document: QLabel re-lays rich text out several times per update,
// which made long streamed replies freeze the GUI.
#pragma once

#include <QTextBrowser>

namespace nqkv::studio {

class MarkdownView : public QTextBrowser {
    Q_OBJECT
  public:
    explicit MarkdownView(QWidget* parent = nullptr);
    void setMarkdownText(const QString& markdown);
    // Plain text, appended in place: the cheap path for a paragraph still being streamed.
    void setPlain(const QString& text);
    void appendPlain(const QString& more);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void resizeEvent(QResizeEvent* e) override;

  private:
    static void tameHeadings(QTextDocument* doc);
    void fitHeight();
    int lastWidth_ = -1;
};

}  // namespace nqkv::studio
