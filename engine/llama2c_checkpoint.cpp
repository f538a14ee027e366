#include "engine/llama2c_checkpoint.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "engine/error.h"
#include "engine/file_io.h"
#include "engine/sp_model_proto.h"
#include "engine/tokenizer.h"

namespace nqkv {
namespace {

constexpr uint64_t kHeaderBytes = 7 * 4;

// llama2.c's tokenizer.bin: max_token_length, then per token a float score, an int length and
// the bytes ("▁" already turned into spaces, BOS and EOS written as "\n<s>\n" and "\n</s>\n").
// Returns false when the bytes are not exactly that for n tokens.
bool parse_llama2c_vocab(const std::string& b, int n, std::vector<SpPiece>& out) {
    size_t pos = 4;
    if (b.size() < pos) return false;
    out.assign(size_t(n), {});
    for (int i = 0; i < n; ++i) {
        if (b.size() - pos < 8) return false;
        float score;
        int32_t len;
        std::memcpy(&score, b.data() + pos, 4);
        std::memcpy(&len, b.data() + pos + 4, 4);
        pos += 8;
        if (len < 0 || size_t(len) > b.size() - pos) return false;
        std::string text = b.substr(pos, size_t(len));
        pos += size_t(len);
        SpPiece& p = out[size_t(i)];
        p.score = score;
        unsigned byte = 0;
        char tail = 0;
        if (i == 0) {
            text = "<unk>";
            p.type = PieceType::Unknown;
        } else if (i == 1 || i == 2) {
            text = i == 1 ? "<s>" : "</s>";
            p.type = PieceType::Control;
        } else if (text.empty()) {
            p.type = PieceType::Control;
        } else if (text.size() == 6 && std::sscanf(text.c_str(), "<0x%2X%c", &byte, &tail) == 2 &&
                   tail == '>') {
            p.type = PieceType::Byte;
        }
        for (size_t k = 0; k < text.size(); ++k)  // spaces back to SentencePiece's "▁"
            p.text += text[k] == ' ' ? std::string("\xE2\x96\x81") : std::string(1, text[k]);
    }
    return pos == b.size();
}

std::vector<SpPiece> read_vocab(const std::string& path, int n) {
    const std::string bytes = read_file(path, "tokenizer");
    std::vector<SpPiece> pieces;
    if (parse_llama2c_vocab(bytes, n, pieces)) return pieces;
    SpModelSpec spec;
    if (decode_sp_model(bytes, spec) && !spec.pieces.empty()) {
        if (int(spec.pieces.size()) != n)
            fail(path, ": the tokenizer has ", spec.pieces.size(),
                 " pieces but the checkpoint's vocabulary has ", n);
        return spec.pieces;
    }
    fail(path, ": neither a llama2.c tokenizer.bin with ", n,
         " tokens (the checkpoint's vocabulary) nor a SentencePiece tokenizer.model");
}

}  // namespace

Llama2cConfig read_llama2c_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) fail(path, ": cannot open checkpoint");
    const uint64_t size = uint64_t(in.tellg());
    in.seekg(0);
    int32_t h[7] = {};
    if (size < kHeaderBytes || !in.read(reinterpret_cast<char*>(h), sizeof h))
        fail(path, ": too short for a llama2.c checkpoint header (28 bytes)");
    if (std::memcmp(h, "GGUF", 4) == 0) fail(path, ": this is already a GGUF file");
    Llama2cConfig c{h[0], h[1], h[2], h[3], h[4], h[5] < 0 ? -h[5] : h[5], h[6], h[5] > 0};
    const int fields[] = {c.dim,        c.hidden_dim, c.n_layers, c.n_heads,
                          c.n_kv_heads, c.vocab_size, c.seq_len};
    for (int v : fields)
        if (v <= 0 || v > (1 << 24))
            fail(path, ": header [", h[0], ", ", h[1], ", ", h[2], ", ", h[3], ", ", h[4], ", ",
                 h[5], ", ", h[6],
                 "] is not a llama2.c checkpoint (dim, hidden_dim, n_layers, n_heads, n_kv_heads, "
                 "vocab_size, seq_len); the newer versioned .bin exports are not read");
    if (c.dim % c.n_heads || c.n_heads % c.n_kv_heads || (c.dim / c.n_heads) % 2)
        fail(path, ": dim ", c.dim, ", ", c.n_heads, " heads and ", c.n_kv_heads,
             " KV heads do not make whole, even-sized heads");
    const uint64_t d = uint64_t(c.dim), ff = uint64_t(c.hidden_dim), L = uint64_t(c.n_layers),
                   v = uint64_t(c.vocab_size),
                   kv = d / uint64_t(c.n_heads) * uint64_t(c.n_kv_heads),
                   hs = d / uint64_t(c.n_heads);
    const uint64_t floats = v * d + L * (2 * d + d * d + 2 * d * kv + d * d + 3 * d * ff) + d +
                            uint64_t(c.seq_len) * hs + (c.shared_classifier ? 0 : v * d);
    if (size != kHeaderBytes + floats * 4)
        fail(path, ": the header announces ", kHeaderBytes + floats * 4,
             " bytes of checkpoint but the file has ", size,
             " (not a llama2.c version-0 checkpoint, or truncated)");
    return c;
}

