#define NQKV_KERNEL_NS isa_avx512vnni
#define NQKV_KERNEL_ISA "avx512vnni"
#include "engine/cpu_kernels_impl.inc"
