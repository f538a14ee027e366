// DeepSeek's pre-tokenizers. DeepSeek-V3's (tokenizer.ggml.pre "deepseek-v3"), as llama.cpp
// runs its three expressions one after another, each over the pieces the one before left: runs of
// numbers cut into threes (\p{N}{1,3}); runs of CJK ideographs and kana ([一-龥぀-ゟ゠-ヿ]+);
// then
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

// DeepSeek LLM's (tokenizer.ggml.pre "deepseek-llm": DeepSeek LLM, DeepSeek-V2 and V2-Lite), its
// six expressions in turn as llama.cpp runs them: [\r\n]; \s?[letters]+ with the letters a list
// of ranges (Latin, Greek, Cyrillic and other cased scripts, not CJK); \s?[!-/:-~ and their
// full-width forms, curly quotes, 、。]+ (which takes ASCII letters too, so a word with a
// letter past the list is cut where it starts); \s+$; [U+0800-U+9FA5 and Hangul]+; \p{N}+.
// Whitespace past ASCII is \v to the first five, as std::wregex sees it there.
std::vector<size_t> deepseek_llm_pieces(const uint32_t* cp, size_t n);

}  // namespace nqkv
