// nqkv-studio: the desktop app. Parses its command line, then runs the main window, or a demo
// script that ends with a screenshot.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app/studio/demo_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/translations.h"

namespace {

void setNames() {
    QCoreApplication::setApplicationName("nqkv-studio");
    QCoreApplication::setOrganizationName("nqkv");
    QCoreApplication::setApplicationVersion(NQKV_VERSION);
}

bool asks(int argc, char** argv, std::initializer_list<const char*> flags) {
    for (int i = 1; i < argc; ++i)
        for (const char* f : flags)
            if (std::strcmp(argv[i], f) == 0) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    // A demo runs headless unless a display is there to use.
    if (asks(argc, argv, {"--demo"}) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // --help and --version must work without a display, so they are answered before the GUI
    // application exists.
    std::unique_ptr<QCoreApplication> core;
    if (asks(argc, argv, {"-h", "--help", "--help-all", "-v", "--version"}))
        core = std::make_unique<QCoreApplication>(argc, argv);
    else
        core = std::make_unique<QApplication>(argc, argv);
    QCoreApplication& app = *core;
    setNames();
    QCommandLineParser cli;
    cli.setApplicationDescription(
        "NQKV Studio: chat with a local LLM and look into its NQKV-quantized KV cache.");
    cli.addHelpOption();
    cli.addVersionOption();
    QCommandLineOption model({"m", "model"},
                             "GGUF model to open (default: the last one, else the "
                             "bundled model).",
                             "FILE");
    QCommandLineOption backend("backend",
                               "Compute backend: cpu, cuda or auto (default: the setting, else "
                               "auto, which picks cuda when a GPU is usable).",
                               "NAME");
    QCommandLineOption dataDir("data-dir",
                               "Folder for the chat database (default: the XDG data "
                               "location).",
                               "DIR");
    QCommandLineOption settings("settings", "INI file to keep settings in instead of the user's.",
                                "FILE");
    QCommandLineOption demo("demo", "Run a demo script (see the README) and exit.", "SCRIPT");
    QCommandLineOption shot("screenshot", "With --demo: where to save the window grab.",
                            "FILE.png");
    QCommandLineOption timeout("timeout",
                               "With --demo: give up after this many seconds (default "
                               "300).",
                               "SECONDS", "300");
    QCommandLineOption language("language",
                                "Interface language: en, de or zh_CN (default: the setting, "
                                "else the system's).",
                                "CODE");
    cli.addOptions({model, backend, dataDir, settings, demo, shot, timeout, language});
    cli.process(app);
    QGuiApplication::setApplicationDisplayName("NQKV Studio");
    if (auto* gui = qobject_cast<QGuiApplication*>(&app)) {
        gui->setWindowIcon(QIcon(":/icons/nqkv-studio-256.png"));
        QGuiApplication::setDesktopFileName("io.nqkv.Studio");
    }

    nqkv::studio::StudioOptions o;
    o.modelPath = cli.value(model);
    o.backend = cli.value(backend);
    o.dataDir = cli.value(dataDir);
    o.settingsFile = cli.value(settings);
    if (!o.modelPath.isEmpty() && !QFileInfo::exists(o.modelPath)) {
        std::fprintf(stderr, "nqkv-studio: %s: no such file\n", qPrintable(o.modelPath));
        return 2;
    }
    if (!o.backend.isEmpty() && o.backend != "cpu" && o.backend != "cuda" && o.backend != "auto") {
        std::fprintf(stderr, "nqkv-studio: --backend %s: expected cpu, cuda or auto\n",
                     qPrintable(o.backend));
        return 2;
    }
    if (cli.isSet(demo) != cli.isSet(shot)) {
        std::fprintf(stderr, "nqkv-studio: --demo and --screenshot go together\n");
        return 2;
    }

    {
        const std::unique_ptr<QSettings> stored =
            o.settingsFile.isEmpty()
                ? std::make_unique<QSettings>()
                : std::make_unique<QSettings>(o.settingsFile, QSettings::IniFormat);
        const QString lang =
            cli.isSet(language) ? cli.value(language) : nqkv::studio::languageSetting(*stored);
        if (!nqkv::studio::installTranslations(lang))
            std::fprintf(stderr,
                         "nqkv-studio: no translation for language \"%s\" (en, de, zh_CN)\n",
                         qPrintable(lang));
    }
    nqkv::studio::MainWindow window(o);
    if (!cli.isSet(demo)) {
        window.show();
        return app.exec();
    }
    if (!window.modelReady() && !window.loading()) {
        std::fprintf(stderr, "nqkv-studio --demo: no model: pass -m FILE.gguf\n");
        return 2;
    }
    nqkv::studio::DemoRunner runner(&window, cli.value(shot));
    QString error;
    if (!runner.load(cli.value(demo), &error)) {
        std::fprintf(stderr, "nqkv-studio --demo: %s\n", qPrintable(error));
        return 2;
    }
    QObject::connect(&runner, &nqkv::studio::DemoRunner::finished, &app, &QCoreApplication::exit);
    window.show();
    runner.start(cli.value(timeout).toInt() * 1000);
    return app.exec();
}
