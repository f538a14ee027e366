// `nqkv convert-llama2c`: a llama2.c checkpoint (.bin) and its tokenizer into a GGUF the app and
// every command open.
#include <unistd.h>

#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "engine/error.h"
#include "engine/llama2c_checkpoint.h"
#include "engine/llama_model.h"

namespace nqkv::cli {

int cmd_convert_llama2c(int argc, char** argv) {
    Args a("nqkv convert-llama2c",
           "nqkv convert-llama2c -m MODEL.bin --vocab TOKENIZER -o OUT.gguf [--name NAME]",
           "Converts a llama2.c checkpoint (the version-0 .bin that run.c reads, e.g.\n"
           "stories15M.bin) into a GGUF, weights kept F32. The vocabulary is llama2.c's\n"
           "tokenizer.bin or a SentencePiece tokenizer.model with as many pieces as the\n"
           "checkpoint's vocabulary. The result is loaded once to check it.");
    a.option("-m,--model", "FILE", "llama2.c checkpoint (.bin)");
    a.option("--vocab", "FILE", "tokenizer.bin or tokenizer.model");
    a.option("-o,--output", "FILE", "where to write the GGUF");
    a.option("--name", "NAME", "general.name (default: the checkpoint's file name)");
    if (!a.parse(argc, argv)) return 0;
    const std::string in = a.require("--model"), vocab = a.require("--vocab"),
                      out = a.require("--output");
    if (out == in) fail("-o: ", out, " is the checkpoint itself");
    const std::string stem = in.substr(in.find_last_of('/') + 1);
    const std::string name = a.get("--name").value_or(stem.substr(0, stem.rfind(".bin")));

    const Llama2cConfig c = read_llama2c_config(in);
    std::fprintf(stderr, "%s: dim %d, %d layers, %d/%d heads, ff %d, vocabulary %d, context %d%s\n",
                 in.c_str(), c.dim, c.n_layers, c.n_heads, c.n_kv_heads, c.hidden_dim, c.vocab_size,
                 c.seq_len, c.shared_classifier ? "" : ", separate classifier");
    const bool tty = isatty(STDERR_FILENO);
    int shown = -1;
    llama2c_to_gguf(in, vocab, name).write(out, [&](double f) {
        const int pct = int(f * 100);
        if (pct == shown) return;
        shown = pct;
        if (tty) std::fprintf(stderr, "\rwriting %s %3d%%", out.c_str(), pct);
    });
    if (tty) std::fprintf(stderr, "\n");
    const auto model = LlamaModel::load(out);
    std::printf("%s: %s, %.3f M parameters, %d tokens\n", out.c_str(), model->name().c_str(),
                double(model->n_params()) / 1e6, model->hparams().n_vocab);
    return 0;
}

}  // namespace nqkv::cli
