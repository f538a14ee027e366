#include "engine/json_reader.h"

#include <cmath>
#include <cstdlib>
#include <limits>

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

namespace {

const char* kind(JsonValue::Type t) {
    switch (t) {
        case JsonValue::String:
            return "a string";
        case JsonValue::Number:
            return "a number";
        case JsonValue::Array:
            return "an array";
        case JsonValue::Object:
            return "an object";
        default:
            return "of the expected type";
    }
}

}  // namespace

JsonFields::JsonFields(const JsonValue& v, std::string where) : v_(v), where_(std::move(where)) {
    if (v.type != JsonValue::Object) fail(where_, ": not a JSON object");
}

const JsonValue& JsonFields::get(const std::string& key, JsonValue::Type type) const {
    const JsonValue* m = v_.find(key);
    if (!m) fail(where_, ": \"", key, "\" is missing");
    if (m->type != type) fail(where_, ": \"", key, "\" is not ", kind(type));
    return *m;
}

std::string JsonFields::text(const std::string& key) const {
    return get(key, JsonValue::String).text;
}

std::string JsonFields::text_or_number(const std::string& key) const {
    const JsonValue* m = v_.find(key);
    if (m && m->type == JsonValue::Number) return m->text;
    if (m && m->type != JsonValue::String)
        fail(where_, ": \"", key, "\" is not a string or a number");
    return text(key);
}

double JsonFields::number(const std::string& key) const {
    const JsonValue* m = v_.find(key);
    if (m && m->type == JsonValue::Null) return std::numeric_limits<double>::quiet_NaN();
    return get(key, JsonValue::Number).number;
}

long long JsonFields::whole(const std::string& key, long long lo) const {
    const double d = number(key);
    if (!(d >= double(lo)) || d != std::floor(d) || d > 9e15)
        fail(where_, ": \"", key, "\" is not a whole number of at least ", lo);
    return static_cast<long long>(d);
}

std::vector<double> JsonFields::numbers(const std::string& key) const {
    std::vector<double> out;
    for (const JsonValue& x : get(key, JsonValue::Array).items) {
        if (x.type == JsonValue::Null)
            out.push_back(std::numeric_limits<double>::quiet_NaN());
        else if (x.type == JsonValue::Number)
            out.push_back(x.number);
        else
            fail(where_, ": \"", key, "\" holds something other than numbers");
    }
    return out;
}

}  // namespace nqkv
