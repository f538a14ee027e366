// Helpers for the GUI suites: a main window on a test-made model with its own data folder and
// settings file, and waits that fail with a message instead of hanging.
#pragma once

#include <QString>
#include <QtTest>
#include <functional>
#include <memory>

#include "app/studio/main_window.h"

namespace nqkv::test {

// A random llama model big enough that a long reply takes a while on two cores
// (written once per process).
QString studio_model();

struct Studio {
    QString dataDir;
    QString settingsFile;
    std::unique_ptr<studio::MainWindow> window;
};

// Opens a window on dataDir (a fresh temporary folder when empty) with `model` loaded, and
// waits for the model.
Studio open_studio(const QString& model, const QString& dataDir = {});

// Processes events until cond() holds or ms pass; returns cond().
bool wait_until(const std::function<bool()>& cond, int ms);

}  // namespace nqkv::test
