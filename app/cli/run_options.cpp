#include "app/cli/run_options.h"

#include <cstdio>

#include "app/cli/commands.h"
#include "engine/error.h"

namespace nqkv::cli {

void add_sampling_options(Args& a) {
    a.option("--temp", "T", "temperature; 0 is greedy (default 0.8)");
    a.option("--top-k", "K", "keep the K most likely tokens, 0 = off (default 40)");
    a.option("--top-p", "P", "nucleus sampling mass, 1 = off (default 0.95)");
    a.option("--min-p", "P", "drop tokens below P x the top probability, 0 = off (default 0.05)");
    a.option("--repeat-penalty", "R", "penalty for recent tokens, 1 = off (default 1)");
    a.option("--repeat-last-n", "N", "how many recent tokens the penalty sees (default 64)");
    a.option("--seed", "S", "random seed (default 12648430)");
}

SamplingParams read_sampling(const Args& a) {
    SamplingParams s;
    s.temperature = float(a.get_double("--temp", 0.8, 0, 100));
    s.top_k = a.get_int("--top-k", 40, 0, 1 << 24);
    s.top_p = float(a.get_double("--top-p", 0.95, 0, 1));
    s.min_p = float(a.get_double("--min-p", 0.05, 0, 1));
    s.repeat_penalty = float(a.get_double("--repeat-penalty", 1.0, 0.01, 100));
    s.repeat_last_n = a.get_int("--repeat-last-n", 64, -1, 1 << 24);
    s.seed = a.get_u64("--seed", s.seed);
    return s;
}

void add_context_options(Args& a) {
    a.option("--threads", "N", "CPU threads (default, or 0: physical cores)");
    a.option("--ctx", "N", "context size in tokens (default, or 0: the model's, at most 4096)");
    a.option("--kv", "SPEC",
             "KV cache: fp16, f32, nq2..nq8, lm2..lm8, int2..int8, or k=FMT,v=FMT[,block=N]");
    a.option("--kv-mem", "SIZE", "size the context from a KV memory budget, e.g. 64M");
    a.option("--backend", "NAME", "cpu, cuda or auto (default auto: cuda when a GPU is usable)");
    add_float_acts_flag(a);
}

void add_float_acts_flag(Args& a) {
    a.flag("--float-acts",
           "CPU: multiply quantized and F16 weights with float activations (exact, slower; "
           "default: activations rounded to 8-bit blocks for integer dot products, as llama.cpp "
           "does)");
}

ContextParams read_context_params(const Args& a) {
    ContextParams cp;
    cp.n_threads = a.get_int("--threads", 0, 0, 1024);
    cp.n_ctx = a.get_int("--ctx", 0, 0, 1 << 22);
    cp.kv = KvConfig::parse(a.get("--kv").value_or("fp16"));
    if (auto m = a.get("--kv-mem")) cp.kv_budget = parse_byte_size(*m, "--kv-mem");
    cp.float_activations = a.has("--float-acts");
    return cp;
}

void apply_chat_option(const Args& a, ChatSession& chat) {
    if (auto f = a.get("--chat")) {
        const auto format = parse_chat_format(*f);
        if (!format) fail("--chat: unknown format \"", *f, "\" (", chat_format_names(), ")");
        chat.set_format(*format);
    } else if (!chat.format_warning().empty()) {
        std::fprintf(stderr, "warning: %s\n", chat.format_warning().c_str());
    }
}

void print_kv_summary(const KvStats& s, const KvConfig& kv) {
    std::fprintf(stderr,
                 "[KV %s] %zu bytes/token (%.2fx compression vs fp16), %d / %d tokens, %s held",
                 kv.name().c_str(), s.bytes_per_token, s.compression(), s.tokens_held,
                 s.tokens_allocated, human_bytes(double(s.bytes_used)).c_str());
    if (s.budget_bytes)
        std::fprintf(stderr, ", budget %s fits %zu tokens",
                     human_bytes(double(s.budget_bytes)).c_str(), s.capacity_in_budget);
    std::fprintf(stderr, "\n");
}

}  // namespace nqkv::cli
