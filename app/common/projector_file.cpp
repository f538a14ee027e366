#include "app/common/projector_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "engine/error.h"
#include "engine/vision_model.h"

namespace nqkv::app {

std::vector<std::string> projectors_beside(const LlamaModel& model) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir = fs::path(model.file().path()).parent_path();
    std::vector<std::string> pairing;
    for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        if (name.rfind("mmproj", 0) != 0 || name.size() < 5 ||
            name.compare(name.size() - 5, 5, ".gguf") != 0 || !it->is_regular_file(ec))
            continue;
        try {
            VisionModel::load(it->path().string())->check_pairs_with(model);
            pairing.push_back(it->path().string());
        } catch (const Error&) {  // another model's projector, or not one at all
        }
    }
    std::sort(pairing.begin(), pairing.end());
    return pairing;
}

std::string projector_beside(const LlamaModel& model) {
    const std::vector<std::string> found = projectors_beside(model);
    if (found.size() == 1) return found[0];
    if (found.empty())
        fail(
            "pictures need the model's vision projector: --mmproj FILE (the mmproj GGUF that "
            "comes with the model; none that fits it is beside ",
            model.file().path(), ")");
    std::string list;
    for (const std::string& f : found) list += (list.empty() ? "" : ", ") + f;
    fail("pictures need the model's vision projector, and ", found.size(),
         " that fit it are beside the model (", list, "): choose one with --mmproj FILE");
}

}  // namespace nqkv::app
