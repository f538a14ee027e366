#define NQKV_KERNEL_NS isa_avx512
#define NQKV_KERNEL_ISA "avx512"
#include "engine/cpu_kernels_impl.inc"
