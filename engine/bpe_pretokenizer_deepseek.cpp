#include "engine/bpe_pretokenizer_deepseek.h"

#include <string_view>

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

}  // namespace

std::vector<size_t> deepseek_v3_pieces(const uint32_t* cp, size_t n) {
    std::vector<size_t> numbers, scripts, out;
    cut(
        0, n,
        [&](size_t i, size_t e) -> std::pair<size_t, size_t> {
            while (i < e && kind(cp[i]) != Number) ++i;
            size_t j = i;
            while (j < e && j < i + 3 && kind(cp[j]) == Number) ++j;
            return {i, j};
        },
        numbers);
    size_t at = 0;
    for (size_t len : numbers) {
        cut(
            at, at + len,
            [&](size_t i, size_t e) -> std::pair<size_t, size_t> {
                while (i < e && !cjk(cp[i])) ++i;
                size_t j = i;
                while (j < e && cjk(cp[j])) ++j;
                return {i, j};
            },
            scripts);
        at += len;
    }
    at = 0;
    for (size_t len : scripts) {
        const uint32_t* piece = cp + at;
        cut(
            0, len,
            [&](size_t i, size_t e) -> std::pair<size_t, size_t> {
                for (; i < e; ++i)
                    if (const size_t m = match(piece, e, i)) return {i, i + m};
                return {e, e};
            },
            out);
        at += len;
    }
    return out;
}

}  // namespace nqkv
