#define NQKV_KERNEL_NS isa_avxvnni
#define NQKV_KERNEL_ISA "avxvnni"
#include "engine/cpu_kernels_impl.inc"
