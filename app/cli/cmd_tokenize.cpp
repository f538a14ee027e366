#include <cstdio>
#include <memory>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/common/bundled_models.h"
#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/json_writer.h"
#include "engine/tokenizer.h"

namespace nqkv::cli {

int cmd_tokenize(int argc, char** argv) {
    Args a("nqkv tokenize", "nqkv tokenize [-m MODEL | --vocab FILE] (-p TEXT | -f FILE) [options]",
           "Splits text into tokens the way the model sees it: one line per token with its id\n"
           "and text. A GGUF's vocabulary is tokenized like llama.cpp does (every space kept).");
    a.option("-m,--model", "MODEL",
             "GGUF file (a vocabulary-only GGUF is fine; default: the bundled policy)");
    a.option("--vocab", "FILE", "a SentencePiece tokenizer.model instead of a GGUF");
    a.option("-p,--prompt", "TEXT", "text to tokenize");
    a.option("-f,--file", "FILE", "read the text from a file");
    a.flag("--no-bos", "do not add the BOS token");
    a.flag("--ids", "print only the ids, space-separated");
    a.flag("--json", "print JSON: ids and pieces");
    if (!a.parse(argc, argv)) return 0;

    std::unique_ptr<Tokenizer> tok;
    if (auto v = a.get("--vocab")) {
        tok = Tokenizer::from_model_file(*v);
    } else {
        const GgufFile f =
            GgufFile::open(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
        tok = Tokenizer::from_gguf(f);
    }
    const std::string text = prompt_or_file(a, "text", "TEXT");

    const bool bos = tok->add_bos() && !a.has("--no-bos");
    const std::vector<int> ids =
        tok->encode(text, bos, a.has("--file") ? *a.get("--file") : "prompt");
    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object().key("ids").int_array(ids).key("pieces").begin_array();
        for (int id : ids) w.value(tok->piece(id));
        w.end_array().end_object();
        std::printf("%s\n", w.str().c_str());
    } else if (a.has("--ids")) {
        for (size_t i = 0; i < ids.size(); ++i) std::printf(i ? " %d" : "%d", ids[i]);
        std::printf("\n");
    } else {
        for (int id : ids) {
            // Control tokens stand for no text; show their piece (<s>) instead of nothing.
            const std::string& shown =
                tok->type(id) == PieceType::Control ? tok->piece(id) : tok->token_bytes(id);
            std::printf("%6d -> '%s'\n", id, shown.c_str());
        }
        std::fprintf(stderr, "%zu tokens\n", ids.size());
    }
    return 0;
}

}  // namespace nqkv::cli
