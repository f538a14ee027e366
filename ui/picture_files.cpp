#include "ui/picture_files.h"

#include <QCoreApplication>
#include <QFile>
#include <QImage>

namespace nqkv::studio {

QString pictureProblem(const QByteArray& bytes, const QString& name, const PictureCheck& check) {
    if (check) return check(bytes, name);
    if (QImage::fromData(bytes).isNull())
        return QCoreApplication::translate("PictureFiles", "%1: not a picture this program reads")
            .arg(name);
    return {};
}

QString readPictureFile(const QString& path, const PictureCheck& check, QByteArray* bytes) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QCoreApplication::translate("PictureFiles", "%1: cannot open the picture (%2)")
            .arg(path, f.errorString());
    if (f.size() > (qint64(64) << 20))
        return QCoreApplication::translate("PictureFiles", "%1: the file is larger than 64 MiB")
            .arg(path);
    const QByteArray read = f.readAll();
    if (const QString why = pictureProblem(read, path, check); !why.isEmpty()) return why;
    *bytes = read;
    return {};
}

QString pictureFileFilter() {
    return QCoreApplication::translate(
        "PictureFiles", "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.psd *.pnm *.ppm *.pgm)");
}

}  // namespace nqkv::studio
