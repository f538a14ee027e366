// Helpers shared by the test suites: where the shared models are, JSON loading, and
// comparisons that report the worst element.
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QtTest>
#include <functional>
#include <string>
#include <vector>

namespace nqkv {
struct CpuKernels;
}

namespace nqkv::test {

// ../shared (or NQKV_SHARED_DIR from the environment); empty when it is not there.
std::string shared_dir();
std::string shared_file(const std::string& rel);  // empty when missing
std::string bin_dir();

QJsonObject load_json(const std::string& path);
std::vector<int> to_ints(const QJsonValue& v);
std::vector<double> to_doubles(const QJsonValue& v);

// A fresh temporary directory per call, removed at exit.
std::string temp_dir();

// The message of the nqkv::Error `f` throws; empty when it throws none.
QString error_of(const std::function<void()>& f);

// Every build of the CPU kernels this CPU can run, best first.
std::vector<const CpuKernels*> all_kernels();

}  // namespace nqkv::test

// Skips the current test when a shared file is missing.
#define NQKV_REQUIRE_SHARED(var, rel)                       \
    const std::string var = ::nqkv::test::shared_file(rel); \
    if (var.empty())                                        \
    QSKIP(qPrintable(QString("shared file %1 not present").arg(QString::fromStdString(rel))))
