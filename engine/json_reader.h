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

}  // namespace nqkv
