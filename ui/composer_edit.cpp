#include "ui/composer_edit.h"

#include <QBuffer>
#include <QImage>
#include <QMimeData>
#include <QUrl>

namespace nqkv::studio {

OfferedPictures offeredPictures(const QMimeData* data) {
    OfferedPictures offer;
    if (!data) return offer;
    if (data->hasUrls()) {
        for (const QUrl& url : data->urls())
            if (url.isLocalFile()) offer.files << url.toLocalFile();
        if (!offer.files.isEmpty()) return offer;
    }
    if (data->hasImage()) {
        const QImage image = qvariant_cast<QImage>(data->imageData());
        if (!image.isNull()) {
            // PNG keeps every pixel; the chat stores what the model was shown.
            QByteArray bytes;
            QBuffer out(&bytes);
            out.open(QIODevice::WriteOnly);
            if (image.save(&out, "PNG")) offer.images << bytes;
        }
    }
    return offer;
}

bool ComposerEdit::canInsertFromMimeData(const QMimeData* source) const {
    if (takesPictures_ && source && (source->hasImage() || source->hasUrls())) return true;
    return QPlainTextEdit::canInsertFromMimeData(source);
}

void ComposerEdit::insertFromMimeData(const QMimeData* source) {
    if (takesPictures_) {
        const OfferedPictures offer = offeredPictures(source);
        if (!offer.isEmpty()) {
            emit picturesOffered(offer);
            return;
        }
    }
    QPlainTextEdit::insertFromMimeData(source);
}

}  // namespace nqkv::studio
