#include "engine/json_writer.h"

#include <cmath>
#include <cstdio>

namespace nqkv {

std::string json_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size() + 2);
    for (const char c : s) {
        switch (c) {
            case '"':
                o += "\\\"";
                break;
            case '\\':
                o += "\\\\";
                break;
            case '\n':
                o += "\\n";
                break;
            case '\r':
                o += "\\r";
                break;
            case '\t':
                o += "\\t";
                break;
            default:
                if (uint8_t(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof(buf), "\\u%04x", unsigned(uint8_t(c)));
                    o += buf;
                } else {
                    o += c;
                }
        }
    }
    return o;
}

void JsonWriter::separator() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    separator();
    out_ += '{';
    first_.push_back(true);
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    out_ += '}';
    first_.pop_back();
    return *this;
}
JsonWriter& JsonWriter::begin_array() {
    separator();
    out_ += '[';
    first_.push_back(true);
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    out_ += ']';
    first_.pop_back();
    return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
    separator();
    out_ += '"' + json_escape(k) + "\":";
    after_key_ = true;
    return *this;
}
JsonWriter& JsonWriter::value(std::string_view s) {
    separator();
    out_ += '"' + json_escape(s) + '"';
    return *this;
}
JsonWriter& JsonWriter::value(double d) {
    separator();
    if (!std::isfinite(d)) {
        out_ += "null";
        return *this;
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.9g", d);
    out_ += buf;
    return *this;
}
JsonWriter& JsonWriter::value(int64_t i) {
    separator();
    out_ += std::to_string(i);
    return *this;
}
JsonWriter& JsonWriter::value(uint64_t u) {
    separator();
    out_ += std::to_string(u);
    return *this;
}
JsonWriter& JsonWriter::value(bool b) {
    separator();
    out_ += b ? "true" : "false";
    return *this;
}
JsonWriter& JsonWriter::null() {
    separator();
    out_ += "null";
    return *this;
}
JsonWriter& JsonWriter::int_array(const std::vector<int>& v) {
    begin_array();
    for (int i : v) value(i);
    return end_array();
}

}  // namespace nqkv
