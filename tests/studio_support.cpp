#include "tests/studio_support.h"

#include <QSignalSpy>

#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

QString studio_model() {
    static const QString path = [] {
        TinySpec s;
        s.n_embd = 256;
        s.n_layer = 4;
        s.n_head = 8;
        s.n_head_kv = 4;  // head_dim 32, 128 values per K or V row
        s.n_ff = 512;
        s.n_ctx = 8192;
        s.seed = 7;
        return QString::fromStdString(write_tiny_model(s));
    }();
    return path;
}

bool wait_until(const std::function<bool()>& cond, int ms) {
    QElapsedTimer t;
    t.start();
    while (!cond() && t.elapsed() < ms) QTest::qWait(5);
    return cond();
}

Studio open_studio(const QString& model, const QString& dataDir) {
    Studio s;
    s.dataDir = dataDir.isEmpty() ? QString::fromStdString(temp_dir()) : dataDir;
    s.settingsFile = s.dataDir + "/settings.ini";
    studio::StudioOptions o;
    o.dataDir = s.dataDir;
    o.settingsFile = s.settingsFile;
    o.modelPath = model;
    s.window = std::make_unique<studio::MainWindow>(o);
    s.window->show();
    if (!model.isEmpty()) wait_until([&] { return s.window->modelReady(); }, 30000);
    return s;
}

}  // namespace nqkv::test
