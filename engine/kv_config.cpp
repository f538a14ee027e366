#include "engine/kv_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <numeric>
#include <sstream>

#include "engine/error.h"

namespace nqkv {

std::string KvFormat::name() const {
    switch (kind) {
        case F32:
            return "f32";
        case F16:
            return "fp16";
        case Quant:
            return family_name(family) + std::to_string(bits);
    }
    return "?";
}

KvFormat parse_kv_format(const std::string& s, const std::string& what) {
    if (s == "f32" || s == "fp32") return KvFormat::f32();
    if (s == "f16" || s == "fp16") return KvFormat::f16();
    for (CodeFamily f : {CodeFamily::NQ, CodeFamily::LM, CodeFamily::INT}) {
        const std::string p = family_name(f);
        if (s.size() == p.size() + 1 && s.compare(0, p.size(), p) == 0) {
            const int bits = s.back() - '0';
            if (bits == 2 || bits == 3 || bits == 4 || bits == 8) return KvFormat::quant(f, bits);
        }
    }
    fail(what, ": unknown KV format \"", s,
         "\" (choices: fp16, f32, nq2, nq3, nq4, nq8, lm2, lm3, lm4, lm8, int2, int3, int4, int8)");
}

KvConfig KvConfig::parse(const std::string& spec, const std::string& what) {
    KvConfig c;
    if (spec.empty()) fail(what, ": empty KV configuration");
    bool side_given = false;
    std::stringstream ss(spec);
    for (std::string part; std::getline(ss, part, ',');) {
        const size_t eq = part.find('=');
        if (eq == std::string::npos) {
            c.k = c.v = parse_kv_format(part, what);
            side_given = true;
            continue;
        }
        const std::string key = part.substr(0, eq), val = part.substr(eq + 1);
        if (key == "k") {
            c.k = parse_kv_format(val, what);
        } else if (key == "v") {
            c.v = parse_kv_format(val, what);
        } else if (key == "block") {
            char* end = nullptr;
            const long b = std::strtol(val.c_str(), &end, 10);
            if (val.empty() || *end || (b != 16 && b != 32 && b != 64 && b != 128))
                fail(what, ": block \"", val, "\" must be 16, 32, 64 or 128");
            c.block = int(b);
            continue;
        } else {
            fail(what, ": unknown key \"", key, "\" in \"", spec, "\" (k=, v=, block=)");
        }
        side_given = true;
    }
    if (!side_given) fail(what, ": \"", spec, "\" names no format for K or V");
    return c;
}

std::string KvConfig::name() const {
    std::string s = k == v ? k.name() : "k=" + k.name() + ",v=" + v.name();
    if ((k.quantized() || v.quantized()) && block != 64) s += ",block=" + std::to_string(block);
    return s;
}

int effective_block(int requested, int row) {
    for (int b = requested; b >= 1; b /= 2)
        if (row % b == 0) return b;
    return 1;
}

size_t side_bytes_per_token_layer(const KvFormat& f, int row, int block) {
    if (!f.quantized()) return size_t(row) * size_t(f.bits) / 8;
    const int b = effective_block(block, row);
    const size_t blocks = size_t(row / b);
    return blocks * ((size_t(b) * size_t(f.bits) + 7) / 8) + blocks * 2;
}

size_t kv_bytes_per_token(const KvConfig& c, int n_layer, int row) {
    return kv_bytes_per_token(c, std::vector<int>(size_t(std::max(0, n_layer)), row));
}

size_t kv_bytes_per_token(const KvConfig& c, const std::vector<int>& rows, bool values_in_keys) {
    int common = 0;
    for (int r : rows) common = std::gcd(common, r);
    const int b = effective_block(c.block, common ? common : 1);
    size_t n = 0;
    for (int r : rows)
        n += side_bytes_per_token_layer(c.k, r, b) +
             side_bytes_per_token_layer(c.v, values_in_keys ? 0 : r, b);
    return n;
}

size_t kv_tokens_in_budget(size_t budget, size_t open_bytes, size_t ringed_bytes, int ring,
                           size_t cap) {
    if (ring <= 0) open_bytes += ringed_bytes, ringed_bytes = 0;
    if (open_bytes + ringed_bytes == 0) return cap;
    const size_t all = budget / (open_bytes + ringed_bytes);
    if (ringed_bytes == 0 || all < size_t(ring)) return all;
    if (open_bytes == 0) return cap;
    return (budget - size_t(ring) * ringed_bytes) / open_bytes;
}

size_t parse_byte_size(const std::string& s, const std::string& what) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    std::string unit = end ? end : "";
    for (auto& ch : unit) ch = char(std::toupper(uint8_t(ch)));
    double mult = 1;
    if (unit == "" || unit == "B")
        mult = 1;
    else if (unit == "K" || unit == "KB" || unit == "KIB")
        mult = 1024.0;
    else if (unit == "M" || unit == "MB" || unit == "MIB")
        mult = 1024.0 * 1024;
    else if (unit == "G" || unit == "GB" || unit == "GIB")
        mult = 1024.0 * 1024 * 1024;
    else
        fail(what, ": \"", s, "\" is not a size (examples: 64M, 1G, 512K)");
    if (s.empty() || end == s.c_str() || !(v * mult >= 1))
        fail(what, ": \"", s, "\" is not a positive size");
    // Past 2^53 a double no longer counts single bytes, and no memory is that large anyway.
    if (!(v * mult <= 0x1p53)) fail(what, ": \"", s, "\" is too large (at most 8 PiB)");
    return size_t(v * mult);
}

}  // namespace nqkv
