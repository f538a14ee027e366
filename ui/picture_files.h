// Picture files as the chat and the compare view take them: read whole (at most 64 MiB) and
// checked, when they are added, by the decoder that will read them for the model.
#pragma once

#include <QByteArray>
#include <QString>
#include <functional>

namespace nqkv::studio {

// Why the bytes cannot be read as a picture, named `name` (empty when they can).
using PictureCheck = std::function<QString(const QByteArray& bytes, const QString& name)>;

// `check`'s verdict, or without one Qt's.
QString pictureProblem(const QByteArray& bytes, const QString& name, const PictureCheck& check);
// The file's bytes in *bytes, or why it cannot be used (naming its path).
QString readPictureFile(const QString& path, const PictureCheck& check, QByteArray* bytes);
// The file dialogs' filter.
QString pictureFileFilter();

}  // namespace nqkv::studio
