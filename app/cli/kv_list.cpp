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

std::vector<KvConfig> read_kv_list(const Args& a, const std::string& fallback) {
    std::optional<int> block;
    if (a.has("--block")) block = a.get_int("--block", 64, 16, 128);
    return parse_kv_list(a.get("--kv").value_or(fallback), block, "--kv");
}

}  // namespace nqkv::cli
