// The CPU backend's inner loops. The same source is compiled once per instruction set
// (scalar, AVX2+FMA+F16C, AVX-512) and the best one the running CPU supports is chosen at
// start-up, so one binary runs everywhere and still uses wide vectors where they exist.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/ggml_types.h"

namespace nqkv {

// Heads longer than this are refused by the KV cache: attention keeps per-head scratch (the
// query, a head's levels) on the stack. DeepSeek's latent keys are 576 wide.
constexpr int kMaxHeadDim = 1024;

// One head's slice of an NQKV side, for attention: row p's packed codes start at
// codes + p * code_stride and hold the head's hd codes from code index `first` on; its block
// scales (fp16) start at scales + p * scale_stride.
struct QuantHeadView {
    const uint8_t* codes;
    size_t code_stride;
    const uint16_t* scales;
    size_t scale_stride;
    int first, hd, block, bits;
    const float* levels;  // 2^bits codebook levels
};

struct CpuKernels {
    const char* isa;
    // out[t * ldo] = dot(row, x + t * ldx) for t < T. `row` holds n elements of `type`;
    // it is dequantized a chunk at a time into a buffer on the stack and never expanded.
    void (*dot_rows)(TensorType type, const uint8_t* row, int64_t n, const float* x, int64_t ldx,
                     int T, float* out, int64_t ldo);
    // The same for R rows, row r at base + r * row_bytes, out[t * ldo + r]: several weight rows
    // and activation rows at once, for batches (T of 4 or more); same values up to rounding.
    void (*gemm_rows)(TensorType type, const uint8_t* base, size_t row_bytes, int64_t R, int64_t n,
                      const float* x, int64_t ldx, int T, float* out, int64_t ldo);
    // out[t * ldo] = dot(row, activations t), the activations rounded by quantize_activations
    // to activation_type(type), row t at act + t * act_stride; integer sums per block.
    void (*dot_rows_act)(TensorType type, const uint8_t* row, int64_t n, const uint8_t* act,
                         size_t act_stride, int T, float* out, int64_t ldo);
    // The same for R rows, row r at base + r * row_bytes, out[t * ldo + r] (batches: the
    // super-block formats then take eight rows at a time); same values as dot_rows_act.
    void (*gemm_rows_act)(TensorType type, const uint8_t* base, size_t row_bytes, int64_t R,
                          int64_t n, const uint8_t* act, size_t act_stride, int T, float* out,
                          int64_t ldo);
    // Dequantizes one row into dst (embedding lookups).
    void (*dequant_row)(TensorType type, const uint8_t* row, float* dst, int64_t n);
    // Attention over cached rows: row p of the head starts at base + p * stride elements.
    // scores[p] = q . row_p for p < n;  out[0..hd) += sum_p w[p] * row_p.
    // The f16 forms round q to fp16 first, as llama.cpp does for an f16 cache (hd at most
    // 512); the weights w stay as they are: rounded, a softmax's over thousands of positions
    // would lose their precision (below fp16's normal range), which llama.cpp's does not.
    void (*rows_dot_f32)(const float* base, int64_t stride, int n, const float* q, int hd,
                         float* scores);
    void (*rows_dot_f16)(const uint16_t* base, int64_t stride, int n, const float* q, int hd,
                         float* scores);
    void (*rows_axpy_f32)(const float* base, int64_t stride, int n, const float* w, int hd,
                          float* out);
    void (*rows_axpy_f16)(const uint16_t* base, int64_t stride, int n, const float* w, int hd,
                          float* out);
    // NQKV attention with the codes decoded in vector registers; nullptr where this
    // instruction set has no such kernel or quant_view_supported() is false.
    void (*quant_dot)(const QuantHeadView& v, const float* q, int n, float* scores);
    void (*quant_axpy)(const QuantHeadView& v, const float* w, int n, float* out);
    // x[i] = exp(x[i] - shift) for i < n, returning their sum (in double): a softmax's
    // exponentials. The vector builds evaluate exp with a polynomial (within 2 ulp of the
    // library's; 0 below -87.3, where it turns subnormal), the scalar build calls the library.
    double (*exp_rows)(float* x, int64_t n, float shift);
    // x[i] = GELU(x[i]) (the tanh form) for i < n; the vector builds through the same exp.
    void (*gelu_rows)(float* x, int64_t n);
    // rows_dot_f16 and rows_axpy_f16 for four queries at once (q[g], scores[g]; w[g], out[g]):
    // each row read once for the four, every result bit for bit the single form's.
    void (*rows_dot_f16_x4)(const uint16_t* base, int64_t stride, int n, const float* const* q,
                            int hd, float* const* scores);
    void (*rows_axpy_f16_x4)(const uint16_t* base, int64_t stride, int n, const float* const* w,
                             int hd, float* const* out);
    // quant_dot and quant_axpy for four queries at once, each row's codes decoded once for the
    // four, bit for bit the single forms' results; nullptr where quant_dot is (scalar).
    void (*quant_dot_x4)(const QuantHeadView& v, const float* const* q, int n,
                         float* const* scores);
    void (*quant_axpy_x4)(const QuantHeadView& v, const float* const* w, int n, float* const* out);
    // quantize_activations (activation_quant.h) in vector registers where the build has them;
    // every code, sum and scale bit for bit the same.
    void (*quantize_act)(TensorType act, const float* x, int64_t n, uint8_t* dst);
    // A softmax's row work: the largest of n values (-inf for none), and x[i] *= s; the same
    // results as the scalar loops in every build.
    float (*max_of)(const float* x, int64_t n);
    void (*scale_rows)(float* x, int64_t n, float s);
};

// The builds of the kernels, best first. The VNNI ones (AVX-512 VNNI; AVX-VNNI, the 256-bit
// form of Intel's hybrid desktop chips) sum the integer products with one instruction.
enum class Isa { Avx512Vnni, Avx512, AvxVnni, Avx2, Scalar };
inline constexpr Isa kIsas[] = {Isa::Avx512Vnni, Isa::Avx512, Isa::AvxVnni, Isa::Avx2, Isa::Scalar};
// "avx512vnni", "avx512", "avxvnni", "avx2", "scalar": CpuKernels::isa of that build.
const char* isa_name(Isa isa);
// The names above, comma-separated, for messages.
const char* isa_names();

// The kernels for the best instruction set this CPU supports, or the one NQKV_ISA names if the
// CPU supports it.
const CpuKernels& cpu_kernels();
// The kernels for a given instruction set; nullptr when this CPU lacks it.
const CpuKernels* cpu_kernels_for(Isa isa);
// The kernels whose isa is `name`; nullptr for an unknown name or one this CPU lacks.
const CpuKernels* cpu_kernels_named(const char* name);

// The vector NQKV kernels handle 2-, 3-, 4- and 8-bit codes over heads of 8 or a multiple of
// 16 values whose 16-value chunks never straddle a block.
inline bool quant_view_supported(int bits, int hd, int block) {
    const int lanes = hd < 16 ? hd : 16;
    return (bits == 2 || bits == 3 || bits == 4 || bits == 8) && (hd == 8 || hd % 16 == 0) &&
           block % lanes == 0;
}

// Used by the scalar build where F16C is not available.
float fp16_to_fp32_scalar(uint16_t h);
float fp16_round_scalar(float x);

}  // namespace nqkv
