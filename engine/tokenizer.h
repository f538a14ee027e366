// The tokenizer of a model. A SentencePiece vocabulary (tokenizer.ggml.model = "llama") is
// rebuilt into a BPE ModelProto with an identity normalizer that keeps every space, which is how
// llama.cpp tokenizes, and a tokenizer.model file is used unchanged; a byte-level BPE vocabulary
// ("gpt2": Llama 3 and others) is encoded by BpeVocab.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sp_model_proto.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace nqkv {

class BpeVocab;
class GgufFile;
class GgufWriter;

// Writes a SentencePiece vocabulary as GGUF's tokenizer.ggml.* keys (model "llama", pieces,
// scores, types, UNK/BOS/EOS ids), as llama.cpp's converters do.
void set_gguf_sentencepiece_vocab(GgufWriter& w, const SpModelSpec& spec);

class Tokenizer {
  public:
    static std::unique_ptr<Tokenizer> from_gguf(const GgufFile& f);
    static std::unique_ptr<Tokenizer> from_model_file(const std::string& path);
    ~Tokenizer();

    // Tokenizes text (which must be valid UTF-8: Error otherwise, naming `what`).
    std::vector<int> encode(std::string_view text, bool add_bos,
                            std::string_view what = "input") const;

    // Like encode, but occurrences of special pieces (control and user-defined tokens such as
    // <s>, </s>, <|im_start|>) become their ids; the text between them is encoded normally.
    // Used for rendered chat prompts.
    std::vector<int> encode_special(std::string_view text, bool add_bos,
                                    std::string_view what = "input") const;

    // Like encode_special, but special pieces are recognised only where they start inside one of
    // the [begin, end) byte ranges: a template's own text, around text a user typed.
    std::vector<int> encode_special_in(std::string_view text,
                                       const std::vector<std::pair<size_t, size_t>>& ranges,
                                       bool add_bos, std::string_view what = "input") const;

    int n_vocab() const { return int(pieces_.size()); }
    int bos() const { return bos_; }
    int eos() const { return eos_; }
    int unk() const { return unk_; }
    // True for every token that ends a reply: eos, the vocabulary's end-of-turn and
    // end-of-message tokens (tokenizer.ggml.eot_token_id / eom_token_id) and the control tokens
    // chat models end a turn with (<|eot_id|>, <|im_end|>, <|end|>, ...).
    bool is_end(int id) const;
    // "SentencePiece" or "byte-level BPE (PRE)".
    const std::string& kind() const { return kind_; }
    bool add_bos() const { return add_bos_; }
    bool add_space_prefix() const { return add_space_prefix_; }

    const std::string& piece(int id) const { return pieces_.at(size_t(id)).text; }
    PieceType type(int id) const { return pieces_.at(size_t(id)).type; }
    // The bytes a token stands for: "▁" becomes a space, <0xNN> its byte, control tokens "".
    const std::string& token_bytes(int id) const { return bytes_.at(size_t(id)); }
    // Whole-sequence decoding; the space added by add_space_prefix is removed at the start.
    std::string decode(const std::vector<int>& ids) const;

  private:
    Tokenizer() = default;
    static std::unique_ptr<Tokenizer> from_gguf_bpe(const GgufFile& f);
    static std::unique_ptr<Tokenizer> from_gguf_gemma4(const GgufFile& f);
    // A BPE vocabulary's pieces and its BOS (unless with_bos is false), EOS and unknown ids.
    void read_bpe_pieces(const GgufFile& f, bool with_bos);
    void init(SpModelSpec spec, const std::string& serialized, const std::string& source);
    void init_tables();
    void read_end_ids(const GgufFile& f);
    // Control tokens a reply shows as text (reasoning and channel markers); the others show as
    // nothing.
    void show_reply_markers();
    int control_id(std::string_view text) const;  // -1: no such control token
    bool harmony() const;                         // gpt-oss's vocabulary (<|return|> and <|call|>)

    std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
    std::unique_ptr<BpeVocab> bpe_;
    std::vector<SpPiece> pieces_;
    std::vector<std::string> bytes_;
    std::vector<int> specials_;              // control and user-defined pieces, longest first
    std::array<bool, 256> special_first_{};  // bytes a special piece can start with
    std::vector<int> ends_;                  // sorted
    std::string kind_ = "SentencePiece";
    int bos_ = 1, eos_ = 2, unk_ = 0;
    bool add_bos_ = true;
    bool add_space_prefix_ = true;
};

// Turns a stream of token ids into text without ever emitting half a UTF-8 character.
class IncrementalDecoder {
  public:
    explicit IncrementalDecoder(const Tokenizer& tok, bool at_start = false)
        : tok_(tok), at_start_(at_start) {}
    // Returns the text that became complete with this token (possibly empty).
    std::string push(int id);
    // Returns whatever is held back, invalid bytes replaced by U+FFFD.
    std::string flush();

  private:
    const Tokenizer& tok_;
    bool at_start_;
    std::string pending_;
};

}  // namespace nqkv
