#include <unistd.h>

#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/kv_list.h"
#include "app/cli/pictures.h"
#include "app/cli/run_options.h"
#include "app/cli/sigint_flag.h"
#include "app/common/bundled_models.h"
#include "engine/backend_registry.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/llama_model.h"
#include "engine/perplexity.h"

namespace nqkv::cli {
int cmd_ppl(int argc, char** argv) {
    Args a("nqkv ppl",
           "nqkv ppl [-m MODEL] -f TEXT [--kv fp16,nq4,nq3,nq2,lm2,int4] [--block 64] [--ctx 256]",
           "Perplexity of a text under each KV cache configuration, computed like llama.cpp's\n"
           "perplexity tool: chunks of --ctx tokens, BOS first, the second half of each chunk\n"
           "scored. Also the mean KL divergence from fp16 per token, how often the top token\n"
           "agrees with fp16's, the KV bytes per token and the context that fits in 1 GiB.\n"
           "A mixed configuration is written k=nq4,v=nq2 inside the list. With --image the\n"
           "text is read with its pictures where it marks them (else before it), as one chunk\n"
           "(--ctx about the text's length): the compare view's scoring of a prompt with\n"
           "pictures.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("-f,--file", "TEXT", "text file to score");
    a.option("--kv", "LIST", "configurations (default fp16,nq8,nq4,nq3,nq2,lm2,int4)");
    a.option("--block", "B",
             "block size for quantized configurations: 16, 32, 64, 128 (default 64)");
    a.option("--ctx", "N", "chunk length in tokens (default 256)");
    a.option("--chunks", "N", "score at most N chunks (default all)");
    a.option("--score-from", "P", "score from position P of each chunk (default ctx/2)");
    a.flag("--special", "read <s>, <|im_start|> ... in the text as special tokens");
    a.option("--threads", "N", "CPU threads (default, or 0: physical cores)");
    a.option("--backend", "NAME", "cpu, cuda or auto (default auto: cuda when a GPU is usable)");
    add_float_acts_flag(a);
    add_picture_options(a);
    a.flag("--json", "print JSON instead of a table");
    if (!a.parse(argc, argv)) return 0;

    PplOptions opt;
    opt.configs = read_kv_list(a, "fp16,nq8,nq4,nq3,nq2,lm2,int4");
    opt.n_ctx = a.get_int("--ctx", 256, a.has("--score-from") ? 2 : 8, 1 << 20);
    opt.max_chunks = a.get_int("--chunks", 0, 0, 1 << 20);
    opt.score_from = a.get_int("--score-from", -1, 0, opt.n_ctx - 2);
    opt.parse_special = a.has("--special");
    opt.n_threads = a.get_int("--threads", 0, 0, 1024);
    opt.float_activations = a.has("--float-acts");
    const std::string text = read_text_file(a.require("--file"));
    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    auto backend = create_backend(a.get("--backend").value_or("auto"), model->hparams());
    const bool tty = isatty(fileno(stderr));
    opt.progress = [&](int done, int total) {
        std::fprintf(stderr, tty ? "\rchunk %d/%d" : "chunk %d/%d\n", done, total);
        if (tty && done == total) std::fputc('\n', stderr);
    };
    const SigintFlag interrupted;
    opt.cancel = interrupted.flag();
    const CliPictures pictures = read_pictures(a, *model, opt.n_threads, interrupted.flag());
    if (pictures.vision && pictures.rows.empty()) {
        std::fprintf(stderr, "cancelled while reading the pictures\n");
        return 130;
    }
    opt.pictures = pictures.rows;
    const std::vector<PplRow> rows = compare_perplexity(
        *model, *backend, pictures.rows.empty() ? text : mark_pictures(text, pictures.rows.size()),
        opt);

    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("model", model->name())
            .field("ctx", opt.n_ctx)
            .field("tokens_scored", rows[0].tokens_scored)
            .key("rows")
            .begin_array();
        for (const auto& r : rows)
            w.begin_object()
                .field("kv", r.config.name())
                .field("ppl", r.ppl)
                .field("delta_pct", r.delta_pct)
                .field("mean_kl", r.mean_kl)
                .field("top1_agree", r.top1_agree)
                .field("kv_bytes_per_token", uint64_t(r.bytes_per_token))
                .field("ctx_in_1gib", uint64_t(r.ctx_in_1gib))
                .end_object();
        w.end_array().end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("%s, %d-token chunks, %d tokens scored\n\n", model->name().c_str(), opt.n_ctx,
                rows[0].tokens_scored);
    std::printf(
        "| KV | PPL | Δ%% vs fp16 | KL(fp16‖kv) | top-1 = fp16 | KV bytes/token | context in 1 GiB "
        "|\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& r : rows) {
        // Random-weight models reach astronomical perplexities: print those in short form.
        char ppl[32];
        std::snprintf(ppl, sizeof(ppl), r.ppl < 1e6 ? "%.4f" : "%.4g", r.ppl);
        std::printf("| %s | %s | %+.2f | %.5f | %.1f%% | %zu | %zu |\n", r.config.name().c_str(),
                    ppl, r.delta_pct, r.mean_kl, 100 * r.top1_agree, r.bytes_per_token,
                    r.ctx_in_1gib);
    }
    return 0;
}

}  // namespace nqkv::cli
