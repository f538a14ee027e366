// `nqkv chat`: a conversation in the terminal. Each line read from stdin is a user message; the
// reply streams to stdout with the model's chat format, the cache keeping the conversation so
// far (ChatSession), and a conversation longer than the context loses its oldest exchanges.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/line_editor.h"
#include "app/cli/pictures.h"
#include "app/cli/run_options.h"
#include "app/cli/sigint_flag.h"
#include "app/common/bundled_models.h"
#include "engine/backend_registry.h"
#include "engine/chat_session.h"
#include "engine/error.h"
#include "engine/reply_channels.h"

namespace nqkv::cli {
namespace {

const char* kCommands =
    "  /reset   start a new conversation (the system prompt stays)\n"
    "  /kv      show the KV cache: tokens held, bytes, compression\n"
    "  /image FILE  show the model a picture with the next message (with --mmproj)\n"
    "  /help    this list\n"
    "  /quit    leave (so does end of input, Ctrl-D)\n"
    "A line ending in \\ continues on the next line. Ctrl-C stops a reply, or drops the\n"
    "message being typed (the conversation stays). At a terminal, lines can be edited and\n"
    "earlier ones recalled (arrows, Ctrl-R) when libedit is installed; they are kept in\n"
    "$XDG_STATE_HOME/nqkv/chat_history (~/.local/state/nqkv/chat_history).\n";

// One message: lines joined while they end in a backslash; nullopt at end of input. Each line
// typed goes into the history as typed. Ctrl-C gives up the message being typed and starts
// another.
std::optional<std::string> read_message(LineEditor& in) {
    std::string msg;
    const char* prompt = "> ";
    for (;;) {
        const std::optional<std::string> line = in.read(prompt);
        if (!line && in.interrupted()) {
            std::fputs("[message dropped; /quit or Ctrl-D leaves]\n", stderr);
            msg.clear();
            prompt = "> ";
            continue;
        }
        if (!line) break;
        in.remember(*line);
        if (line->empty() || line->back() != '\\') return msg + *line;
        msg += line->substr(0, line->size() - 1) + "\n";
        prompt = ". ";
    }
    if (!msg.empty()) return msg;
    return std::nullopt;
}

// Streams a reply to stdout with its reasoning (reply_channels.h) set apart: dimmed at a
// terminal, then a blank line before the answer; or left out.
class ReplyPrinter {
  public:
    explicit ReplyPrinter(bool show_reasoning)
        : show_(show_reasoning), dim_(isatty(STDOUT_FILENO)) {}
    void feed(const std::string& piece) { print(stream_.feed(piece)); }
    ~ReplyPrinter() { end_dim(); }  // a failed reply leaves the terminal as it was
    void finish() {
        print(stream_.finish());
        end_dim();
        std::fflush(stdout);
    }

