// A small streaming JSON writer for CLI output and exports. It tracks commas and nesting so
// callers write values in order and get valid JSON with escaped strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nqkv {

class JsonWriter {
  public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(double d);
    JsonWriter& value(int64_t i);
    JsonWriter& value(int i) { return value(int64_t(i)); }
    JsonWriter& value(uint64_t u);
    JsonWriter& value(bool b);
    JsonWriter& null();
    template <class T>
    JsonWriter& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }
    JsonWriter& int_array(const std::vector<int>& v);

    const std::string& str() const { return out_; }

  private:
    void separator();
    std::string out_;
    std::vector<bool> first_;  // per open container: no element written yet
    bool after_key_ = false;
};

std::string json_escape(std::string_view s);

}  // namespace nqkv
