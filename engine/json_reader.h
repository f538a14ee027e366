// A small JSON reader for the inputs the command line takes (JSONL problem sets): the whole
// grammar, strings with escapes and \u surrogates as UTF-8, numbers kept with their text.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nqkv {

struct JsonValue {
    enum Type { Null, Bool, Number, String, Array, Object } type = Null;
    bool boolean = false;
    double number = 0;
    std::string text;  // String: the value; Number: as written
    std::vector<JsonValue> items;
    std::map<std::string, JsonValue> members;

    const JsonValue* find(const std::string& key) const {
        const auto it = members.find(key);
        return it == members.end() ? nullptr : &it->second;
    }
};

// Throws Error "<what>: <problem> at byte N" on malformed input or trailing text.
JsonValue parse_json(const std::string& text, const std::string& what);

// The members of a JSON object read by name; each complaint (an Error) names `where` (the file,
// the line or row) and the member.
class JsonFields {
  public:
    JsonFields(const JsonValue& v, std::string where);
    JsonFields(JsonValue&&, std::string) = delete;  // it keeps a reference: no temporaries

    const JsonValue& get(const std::string& key, JsonValue::Type type) const;
    std::string text(const std::string& key) const;
    // A string, or a number as it was written ("42" and 42 alike).
    std::string text_or_number(const std::string& key) const;
    double number(const std::string& key) const;  // null (a non-finite figure) reads as NaN
    long long whole(const std::string& key, long long lo) const;
    std::vector<double> numbers(const std::string& key) const;  // nulls read as NaN

  private:
    const JsonValue& v_;
    std::string where_;
};

}  // namespace nqkv
