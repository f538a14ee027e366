#include "engine/bpe_pretokenizer_deepseek.h"

#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>

#include "engine/bpe_pretokenizer.h"

namespace nqkv {
namespace {

// What the third expression sees of a code point: llama.cpp's one byte per code point.
enum Kind { Letter, Number, Punct, Symbol, Mark, Space, Other };

Kind kind(uint32_t c) {
    if (c < 0x80) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return Letter;
        if (c >= '0' && c <= '9') return Number;
        if (c == ' ' || (c >= '\t' && c <= '\r')) return Space;
        if (std::string_view("$+<=>^`|~").find(char(c)) != std::string_view::npos) return Symbol;
        if (c > ' ' && c < 0x7F) return Punct;
        return Other;
    }
    const int k = unicode_classes(c);
    if (k & kUnicodeSpace) return Space;  // before its category, as llama.cpp collapses it
    if (k & kUnicodeLetter) return Letter;
    if (k & kUnicodeNumber) return Number;
    if (k & kUnicodePunctuation) return Punct;
    if (k & kUnicodeMark) return Mark;
    if (k & kUnicodeSymbol) return Symbol;
    return Other;
}

bool cjk(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FA5) || (c >= 0x3040 && c <= 0x309F) ||
           (c >= 0x30A0 && c <= 0x30FF);
}

bool newline(uint32_t c) {
    return c == '\r' || c == '\n';
}

// The third expression's match at i of cp[0, n), or 0.
size_t match(const uint32_t* cp, size_t n, size_t i) {
    const auto k = [&](size_t j) { return kind(cp[j]); };
    const auto ascii_letter = [&](size_t j) { return j < n && cp[j] < 0x80 && k(j) == Letter; };
    const auto letter_or_mark = [&](size_t j) { return k(j) == Letter || k(j) == Mark; };
    const auto run = [&](size_t j, auto pred) {
        while (j < n && pred(j)) ++j;
        return j;
    };
    // [ASCII punctuation or symbol][A-Za-z]+
    if (cp[i] < 0x80 && (k(i) == Punct || k(i) == Symbol) && ascii_letter(i + 1))
        return run(i + 1, ascii_letter) - i;
    // [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+
    const Kind c = k(i);
    if (!newline(cp[i]) && c != Letter && c != Punct && c != Symbol && i + 1 < n &&
        letter_or_mark(i + 1))
        return run(i + 1, letter_or_mark) - i;
    if (letter_or_mark(i)) return run(i, letter_or_mark) - i;
    // ' ?[\p{P}\p{S}]+[\r\n]*'
    const auto punct = [&](size_t j) { return k(j) == Punct || k(j) == Symbol; };
    const size_t p = cp[i] == ' ' && i + 1 < n && punct(i + 1) ? i + 1 : i;
    if (punct(p)) return run(run(p, punct), [&](size_t j) { return newline(cp[j]); }) - i;
    if (c != Space) return 0;
    const size_t end = run(i, [&](size_t j) { return k(j) == Space; });
    // \s*[\r\n]+ : up to the run's last line break
    for (size_t j = end; j > i; --j)
        if (newline(cp[j - 1])) return j - i;
    // \s+(?!\S), else \s+
    if (end == n || end - i == 1) return end - i;
    return end - 1 - i;
}

// Cuts [b, e) with `find` (the start and end of the next match at or after a position, or e),
// text between matches staying one piece.
template <class Find>
void cut(size_t b, size_t e, Find find, std::vector<size_t>& out) {
    for (size_t i = b; i < e;) {
        const auto [s, t] = find(i, e);
        if (s > i) out.push_back(s - i);
        if (t > s) out.push_back(t - s);
        i = t > s ? t : e;
    }
}

// One expression over every piece the one before left (lengths in code points from the start):
// `find(i, e)` gives the start and end of its next match in [i, e), the piece's end e.
template <class Find>
std::vector<size_t> pass(const std::vector<size_t>& pieces, Find find) {
    std::vector<size_t> out;
    size_t at = 0;
    for (size_t len : pieces) {
        cut(at, at + len, find, out);
        at += len;
    }
    return out;
}

// The next run of code points `in` holds, at most `most` long: its start and end in [i, e).
template <class In>
auto runs_of(In in, size_t most = SIZE_MAX) {
    return [=](size_t i, size_t e) -> std::pair<size_t, size_t> {
        while (i < e && !in(i)) ++i;
        size_t j = i;
        while (j < e && j - i < most && in(j)) ++j;
        return {i, j};
    };
}

