// The app's languages. Translations are compiled from translations/*.ts into the binary; a
// language is chosen at start (the setting, or the system's), so switching takes a restart.
#pragma once

#include <QList>
#include <QPair>
#include <QString>

class QSettings;

namespace nqkv::studio {

// (code, name in that language); the first entry, code "", follows the system.
QList<QPair<QString, QString>> availableLanguages();

// Installs the translators for `code` ("" for the system's language, "en" for none), replacing
// any installed before. Returns false when there is no translation for a language asked for
// by name.
bool installTranslations(const QString& code);

// The language the settings ask for ("" when they do not).
QString languageSetting(const QSettings& settings);

}  // namespace nqkv::studio
