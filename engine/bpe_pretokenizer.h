// The pre-tokenizers of byte-level BPE vocabularies (tokenizer.ggml.model = "gpt2"): text is
// cut into words by a regular expression before any merge, and merges never cross a cut. Each
// expression is matched by hand over Unicode classes taken from the regex module
// (unicode_tables.inc), so no regular-expression engine is needed at run time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nqkv {

enum class BpePreTokenizer {
    Gpt2,    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    Llama3,  // (?i:'s|...)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
             // \s*[\r\n]+|\s+(?!\S)|\s+
    Qwen2,   // Llama3 with single digits (\p{N})
    Qwen35,  // Qwen2 with marks in words: [^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+, and
             // ' ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*' for the rest
    SmolLM,  // every digit on its own (\p{N}), then Gpt2 on the text between
    // Mistral's, as llama.cpp rewrites it for std::regex (U = letter but a-z, W = letter but
    // A-Z): P?U*W+|P?U+W*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
    // with P = [^\r\n\p{L}\p{N}]
    Tekken,
    Gpt4o,        // Tekken's words each with an optional contraction after it, \p{N}{1,3}
    DeepSeekV3,   // three expressions in turn (bpe_pretokenizer_deepseek.h)
    DeepSeekLlm,  // six expressions in turn (bpe_pretokenizer_deepseek.h)
    SeedCoder,    // Qwen2's, its punctuation without trailing line breaks:
                  // ' ?[^\s\p{L}\p{N}\r\n]+'
    KimiK2,       // \p{Han}+ first, then Llama3's with each word taking a contraction after it
};

// tokenizer.ggml.pre names: "gpt-2", "phi-2", "mpt", "olmo"; "llama-bpe", "llama3",
// "llama-v3", "falcon3", "falcon-h1", "pixtral", "smaug-bpe", "dbrx", "glm4", "chatglm-bpe";
// "qwen2", "deepseek-r1-qwen", "hunyuan"; "qwen35"; "smollm", "starcoder", "refact", "command-r",
// "codeshell", "exaone"; "tekken"; "gpt-4o", "llama4"; "deepseek-v3", "hunyuan-dense";
// "deepseek-llm"; "seed-coder"; "kimi-k2". nullopt for anything else.
std::optional<BpePreTokenizer> bpe_pre_tokenizer_from_name(std::string_view name);
// Whether llama.cpp gives the vocabulary its Llama 3 defaults (BOS first unless the vocabulary
// says otherwise; a word that is a whole token taken as it is): llama-bpe, llama3, llama-v3,
// falcon3, falcon-h1, pixtral, lfm2 and tekken.
bool bpe_pre_llama3_defaults(std::string_view name);
// GLM-4's vocabularies, whose BOS llama.cpp never adds (its chat format writes [gMASK]<sop>).
bool bpe_pre_without_bos(std::string_view name);
// The names above, for error messages.
std::string bpe_pre_tokenizer_names();

// Unicode classes of a code point: bit 0 letter (\p{L}), bit 1 number (\p{N}), bit 2 space (\s),
// bit 3 mark (\p{M}), bit 4 punctuation (\p{P}), bit 5 symbol (\p{S}).
enum : int {
    kUnicodeLetter = 1,
    kUnicodeNumber = 2,
    kUnicodeSpace = 4,
    kUnicodeMark = 8,
    kUnicodePunctuation = 16,
    kUnicodeSymbol = 32
};
int unicode_classes(uint32_t cp);

// Cuts valid UTF-8 text into the words the vocabulary's expression matches, in order; the
// words concatenate to the text.
std::vector<std::string_view> bpe_pre_split(std::string_view text, BpePreTokenizer kind);

}  // namespace nqkv
