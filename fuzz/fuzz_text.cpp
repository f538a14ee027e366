// libFuzzer target: any bytes as the texts the engine reads from users, files and models.
// The first byte picks the reader; the rest is its text. Each reader either gives a result or
// throws nqkv::Error; anything else (a crash, a sanitizer report, another exception escaping)
// is a bug. NQKV_FUZZ_MODELS names a folder whose *.gguf files lend their tokenizers.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/answer.h"
#include "engine/chat_template.h"
#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/json_reader.h"
#include "engine/kv_config.h"
#include "engine/reply_channels.h"
#include "engine/tokenizer.h"

namespace {

std::vector<std::unique_ptr<nqkv::Tokenizer>> tokenizers;
std::vector<nqkv::ChatFormat> formats;

void read_json(const std::string& text) {
    (void)nqkv::parse_json(text, "fuzz.json");
}

void read_template(const std::string& text) {
    (void)nqkv::detect_chat_format(text);
    (void)nqkv::template_default_system(text, "2026-12-01");
    size_t i = 0;
    (void)nqkv::template_string_literal(text, i);
}

void read_settings(const std::string& text) {
    try {
        (void)nqkv::KvConfig::parse(text, "fuzz");
    } catch (const nqkv::Error&) {
    }
    (void)nqkv::parse_byte_size(text, "fuzz");
}

void read_reply(const std::string& text) {
    (void)nqkv::split_reply(text);
    (void)nqkv::extract_answer(text);
    (void)nqkv::normalize_answer(text);
}

// The text as a conversation: split at NUL bytes into messages, user and assistant in turn
// after a system message, rendered in every format.
void render(const std::string& text) {
    std::vector<nqkv::ChatMessage> messages;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == '\0') {
            const char* role = messages.empty()      ? "system"
                               : messages.size() % 2 ? "user"
                                                     : "assistant";
            messages.push_back({role, text.substr(start, i - start)});
            start = i + 1;
        }
    if (messages.size() % 2) messages.push_back({"user", "?"});  // end on a user turn
    nqkv::ChatRenderOptions opts;
    opts.thinking = text.size() % 2;
    for (nqkv::ChatFormat f : formats) {
        try {
            (void)nqkv::render_chat(f, messages, true, opts);
            (void)nqkv::no_think_marked(messages);
        } catch (const nqkv::Error&) {
        }
    }
}

void tokenize(const std::string& text) {
    for (const auto& tok : tokenizers) {
        try {
            const std::vector<int> ids = tok->encode(text, true);
            (void)tok->decode(ids);
        } catch (const nqkv::Error&) {  // invalid UTF-8
        }
        (void)tok->decode(tok->encode_special(text, false));
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const std::string names = nqkv::chat_format_names();
    for (size_t s = 0; s < names.size();) {
        size_t e = names.find(", ", s);
        if (e == std::string::npos) e = names.size();
        if (auto f = nqkv::parse_chat_format(names.substr(s, e - s))) formats.push_back(*f);
        s = e + 2;
    }
    if (const char* dir = std::getenv("NQKV_FUZZ_MODELS"))
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (entry.path().extension() == ".gguf") {
                auto tok = nqkv::Tokenizer::from_gguf(nqkv::GgufFile::open(entry.path().string()));
                bool seen = false;  // one of each kind and size is enough
                for (const auto& t : tokenizers)
                    seen = seen || (t->kind() == tok->kind() && t->n_vocab() == tok->n_vocab());
                if (!seen) tokenizers.push_back(std::move(tok));
            }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 6) {
            case 0:
                return read_json(text), 0;
            case 1:
                return read_template(text), 0;
            case 2:
                return read_settings(text), 0;
            case 3:
                return read_reply(text), 0;
            case 4:
                return render(text), 0;
            default:
                return tokenize(text), 0;
        }
    } catch (const nqkv::Error& e) {
        if (!*e.what()) __builtin_trap();
    }
    return 0;
}
