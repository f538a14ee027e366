// DeepSeek-V3's pre-tokenizer (tokenizer.ggml.pre "deepseek-v3"), as llama.cpp runs its three
// expressions one after another, each over the pieces the one before left: runs of numbers cut
// into threes (\p{N}{1,3}); runs of CJK ideographs and kana ([一-龥぀-ゟ゠-ヿ]+); then
// [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+|
//  ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+ . Text no expression matches stays one piece.
// llama.cpp matches the expressions with std::regex over one byte per code point (a class for
// each code point past ASCII), so ASCII \s is [\t\n\v\f\r ] here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nqkv {

// The pieces' lengths, in code points, of cp[0, n).
std::vector<size_t> deepseek_v3_pieces(const uint32_t* cp, size_t n);

}  // namespace nqkv
