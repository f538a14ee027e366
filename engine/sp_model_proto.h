// The few fields of SentencePiece's ModelProto the engine needs, encoded and decoded by hand:
// Debian ships libsentencepiece without the generated protobuf header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nqkv {

// Piece types, numbered as in both SentencePiece and GGUF's tokenizer.ggml.token_type.
enum class PieceType : int {
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6
};

struct SpPiece {
    std::string text;
    float score = 0;
    PieceType type = PieceType::Normal;
};

struct SpModelSpec {
    std::vector<SpPiece> pieces;
    bool add_dummy_prefix = true;
    bool remove_extra_whitespaces = false;
    bool byte_fallback = false;
    int unk_id = 0, bos_id = 1, eos_id = 2, pad_id = -1;
};

// Serialises a BPE ModelProto with an identity normalizer.
std::string encode_sp_model(const SpModelSpec& spec);

// Reads pieces and normalizer flags from a serialised ModelProto; false if it is malformed.
bool decode_sp_model(const std::string& bytes, SpModelSpec& out);

}  // namespace nqkv