// DeepSeek LLM's letters: the expression lists them range by range (Latin, Greek, Cyrillic,
// Armenian, Georgian, Cherokee, Glagolitic, Coptic, full-width Latin, Deseret, Osage, Old
// Hungarian, Warang Citi, Adlam), not as \p{L}.
constexpr std::pair<uint32_t, uint32_t> kLlmLetters[] = {
    {0x41, 0x5A},       {0x61, 0x7A},       {0xB5, 0xB5},       {0xC0, 0xD6},
    {0xD8, 0xF6},       {0xF8, 0x1BA},      {0x1BC, 0x1BF},     {0x1C4, 0x293},
    {0x295, 0x2AF},     {0x370, 0x373},     {0x376, 0x376},     {0x377, 0x377},
    {0x37B, 0x37D},     {0x37F, 0x37F},     {0x386, 0x386},     {0x388, 0x38A},
    {0x38C, 0x38C},     {0x38E, 0x3A1},     {0x3A3, 0x3F5},     {0x3F7, 0x481},
    {0x48A, 0x52F},     {0x531, 0x556},     {0x10A0, 0x10C5},   {0x13A0, 0x13F5},
    {0x13F8, 0x13FD},   {0x1C90, 0x1CBA},   {0x1CBD, 0x1CBF},   {0x1D00, 0x1D2B},
    {0x1D6B, 0x1D77},   {0x1D79, 0x1D9A},   {0x1E00, 0x1F15},   {0x1F18, 0x1F1D},
    {0x1F20, 0x1F45},   {0x1F48, 0x1F4D},   {0x1F50, 0x1F57},   {0x1F59, 0x1F59},
    {0x1F5B, 0x1F5B},   {0x1F5D, 0x1F5D},   {0x1F5F, 0x1F7D},   {0x1F80, 0x1FB4},
    {0x1FB6, 0x1FBC},   {0x1FBE, 0x1FBE},   {0x1FC2, 0x1FC4},   {0x1FC6, 0x1FCC},
    {0x1FD0, 0x1FD3},   {0x1FD6, 0x1FDB},   {0x1FE0, 0x1FEC},   {0x1FF2, 0x1FF4},
    {0x1FF6, 0x1FFC},   {0x2102, 0x2102},   {0x2107, 0x2107},   {0x210A, 0x2113},
    {0x2115, 0x2115},   {0x2119, 0x211D},   {0x2124, 0x2124},   {0x2126, 0x2126},
    {0x2128, 0x2128},   {0x212A, 0x212D},   {0x212F, 0x2134},   {0x2139, 0x2139},
    {0x213C, 0x213F},   {0x2145, 0x2149},   {0x214E, 0x214E},   {0x2183, 0x2183},
    {0x2184, 0x2184},   {0x2C00, 0x2C7B},   {0x2C7E, 0x2CE4},   {0x2CEB, 0x2CEE},
    {0x2CF2, 0x2CF2},   {0x2CF3, 0x2CF3},   {0xA640, 0xA66D},   {0xA680, 0xA69B},
    {0xA722, 0xA76F},   {0xA771, 0xA787},   {0xA78B, 0xA78E},   {0xAB70, 0xABBF},
    {0xFB00, 0xFB06},   {0xFB13, 0xFB17},   {0xFF21, 0xFF3A},   {0xFF41, 0xFF5A},
    {0x10400, 0x1044F}, {0x104B0, 0x104D3}, {0x104D8, 0x104FB}, {0x10C80, 0x10CB2},
    {0x10CC0, 0x10CF2}, {0x118A0, 0x118DF}, {0x1E900, 0x1E943},
};

bool in_ranges(uint32_t c, const std::pair<uint32_t, uint32_t>* r, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (c >= r[i].first && c <= r[i].second) return true;
    return false;
}

}  // namespace

std::vector<size_t> deepseek_v3_pieces(const uint32_t* cp, size_t n) {
    const auto numbers = pass({n}, runs_of([&](size_t j) { return kind(cp[j]) == Number; }, 3));
    const auto scripts = pass(numbers, runs_of([&](size_t j) { return cjk(cp[j]); }));
    return pass(scripts, [&](size_t i, size_t e) -> std::pair<size_t, size_t> {
        for (; i < e; ++i)
            if (const size_t m = match(cp, e, i)) return {i, i + m};
        return {e, e};
    });
}

std::vector<size_t> deepseek_llm_pieces(const uint32_t* cp, size_t n) {
    // What std::wregex sees: whitespace past ASCII as \v, as llama.cpp hands it over.
    const auto seen = [&](size_t j) {
        return cp[j] > 0x7F && (unicode_classes(cp[j]) & kUnicodeSpace) ? uint32_t('\v') : cp[j];
    };
    const auto space = [&](size_t j) {
        const uint32_t c = seen(j);
        return c == ' ' || (c >= '\t' && c <= '\r');
    };
    const auto letter = [&](size_t j) {
        return in_ranges(seen(j), kLlmLetters, std::size(kLlmLetters));
    };
    const auto punct = [&](size_t j) {
        constexpr std::pair<uint32_t, uint32_t> kPunct[] = {{0x21, 0x2F},     {0x3A, 0x7E},
                                                            {0xFF01, 0xFF0F}, {0xFF1A, 0xFF5E},
                                                            {0x2018, 0x201F}, {0x3000, 0x3002}};
        return in_ranges(seen(j), kPunct, std::size(kPunct));
    };
    // \s?[set]+ : the next place a run of the set starts, with the space before it if any.
    const auto spaced_runs = [&](auto in) {
        return [=](size_t i, size_t e) -> std::pair<size_t, size_t> {
            for (; i < e; ++i) {
                const size_t s = space(i) && i + 1 < e && in(i + 1) ? i + 1 : i;
                if (!in(s)) continue;
                size_t j = s;
                while (j < e && in(j)) ++j;
                return {i, j};
            }
            return {e, e};
        };
    };
    auto pieces = pass({n}, runs_of([&](size_t j) { return cp[j] == '\r' || cp[j] == '\n'; }, 1));
    pieces = pass(pieces, spaced_runs(letter));
    pieces = pass(pieces, spaced_runs(punct));
    pieces = pass(pieces, [&](size_t i, size_t e) -> std::pair<size_t, size_t> {  // \s+$
        size_t s = e;
        while (s > i && space(s - 1)) --s;
        return {s, e};
    });
    pieces = pass(pieces, runs_of([&](size_t j) {
                      const uint32_t c = seen(j);
                      return (c >= 0x800 && c <= 0x9FA5) || (c >= 0xAC00 && c <= 0xD7FF);
                  }));
    return pass(pieces, runs_of([&](size_t j) { return kind(cp[j]) == Number; }));
}

}  // namespace nqkv
