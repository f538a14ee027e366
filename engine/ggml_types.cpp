#include "engine/ggml_types.h"

namespace nqkv {

const TypeTraits* type_traits(uint32_t type) {
    // Known types the engine can name even where it cannot compute with them, so that an
    // error says "Q5_K is not supported" rather than "unknown type 13".
    static const TypeTraits f32{"F32", 1, 4, true};
    static const TypeTraits f16{"F16", 1, 2, true};
    static const TypeTraits bf16{"BF16", 1, 2, true};
    static const TypeTraits q4_0{"Q4_0", 32, 18, true};
    static const TypeTraits q4_1{"Q4_1", 32, 20, false};
    static const TypeTraits q5_0{"Q5_0", 32, 22, false};
    static const TypeTraits q5_1{"Q5_1", 32, 24, false};
    static const TypeTraits q8_0{"Q8_0", 32, 34, true};
    static const TypeTraits q8_1{"Q8_1", 32, 36, false};
    static const TypeTraits q2_k{"Q2_K", 256, 84, false};
    static const TypeTraits q3_k{"Q3_K", 256, 110, false};
    static const TypeTraits q4_k{"Q4_K", 256, 144, true};
    static const TypeTraits q5_k{"Q5_K", 256, 176, false};
    static const TypeTraits q6_k{"Q6_K", 256, 210, true};
    static const TypeTraits q8_k{"Q8_K", 256, 292, false};
    switch (TensorType(type)) {
        case TensorType::F32:
            return &f32;
        case TensorType::F16:
            return &f16;
        case TensorType::BF16:
            return &bf16;
        case TensorType::Q4_0:
            return &q4_0;
        case TensorType::Q4_1:
            return &q4_1;
        case TensorType::Q5_0:
            return &q5_0;
        case TensorType::Q5_1:
            return &q5_1;
        case TensorType::Q8_0:
            return &q8_0;
        case TensorType::Q8_1:
            return &q8_1;
        case TensorType::Q2_K:
            return &q2_k;
        case TensorType::Q3_K:
            return &q3_k;
        case TensorType::Q4_K:
            return &q4_k;
        case TensorType::Q5_K:
            return &q5_k;
        case TensorType::Q6_K:
            return &q6_k;
        case TensorType::Q8_K:
            return &q8_k;
    }
    return nullptr;
}

const char* type_name(TensorType t) {
    const TypeTraits* tr = type_traits(uint32_t(t));
    return tr ? tr->name : "unknown";
}

}  // namespace nqkv