GgufWriter llama2c_to_gguf(const std::string& checkpoint, const std::string& tokenizer,
                           const std::string& name) {
    const Llama2cConfig c = read_llama2c_config(checkpoint);
    const std::vector<SpPiece> pieces = read_vocab(tokenizer, c.vocab_size);

    GgufWriter w;
    w.set("general.architecture", GgufValue::str("llama"));
    w.set("general.name", GgufValue::str(name));
    w.set("llama.context_length", GgufValue::u32(uint32_t(c.seq_len)));
    w.set("llama.embedding_length", GgufValue::u32(uint32_t(c.dim)));
    w.set("llama.feed_forward_length", GgufValue::u32(uint32_t(c.hidden_dim)));
    w.set("llama.attention.head_count", GgufValue::u32(uint32_t(c.n_heads)));
    w.set("llama.attention.head_count_kv", GgufValue::u32(uint32_t(c.n_kv_heads)));
    w.set("llama.block_count", GgufValue::u32(uint32_t(c.n_layers)));
    w.set("llama.rope.dimension_count", GgufValue::u32(uint32_t(c.dim / c.n_heads)));
    w.set("llama.attention.layer_norm_rms_epsilon", GgufValue::f32(1e-5f));
    SpModelSpec spec;  // <unk> 0, <s> 1, </s> 2, as llama2.c's vocabularies have them
    spec.pieces = pieces;
    set_gguf_sentencepiece_vocab(w, spec);

    // run.c's order: embedding, then each kind of layer weight for all layers in turn.
    const uint64_t d = uint64_t(c.dim), ff = uint64_t(c.hidden_dim), L = uint64_t(c.n_layers),
                   v = uint64_t(c.vocab_size), hs = d / uint64_t(c.n_heads),
                   kv = hs * uint64_t(c.n_kv_heads);
    uint64_t off = kHeaderBytes;
    auto tensor = [&](const std::string& n, uint64_t cols, uint64_t rows, uint64_t at) {
        std::vector<uint64_t> dims{cols};
        if (rows) dims.push_back(rows);
        w.add_tensor_from_file(n, TensorType::F32, dims, checkpoint, at);
    };
    auto per_layer = [&](const char* n, uint64_t cols, uint64_t rows) {
        const uint64_t each = cols * (rows ? rows : 1) * 4;
        for (uint64_t l = 0; l < L; ++l)
            tensor("blk." + std::to_string(l) + "." + n, cols, rows, off + l * each);
        off += L * each;
    };
    const uint64_t embd = off;
    tensor("token_embd.weight", d, v, embd);
    off += v * d * 4;
    per_layer("attn_norm.weight", d, 0);
    per_layer("attn_q.weight", d, d);
    per_layer("attn_k.weight", d, kv);
    per_layer("attn_v.weight", d, kv);
    per_layer("attn_output.weight", d, d);
    per_layer("ffn_norm.weight", d, 0);
    per_layer("ffn_gate.weight", d, ff);
    per_layer("ffn_down.weight", ff, d);
    per_layer("ffn_up.weight", d, ff);
    tensor("output_norm.weight", d, 0, off);
    off += d * 4 + uint64_t(c.seq_len) * hs * 4;  // RoPE tables, recomputed by the engine
    tensor("output.weight", d, v, c.shared_classifier ? embd : off);
    return w;
}

}  // namespace nqkv
