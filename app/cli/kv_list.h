// Parses the comma-separated lists of KV configurations that ppl and bench take, e.g.
// "fp16,nq4,k=nq4,v=nq2,int4": a "k=" item starts a mixed configuration and the "v=" and
// "block=" items right after it belong to that configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/kv_config.h"

namespace nqkv::cli {

std::vector<KvConfig> parse_kv_list(const std::string& list, std::optional<int> block, const std::string& what);

}  // namespace nqkv::cli
