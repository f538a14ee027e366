// nqkv compare: the app's "Compare bit-widths" view on the command line, for scripts and for
// machines without a display. The prompt is rendered the way the app renders it (one user
// message in the model's chat format), so both give the same figures for the same settings.
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
#include "engine/chat_session.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/kv_compare.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"

namespace nqkv::cli {
namespace {

// The prompt every configuration reads: the text as given (--raw), or one user message (after
// --system) in the chat format, its pictures marked where the message's are.
std::string rendered_prompt(const Args& a, const LlamaModel& model, Backend& backend,
                            const std::string& text, const CliPictures& pictures,
                            std::string* reply_start) {
    if (a.has("--raw")) return mark_pictures(text, pictures.rows.size());
    ContextParams small;  // the session only renders here; it never runs this context
    small.n_ctx = 16;
    auto ctx = backend.create_context(model, small);
    ChatSession chat(model, *ctx);
    apply_chat_option(a, chat);
    ChatRenderOptions render;
    render.thinking = !a.has("--no-think");
    render.default_system = !a.has("--no-default-system");
    chat.set_render_options(render);
    std::vector<ChatMessage> m;
    if (auto s = a.get("--system"); s && !s->empty()) m.push_back({"system", *s});
    m.push_back({"user", text});
    m.back().pictures = pictures.rows;
    *reply_start = shown_reply_prefix(chat.reply_start(m));
    return chat.render(m);
}

std::string divergence(const CompareRow& r, size_t k) {
    if (k == 0) return "(reference)";
    if (r.first_divergence < 0) return "same";
    return "token " + std::to_string(r.first_divergence);
}

void print_table(const CompareResult& res) {
    std::printf("%s, prompt %d tokens%s, %d tokens of fp16's output scored\n\n", res.model.c_str(),
                res.prompt_tokens,
                res.pictures ? (" (" + std::to_string(res.pictures) + " pictures)").c_str() : "",
                res.rows[0].ppl.tokens_scored);
    std::printf(
        "| KV | bytes/token | KV bytes | tokens/s | PPL | Δ%% vs fp16 | KL(fp16‖kv) | top-1 = "
        "fp16 | output leaves fp16 | context in %s |\n",
        human_bytes(double(res.budget_bytes)).c_str());
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for (size_t k = 0; k < res.rows.size(); ++k) {
        const CompareRow& r = res.rows[k];
        char ppl[32];
        std::snprintf(ppl, sizeof(ppl), r.ppl.ppl < 1e6 ? "%.4f" : "%.4g", r.ppl.ppl);
        std::printf("| %s | %zu | %s | %.1f | %s | %+.2f | %.5f | %.1f%% | %s | %zu |\n",
                    r.config.name().c_str(), r.bytes_per_token,
                    human_bytes(double(r.kv_bytes)).c_str(), r.tokens_per_second, ppl,
                    r.ppl.delta_pct, r.ppl.mean_kl, 100 * r.ppl.top1_agree,
                    divergence(r, k).c_str(), r.ctx_in_budget);
    }
    for (size_t k = 0; k < res.rows.size(); ++k) {
        const CompareRow& r = res.rows[k];
        std::printf("\n=== %s", r.config.name().c_str());
        if (k > 0 && r.first_divergence >= 0 && size_t(r.first_divergence) < r.pieces.size())
            std::printf(" (leaves fp16 at token %d: \"%s\")", r.first_divergence,
                        json_escape(r.pieces[size_t(r.first_divergence)]).c_str());
        else if (k > 0 && r.first_divergence >= 0)
            std::printf(" (ends at token %d, where fp16 goes on)", r.first_divergence);
        else if (k > 0)
            std::printf(" (the same as fp16)");
        std::printf(" ===\n%s%s\n", res.reply_start.c_str(), r.text.c_str());
    }
}

}  // namespace

int cmd_compare(int argc, char** argv) {
    Args a("nqkv compare", "nqkv compare [-m MODEL] (-p PROMPT | -f FILE) [--kv LIST] [options]",
           "The app's bit-width comparison: one prompt under fp16 and each KV cache\n"
           "configuration, with the same seed. For each: its output and the token where it\n"
           "first leaves fp16's; fp16's output teacher-forced through it (perplexity and its\n"
           "change, mean KL divergence from fp16, how often the top token agrees); its KV bytes,\n"
           "bytes per token, decode speed and the context that fits in the KV budget. The\n"
           "prompt is one user message in the model's chat format (--raw: the text as it is,\n"
           "special pieces read as such). --json adds the token ids and texts, the per-token\n"
           "KL and log-probabilities and the scored text (`nqkv ppl --special --ctx PPL_CTX\n"
           "--score-from P` on it gives the same perplexities); the app's compare view opens\n"
           "it (Open JSON...). Ctrl-C cancels.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("-p,--prompt", "PROMPT", "the prompt");
    a.option("-f,--file", "FILE", "read the prompt from a file");
    a.option("--kv", "LIST",
             "configurations besides fp16 (default nq8,nq4,nq2; mixes as k=nq4,v=nq2)");
    a.option("--block", "B", "block size for quantized configurations: 16, 32, 64, 128");
    a.option("-n,--n-predict", "N", "tokens each configuration writes at most (default 96)");
    add_sampling_options(a);
    a.option("--chat", "FORMAT", chat_format_names() + " (default: the model's)");
    a.option("--system", "TEXT", "system prompt");
    a.flag("--no-default-system", "without --system, send no system prompt at all");
    a.flag("--no-think", "ask for an answer without reasoning first, where the template can");
    a.flag("--raw", "use the prompt text as it is, without the chat format");
    a.option("--kv-mem", "SIZE", "KV budget for the context that fits (default 1G)");
    a.option("--threads", "N", "CPU threads (default, or 0: physical cores)");
    a.option("--backend", "NAME", "cpu, cuda or auto (default auto: cuda when a GPU is usable)");
    add_picture_options(a);
    a.flag("--json", "print JSON instead of a table and the outputs");
    if (!a.parse(argc, argv)) return 0;

    CompareOptions opt;
    opt.configs = read_kv_list(a, "nq8,nq4,nq2");
    opt.max_tokens = a.get_int("--n-predict", 96, 1, 1 << 20);
    opt.sampling = read_sampling(a);
    opt.n_threads = a.get_int("--threads", 0, 0, 1024);
    if (auto m = a.get("--kv-mem")) opt.budget_bytes = parse_byte_size(*m, "--kv-mem");
    const std::string text = prompt_or_file(a, "a prompt", "PROMPT");
    if (!a.has("--raw") && text.find_first_not_of(" \t\r\n") == std::string::npos)
        fail("nqkv compare: the prompt is empty: give what every configuration answers");

    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    auto backend = create_backend(a.get("--backend").value_or("auto"), model->hparams());
    const SigintFlag interrupted;
    opt.cancel = interrupted.flag();
    const CliPictures pictures = read_pictures(a, *model, opt.n_threads, interrupted.flag());
    if (pictures.vision && pictures.rows.empty()) {
        std::fprintf(stderr, "cancelled while reading the pictures\n");
        return 130;
    }
    opt.pictures = pictures.rows;
    std::string reply_start;
    const std::string prompt = rendered_prompt(a, *model, *backend, text, pictures, &reply_start);
    const bool tty = isatty(fileno(stderr));
    opt.progress = [&](int done, int total, const std::string& stage) {
        std::fprintf(stderr, tty ? "\r\033[K%d/%d %s" : "%d/%d %s\n", done, total, stage.c_str());
        if (tty && done == total) std::fputc('\n', stderr);
    };
    CompareResult res;
    try {
        res = compare_kv(*model, *backend, prompt, opt);
    } catch (const Error&) {
        if (!interrupted.flag()->load()) throw;
        std::fprintf(stderr, "\ncancelled\n");
        return 130;
    }
    res.reply_start = reply_start;
    if (a.has("--json"))
        std::printf("%s\n", compare_json(res).c_str());
    else
        print_table(res);
    return 0;
}

}  // namespace nqkv::cli
