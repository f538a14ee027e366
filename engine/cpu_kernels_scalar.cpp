#define NQKV_KERNEL_NS isa_scalar
#define NQKV_KERNEL_ISA "scalar"
#include "engine/cpu_kernels_impl.inc"
