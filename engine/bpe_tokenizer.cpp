#include "engine/bpe_tokenizer.h"

#include <algorithm>
#include <array>
#include <queue>

#include "engine/error.h"

namespace nqkv {
namespace {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes
// are written as U+0100 onwards in byte order, so every byte is a visible character.
struct ByteMap {
    std::array<uint32_t, 256> to_cp{};
    std::array<int, 324> to_byte{};  // stand-ins are below U+0144

    ByteMap() {
        to_byte.fill(-1);
        uint32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            to_cp[size_t(b)] = printable ? uint32_t(b) : next++;
            to_byte[to_cp[size_t(b)]] = b;
        }
    }
};

const ByteMap& byte_map() {
    static const ByteMap m;
    return m;
}

void append_utf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
        s.push_back(char(cp));
    } else {  // stand-ins are below U+0800
        s.push_back(char(0xC0 | (cp >> 6)));
        s.push_back(char(0x80 | (cp & 0x3F)));
    }
}

struct Candidate {
    int rank;
    int left, right;
    size_t len;  // left.len + right.len when queued: stale once either side has changed
    bool operator>(const Candidate& o) const {
        return rank != o.rank ? rank > o.rank : left > o.left;
    }
};

const std::string kSpaceMark = "\xe2\x96\x81";  // U+2581, SentencePiece's space

}  // namespace

// A symbol of the word being merged: a byte range of its text, linked to its neighbours.
struct BpeSymbol {
    size_t start = 0, len = 0;
    int prev = -1, next = -1;
};

BpeVocab::BpeVocab(const std::vector<SpPiece>& pieces, const std::vector<std::string>& merges,
                   BpePreTokenizer pre, bool ignore_merges, const std::string& source)
    : BpeVocab(pieces, merges, source) {
    pre_ = pre;
    ignore_merges_ = ignore_merges;
    const ByteMap& bm = byte_map();
    for (int b = 0; b < 256; ++b) {
        std::string s;
        append_utf8(s, bm.to_cp[size_t(b)]);
        if (!ids_.count(s))
            fail(source, ": the byte-level vocabulary has no piece for byte 0x", std::hex, b,
                 " (\"", s, "\"), so some text could not be tokenized");
    }
}

BpeVocab BpeVocab::spm_style(const std::vector<SpPiece>& pieces,
                             const std::vector<std::string>& merges, const std::string& source) {
    BpeVocab v(pieces, merges, source);
    v.spm_style_ = true;
    return v;
}

BpeVocab::BpeVocab(const std::vector<SpPiece>& pieces, const std::vector<std::string>& merges,
                   const std::string& source)
    : pre_(BpePreTokenizer::Gpt2), ignore_merges_(false), source_(source) {
    ids_.reserve(pieces.size());
    // A text listed twice maps to its last id, as in llama.cpp.
    for (size_t i = 0; i < pieces.size(); ++i) ids_[pieces[i].text] = int(i);
    ranks_.reserve(merges.size());
    for (size_t i = 0; i < merges.size(); ++i) {
        const std::string& m = merges[i];
        const size_t sp = m.find(' ', 1);
        if (sp == std::string::npos || sp + 1 >= m.size())
            fail(source, ": tokenizer.ggml.merges entry ", i, " \"", m,
                 "\" is not two pieces separated by a space");
        ranks_.emplace(m, int(i));
    }
}

std::string BpeVocab::piece_bytes(const std::string& piece) {
    const ByteMap& bm = byte_map();
    std::string out;
    for (size_t i = 0; i < piece.size();) {
        const auto b0 = uint8_t(piece[i]);
        if (b0 < 0x80) {
            const int b = bm.to_byte[b0];
            out.push_back(b >= 0 ? char(b) : char(b0));
            ++i;
            continue;
        }
        if ((b0 & 0xE0) == 0xC0 && i + 1 < piece.size()) {
            const uint32_t cp = (uint32_t(b0 & 0x1F) << 6) | (uint8_t(piece[i + 1]) & 0x3F);
            if (cp < bm.to_byte.size() && bm.to_byte[cp] >= 0) {
                out.push_back(char(bm.to_byte[cp]));
                i += 2;
                continue;
            }
        }
        // Not a stand-in: copy the whole character.
        const size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1;
        out.append(piece, i, len);
        i += len;
    }
    return out;
}

