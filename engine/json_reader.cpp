#include "engine/json_reader.h"

#include <cstdlib>

#include "engine/error.h"

namespace nqkv {
namespace {

class Parser {
  public:
    Parser(const std::string& s, const std::string& what) : s_(s), what_(what) {}

    JsonValue document() {
        JsonValue v = value(0);
        space();
        if (i_ != s_.size()) bad("unexpected text after the value");
        return v;
    }

  private:
    [[noreturn]] void bad(const char* why) const { fail(what_, ": ", why, " at byte ", i_); }
    void space() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }
    // After an item of an object or array: true at ',' (another item follows), false at the
    // closing bracket; anything else is an error.
    bool another(char close, const char* expected) {
        space();
        if (i_ < s_.size() && s_[i_] == ',') return ++i_, true;
        if (i_ < s_.size() && s_[i_] == close) return ++i_, false;
        bad(expected);
    }
    bool literal(const char* word) {
        size_t n = 0;
        while (word[n]) ++n;
        if (s_.compare(i_, n, word) != 0) return false;
        i_ += n;
        return true;
    }

    JsonValue value(int depth) {
        if (depth > 64) bad("nesting deeper than 64");
        space();
        if (i_ >= s_.size()) bad("unexpected end");
        JsonValue v;
        const char c = s_[i_];
        if (c == '{') {
            v.type = JsonValue::Object;
            ++i_;
            space();
            if (i_ < s_.size() && s_[i_] == '}') return ++i_, v;
            do {
                space();
                if (i_ >= s_.size() || s_[i_] != '"') bad("expected a key in quotes");
                const std::string key = string();
                space();
                if (i_ >= s_.size() || s_[i_] != ':') bad("expected ':'");
                ++i_;
                v.members[key] = value(depth + 1);
            } while (another('}', "expected ',' or '}'"));
            return v;
        }
        if (c == '[') {
            v.type = JsonValue::Array;
            ++i_;
            space();
            if (i_ < s_.size() && s_[i_] == ']') return ++i_, v;
            do v.items.push_back(value(depth + 1));
            while (another(']', "expected ',' or ']'"));
            return v;
        }
        if (c == '"') {
            v.type = JsonValue::String;
            v.text = string();
            return v;
        }
        if (literal("true")) return v.type = JsonValue::Bool, v.boolean = true, v;
        if (literal("false")) return v.type = JsonValue::Bool, v;
        if (literal("null")) return v;
        const size_t start = i_;
        if (s_[i_] == '-') ++i_;
        const auto digits = [&] {
            const size_t d0 = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ > d0;
        };
        if (!digits()) bad("expected a value");
        if (i_ < s_.size() && s_[i_] == '.' && (++i_, !digits())) bad("expected digits after '.'");
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) bad("expected an exponent");
        }
        v.type = JsonValue::Number;
        v.text = s_.substr(start, i_ - start);
        v.number = std::strtod(v.text.c_str(), nullptr);
        return v;
    }

    static void utf8(uint32_t cp, std::string& out) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xc0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += char(0xe0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        } else {
            out += char(0xf0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3f));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        }
    }

    uint32_t hex4() {
        if (i_ + 4 > s_.size()) bad("short \\u escape");
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= uint32_t(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= uint32_t(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= uint32_t(h - 'A' + 10);
            else
                bad("bad hex digit in \\u escape");
        }
        return v;
    }

    std::string string() {
        ++i_;  // the opening quote
        std::string out;
        while (i_ < s_.size()) {
            const char c = s_[i_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) bad("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) break;
            const char e = s_[i_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    uint32_t cp = hex4();
                    if (cp >= 0xd800 && cp < 0xdc00 && s_.compare(i_, 2, "\\u") == 0) {
                        i_ += 2;
                        const uint32_t lo = hex4();
                        if (lo < 0xdc00 || lo >= 0xe000) bad("unpaired surrogate");
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    }
                    utf8(cp, out);
                    break;
                }
                default:
                    bad("unknown escape");
            }
        }
        bad("unterminated string");
    }

    const std::string& s_;
    const std::string& what_;
    size_t i_ = 0;
};

}  // namespace

JsonValue parse_json(const std::string& text, const std::string& what) {
    return Parser(text, what).document();
}

}  // namespace nqkv
