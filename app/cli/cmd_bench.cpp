#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "engine/backend_registry.h"
#include "engine/cpu_kernels.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/llama_model.h"

namespace nqkv::cli {
namespace {

struct Stat {
    double mean = 0, stddev = 0;
};

Stat stats(const std::vector<double>& v) {
    Stat s;
    for (double x : v) s.mean += x;
    s.mean /= double(v.size());
    for (double x : v) s.stddev += (x - s.mean) * (x - s.mean);
    s.stddev = v.size() > 1 ? std::sqrt(s.stddev / double(v.size() - 1)) : 0;
    return s;
}

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int cmd_bench(int argc, char** argv) {
    Args a("nqkv bench", "nqkv bench -m MODEL [-p N] [-n N] [--threads N] [--reps R] [--json]",
           "Measures prompt processing (one batch of N tokens) and decode (N tokens one at a\n"
           "time) in tokens per second, like llama-bench's pp and tg tests. Tokens are random\n"
           "ids from a fixed seed. Reports the mean and standard deviation over repetitions.");
    a.option("-m,--model", "MODEL", "GGUF model file");
    a.option("-p,--n-prompt", "N", "prompt tokens (default 128, 0 = skip)");
    a.option("-n,--n-gen", "N", "decoded tokens (default 64, 0 = skip)");
    a.option("--threads", "N", "CPU threads (default: physical cores)");
    a.option("--reps", "R", "repetitions after one warm-up (default 5)");
    a.option("--kv", "TYPE", "KV cache type: f16 or f32 (default f16)");
    a.option("--isa", "NAME", "pin the CPU kernels: scalar, avx2 or avx512 (default: best)");
    a.flag("--json", "print JSON instead of a table");
    if (!a.parse(argc, argv)) return 0;

    if (auto isa = a.get("--isa")) {
        if (*isa != "scalar" && *isa != "avx2" && *isa != "avx512")
            fail("nqkv bench: --isa \"", *isa, "\" is not one of scalar, avx2, avx512");
        const Isa want = *isa == "scalar" ? Isa::Scalar : *isa == "avx2" ? Isa::Avx2 : Isa::Avx512;
        if (!cpu_kernels_for(want))
            fail("nqkv bench: --isa ", *isa, ": this CPU does not support it");
        setenv("NQKV_ISA", isa->c_str(), 1);  // read once, when the kernels are first chosen
    }
    const int n_prompt = a.get_int("--n-prompt", 128, 0, 1 << 20);
    const int n_gen = a.get_int("--n-gen", 64, 0, 1 << 20);
    const int reps = a.get_int("--reps", 5, 1, 1000);
    ContextParams cp;
    cp.n_threads = a.get_int("--threads", 0, 0, 1024);
    cp.kv = KvConfig::parse(a.get("--kv").value_or("fp16"));
    auto model = LlamaModel::load(a.require("--model"));
    const auto& hp = model->hparams();
    cp.n_ctx = std::max(n_prompt, n_gen + 1);
    cp.n_batch = std::max(1, n_prompt);
    auto backend = create_backend("cpu");
    auto ctx = backend->create_context(*model, cp);

    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick(std::min(3, hp.n_vocab - 1), hp.n_vocab - 1);
    std::vector<int> tokens(size_t(std::max(n_prompt, n_gen + 1)));
    for (int& t : tokens) t = pick(rng);
    std::vector<float> logits(size_t(hp.n_vocab));

    std::vector<double> pp, tg;
    for (int r = 0; r <= reps; ++r) {
        if (n_prompt > 0) {
            ctx->truncate(0);
            const auto t0 = std::chrono::steady_clock::now();
            ctx->eval(tokens.data(), n_prompt, logits.data());
            if (r) pp.push_back(n_prompt / seconds(t0));
        }
        if (n_gen > 0) {
            ctx->truncate(0);
            ctx->eval(tokens.data(), 1, logits.data());
            const auto t0 = std::chrono::steady_clock::now();
            for (int i = 1; i <= n_gen; ++i) ctx->eval(&tokens[size_t(i)], 1, logits.data());
            if (r) tg.push_back(n_gen / seconds(t0));
        }
    }

    struct Test {
        const char* name;
        int tokens;
        const std::vector<double>& samples;
    };
    const Test tests[] = {{"pp", n_prompt, pp}, {"tg", n_gen, tg}};
    const std::string isa = cpu_kernels().isa;
    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("model", model->name())
            .field("file", model->file().path())
            .field("backend", backend->name())
            .field("isa", isa)
            .field("threads", ctx->n_threads())
            .field("kv", cp.kv.name())
            .field("reps", reps);
        for (const Test& t : tests) {
            if (t.samples.empty()) continue;
            const Stat s = stats(t.samples);
            w.key(t.name)
                .begin_object()
                .field("tokens", t.tokens)
                .field("tokens_per_s", s.mean)
                .field("stddev", s.stddev)
                .end_object();
        }
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("| model | isa | threads | kv | test | tokens/s |\n|---|---|---:|---|---|---:|\n");
    for (const Test& t : tests) {
        if (t.samples.empty()) continue;
        const Stat s = stats(t.samples);
        std::printf("| %s | %s | %d | %s | %s%d | %.1f ± %.1f |\n", model->name().c_str(),
                    isa.c_str(), ctx->n_threads(), cp.kv.name().c_str(), t.name, t.tokens, s.mean,
                    s.stddev);
    }
    return 0;
}

}  // namespace nqkv::cli
