#define NQKV_KERNEL_NS isa_avx2
#define NQKV_KERNEL_ISA "avx2"
#include "engine/cpu_kernels_impl.inc"
