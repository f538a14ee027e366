#include "engine/cpu_kernels.h"

#include <cpuid.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "engine/half.h"

namespace nqkv {
namespace isa_scalar {
extern const CpuKernels kernels;
}
namespace isa_avx2 {
extern const CpuKernels kernels;
}
namespace isa_avxvnni {
extern const CpuKernels kernels;
}
namespace isa_avx512 {
extern const CpuKernels kernels;
}
namespace isa_avx512vnni {
extern const CpuKernels kernels;
}

float fp16_to_fp32_scalar(uint16_t h) {
    return fp16_to_fp32(h);
}
float fp16_round_scalar(float x) {
    return fp16_to_fp32(fp32_to_fp16(x));
}

namespace {
struct IsaName {
    Isa isa;
    const char* name;
};
constexpr IsaName kIsaNames[] = {{Isa::Avx512Vnni, "avx512vnni"},
                                 {Isa::Avx512, "avx512"},
                                 {Isa::AvxVnni, "avxvnni"},
                                 {Isa::Avx2, "avx2"},
                                 {Isa::Scalar, "scalar"}};
}  // namespace

const char* isa_name(Isa isa) {
    for (const auto& n : kIsaNames)
        if (n.isa == isa) return n.name;
    return "?";
}

const char* isa_names() {
    static const std::string names = [] {
        std::string s;
        for (Isa isa : kIsas) s += (s.empty() ? "" : ", ") + std::string(isa_name(isa));
        return s;
    }();
    return names.c_str();
}

namespace {

// AVX-VNNI: CPUID leaf 7, sub-leaf 1, EAX bit 4, read directly because clang 14's
// __builtin_cpu_supports has no name for it (the AVX2 check beside it covers the OS's support
// for the wide registers).
bool cpu_has_avxvnni() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid_count(7, 1, &a, &b, &c, &d) && (a & (1u << 4));
}

}  // namespace

const CpuKernels* cpu_kernels_for(Isa isa) {
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512vl");
    switch (isa) {
        case Isa::Scalar:
            return &isa_scalar::kernels;
        case Isa::Avx2:
            return avx2 ? &isa_avx2::kernels : nullptr;
        case Isa::AvxVnni:
            return avx2 && cpu_has_avxvnni() ? &isa_avxvnni::kernels : nullptr;
        case Isa::Avx512:
            return avx512 ? &isa_avx512::kernels : nullptr;
        case Isa::Avx512Vnni:
            return avx512 && __builtin_cpu_supports("avx512vnni") ? &isa_avx512vnni::kernels
                                                                  : nullptr;
    }
    return nullptr;
}

const CpuKernels* cpu_kernels_named(const char* name) {
    for (Isa isa : kIsas)
        if (std::strcmp(name, isa_name(isa)) == 0) return cpu_kernels_for(isa);
    return nullptr;
}

const CpuKernels& cpu_kernels() {
    static const CpuKernels* chosen = [] {
        // NQKV_ISA lets a user or a benchmark pin another build (a narrower one, in practice).
        if (const char* want = std::getenv("NQKV_ISA"))
            if (const CpuKernels* k = cpu_kernels_named(want)) return k;
        for (Isa isa : kIsas)
            if (const CpuKernels* k = cpu_kernels_for(isa)) return k;
        return &isa_scalar::kernels;
    }();
    return *chosen;
}

}  // namespace nqkv
