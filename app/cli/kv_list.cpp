#include "app/cli/kv_list.h"

#include <sstream>

#include "engine/error.h"

namespace nqkv::cli {

std::vector<KvConfig> parse_kv_list(const std::string& list, std::optional<int> block,
                                    const std::string& what) {
    std::vector<std::string> specs;
    std::stringstream ss(list);
    for (std::string item; std::getline(ss, item, ',');) {
        const bool block = item.rfind("block=", 0) == 0;
        const bool v_after_k = item.rfind("v=", 0) == 0 && !specs.empty() &&
                               specs.back().rfind("k=", 0) == 0 &&
                               specs.back().find(",v=") == std::string::npos;
        if (!specs.empty() && (block || v_after_k))
            specs.back() += "," + item;
        else
            specs.push_back(item);
    }
    std::vector<KvConfig> out;
    for (const auto& s : specs) {
        KvConfig c = KvConfig::parse(s, what);
        if (block && s.find("block=") == std::string::npos) c.block = *block;
        out.push_back(c);
    }
    if (out.empty()) fail(what, ": no KV configuration given");
    return out;
}

}  // namespace nqkv::cli