  private:
    void print(const ReplyParts& p) {
        if (show_ && !p.reasoning.empty()) {
            if (!in_reasoning_ && dim_) std::fputs("\033[2m", stdout);
            in_reasoning_ = true;
            std::fputs(p.reasoning.c_str(), stdout);
        }
        if (!p.answer.empty()) {
            if (in_reasoning_) std::fputs(dim_ ? "\033[0m\n\n" : "\n\n", stdout);
            in_reasoning_ = false;
            std::fputs(p.answer.c_str(), stdout);
        }
        std::fflush(stdout);
    }
    void end_dim() {
        if (in_reasoning_ && dim_) std::fputs("\033[0m", stdout);
        in_reasoning_ = false;
    }
    ReplyStream stream_;
    bool show_, dim_, in_reasoning_ = false;
};

std::string dropped_note(int n) {
    if (n <= 0) return "";
    if (n == 1) return ", the oldest message left out to fit the context";
    return ", the " + std::to_string(n) + " oldest messages left out to fit the context";
}

}  // namespace

int cmd_chat(int argc, char** argv) {
    std::string summary =
        "A conversation in the terminal: each line is a message (typed, or piped in), the\n"
        "reply streams to stdout in the model's chat format, statistics go to stderr.\n"
        "Commands:\n" +
        std::string(kCommands);
    summary.pop_back();  // the usage text adds its own line break
    Args a("nqkv chat", "nqkv chat [-m MODEL] [--system TEXT] [options]", summary);
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("--system", "TEXT",
             "system prompt (default: the one the model's template writes, if any: Granite "
             "4.0, Mistral Small 3, Qwen2.5, ...)");
    a.flag("--no-default-system", "without --system, send no system prompt at all");
    a.option("--chat", "FORMAT", chat_format_names() + " (default: the model's)");
    a.option("-n,--n-predict", "N", "tokens per reply at most (default 512)");
    a.option("--overflow", "WHAT",
             "when the conversation outgrows the context: drop-oldest (leave out the oldest "
             "exchanges, the default) or refuse");
    a.flag("--ignore-eos", "keep generating past the end-of-text token");
    a.option("--reasoning-effort", "LEVEL",
             "gpt-oss: how long it reasons before answering, low, medium or high (default "
             "medium)");
    a.flag("--no-think",
           "ask for answers without reasoning first (an empty <think></think> block), where "
           "the model's template has a way to (Qwen3, SmolLM3, QwQ, later DeepSeek-R1s)");
    a.flag("--hide-reasoning",
           "print only the answer of a reasoning model (not its <think> part or gpt-oss's "
           "analysis); by default the reasoning is shown, dimmed at a terminal");
    add_sampling_options(a);
    add_context_options(a);
    add_picture_options(a);
    if (!a.parse(argc, argv)) return 0;

    GenerateParams gp;
    gp.max_tokens = a.get_int("--n-predict", 512, 1, 1 << 24);
    gp.sampling = read_sampling(a);
    gp.ignore_eos = a.has("--ignore-eos");
    const ContextParams cp = read_context_params(a);
    const ContextOverflow overflow =
        parse_context_overflow(a.get("--overflow").value_or("drop-oldest"));
    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    auto backend = create_backend(a.get("--backend").value_or("auto"), model->hparams());
    auto ctx = backend->create_context(*model, cp);
    ChatSession chat(*model, *ctx);
    chat.set_overflow(overflow);
    apply_chat_option(a, chat);

    ChatRenderOptions render;
    if (auto e = a.get("--reasoning-effort")) {
        render.reasoning_effort = checked_reasoning_effort(*e, "--reasoning-effort");
        if (chat.format() != ChatFormat::GptOss)
            std::fprintf(stderr,
                         "warning: --reasoning-effort applies to the gpt-oss format only; "
                         "%s has none\n",
                         chat_format_name(chat.format()));
    }
    render.thinking = !a.has("--no-think");
    if (!render.thinking && chat.thinking_prompt() == ThinkingPrompt::None)
        std::fprintf(stderr,
                     "warning: --no-think: the model's chat template has no way to ask for "
                     "answers without reasoning; ignored\n");
    render.default_system = !a.has("--no-default-system");
    chat.set_render_options(render);

    // Pictures for the next message: --image's, then each /image's.
    std::vector<std::shared_ptr<const InputRows>> pending;
    CliPictures pictures;
    {
        const SigintFlag interrupted;
        pictures = read_pictures(a, *model, ctx->n_threads(), interrupted.flag(), true);
        if (pictures.rows.size() < pictures.paths.size()) return 130;
        pending = pictures.rows;
    }

    LineEditor input(isatty(STDIN_FILENO), default_chat_history_file());
    std::fprintf(stderr, "%s, %s chat format, context %d tokens on %s. /help for commands.\n",
                 model->name().c_str(), chat_format_name(chat.format()), ctx->n_ctx(),
                 backend->description().c_str());
    std::vector<ChatMessage> conversation;
    const auto reset = [&] {
        conversation.clear();
        if (auto s = a.get("--system"); s && !s->empty()) conversation.push_back({"system", *s});
    };
    reset();
    while (auto msg = read_message(input)) {
        if (*msg == "/quit" || *msg == "/exit") break;
        if (*msg == "/help") {
            std::fputs(kCommands, stderr);
            continue;
        }
        if (*msg == "/reset") {
            reset();
            chat.reset();
            std::fputs("[a new conversation]\n", stderr);
            continue;
        }
        if (*msg == "/kv") {
            print_kv_summary(ctx->kv_stats(), cp.kv);
            continue;
        }
        if (msg->rfind("/image", 0) == 0) {
            const size_t at = msg->find_first_not_of(" \t", 6);
            if (at == std::string::npos || at == 6) {
                std::fputs("usage: /image FILE\n", stderr);
                continue;
            }
            try {
                const SigintFlag interrupted;
                if (auto rows = encode_picture(pictures, *model, msg->substr(at), ctx->n_threads(),
                                               interrupted.flag()))
                    pending.push_back(std::move(rows));
                std::fprintf(stderr, "[%zu picture(s) go with the next message]\n", pending.size());
            } catch (const Error& e) {
                std::fprintf(stderr, "error: %s\n", e.what());
            }
            continue;
        }
        if (msg->find_first_not_of(" \t\n") == std::string::npos) continue;

        conversation.push_back({"user", *msg, pending});
        GenerateResult r;
        try {
            const SigintFlag interrupted;
            ReplyPrinter printer(!a.has("--hide-reasoning"));
            r = chat.reply(
                conversation, gp, [&](int, const std::string& text) { printer.feed(text); },
                interrupted.flag());
            printer.finish();
        } catch (const Error& e) {
            // The conversation goes on without this message; it is still on the screen, and
            // its pictures wait for the next one.
            conversation.pop_back();
            std::fprintf(stderr, "error: %s (the message was not added)\n", e.what());
            continue;
        }
        pending.clear();
        std::fputs("\n", stdout);
        std::fflush(stdout);
        conversation.push_back({"assistant", r.text});
        const double tps = r.generate_seconds > 0 ? double(r.ids.size()) / r.generate_seconds : 0;
        std::fprintf(stderr, "[%zu tokens, %.1f tok/s, context %d / %d%s%s]\n", r.ids.size(), tps,
                     ctx->n_past(), ctx->n_ctx(),
                     r.reason == StopReason::Cancelled ? ", stopped" : "",
                     dropped_note(chat.dropped_messages()).c_str());
    }
    return 0;
}

}  // namespace nqkv::cli
