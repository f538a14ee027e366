// A GGUF metadata value: any scalar, a string, or an array (arrays may nest).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nqkv {

enum class GgufType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    BOOL = 7,
    STRING = 8,
    ARRAY = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

const char* gguf_type_name(GgufType t);

struct GgufValue {
    GgufType type = GgufType::U32;
    GgufType elem_type = GgufType::U32;  // arrays only
    std::variant<uint64_t, int64_t, double, bool, std::string, std::vector<GgufValue>> data;

    static GgufValue u32(uint32_t v) { return {GgufType::U32, GgufType::U32, uint64_t(v)}; }
    static GgufValue i32(int32_t v) { return {GgufType::I32, GgufType::U32, int64_t(v)}; }
    static GgufValue u64(uint64_t v) { return {GgufType::U64, GgufType::U32, v}; }
    static GgufValue f32(float v) { return {GgufType::F32, GgufType::U32, double(v)}; }
    static GgufValue boolean(bool v) { return {GgufType::BOOL, GgufType::U32, v}; }
    static GgufValue str(std::string v) { return {GgufType::STRING, GgufType::U32, std::move(v)}; }
    static GgufValue array(GgufType elem, std::vector<GgufValue> items) {
        return {GgufType::ARRAY, elem, std::move(items)};
    }

    // Conversions; nullopt when the value is of another kind or out of range.
    std::optional<int64_t> as_int() const;
    std::optional<double> as_double() const;
    const std::string* as_string() const { return std::get_if<std::string>(&data); }
    const std::vector<GgufValue>* as_array() const {
        return std::get_if<std::vector<GgufValue>>(&data);
    }
    // A short human-readable rendering, arrays abbreviated.
    std::string to_display(size_t max_items = 8) const;
};

}  // namespace nqkv
