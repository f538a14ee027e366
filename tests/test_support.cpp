#include "tests/test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "engine/cpu_kernels.h"
#include "engine/error.h"

namespace nqkv::test {

std::string shared_dir() {
    const char* env = std::getenv("NQKV_SHARED_DIR");
    const std::string dir = env ? env : NQKV_SHARED_DIR;
    return std::filesystem::is_directory(dir) ? dir : std::string();
}

std::string shared_file(const std::string& rel) {
    const std::string dir = shared_dir();
    if (dir.empty()) return {};
    const std::string p = dir + "/" + rel;
    return std::filesystem::exists(p) ? p : std::string();
}

std::string bin_dir() {
    return NQKV_BIN_DIR;
}

QJsonObject load_json(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", path.c_str());
    QJsonParseError err;
    const QJsonDocument d = QJsonDocument::fromJson(f.readAll(), &err);
    if (d.isNull()) qFatal("%s: %s", path.c_str(), qPrintable(err.errorString()));
    return d.object();
}

std::vector<int> to_ints(const QJsonValue& v) {
    std::vector<int> out;
    for (const auto& x : v.toArray()) out.push_back(x.toInt());
    return out;
}

std::vector<double> to_doubles(const QJsonValue& v) {
    std::vector<double> out;
    for (const auto& x : v.toArray()) out.push_back(x.toDouble());
    return out;
}

std::string temp_dir() {
    static std::vector<std::unique_ptr<QTemporaryDir>> dirs;
    dirs.push_back(std::make_unique<QTemporaryDir>());
    return dirs.back()->path().toStdString();
}

QString error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::vector<const CpuKernels*> all_kernels() {
    std::vector<const CpuKernels*> out;
    for (Isa isa : kIsas)
        if (const CpuKernels* k = cpu_kernels_for(isa)) out.push_back(k);
    return out;
}

}  // namespace nqkv::test
