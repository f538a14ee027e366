// Runs the nqkv command line for the CLI test suites and collects what it wrote.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include "tests/test_support.h"

namespace nqkv::test {

struct CliResult {
    int code;
    QString out, err;
};

// nqkv with `args`, `input` on its standard input (closed after it).
inline CliResult run_cli(const QStringList& args, const QByteArray& input = {}) {
    QProcess p;
    p.start(QString::fromStdString(bin_dir() + "/nqkv"), args);
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) qFatal("nqkv did not finish");
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace nqkv::test
