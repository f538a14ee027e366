#include "engine/tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>

#include "engine/bpe_tokenizer.h"
#include "engine/error.h"
#include "engine/file_io.h"
#include "engine/gguf_file.h"
#include "engine/gguf_writer.h"
#include "engine/utf8.h"

namespace nqkv {
namespace {

const std::string kSpaceMark = "▁";  // U+2581, SentencePiece's space

int byte_piece_value(const std::string& p) {
    // "<0xAB>"
    if (p.size() != 6 || p.compare(0, 3, "<0x") != 0 || p[5] != '>') return -1;
    return std::stoi(p.substr(3, 2), nullptr, 16);
}

void require_utf8(std::string_view text, std::string_view what) {
    const size_t bad = utf8_invalid_offset(text);
    if (bad != std::string_view::npos)
        fail(what, ": invalid UTF-8 at byte ", bad, " (0x", std::hex, int(uint8_t(text[bad])), ")");
}

// Pieces and their types from tokenizer.ggml.tokens / token_type; without types, `unk` is
// Unknown, the ids in `control` are Control and the rest Normal.
std::vector<SpPiece> read_pieces(const GgufFile& f, int unk, std::initializer_list<int> control) {
    const auto& tokens = f.require_array("tokenizer.ggml.tokens", GgufType::STRING);
    const std::vector<GgufValue>* scores =
        f.find("tokenizer.ggml.scores") ? &f.require_array("tokenizer.ggml.scores", GgufType::F32)
                                        : nullptr;
    const std::vector<GgufValue>* types = nullptr;
    if (const auto* t = f.find("tokenizer.ggml.token_type")) {
        types = t->as_array();
        if (!types) fail(f.path(), ": tokenizer.ggml.token_type is not an array");
    }
    if (tokens.empty()) fail(f.path(), ": tokenizer.ggml.tokens is empty");
    if (scores && scores->size() != tokens.size())
        fail(f.path(), ": tokenizer.ggml.scores has ", scores->size(), " entries but there are ",
             tokens.size(), " tokens");
    if (types && types->size() != tokens.size())
        fail(f.path(), ": tokenizer.ggml.token_type has ", types->size(), " entries but there are ",
             tokens.size(), " tokens");
    std::vector<SpPiece> pieces(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
        SpPiece& p = pieces[i];
        p.text = *tokens[i].as_string();
        if (scores) p.score = float((*scores)[i].as_double().value_or(0));
        if (types) {
            const int t = int((*types)[i].as_int().value_or(1));
            if (t < 1 || t > 6) fail(f.path(), ": token ", i, " has unknown token type ", t);
            p.type = PieceType(t);
        } else {
            const bool ctl = std::find(control.begin(), control.end(), int(i)) != control.end();
            p.type = int(i) == unk ? PieceType::Unknown
                     : ctl         ? PieceType::Control
                                   : PieceType::Normal;
        }
    }
    return pieces;
}

std::vector<std::string> read_merges(const GgufFile& f) {
    std::vector<std::string> merges;
    for (const GgufValue& v : f.require_array("tokenizer.ggml.merges", GgufType::STRING))
        merges.push_back(*v.as_string());
    return merges;
}

}  // namespace

void set_gguf_sentencepiece_vocab(GgufWriter& w, const SpModelSpec& spec) {
    std::vector<GgufValue> tokens, scores, types;
    for (const SpPiece& p : spec.pieces) {
        tokens.push_back(GgufValue::str(p.text));
        scores.push_back(GgufValue::f32(p.score));
        types.push_back(GgufValue::i32(int(p.type)));
    }
    w.set("tokenizer.ggml.model", GgufValue::str("llama"));
    w.set("tokenizer.ggml.tokens", GgufValue::array(GgufType::STRING, std::move(tokens)));
    w.set("tokenizer.ggml.scores", GgufValue::array(GgufType::F32, std::move(scores)));
    w.set("tokenizer.ggml.token_type", GgufValue::array(GgufType::I32, std::move(types)));
    w.set("tokenizer.ggml.unknown_token_id", GgufValue::u32(uint32_t(spec.unk_id)));
    w.set("tokenizer.ggml.bos_token_id", GgufValue::u32(uint32_t(spec.bos_id)));
    w.set("tokenizer.ggml.eos_token_id", GgufValue::u32(uint32_t(spec.eos_id)));
}

Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::from_gguf(const GgufFile& f) {
    const std::string model = f.require_string("tokenizer.ggml.model");
    if (model == "gpt2" || model == "gemma4") return from_gguf_bpe(f);
    if (model != "llama")
        fail(f.path(), ": tokenizer model \"", model,
             "\" is not supported (SentencePiece vocabularies, tokenizer.ggml.model = llama; "
             "byte-level BPE ones, gpt2; Gemma 4's, gemma4)");
    SpModelSpec spec;
    spec.unk_id = int(f.get_int("tokenizer.ggml.unknown_token_id").value_or(0));
    spec.bos_id = int(f.get_int("tokenizer.ggml.bos_token_id").value_or(1));
    spec.eos_id = int(f.get_int("tokenizer.ggml.eos_token_id").value_or(2));
    spec.pad_id = int(f.get_int("tokenizer.ggml.padding_token_id").value_or(-1));
    spec.pieces = read_pieces(f, spec.unk_id, {spec.bos_id, spec.eos_id});
    const int n = int(spec.pieces.size());
    for (int id : {spec.unk_id, spec.bos_id, spec.eos_id})
        if (id < 0 || id >= n)
            fail(f.path(), ": special token id ", id, " is outside the vocabulary of ", n);
    if (spec.pad_id >= n) spec.pad_id = -1;
    spec.add_dummy_prefix = f.get_bool("tokenizer.ggml.add_space_prefix").value_or(true);
    spec.remove_extra_whitespaces = false;
    int n_bytes = 0;
    for (const SpPiece& p : spec.pieces) n_bytes += p.type == PieceType::Byte;
    spec.byte_fallback = n_bytes == 256;

    auto tok = std::unique_ptr<Tokenizer>(new Tokenizer());
    tok->add_bos_ = f.get_bool("tokenizer.ggml.add_bos_token").value_or(true);
    tok->init(spec, encode_sp_model(spec), f.path());
    tok->read_end_ids(f);
    tok->show_reply_markers();
    return tok;
}

std::unique_ptr<Tokenizer> Tokenizer::from_gguf_bpe(const GgufFile& f) {
    if (f.get_string("tokenizer.ggml.model") == "gemma4") return from_gguf_gemma4(f);
    const std::string pre_name = f.get_string("tokenizer.ggml.pre").value_or("");
    const auto pre = bpe_pre_tokenizer_from_name(pre_name);
    if (!pre)
        fail(f.path(), ": byte-level BPE pre-tokenizer \"", pre_name,
             "\" (tokenizer.ggml.pre) is not supported; supported: ", bpe_pre_tokenizer_names());
    auto tok = std::unique_ptr<Tokenizer>(new Tokenizer());
    tok->read_bpe_pieces(f, !bpe_pre_without_bos(pre_name));
    // llama.cpp's defaults: Llama 3 and Tekken vocabularies start with BOS and take a word
    // that is a whole token as it is (before any merge); other byte-level ones do neither.
    const bool llama3_like = bpe_pre_llama3_defaults(pre_name);
    tok->add_bos_ = !bpe_pre_without_bos(pre_name) &&
                    f.get_bool("tokenizer.ggml.add_bos_token").value_or(llama3_like);
    if (tok->add_bos_ && tok->bos_ < 0)
        fail(f.path(), ": the vocabulary adds a BOS token but has no tokenizer.ggml.bos_token_id");
    tok->add_space_prefix_ = false;
    tok->kind_ = "byte-level BPE (" + pre_name + ")";
    tok->bpe_ =
        std::make_unique<BpeVocab>(tok->pieces_, read_merges(f), *pre, llama3_like, f.path());
    tok->init_tables();
    tok->read_end_ids(f);
    tok->show_reply_markers();
    return tok;
}

void Tokenizer::read_bpe_pieces(const GgufFile& f, bool with_bos) {
    bos_ = with_bos ? int(f.get_int("tokenizer.ggml.bos_token_id").value_or(-1)) : -1;
    eos_ = int(f.get_int("tokenizer.ggml.eos_token_id").value_or(-1));
    unk_ = int(f.get_int("tokenizer.ggml.unknown_token_id").value_or(-1));
    pieces_ = read_pieces(f, unk_, {bos_, eos_});
    const int n = int(pieces_.size());
    for (int* id : {&bos_, &eos_, &unk_})
        if (*id < -1 || *id >= n)
            fail(f.path(), ": special token id ", *id, " is outside the vocabulary of ", n);
}

std::unique_ptr<Tokenizer> Tokenizer::from_gguf_gemma4(const GgufFile& f) {
    auto tok = std::unique_ptr<Tokenizer>(new Tokenizer());
    tok->read_bpe_pieces(f, true);
    // llama.cpp starts every Gemma 4 text with BOS, whatever the file says.
    if (tok->bos_ < 0) fail(f.path(), ": a Gemma 4 vocabulary needs tokenizer.ggml.bos_token_id");
    tok->add_bos_ = true;
    tok->add_space_prefix_ = false;
    tok->kind_ = "BPE over SentencePiece pieces (gemma4)";
    tok->bpe_ =
        std::make_unique<BpeVocab>(BpeVocab::spm_style(tok->pieces_, read_merges(f), f.path()));
    tok->init_tables();
    tok->read_end_ids(f);
    tok->show_reply_markers();
    return tok;
}

std::unique_ptr<Tokenizer> Tokenizer::from_model_file(const std::string& path) {
    const std::string bytes = read_file(path, "tokenizer model");
    SpModelSpec spec;
    if (bytes.empty() || !decode_sp_model(bytes, spec))
        fail(path, ": not a SentencePiece model (could not parse the ModelProto)");
    auto tok = std::unique_ptr<Tokenizer>(new Tokenizer());
    tok->add_bos_ = spec.bos_id >= 0;
    tok->init(spec, bytes, path);
    if (tok->eos_ >= 0) tok->ends_ = {tok->eos_};
    return tok;
}

void Tokenizer::init(SpModelSpec spec, const std::string& serialized, const std::string& source) {
    sp_ = std::make_unique<sentencepiece::SentencePieceProcessor>();
    const auto status = sp_->LoadFromSerializedProto(serialized);
    if (!status.ok())
        fail(source,
             ": the tokenizer vocabulary is not a valid SentencePiece model: ", status.ToString());
    pieces_ = std::move(spec.pieces);
    bos_ = spec.bos_id;
    eos_ = spec.eos_id;
    unk_ = spec.unk_id;
    add_space_prefix_ = spec.add_dummy_prefix;
    init_tables();
}

void Tokenizer::init_tables() {
    for (size_t i = 0; i < pieces_.size(); ++i)
        if ((pieces_[i].type == PieceType::Control || pieces_[i].type == PieceType::UserDefined) &&
            !pieces_[i].text.empty())
            specials_.push_back(int(i));
    std::stable_sort(specials_.begin(), specials_.end(), [&](int a, int b) {
        return pieces_[size_t(a)].text.size() > pieces_[size_t(b)].text.size();
    });
    for (int id : specials_) special_first_[uint8_t(pieces_[size_t(id)].text[0])] = true;
    bytes_.resize(pieces_.size());
    for (size_t i = 0; i < pieces_.size(); ++i) {
        const SpPiece& p = pieces_[i];
        std::string& b = bytes_[i];
        if (p.type == PieceType::Control) continue;
        if (p.type == PieceType::Byte) {
            const int v = byte_piece_value(p.text);
            if (v >= 0) b.push_back(char(v));
            continue;
        }
        // A BPE vocabulary's user-defined pieces are plain text (Gemma 4's channel markers), the
        // others in the stand-in form, or (Gemma 4's) with spaces as SentencePiece's mark.
        if (bpe_ && (p.type == PieceType::UserDefined || !bpe_->is_spm_style())) {
            b = p.type == PieceType::UserDefined ? p.text : BpeVocab::piece_bytes(p.text);
            continue;
        }
        for (size_t k = 0; k < p.text.size();) {
            if (p.text.compare(k, kSpaceMark.size(), kSpaceMark) == 0) {
                b.push_back(' ');
                k += kSpaceMark.size();
            } else {
                b.push_back(p.text[k++]);
            }
        }
    }
}

void Tokenizer::read_end_ids(const GgufFile& f) {
    ends_.clear();
    if (eos_ >= 0) ends_.push_back(eos_);
    for (const char* key : {"tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"})
        if (auto id = f.get_int(key); id && *id >= 0 && *id < n_vocab()) ends_.push_back(int(*id));
    const auto control = [&](std::string_view text) { return control_id(text); };
    for (const char* text : {"<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<|end|>", "<|endoftext|>",
                             "<end_of_turn>", "<turn|>", "<|end_of_text|>", "<｜end▁of▁sentence｜>",
                             "<|return|>", "<|call|>", "<SPECIAL_12>", "[EOT]"})
        if (const int id = control(text); id >= 0) ends_.push_back(id);
    // gpt-oss's harmony format: a reply is a series of messages (its reasoning, then its answer,
    // each in a channel); <|end|> closes a message and <|return|> or <|call|> the reply.
    if (harmony())
        ends_.erase(std::remove(ends_.begin(), ends_.end(), control("<|end|>")), ends_.end());
    std::sort(ends_.begin(), ends_.end());
    ends_.erase(std::unique(ends_.begin(), ends_.end()), ends_.end());
}

int Tokenizer::control_id(std::string_view text) const {
    for (int id : specials_)
        if (pieces_[size_t(id)].type == PieceType::Control && pieces_[size_t(id)].text == text)
            return id;
    return -1;
}

bool Tokenizer::harmony() const {
    return control_id("<|return|>") >= 0 && control_id("<|call|>") >= 0;
}

void Tokenizer::show_reply_markers() {
    const auto show = [&](std::initializer_list<const char*> texts) {
        for (const char* text : texts)
            if (const int id = control_id(text); id >= 0) bytes_[size_t(id)] = text;
    };
    // Harmony's markers, as llama.cpp shows them, so that a reply can be split into its
    // channels (reply_channels.h).
    if (harmony()) show({"<|start|>", "<|channel|>", "<|message|>", "<|constrain|>", "<|end|>"});
    // Magistral's and Ministral 3's [THINK] and [/THINK], so that such a reply splits as a
    // <think> reply does.
    if (control_id("[THINK]") >= 0 && control_id("[/THINK]") >= 0) show({"[THINK]", "[/THINK]"});
}

bool Tokenizer::is_end(int id) const {
    // Not eos_ itself: a harmony vocabulary whose eos is <|end|> does not end there either.
    return std::binary_search(ends_.begin(), ends_.end(), id);
}

std::vector<int> Tokenizer::encode(std::string_view text, bool add_bos,
                                   std::string_view what) const {
    require_utf8(text, what);
    std::vector<int> ids;
    if (add_bos) ids.push_back(bos_);
    if (text.empty()) return ids;
    if (bpe_) {
        bpe_->encode(text, ids);
        return ids;
    }
    std::vector<int> body;
    const auto status = sp_->Encode(text, &body);
    if (!status.ok()) fail(what, ": tokenizer failed: ", status.ToString());
    ids.insert(ids.end(), body.begin(), body.end());
    return ids;
}

std::vector<int> Tokenizer::encode_special(std::string_view text, bool add_bos,
                                           std::string_view what) const {
    return encode_special_in(text, {{0, text.size()}}, add_bos, what);
}

std::vector<int> Tokenizer::encode_special_in(std::string_view text,
                                              const std::vector<std::pair<size_t, size_t>>& ranges,
                                              bool add_bos, std::string_view what) const {
    require_utf8(text, what);
    auto allowed = [&](size_t pos) {
        for (const auto& [b, e] : ranges)
            if (pos >= b && pos < e) return true;
        return false;
    };
    std::vector<int> ids;
    if (add_bos) ids.push_back(bos_);
    size_t start = 0, pos = 0;
    auto flush_text = [&](size_t end) {
        if (end > start) {
            const auto part = encode(text.substr(start, end - start), false, what);
            ids.insert(ids.end(), part.begin(), part.end());
        }
    };
    while (pos < text.size()) {
        int hit = -1;
        if (special_first_[uint8_t(text[pos])] && allowed(pos))
            for (int id : specials_)
                if (text.compare(pos, pieces_[size_t(id)].text.size(), pieces_[size_t(id)].text) ==
                    0) {
                    hit = id;
                    break;
                }
        if (hit < 0) {
            ++pos;
            continue;
        }
        flush_text(pos);
        ids.push_back(hit);
        pos += pieces_[size_t(hit)].text.size();
        start = pos;
    }
    flush_text(text.size());
    return ids;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const {
    IncrementalDecoder d(*this, true);
    std::string out;
    for (int id : ids) out += d.push(id);
    return out + d.flush();
}

std::string IncrementalDecoder::push(int id) {
    if (id < 0 || id >= tok_.n_vocab()) return {};
    const std::string& b = tok_.token_bytes(id);
    if (b.empty()) return {};  // control tokens, except the markers shown as text
    if (at_start_) {
        at_start_ = false;
        if (tok_.add_space_prefix() && b[0] == ' ') {
            pending_.append(b, 1);
        } else {
            pending_ += b;
        }
    } else {
        pending_ += b;
    }
    const size_t n = utf8_complete_prefix(pending_);
    std::string out = utf8_sanitize(std::string_view(pending_).substr(0, n));
    pending_.erase(0, n);
    return out;
}

std::string IncrementalDecoder::flush() {
    std::string out = utf8_sanitize(pending_);
    pending_.clear();
    return out;
}

}  // namespace nqkv