void BpeVocab::encode(std::string_view text, std::vector<int>& out) const {
    if (!spm_style_) {
        for (std::string_view word : bpe_pre_split(text, pre_)) encode_word(word, out);
        return;
    }
    std::string s;
    for (size_t i = 0; i < text.size();) {
        const bool newlines = text[i] == '\n';
        size_t j = i;
        while (j < text.size() && (text[j] == '\n') == newlines) ++j;
        s.clear();
        for (char c : text.substr(i, j - i))
            if (c == ' ')
                s += kSpaceMark;
            else
                s.push_back(c);
        i = j;
        if (auto it = ids_.find(s); newlines && it != ids_.end()) {
            out.push_back(it->second);
            continue;
        }
        std::vector<BpeSymbol> sym;
        for (size_t k = 0; k < s.size();) {
            const auto b0 = uint8_t(s[k]);
            size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1;
            len = std::min(len, s.size() - k);
            sym.push_back({k, len, int(sym.size()) - 1, int(sym.size()) + 1});
            k += len;
        }
        if (sym.empty()) continue;
        sym.back().next = -1;
        merge(s, sym, out);
    }
}

void BpeVocab::encode_word(std::string_view word, std::vector<int>& out) const {
    const ByteMap& bm = byte_map();
    std::string s;
    s.reserve(word.size() * 2);
    std::vector<BpeSymbol> sym;
    sym.reserve(word.size());
    for (char c : word) {
        BpeSymbol x;
        x.start = s.size();
        append_utf8(s, bm.to_cp[uint8_t(c)]);
        x.len = s.size() - x.start;
        x.prev = int(sym.size()) - 1;
        x.next = int(sym.size()) + 1;
        sym.push_back(x);
    }
    if (sym.empty()) return;
    sym.back().next = -1;
    if (ignore_merges_) {
        if (auto it = ids_.find(s); it != ids_.end()) {
            out.push_back(it->second);
            return;
        }
    }
    merge(s, sym, out);
}

void BpeVocab::merge(const std::string& s, std::vector<BpeSymbol>& sym,
                     std::vector<int>& out) const {
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    std::string key;
    auto consider = [&](int l, int r) {
        if (l < 0 || r < 0) return;
        const BpeSymbol &a = sym[size_t(l)], &b = sym[size_t(r)];
        key.assign(s, a.start, a.len);
        key.push_back(' ');
        key.append(s, b.start, b.len);
        if (auto it = ranks_.find(key); it != ranks_.end())
            queue.push({it->second, l, r, a.len + b.len});
    };
    for (int i = 0; i + 1 < int(sym.size()); ++i) consider(i, i + 1);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        BpeSymbol &a = sym[size_t(c.left)], &b = sym[size_t(c.right)];
        if (a.len == 0 || b.len == 0 || a.len + b.len != c.len || a.next != c.right) continue;
        a.len += b.len;
        b.len = 0;
        a.next = b.next;
        if (b.next >= 0) sym[size_t(b.next)].prev = c.left;
        consider(a.prev, c.left);
        consider(c.left, a.next);
    }

    for (int i = 0; i >= 0; i = sym[size_t(i)].next) {
        const BpeSymbol& x = sym[size_t(i)];
        key.assign(s, x.start, x.len);
        if (auto it = ids_.find(key); it != ids_.end()) {
            out.push_back(it->second);
            continue;
        }
        if (spm_style_) {  // its bytes' <0xXX> pieces, those the vocabulary has
            static const char* hex = "0123456789ABCDEF";
            for (size_t k = x.start; k < x.start + x.len; ++k) {
                const auto b = uint8_t(s[k]);
                const std::string piece = {'<', '0', 'x', hex[b >> 4], hex[b & 15], '>'};
                if (auto it = ids_.find(piece); it != ids_.end()) out.push_back(it->second);
            }
            continue;
        }
        // A merge result missing from the vocabulary: fall back to its single bytes.
        for (size_t k = x.start; k < x.start + x.len;) {
            const size_t len = uint8_t(s[k]) < 0x80 ? 1 : 2;
            out.push_back(ids_.at(s.substr(k, len)));
            k += len;
        }
    }
}

}  // namespace nqkv
