#include "engine/ggml_types.h"

namespace nqkv {

const TypeTraits* type_traits(uint32_t type) {
    // Known types the engine can name even where it cannot compute with them, so that an
    // error says "IQ4_XS is not supported" rather than "unknown type 23". Sizes as in ggml.
    static const TypeTraits f32{"F32", 1, 4, true};
    static const TypeTraits f16{"F16", 1, 2, true};
    static const TypeTraits bf16{"BF16", 1, 2, true};
    static const TypeTraits q4_0{"Q4_0", 32, 18, true};
    static const TypeTraits q4_1{"Q4_1", 32, 20, true};
    static const TypeTraits q5_0{"Q5_0", 32, 22, true};
    static const TypeTraits q5_1{"Q5_1", 32, 24, true};
    static const TypeTraits q8_0{"Q8_0", 32, 34, true};
    static const TypeTraits q8_1{"Q8_1", 32, 36, false};
    static const TypeTraits q2_k{"Q2_K", 256, 84, true};
    static const TypeTraits q3_k{"Q3_K", 256, 110, true};
    static const TypeTraits q4_k{"Q4_K", 256, 144, true};
    static const TypeTraits q5_k{"Q5_K", 256, 176, true};
    static const TypeTraits q6_k{"Q6_K", 256, 210, true};
    static const TypeTraits q8_k{"Q8_K", 256, 292, false};
    static const TypeTraits iq2_xxs{"IQ2_XXS", 256, 66, true};
    static const TypeTraits iq2_xs{"IQ2_XS", 256, 74, true};
    static const TypeTraits iq3_xxs{"IQ3_XXS", 256, 98, true};
    static const TypeTraits iq1_s{"IQ1_S", 256, 50, true};
    static const TypeTraits iq4_nl{"IQ4_NL", 32, 18, true};
    static const TypeTraits iq3_s{"IQ3_S", 256, 110, true};
    static const TypeTraits iq2_s{"IQ2_S", 256, 82, true};
    static const TypeTraits iq4_xs{"IQ4_XS", 256, 136, true};
    static const TypeTraits iq1_m{"IQ1_M", 256, 56, true};
    static const TypeTraits tq1_0{"TQ1_0", 256, 54, true};
    static const TypeTraits tq2_0{"TQ2_0", 256, 66, true};
    static const TypeTraits mxfp4{"MXFP4", 32, 17, true};
    static const TypeTraits nvfp4{"NVFP4", 64, 36, false};
    static const TypeTraits q1_0{"Q1_0", 128, 18, true};
    static const TypeTraits q2_0{"Q2_0", 64, 18, true};
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
        case TensorType::IQ2_XXS:
            return &iq2_xxs;
        case TensorType::IQ2_XS:
            return &iq2_xs;
        case TensorType::IQ3_XXS:
            return &iq3_xxs;
        case TensorType::IQ1_S:
            return &iq1_s;
        case TensorType::IQ4_NL:
            return &iq4_nl;
        case TensorType::IQ3_S:
            return &iq3_s;
        case TensorType::IQ2_S:
            return &iq2_s;
        case TensorType::IQ4_XS:
            return &iq4_xs;
        case TensorType::IQ1_M:
            return &iq1_m;
        case TensorType::TQ1_0:
            return &tq1_0;
        case TensorType::TQ2_0:
            return &tq2_0;
        case TensorType::MXFP4:
            return &mxfp4;
        case TensorType::NVFP4:
            return &nvfp4;
        case TensorType::Q1_0:
            return &q1_0;
        case TensorType::Q2_0:
            return &q2_0;
    }
    return nullptr;
}

const char* type_name(TensorType t) {
    const TypeTraits* tr = type_traits(uint32_t(t));
    return tr ? tr->name : "unknown";
}

std::string supported_type_names() {
    std::string out;
    for (uint32_t id = 0; id < 64; ++id)
        if (const TypeTraits* tr = type_traits(id); tr && tr->supported)
            out += std::string(out.empty() ? "" : ", ") + tr->name;
    return out;
}

}  // namespace nqkv
