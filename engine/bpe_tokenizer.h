// Byte-level BPE (GGUF tokenizer.ggml.model = "gpt2": Llama 3, Qwen, SmolLM and GPT-2 style
// vocabularies). Text is cut into words by the vocabulary's pre-tokenizer, each word's bytes are
// written as GPT-2's printable stand-in characters, and pairs are merged by their rank in
// tokenizer.ggml.merges, lowest first, leftmost on ties, as llama.cpp does.
//
// Gemma 4's BPE over SentencePiece-style pieces instead (tokenizer.ggml.model = "gemma4"):
// spaces are written as U+2581, the text is cut only into runs of newlines and runs of anything
// else (a run of newlines that is a piece is taken whole), characters are merged as they are,
// and a result missing from the vocabulary falls back to its bytes' <0xXX> pieces.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/bpe_pretokenizer.h"
#include "engine/sp_model_proto.h"

namespace nqkv {

struct BpeSymbol;

class BpeVocab {
  public:
    // `pieces` in the stand-in form ("Ġthe"); `merges` as "left right", rank = index.
    // `ignore_merges`: a word that is itself in the vocabulary is one token (Llama 3).
    // Throws Error naming `source` on a malformed merge or a missing single-byte piece.
    BpeVocab(const std::vector<SpPiece>& pieces, const std::vector<std::string>& merges,
             BpePreTokenizer pre, bool ignore_merges, const std::string& source);
    // Gemma 4's form (above).
    static BpeVocab spm_style(const std::vector<SpPiece>& pieces,
                              const std::vector<std::string>& merges, const std::string& source);
    bool is_spm_style() const { return spm_style_; }

    // Appends the ids of valid UTF-8 text (no special tokens are recognised here).
    void encode(std::string_view text, std::vector<int>& out) const;

    // The bytes a piece in the stand-in form stands for; characters outside the mapping are
    // kept as they are.
    static std::string piece_bytes(const std::string& piece);

  private:
    BpeVocab(const std::vector<SpPiece>& pieces, const std::vector<std::string>& merges,
             const std::string& source);
    void encode_word(std::string_view word, std::vector<int>& out) const;
    // The merged symbols of s (each starting as one byte's stand-in, or one character in the
    // SentencePiece style) into out, with the fallbacks for pieces the vocabulary lacks.
    void merge(const std::string& s, std::vector<BpeSymbol>& sym, std::vector<int>& out) const;

    std::unordered_map<std::string, int> ids_;
    std::unordered_map<std::string, int> ranks_;  // "left right" -> rank
    BpePreTokenizer pre_;
    bool ignore_merges_;
    bool spm_style_ = false;
    std::string source_;
};

}  // namespace nqkv
