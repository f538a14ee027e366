#include "engine/cpu_kernels.h"

#include <cstdlib>
#include <cstring>

#include "engine/half.h"

namespace nqkv {
namespace isa_scalar {
extern const CpuKernels kernels;
}
namespace isa_avx2 {
extern const CpuKernels kernels;
}
namespace isa_avx512 {
extern const CpuKernels kernels;
}

float fp16_to_fp32_scalar(uint16_t h) {
    return fp16_to_fp32(h);
}
float fp16_round_scalar(float x) {
    return fp16_to_fp32(fp32_to_fp16(x));
}

const CpuKernels* cpu_kernels_for(Isa isa) {
    __builtin_cpu_init();
    switch (isa) {
        case Isa::Scalar:
            return &isa_scalar::kernels;
        case Isa::Avx2:
            if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
                return &isa_avx2::kernels;
            return nullptr;
        case Isa::Avx512:
            if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512vl"))
                return &isa_avx512::kernels;
            return nullptr;
    }
    return nullptr;
}

const CpuKernels& cpu_kernels() {
    static const CpuKernels* chosen = [] {
        // NQKV_ISA lets a user or a benchmark pin a narrower instruction set.
        const char* want = std::getenv("NQKV_ISA");
        if (want && std::strcmp(want, "scalar") == 0) return cpu_kernels_for(Isa::Scalar);
        if (!(want && std::strcmp(want, "avx2") == 0))
            if (auto* k = cpu_kernels_for(Isa::Avx512)) return k;
        if (auto* k = cpu_kernels_for(Isa::Avx2)) return k;
        return cpu_kernels_for(Isa::Scalar);
    }();
    return *chosen;
}

}  // namespace nqkv
