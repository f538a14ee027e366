#include "app/common/bundled_models.h"

#include "engine/error.h"

#include <filesystem>
#include <system_error>
#include <vector>

namespace nqkv::app {

std::string bundled_model(const std::string& file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    std::vector<fs::path> candidates;
    if (!ec) candidates.push_back(exe.parent_path() / "../share/nqkv-studio/models" / file);
    candidates.push_back(fs::path(NQKV_SOURCE_DIR) / "resources/models" / file);
    for (const auto& c : candidates)
        if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(c, ec).string();
    return {};
}

std::string model_or_bundled(const std::optional<std::string>& given, const std::string& file,
                             const std::string& option) {
    if (given) return *given;
    std::string b = bundled_model(file);
    if (b.empty())
        fail(option, ": not given, and this build has no bundled ", file,
             " (resources/models/ or <prefix>/share/nqkv-studio/models/)");
    return b;
}

}  // namespace nqkv::app
