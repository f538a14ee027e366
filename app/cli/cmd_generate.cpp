#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/pictures.h"
#include "app/cli/run_options.h"
#include "app/cli/sigint_flag.h"
#include "app/common/bundled_models.h"
#include "engine/backend_registry.h"
#include "engine/error.h"
#include "engine/generator.h"
#include "engine/json_writer.h"
#include "engine/picture_prompt.h"
#include "engine/tokenizer.h"

namespace nqkv::cli {
int cmd_generate(int argc, char** argv) {
    Args a("nqkv generate", "nqkv generate [-m MODEL] (-p PROMPT | -f FILE) [options]",
           "Generates a continuation of the prompt and streams it to stdout. Ctrl-C stops\n"
           "generation cleanly; the statistics go to stderr. With --mmproj and --image the\n"
           "prompt holds pictures, and its special pieces (<start_of_turn>, ...) are read as\n"
           "such.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("-p,--prompt", "PROMPT", "prompt text");
    a.option("-f,--file", "FILE", "read the prompt from a file");
    a.option("-n,--n-predict", "N", "tokens to generate at most (default 128)");
    add_sampling_options(a);
    a.option("--stop", "TEXT", "stop before this text", true);
    add_context_options(a);
    add_picture_options(a);
    a.flag("--no-bos", "do not add the BOS token");
    a.flag("--ignore-eos", "keep generating past the end-of-text token");
    a.flag("--tokens", "stream one line per token: id, then its text");
    a.flag("--json", "print one JSON object with the result instead of streaming");
    if (!a.parse(argc, argv)) return 0;

    const std::string model_path =
        app::model_or_bundled(a.get("--model"), "policy.gguf", "--model");
    std::string prompt = prompt_or_file(a, "a prompt", "PROMPT");

    GenerateParams gp;
    gp.max_tokens = a.get_int("--n-predict", 128, 0, 1 << 24);
    gp.sampling = read_sampling(a);
    gp.stop = a.get_all("--stop");
    if (a.has("--no-bos")) gp.add_bos = 0;
    gp.ignore_eos = a.has("--ignore-eos");

    const ContextParams cp = read_context_params(a);
    auto model = LlamaModel::load(model_path);
    auto backend = create_backend(a.get("--backend").value_or("auto"), model->hparams());
    auto ctx = backend->create_context(*model, cp);

    const SigintFlag interrupted;
    const CliPictures pictures = read_pictures(a, *model, ctx->n_threads(), interrupted.flag());
    if (pictures.vision && pictures.rows.empty()) {
        std::fprintf(stderr, "cancelled while reading the pictures\n");
        return 130;
    }
    prompt = mark_pictures(prompt, pictures.rows.size());

    const bool json = a.has("--json"), tokens = a.has("--tokens");
    const Tokenizer& tok = model->tokenizer();
    TokenSink sink;
    if (!json) {
        std::fputs(prompt.c_str(), stdout);
        if (tokens) std::fputs("\n", stdout);
        std::fflush(stdout);
        sink = [&](int id, const std::string& text) {
            if (tokens) {
                if (id >= 0) std::printf("%d\t%s\n", id, json_escape(tok.token_bytes(id)).c_str());
            } else {
                std::fputs(text.c_str(), stdout);
            }
            std::fflush(stdout);
        };
    }
    GenerateResult r;
    if (!pictures.vision) {
        r = generate(*model, *ctx, prompt, gp, sink, interrupted.flag());
    } else {
        const bool bos = gp.add_bos < 0 ? tok.add_bos() : gp.add_bos != 0;
        const PicturePrompt pp = tokenize_with_pictures(tok, prompt, pictures.rows, bos);
        ctx->set_rows(pp.pictures);
        r = generate_from_ids(*model, *ctx, pp.ids, 0, gp, sink, interrupted.flag());
    }

    const double pp = r.prompt_seconds > 0 ? double(r.prompt_ids.size()) / r.prompt_seconds : 0;
    const double tg = r.generate_seconds > 0 ? double(r.ids.size()) / r.generate_seconds : 0;
    if (json) {
        JsonWriter w;
        w.begin_object()
            .field("model", model->name())
            .field("prompt", prompt)
            .key("prompt_ids")
            .int_array(r.prompt_ids)
            .key("generated_ids")
            .int_array(r.ids)
            .field("text", r.text)
            .field("stop_reason", stop_reason_name(r.reason))
            .field("prompt_tokens_per_s", pp)
            .field("decode_tokens_per_s", tg)
            .field("kv", cp.kv.name())
            .field("kv_bytes_per_token", uint64_t(ctx->kv_stats().bytes_per_token))
            .field("n_ctx", ctx->n_ctx())
            .end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("\n");
        std::fprintf(stderr,
                     "\n[%s] prompt %zu tokens, %.1f tok/s | generated %zu tokens, %.1f tok/s | "
                     "stop: %s\n",
                     backend->description().c_str(), r.prompt_ids.size(), pp, r.ids.size(), tg,
                     stop_reason_name(r.reason));
        print_kv_summary(ctx->kv_stats(), cp.kv);
    }
    return r.reason == StopReason::Cancelled ? 130 : 0;
}

}  // namespace nqkv::cli
