// Parses the comma-separated lists of KV configurations that ppl and bench take, e.g.
// "fp16,nq4,block=32,k=nq4,v=nq2,int4": a "v=" item right after a "k=" item completes that
// mixed configuration, and a "block=" item belongs to the configuration before it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "engine/kv_config.h"

namespace nqkv::cli {

std::vector<KvConfig> parse_kv_list(const std::string& list, std::optional<int> block,
                                    const std::string& what);

// The --kv list (`fallback` without it), each quantized configuration in --block's block size
// when that is given (16..128) and the configuration names none itself.
std::vector<KvConfig> read_kv_list(const Args& a, const std::string& fallback);

}  // namespace nqkv::cli
