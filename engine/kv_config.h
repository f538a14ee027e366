// How the KV cache stores K and V: each side is fp32, fp16 or an NQKV codebook (nq/lm/int at
// 2, 3, 4 or 8 bits) over blocks of B values, with one fp16 scale per block.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/nqkv_codebook.h"

namespace nqkv {

struct KvFormat {
    enum Kind { F32, F16, Quant } kind = F16;
    CodeFamily family = CodeFamily::NQ;
    int bits = 16;  // 32, 16, or the code width

    static KvFormat f32() { return {F32, CodeFamily::NQ, 32}; }
    static KvFormat f16() { return {F16, CodeFamily::NQ, 16}; }
    static KvFormat quant(CodeFamily f, int bits) { return {Quant, f, bits}; }
    bool quantized() const { return kind == Quant; }
    std::string name() const;  // "f32", "fp16", "nq4", "lm2", "int8"
    bool operator==(const KvFormat& o) const {
        return kind == o.kind && bits == o.bits && (kind != Quant || family == o.family);
    }
};

// Parses one format name: f32|fp32, f16|fp16, nq2..nq8, lm2..lm8, int2..int8.
KvFormat parse_kv_format(const std::string& s, const std::string& what);

struct KvConfig {
    KvFormat k = KvFormat::f16();
    KvFormat v = KvFormat::f16();
    int block = 64;  // requested block size: 16, 32, 64 or 128

    // "nq4" (both sides), "k=nq4,v=nq2,block=32", "fp16". Throws Error naming `what`.
    static KvConfig parse(const std::string& spec, const std::string& what = "--kv");
    std::string name() const;  // "nq4", "k=nq4,v=nq2", with ",block=N" when quantized and N != 64
};

// The block size actually used on a row of `row` values: the largest power of two not above
// the requested size that divides the row.
int effective_block(int requested, int row);

// Bytes one token takes in one layer for one side: row * bits / 8 plus, when quantized, one
// fp16 scale per block (DESIGN.md's memory formula).
size_t side_bytes_per_token_layer(const KvFormat& f, int row, int block);
// All layers, K and V: n_layer rows of `row` values, or one row per layer (`rows`), blocks cut
// to divide every row; `values_in_keys`: no V rows (multi-head latent attention).
size_t kv_bytes_per_token(const KvConfig& c, int n_layer, int row);
size_t kv_bytes_per_token(const KvConfig& c, const std::vector<int>& rows,
                          bool values_in_keys = false);
// Tokens that fit in `budget` bytes when the layers that keep every position take open_bytes
// per token (K and V) and the ringed layers, which keep at most `ring` positions, ringed_bytes;
// `cap` when only ringed layers exist and their full rings fit.
size_t kv_tokens_in_budget(size_t budget, size_t open_bytes, size_t ringed_bytes, int ring,
                           size_t cap);

// Parses sizes like "64M", "1G", "512K", "1000000" (binary units). Throws Error naming `what`.
size_t parse_byte_size(const std::string& s, const std::string& what);

}  // namespace nqkv
