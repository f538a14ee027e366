// nqkv: the command-line face of the engine.
#include <cstdio>
#include <cstring>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "engine/error.h"
#include "engine/file_io.h"

namespace nqkv::cli {

std::string read_text_file(const std::string& path) {
    return read_file(path, "the text file");
}

std::string prompt_or_file(const Args& a, const char* noun, const char* metavar) {
    if (auto p = a.get("--prompt")) return *p;
    if (auto f = a.get("--file")) return read_text_file(*f);
    fail(a.command(), ": give ", noun, " with -p ", metavar, " or -f FILE");
}

std::string human_bytes(double b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), u ? "%.2f %s" : "%.0f %s", b, units[u]);
    return buf;
}

}  // namespace nqkv::cli

namespace {

const char* kUsage =
    "usage: nqkv COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  generate   generate text from a prompt, streaming it as it comes\n"
    "  chat       a conversation in the terminal, in the model's chat format\n"
    "  tokenize   show how a text splits into tokens\n"
    "  info       describe a model: architecture, sizes, tensor types, memory\n"
    "  bench      measure prompt and decode speed, per KV configuration and context\n"
    "  ppl        perplexity under several KV cache configurations\n"
    "  compare    one prompt under fp16 and each KV configuration: outputs, divergence, loss\n"
    "  kv-stats   per-layer normality and codebook error of the K and V values\n"
    "  kv-block   one block of the KV cache: originals, codes, scale, error\n"
    "  ar         answer a question with AR-Sampling (policy + process reward model)\n"
    "  eval-ar    accuracy of greedy, sampling, AR-Sampling and best-of-N on a problem set\n"
    "  synth-model  write a random-weight llama model of a given size (for benchmarks)\n"
    "  convert-llama2c  turn a llama2.c checkpoint (.bin) into a GGUF\n"
    "\n"
    "Run 'nqkv COMMAND --help' for the options of one command; 'nqkv --version' for the version.\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "-V") || !std::strcmp(argv[1], "--version")) {
        std::printf("nqkv %s\n", NQKV_VERSION);
        return 0;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "generate") return nqkv::cli::cmd_generate(argc - 2, argv + 2);
        if (cmd == "chat") return nqkv::cli::cmd_chat(argc - 2, argv + 2);
        if (cmd == "tokenize") return nqkv::cli::cmd_tokenize(argc - 2, argv + 2);
        if (cmd == "info") return nqkv::cli::cmd_info(argc - 2, argv + 2);
        if (cmd == "bench") return nqkv::cli::cmd_bench(argc - 2, argv + 2);
        if (cmd == "ppl") return nqkv::cli::cmd_ppl(argc - 2, argv + 2);
        if (cmd == "compare") return nqkv::cli::cmd_compare(argc - 2, argv + 2);
        if (cmd == "kv-stats") return nqkv::cli::cmd_kv_stats(argc - 2, argv + 2);
        if (cmd == "kv-block") return nqkv::cli::cmd_kv_block(argc - 2, argv + 2);
        if (cmd == "ar") return nqkv::cli::cmd_ar(argc - 2, argv + 2);
        if (cmd == "eval-ar") return nqkv::cli::cmd_eval_ar(argc - 2, argv + 2);
        if (cmd == "synth-model") return nqkv::cli::cmd_synth_model(argc - 2, argv + 2);
        if (cmd == "convert-llama2c") return nqkv::cli::cmd_convert_llama2c(argc - 2, argv + 2);
        std::fprintf(stderr, "nqkv: unknown command \"%s\"\n\n%s", cmd.c_str(), kUsage);
        return 2;
    } catch (const nqkv::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
