#include "app/studio/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>
#include <memory>

namespace nqkv::studio {
namespace {

std::unique_ptr<QTranslator>& appTranslator() {
    static std::unique_ptr<QTranslator> t;
    return t;
}
std::unique_ptr<QTranslator>& qtTranslator() {
    static std::unique_ptr<QTranslator> t;
    return t;
}

}  // namespace

QList<QPair<QString, QString>> availableLanguages() {
    return {{"", QCoreApplication::translate("Language", "System language")},
            {"en", "English"},
            {"de", "Deutsch"},
            {"zh_CN", "简体中文"}};
}

QString languageSetting(const QSettings& settings) {
    return settings.value("ui/language").toString();
}

bool installTranslations(const QString& code) {
    for (auto* slot : {&appTranslator(), &qtTranslator()})
        if (*slot) {
            QCoreApplication::removeTranslator(slot->get());
            slot->reset();
        }
    if (code == "en") return true;
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    auto app = std::make_unique<QTranslator>();
    // The .qm files are compiled into the binary under :/i18n by qt_add_translations.
    const bool found = app->load(locale, "nqkv-studio", "_", ":/i18n");
    if (found) {
        QCoreApplication::installTranslator(app.get());
        appTranslator() = std::move(app);
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(locale, "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt.get());
            qtTranslator() = std::move(qt);
        }
    }
    return found || code.isEmpty();
}

}  // namespace nqkv::studio
