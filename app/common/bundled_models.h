// Where the bundled arithmetic policy and PRM are: next to an installed binary
// (<prefix>/share/nqkv-studio/models) or in the source tree of a development build.
#pragma once

#include <optional>
#include <string>

namespace nqkv::app {

// Full path of the bundled "policy.gguf" or "prm.gguf", or empty when this build has none.
std::string bundled_model(const std::string& file);

// `given` when set, else the bundled file; throws Error naming `option` when neither exists.
std::string model_or_bundled(const std::optional<std::string>& given, const std::string& file,
                             const std::string& option);

}  // namespace nqkv::app
