#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/kv_list.h"
#include "app/cli/run_options.h"
#include "app/common/bundled_models.h"
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

struct Result {
    std::string kv, test;
    int tokens = 0, depth = 0;
    Stat speed;
    size_t kv_bytes = 0, kv_bytes_per_token = 0;
};

std::vector<int> parse_int_list(const std::string& s, const std::string& what) {
    std::vector<int> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');) {
        char* end = nullptr;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end || v < 1 || v > (1 << 22))
            fail(what, ": \"", item, "\" is not a token count");
        out.push_back(int(v));
    }
    return out;
}

}  // namespace

int cmd_bench(int argc, char** argv) {
    Args a("nqkv bench",
           "nqkv bench [-m MODEL] [-p N] [-n N] [--kv LIST] [--ctx LIST] [--threads N] [--json]\n"
           "       nqkv bench --mmproj FILE [--image FILE] [--reps R] [--threads N] [--json]",
           "Measures prompt processing (one batch of -p tokens) and decode (-n tokens one at a\n"
           "time) in tokens per second, like llama-bench's pp and tg tests, for each KV cache\n"
           "configuration. With --ctx, decode is measured with the cache already holding that\n"
           "many tokens, and the KV bytes held are reported. Tokens are random ids from a fixed\n"
           "seed. Reports the mean and standard deviation over repetitions.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("-p,--n-prompt", "N", "prompt tokens (default 128, 0 = skip)");
    a.option("-n,--n-gen", "N", "decoded tokens (default 64, 0 = skip)");
    a.option("--kv", "LIST", "KV configurations, e.g. fp16,nq4,nq2 (default fp16)");
    a.option("--block", "B", "block size for quantized configurations (default 64)");
    a.option("--ctx", "LIST",
             "context depths for decode, e.g. 512,2048,8192 (default: empty cache)");
    a.option("--threads", "N", "CPU threads (default, or 0: physical cores)");
    a.option("--reps", "R", "repetitions after one warm-up (default 5)");
    a.option("--isa", "NAME",
             "pin the CPU kernels: avx512vnni, avx512, avxvnni, avx2 or scalar (default: the "
             "best this CPU supports)");
    a.option("--backend", "NAME", "cpu, cuda or auto (default auto: cuda when a GPU is usable)");
    a.option("--fill", "HOW",
             "how --ctx depths are filled: model (run the tokens, default) or random (N(0,1) K/V "
             "rows written straight into the cache: fast, for decode speed at long context)");
    a.flag("--kernels",
           "CUDA: also time the attention kernel at each depth and the weight GEMV alone, as "
           "bandwidth");
    a.option("--peak-gbs", "GB/s", "memory bandwidth the kernel figures are compared to (4800)");
    add_float_acts_flag(a);
    a.option("--mmproj", "FILE",
             "time this vision projector instead: seconds per picture (default --reps 1)");
    a.option("--image", "FILE", "with --mmproj: the picture (default: 1024 x 768 gradients)");
    a.flag("--json", "print JSON instead of a table");
    if (!a.parse(argc, argv)) return 0;

    if (auto isa = a.get("--isa")) {
        bool known = false;
        for (Isa i : kIsas) known = known || *isa == isa_name(i);
        if (!known) fail("nqkv bench: --isa \"", *isa, "\" is not one of ", isa_names());
        if (!cpu_kernels_named(isa->c_str()))
            fail("nqkv bench: --isa ", *isa, ": this CPU does not support it");
        setenv("NQKV_ISA", isa->c_str(), 1);  // read once, when the kernels are first chosen
    }
    if (a.has("--mmproj")) return bench_vision(a);
    if (a.has("--image")) fail("nqkv bench: --image is for timing a projector (--mmproj FILE)");
    const int n_prompt = a.get_int("--n-prompt", 128, 0, 1 << 20);
    const int n_gen = a.get_int("--n-gen", 64, 0, 1 << 20);
    if (n_prompt == 0 && n_gen == 0)
        fail("nqkv bench: --n-prompt and --n-gen are both 0: nothing to measure");
    const int reps = a.get_int("--reps", 5, 1, 1000);
    const int threads = a.get_int("--threads", 0, 0, 1024);
    const auto configs = read_kv_list(a, "fp16");
    const std::vector<int> depths =
        a.has("--ctx") ? parse_int_list(*a.get("--ctx"), "--ctx") : std::vector<int>{0};
    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    const auto& hp = model->hparams();
    auto backend = create_backend(a.get("--backend").value_or("auto"), model->hparams());
    const std::string fill_mode = a.get("--fill").value_or("model");
    if (fill_mode != "model" && fill_mode != "random")
        fail("--fill \"", fill_mode, "\": expected model or random");

    int max_depth = 0;
    for (int d : depths) max_depth = std::max(max_depth, d);
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick(std::min(3, hp.n_vocab - 1), hp.n_vocab - 1);
    std::vector<int> tokens(size_t(std::max(n_prompt, max_depth + n_gen + 1)));
    for (int& t : tokens) t = pick(rng);
    std::vector<float> logits(static_cast<size_t>(hp.n_vocab));

    std::vector<Result> results;
    int used_threads = 0;
    for (const KvConfig& kv : configs) {
        for (int depth : depths) {
            ContextParams cp;
            cp.n_threads = threads;
            cp.float_activations = a.has("--float-acts");
            cp.kv = kv;
            cp.n_ctx = std::max(n_prompt, depth + n_gen + 1);
            cp.n_batch = std::max(512, n_prompt);
            auto ctx = backend->create_context(*model, cp);
            used_threads = ctx->n_threads();
            if (n_prompt > 0 && depth == depths.front()) {
                std::vector<double> pp;
                for (int r = 0; r <= reps; ++r) {
                    ctx->truncate(0);
                    const auto t0 = std::chrono::steady_clock::now();
                    ctx->eval(tokens.data(), n_prompt, logits.data());
                    if (r) pp.push_back(n_prompt / seconds(t0));
                }
                results.push_back({kv.name(), "pp" + std::to_string(n_prompt), n_prompt, 0,
                                   stats(pp), ctx->kv_stats().bytes_used,
                                   ctx->kv_stats().bytes_per_token});
            }
            if (n_gen > 0) {
                const int fill = std::max(1, depth);
                const auto fill_cache = [&] {
                    ctx->truncate(0);
                    if (fill_mode == "random")
                        ctx->fill_synthetic(fill, 42);
                    else
                        ctx->eval(tokens.data(), fill, logits.data());
                };
                fill_cache();
                std::vector<double> tg;
                for (int r = 0; r <= reps; ++r) {
                    // A windowed cache may not hold the depth's window any more: fill again.
                    if (ctx->keepable(fill) < fill) fill_cache();
                    ctx->truncate(fill);
                    const auto t0 = std::chrono::steady_clock::now();
                    for (int i = 0; i < n_gen; ++i)
                        ctx->eval(&tokens[size_t(fill + i)], 1, logits.data());
                    if (r) tg.push_back(n_gen / seconds(t0));
                }
                std::string name = "tg" + std::to_string(n_gen);
                if (depth > 0) name += " @ " + std::to_string(depth);
                results.push_back({kv.name(), name, n_gen, depth, stats(tg),
                                   ctx->kv_stats().bytes_used, ctx->kv_stats().bytes_per_token});
            }
        }
    }

    // Kernel bandwidth (CUDA): attention at each depth and the weight GEMV, alone.
    struct KernelRow {
        std::string kernel, kv;
        int depth = 0, rows = 0, cols = 0;
        double ms = 0, gbs = 0;
    };
    std::vector<KernelRow> kernels;
    const double peak = a.get_double("--peak-gbs", 4800, 1, 1e6);
    if (a.has("--kernels")) {
        if (backend->name() != "cuda") fail("--kernels: only the CUDA backend has kernel timings");
        using AttnFn = double (*)(const char*, int, int, int, int, int, double*, char*, size_t);
        using GemvFn = double (*)(int, int, int, double*, char*, size_t);
        auto attn = reinterpret_cast<AttnFn>(cuda_module_symbol("nqkv_cuda_bench_attention"));
        auto gemv = reinterpret_cast<GemvFn>(cuda_module_symbol("nqkv_cuda_bench_gemv"));
        if (!attn || !gemv) fail("--kernels: the CUDA module has no benchmark entry points");
        char err[512] = {0};
        for (const KvConfig& kv : configs)
            for (int depth : depths) {
                if (depth <= 0) continue;
                double bytes = 0;
                const double ms = attn(kv.name().c_str(), hp.n_head, hp.n_head_kv, hp.head_dim,
                                       depth, 20, &bytes, err, sizeof(err));
                if (ms < 0) fail("attention benchmark: ", err);
                kernels.push_back({"attention", kv.name(), depth, 0, 0, ms, bytes / (ms * 1e6)});
            }
        const std::pair<int, int> shapes[] = {
            {hp.n_ff, hp.n_embd}, {hp.n_embd, hp.n_ff}, {hp.n_embd, hp.n_embd}};
        for (const auto& [rows, cols] : shapes) {
            double bytes = 0;
            const double ms = gemv(rows, cols, 50, &bytes, err, sizeof(err));
            if (ms < 0) fail("GEMV benchmark: ", err);
            kernels.push_back({"gemv", "", 0, rows, cols, ms, bytes / (ms * 1e6)});
        }
    }

    const bool cpu = backend->name() == "cpu";
    const bool float_acts = cpu && a.has("--float-acts");
    // The table's isa column says when quantized matrices were multiplied in floats.
    const std::string isa =
        cpu ? std::string(cpu_kernels().isa) + (float_acts ? ", float acts" : "")
            : backend->description();
    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("model", model->name())
            .field("file", model->file().path())
            .field("backend", backend->name())
            .field("isa", isa)
            .field("float_activations", float_acts)
            .field("threads", used_threads)
            .field("reps", reps)
            .key("results")
            .begin_array();
        for (const Result& r : results)
            w.begin_object()
                .field("kv", r.kv)
                .field("test", r.test)
                .field("tokens", r.tokens)
                .field("depth", r.depth)
                .field("tokens_per_s", r.speed.mean)
                .field("stddev", r.speed.stddev)
                .field("kv_bytes", uint64_t(r.kv_bytes))
                .field("kv_bytes_per_token", uint64_t(r.kv_bytes_per_token))
                .end_object();
        w.end_array();
        w.field("fill", fill_mode).field("peak_gbs", peak).key("kernels").begin_array();
        for (const KernelRow& k : kernels)
            w.begin_object()
                .field("kernel", k.kernel)
                .field("kv", k.kv)
                .field("depth", k.depth)
                .field("rows", k.rows)
                .field("cols", k.cols)
                .field("ms", k.ms)
                .field("gbs", k.gbs)
                .field("of_peak", k.gbs / peak)
                .end_object();
        w.end_array().end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("| model | isa | threads | kv | test | tokens/s | KV bytes held |\n");
    std::printf("|---|---|---:|---|---|---:|---:|\n");
    for (const Result& r : results)
        std::printf("| %s | %s | %d | %s | %s | %.1f ± %.1f | %s |\n", model->name().c_str(),
                    isa.c_str(), used_threads, r.kv.c_str(), r.test.c_str(), r.speed.mean,
                    r.speed.stddev, human_bytes(double(r.kv_bytes)).c_str());
    if (!kernels.empty()) {
        std::printf("\n| kernel | kv | depth / shape | ms | GB/s | of %.0f GB/s |\n", peak);
        std::printf("|---|---|---|---:|---:|---:|\n");
        for (const KernelRow& k : kernels)
            std::printf("| %s | %s | %s | %.4f | %.0f | %.0f %% |\n", k.kernel.c_str(),
                        k.kv.c_str(),
                        k.kernel == "gemv"
                            ? (std::to_string(k.rows) + " x " + std::to_string(k.cols)).c_str()
                            : std::to_string(k.depth).c_str(),
                        k.ms, k.gbs, 100 * k.gbs / peak);
    }
    return 0;
}

}  // namespace nqkv::cli
