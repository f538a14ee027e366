// The message box. Plain text, except that, while the model reads pictures, picture files
// dropped or pasted onto it and pictures pasted from the clipboard (a screenshot) go with the
// next message instead of turning into text.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPlainTextEdit>
#include <QStringList>

namespace nqkv::studio {

// What a drop or a paste offers as pictures: local files, or an image's bytes (PNG).
struct OfferedPictures {
    QStringList files;
    QList<QByteArray> images;
    bool isEmpty() const { return files.isEmpty() && images.isEmpty(); }
};

// Local files first (a file manager also offers its icons as an image); an image otherwise.
OfferedPictures offeredPictures(const QMimeData* data);

class ComposerEdit : public QPlainTextEdit {
    Q_OBJECT
  public:
    explicit ComposerEdit(QWidget* parent = nullptr) : QPlainTextEdit(parent) {}
    void setTakesPictures(bool on) { takesPictures_ = on; }

  signals:
    void picturesOffered(const nqkv::studio::OfferedPictures& offer);

  protected:
    bool canInsertFromMimeData(const QMimeData* source) const override;
    void insertFromMimeData(const QMimeData* source) override;

  private:
    bool takesPictures_ = false;
};

}  // namespace nqkv::studio
