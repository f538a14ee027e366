#include "engine/bpe_pretokenizer.h"

#include "engine/bpe_pretokenizer_deepseek.h"

#include <algorithm>

namespace nqkv {
namespace {

struct UnicodeRange {
    uint32_t first, last;
    int classes;
};

constexpr UnicodeRange kRanges[] = {
#include "engine/unicode_tables.inc"
};

struct NameKind {
    const char* name;
    BpePreTokenizer kind;
    // llama.cpp's Llama 3 defaults: the text starts with BOS unless the vocabulary says
    // otherwise, and a word that is a whole token is taken as it is, before any merge.
    bool llama3_defaults = false;
    bool without_bos = false;  // GLM-4's: llama.cpp never adds its BOS
};
// The names llama.cpp gives the same expressions ("refact": IBM Granite 3; "command-r":
// Cohere's; "olmo": OLMo's; "dbrx": DBRX's; "exaone4": EXAONE 4.0's; "lfm2": LFM2's;
// "hunyuan": Hunyuan-A13B's; "hunyuan-dense": Hunyuan's dense models').
constexpr NameKind kNames[] = {
    {"gpt-2", BpePreTokenizer::Gpt2},
    {"phi-2", BpePreTokenizer::Gpt2},
    {"mpt", BpePreTokenizer::Gpt2},
    {"olmo", BpePreTokenizer::Gpt2},
    {"exaone4", BpePreTokenizer::Gpt2},
    {"llama-bpe", BpePreTokenizer::Llama3, true},
    {"llama3", BpePreTokenizer::Llama3, true},
    {"llama-v3", BpePreTokenizer::Llama3, true},
    {"falcon3", BpePreTokenizer::Llama3, true},
    {"falcon-h1", BpePreTokenizer::Llama3, true},
    {"pixtral", BpePreTokenizer::Llama3, true},
    {"lfm2", BpePreTokenizer::Llama3, true},
    {"smaug-bpe", BpePreTokenizer::Llama3},
    {"dbrx", BpePreTokenizer::Llama3},
    {"glm4", BpePreTokenizer::Llama3, false, true},
    {"chatglm-bpe", BpePreTokenizer::Llama3, false, true},
    {"qwen2", BpePreTokenizer::Qwen2},
    {"deepseek-r1-qwen", BpePreTokenizer::Qwen2},
    {"hunyuan", BpePreTokenizer::Qwen2},
    {"qwen35", BpePreTokenizer::Qwen35},
    {"smollm", BpePreTokenizer::SmolLM},
    {"starcoder", BpePreTokenizer::SmolLM},
    {"refact", BpePreTokenizer::SmolLM},
    {"command-r", BpePreTokenizer::SmolLM},
    {"codeshell", BpePreTokenizer::SmolLM},
    {"exaone", BpePreTokenizer::SmolLM},
    {"tekken", BpePreTokenizer::Tekken, true},
    {"gpt-4o", BpePreTokenizer::Gpt4o},
    {"llama4", BpePreTokenizer::Gpt4o},
    {"deepseek-v3", BpePreTokenizer::DeepSeekV3},
    {"hunyuan-dense", BpePreTokenizer::DeepSeekV3},
    {"deepseek-llm", BpePreTokenizer::DeepSeekLlm},
    {"seed-coder", BpePreTokenizer::SeedCoder},
    {"kimi-k2", BpePreTokenizer::KimiK2},
};

// One expression's choices; the kinds differ only in these.
struct Rules {
    bool contractions_any_case;  // (?i:'s|...) instead of 's|...
    bool letters_any_prefix;     // [^\r\n\p{L}\p{N}]?\p{L}+ instead of ' ?\p{L}+'
    int max_digits;              // \p{N}{1,max}; 0: ' ?\p{N}+'
    bool newline_rules;          // punctuation takes trailing [\r\n]*, and \s*[\r\n]+
    // Tekken (Mistral), as llama.cpp runs it: no contractions; words split where lower case
    // turns to upper, P?U*W+|P?U+W* with U = a letter but a-z, W = a letter but A-Z (so other
    // scripts' letters are both, and marks neither); punctuation takes trailing [\r\n/]*;
    // ASCII \s is std::regex's [\t\n\v\f\r ].
    bool tekken = false;
    // GPT-4o's (o200k: Phi-4-mini, gpt-oss), as llama.cpp runs it: Tekken's words, each
    // optionally followed by a contraction ('s|'t|'re|'ve|'m|'ll|'d, any case), and up to
    // three digits at a time.
    bool contraction_suffix = false;
    // Qwen3.5's: combining marks count as letters in words and not as punctuation.
    bool marks_in_words = false;
    // Seed-Coder's (Seed-OSS): a run of punctuation takes no line breaks after it.
    bool punct_without_newlines = false;
    // Kimi K2's: a run of Han characters is a piece of its own, and never part of a word.
    bool han_apart = false;
};

constexpr Rules kGpt2{false, false, 0, false};
constexpr Rules kLlama3{true, true, 3, true};
constexpr Rules kQwen2{true, true, 1, true};
constexpr Rules kQwen35{true, true, 1, true, false, false, true};
constexpr Rules kTekken{false, true, 1, true, true};
constexpr Rules kGpt4o{true, true, 3, true, true, true};
constexpr Rules kSeedCoder{true, true, 1, true, false, false, false, true};
// Kimi K2's, as llama.cpp runs it: Llama 3's, each word taking the contraction after it
// instead of contractions on their own, and Han apart. Its expression splits words by case as
// GPT-4o's does; llama.cpp's does not, and the ids must be llama.cpp's.
constexpr Rules kKimiK2{true, true, 3, true, false, true, false, false, true};

// llama.cpp's \p{Han}: the CJK ideograph blocks.
bool han(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2EBEF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// Code points of the text and the byte offset where each starts (one more at the end).
struct CodePoints {
    std::vector<uint32_t> cp;
    std::vector<size_t> at;
};

CodePoints decode(std::string_view s) {
    CodePoints r;
    r.cp.reserve(s.size());
    r.at.reserve(s.size() + 1);
    for (size_t i = 0; i < s.size();) {
        const auto b = uint8_t(s[i]);
        const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        uint32_t c = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
        for (int k = 1; k < len && i + size_t(k) < s.size(); ++k)
            c = (c << 6) | (uint8_t(s[i + size_t(k)]) & 0x3F);
        r.cp.push_back(c);
        r.at.push_back(i);
        i += size_t(len);
    }
    r.at.push_back(s.size());
    return r;
}

uint32_t ascii_lower(uint32_t c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

// Matches one expression over code points [0, n): n acts as the end of the text, so a
// lookahead never sees past it (as when a first expression has already cut the text).
class Matcher {
  public:
    Matcher(const uint32_t* cp, size_t n, const Rules& r) : cp_(cp), n_(n), r_(r) {}

    // Length of the match starting at i (at least 1).
    size_t match(size_t i) const {
        if (r_.han_apart && han_at(i)) return run(i, &Matcher::han_at) - i;
        if (size_t len = contraction(i)) return len;
        if (size_t len = r_.tekken ? cased_letters(i) : letters(i)) return len;
        if (size_t len = numbers(i)) return len;
        if (size_t len = punctuation(i)) return len;
        if (size_t len = spaces(i)) return len;
        return 1;
    }

  private:
    int cls(size_t j) const {
        if (j >= n_) return 0;
        const uint32_t c = cp_[j];
        if (r_.tekken && c < 0x80 && (c == ' ' || (c >= '\t' && c <= '\r'))) return kUnicodeSpace;
        if (r_.tekken && c < 0x80 && !(unicode_classes(c) & (kUnicodeLetter | kUnicodeNumber)))
            return 0;
        // Punctuation and symbols are "other" to these expressions.
        const int k =
            unicode_classes(c) & (kUnicodeLetter | kUnicodeNumber | kUnicodeSpace | kUnicodeMark);
        // Elsewhere a mark is neither a letter nor a number nor a space: "other".
        if (k & kUnicodeMark) return r_.marks_in_words ? kUnicodeLetter : 0;
        return k;
    }
    bool letter(size_t j) const { return cls(j) & kUnicodeLetter; }
    bool han_at(size_t j) const { return j < n_ && han(cp_[j]); }
    bool word_letter(size_t j) const { return letter(j) && !(r_.han_apart && han(cp_[j])); }
    bool number(size_t j) const { return cls(j) & kUnicodeNumber; }
    bool space(size_t j) const { return cls(j) & kUnicodeSpace; }
    bool other(size_t j) const { return j < n_ && cls(j) == 0; }  // [^\s\p{L}\p{N}]
    bool newline(size_t j) const { return j < n_ && (cp_[j] == '\r' || cp_[j] == '\n'); }
    bool newline_or_slash(size_t j) const { return newline(j) || (j < n_ && cp_[j] == '/'); }
    uint32_t at(size_t j) const {
        if (j >= n_) return 0;
        return r_.contractions_any_case ? ascii_lower(cp_[j]) : cp_[j];
    }

    bool upper(size_t j) const {  // U: a letter but a-z
        return letter(j) && !(cp_[j] >= 'a' && cp_[j] <= 'z');
    }
    bool lower(size_t j) const {  // W: a letter but A-Z
        return letter(j) && !(cp_[j] >= 'A' && cp_[j] <= 'Z');
    }

    // P?U*W+ (U* backing off until a W follows), else P?U+W*, with P = [^\r\n\p{L}\p{N}].
    size_t cased_letters(size_t i) const {
        const size_t s = letter(i) ? i : (!number(i) && !newline(i) && letter(i + 1) ? i + 1 : n_);
        if (s >= n_) return 0;
        const size_t u = run(s, &Matcher::upper);
        for (size_t k = u + 1; k-- > s;)
            if (lower(k)) return with_suffix(run(k, &Matcher::lower)) - i;
        return u > s ? with_suffix(run(u, &Matcher::lower)) - i : 0;
    }

    // GPT-4o: a word takes the contraction that follows it.
    size_t with_suffix(size_t e) const {
        return r_.contraction_suffix && e < n_ ? e + contraction_at(e) : e;
    }

    size_t contraction(size_t i) const {
        return r_.tekken || r_.contraction_suffix ? 0 : contraction_at(i);
    }

    size_t contraction_at(size_t i) const {
        if (cp_[i] != '\'') return 0;
        const uint32_t a = at(i + 1), b = at(i + 2);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
        return 0;
    }

    size_t run(size_t j, bool (Matcher::*pred)(size_t) const) const {
        while ((this->*pred)(j)) ++j;
        return j;
    }

    size_t letters(size_t i) const {
        size_t j = i;
        if (!word_letter(j)) {
            const bool prefix = r_.letters_any_prefix ? !number(j) && !newline(j) : cp_[j] == ' ';
            if (!prefix || !word_letter(j + 1)) return 0;
            ++j;
        }
        return with_suffix(run(j, &Matcher::word_letter)) - i;
    }

    size_t numbers(size_t i) const {
        if (r_.max_digits == 0) {
            const size_t j = cp_[i] == ' ' && number(i + 1) ? i + 1 : i;
            return number(j) ? run(j, &Matcher::number) - i : 0;
        }
        size_t j = i;
        while (j - i < size_t(r_.max_digits) && number(j)) ++j;
        return j - i;
    }

    size_t punctuation(size_t i) const {
        const size_t j = cp_[i] == ' ' && other(i + 1) ? i + 1 : i;
        if (!other(j)) return 0;
        size_t e = run(j, &Matcher::other);
        if (r_.newline_rules && !r_.punct_without_newlines)
            e = run(e, r_.tekken ? &Matcher::newline_or_slash : &Matcher::newline);
        return e - i;
    }

    size_t spaces(size_t i) const {
        if (!space(i)) return 0;
        const size_t e = run(i, &Matcher::space);
        if (r_.newline_rules) {  // \s*[\r\n]+: up to the last line break of the run
            for (size_t k = e; k > i; --k)
                if (newline(k - 1)) return k - i;
        }
        if (e == n_ || e - i == 1) return e - i;  // \s+(?!\S) needs a space left over
        return e - 1 - i;
    }

    const uint32_t* cp_;
    size_t n_;
    const Rules& r_;
};

void split_range(const CodePoints& c, size_t b, size_t e, const Rules& r, std::string_view text,
                 std::vector<std::string_view>& out) {
    const Matcher m(c.cp.data() + b, e - b, r);
    for (size_t i = 0; i < e - b;) {
        const size_t len = m.match(i);
        out.push_back(text.substr(c.at[b + i], c.at[b + i + len] - c.at[b + i]));
        i += len;
    }
}

}  // namespace

static const NameKind* find_name(std::string_view name) {
    for (const auto& n : kNames)
        if (name == n.name) return &n;
    return nullptr;
}

std::optional<BpePreTokenizer> bpe_pre_tokenizer_from_name(std::string_view name) {
    if (const NameKind* n = find_name(name)) return n->kind;
    return std::nullopt;
}

bool bpe_pre_llama3_defaults(std::string_view name) {
    const NameKind* n = find_name(name);
    return n && n->llama3_defaults;
}

bool bpe_pre_without_bos(std::string_view name) {
    const NameKind* n = find_name(name);
    return n && n->without_bos;
}

std::string bpe_pre_tokenizer_names() {
    std::string s;
    for (const auto& n : kNames) s += (s.empty() ? "" : ", ") + std::string(n.name);
    return s;
}

int unicode_classes(uint32_t cp) {
    const auto* end = std::end(kRanges);
    const auto* it =
        std::upper_bound(std::begin(kRanges), end, cp,
                         [](uint32_t c, const UnicodeRange& r) { return c < r.first; });
    if (it == std::begin(kRanges)) return 0;
    --it;
    return cp <= it->last ? it->classes : 0;
}

// The kinds that are one expression, told apart by their rules; null for the others.
static const Rules* one_expression(BpePreTokenizer kind) {
    switch (kind) {
        case BpePreTokenizer::Gpt2:
            return &kGpt2;
        case BpePreTokenizer::Llama3:
            return &kLlama3;
        case BpePreTokenizer::Qwen2:
            return &kQwen2;
        case BpePreTokenizer::Qwen35:
            return &kQwen35;
        case BpePreTokenizer::Tekken:
            return &kTekken;
        case BpePreTokenizer::Gpt4o:
            return &kGpt4o;
        case BpePreTokenizer::SeedCoder:
            return &kSeedCoder;
        case BpePreTokenizer::KimiK2:
            return &kKimiK2;
        case BpePreTokenizer::SmolLM:
        case BpePreTokenizer::DeepSeekV3:
        case BpePreTokenizer::DeepSeekLlm:
            return nullptr;
    }
    return nullptr;
}

std::vector<std::string_view> bpe_pre_split(std::string_view text, BpePreTokenizer kind) {
    const CodePoints c = decode(text);
    const size_t n = c.cp.size();
    std::vector<std::string_view> out;
    if (const Rules* r = one_expression(kind)) {
        split_range(c, 0, n, *r, text, out);
        return out;
    }
    switch (kind) {
        case BpePreTokenizer::DeepSeekV3:
        case BpePreTokenizer::DeepSeekLlm: {
            size_t at = 0;
            for (size_t len : kind == BpePreTokenizer::DeepSeekV3
                                  ? deepseek_v3_pieces(c.cp.data(), n)
                                  : deepseek_llm_pieces(c.cp.data(), n)) {
                out.push_back(text.substr(c.at[at], c.at[at + len] - c.at[at]));
                at += len;
            }
            break;
        }
        case BpePreTokenizer::SmolLM:
            for (size_t i = 0; i < n;) {
                size_t j = i;
                if (unicode_classes(c.cp[i]) & kUnicodeNumber) {
                    ++j;
                    out.push_back(text.substr(c.at[i], c.at[j] - c.at[i]));
                } else {
                    while (j < n && !(unicode_classes(c.cp[j]) & kUnicodeNumber)) ++j;
                    split_range(c, i, j, kGpt2, text, out);
                }
                i = j;
            }
            break;
        default:  // one expression each, split above
            break;
    }
    return out;
}

}  // namespace nqkv
