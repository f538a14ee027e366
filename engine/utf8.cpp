#include "engine/utf8.h"

#include <cstdint>

namespace nqkv {
namespace {

// Length of the valid sequence at s[i], 0 if invalid, -1 if valid so far but truncated.
int sequence_length(std::string_view s, size_t i) {
    const auto b0 = uint8_t(s[i]);
    if (b0 < 0x80) return 1;
    int len;
    uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    for (int k = 1; k < len; ++k) {
        if (i + size_t(k) >= s.size()) return -1;
        const auto b = uint8_t(s[i + size_t(k)]);
        const uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (b < l || b > h) return 0;
    }
    return len;
}

}  // namespace

size_t utf8_invalid_offset(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const int n = sequence_length(s, i);
        if (n <= 0) return i;
        i += size_t(n);
    }
    return std::string_view::npos;
}

size_t utf8_complete_prefix(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const int n = sequence_length(s, i);
        if (n < 0) return i;          // may still complete
        i += n == 0 ? 1 : size_t(n);  // invalid bytes will never complete: let them through
    }
    return i;
}

std::string utf8_sanitize(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const int n = sequence_length(s, i);
        if (n <= 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, size_t(n)));
            i += size_t(n);
        }
    }
    return out;
}

}  // namespace nqkv
