#include "engine/gguf_value.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace nqkv {

const char* gguf_type_name(GgufType t) {
    switch (t) {
        case GgufType::U8:
            return "uint8";
        case GgufType::I8:
            return "int8";
        case GgufType::U16:
            return "uint16";
        case GgufType::I16:
            return "int16";
        case GgufType::U32:
            return "uint32";
        case GgufType::I32:
            return "int32";
        case GgufType::F32:
            return "float32";
        case GgufType::BOOL:
            return "bool";
        case GgufType::STRING:
            return "string";
        case GgufType::ARRAY:
            return "array";
        case GgufType::U64:
            return "uint64";
        case GgufType::I64:
            return "int64";
        case GgufType::F64:
            return "float64";
    }
    return "unknown";
}

std::optional<int64_t> GgufValue::as_int() const {
    if (auto* u = std::get_if<uint64_t>(&data)) {
        if (*u > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
        return int64_t(*u);
    }
    if (auto* i = std::get_if<int64_t>(&data)) return *i;
    if (auto* b = std::get_if<bool>(&data)) return *b ? 1 : 0;
    return std::nullopt;
}

std::optional<double> GgufValue::as_double() const {
    if (auto* d = std::get_if<double>(&data)) return *d;
    if (auto* u = std::get_if<uint64_t>(&data)) return double(*u);
    if (auto* i = std::get_if<int64_t>(&data)) return double(*i);
    return std::nullopt;
}

std::string GgufValue::to_display(size_t max_items) const {
    std::ostringstream os;
    if (auto* u = std::get_if<uint64_t>(&data)) {
        os << *u;
    } else if (auto* i = std::get_if<int64_t>(&data)) {
        os << *i;
    } else if (auto* d = std::get_if<double>(&data)) {
        os << *d;
    } else if (auto* b = std::get_if<bool>(&data)) {
        os << (*b ? "true" : "false");
    } else if (auto* s = std::get_if<std::string>(&data)) {
        std::string shown = s->size() > 60 ? s->substr(0, 57) + "..." : *s;
        os << '"' << shown << '"';
    } else if (auto* a = std::get_if<std::vector<GgufValue>>(&data)) {
        os << "[" << gguf_type_name(elem_type) << " x " << a->size() << "]";
        if (!a->empty()) {
            os << " {";
            for (size_t k = 0; k < a->size() && k < max_items; ++k)
                os << (k ? ", " : "") << (*a)[k].to_display(max_items);
            if (a->size() > max_items) os << ", ...";
            os << "}";
        }
    }
    return os.str();
}

}  // namespace nqkv
