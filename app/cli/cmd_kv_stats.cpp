#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/captured_run.h"
#include "app/cli/commands.h"
#include "app/cli/pictures.h"
#include "app/common/bundled_models.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/kv_analysis.h"
#include "engine/llama_model.h"

namespace nqkv::cli {

int cmd_kv_stats(int argc, char** argv) {
    Args a("nqkv kv-stats", "nqkv kv-stats [-m MODEL] -f TEXT [--kv nq4] [--block 64] [--ctx 256]",
           "Runs the first --ctx tokens of a text with inspection on and prints, per layer and\n"
           "for K and V: the normal fit (MLE mean and sigma), the Kolmogorov-Smirnov statistic\n"
           "and p-value against it, skewness and excess kurtosis, the share of blocks whose own\n"
           "KS test rejects normality at 1%, and each codebook's error on these blocks divided\n"
           "by their variance, next to its N(0,1) limit. With --image the text is read with\n"
           "its pictures (where it says <__media__>, else before it), their rows' K and V among\n"
           "the statistics.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("-f,--file", "TEXT", "text file to run");
    a.option("--kv", "SPEC", "cache configuration (default nq4)");
    a.option("--block", "B", "block size: 16, 32, 64, 128 (default 64)");
    a.option("--ctx", "N", "tokens to run (default 256)");
    a.option("--threads", "N", "CPU threads (default, or 0: physical cores)");
    add_picture_options(a);
    a.flag("--json", "print JSON instead of tables");
    if (!a.parse(argc, argv)) return 0;

    ContextParams cp;
    cp.kv = KvConfig::parse(a.get("--kv").value_or("nq4"));
    if (a.has("--block")) cp.kv.block = a.get_int("--block", 64, 16, 128);
    cp.n_ctx = a.get_int("--ctx", 256, 2, 1 << 20);
    cp.n_threads = a.get_int("--threads", 0, 0, 1024);
    const std::string text = read_text_file(a.require("--file"));
    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    const CliPictures pictures = read_pictures(a, *model, cp.n_threads, nullptr);
    const auto ctx = run_captured(*model, cp, text, "text", pictures.rows);
    const int tokens = ctx->n_past();
    const auto stats = analyze_kv(ctx->kv_cache(), tokens);

    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("model", model->name())
            .field("kv", cp.kv.name())
            .field("block", ctx->kv_cache().block_size())
            .field("tokens", tokens)
            .key("layers")
            .begin_array();
        for (const auto& s : stats) {
            w.begin_object()
                .field("layer", s.layer)
                .field("kind", kv_kind_name(s.kind))
                .field("values", uint64_t(s.values))
                .field("blocks", uint64_t(s.blocks))
                .field("mean", s.moments.mean)
                .field("sigma", s.moments.stddev)
                .field("skewness", s.moments.skewness)
                .field("excess_kurtosis", s.moments.excess_kurtosis)
                .field("ks", s.ks.statistic)
                .field("ks_p", s.ks.p_value)
                .field("blocks_rejected_1pct", s.rejected_share)
                .field("config_nmse", s.config_nmse);
            w.key("codebook_nmse").begin_object();
            for (const auto& c : s.codebooks) w.field(c.name, c.nmse);
            w.end_object().end_object();
        }
        w.end_array().end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("%s, %zu tokens, KV %s, block %d\n\n", model->name().c_str(), size_t(tokens),
                cp.kv.name().c_str(), ctx->kv_cache().block_size());
    std::printf(
        "| layer | K/V | mean | sigma | skew | ex. kurt | KS | KS p | blocks rejected (1%%) | %s "
        "NMSE |\n",
        cp.kv.name().c_str());
    std::printf("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& s : stats)
        std::printf("| %d | %s | %.4f | %.4f | %.3f | %.3f | %.4f | %.2g | %.1f%% | %.5f |\n",
                    s.layer, kv_kind_name(s.kind), s.moments.mean, s.moments.stddev,
                    s.moments.skewness, s.moments.excess_kurtosis, s.ks.statistic, s.ks.p_value,
                    100 * s.rejected_share, s.config_nmse);
    // Codebook errors averaged over layers, per side, next to the N(0,1) limits.
    std::printf(
        "\nCodebook error on these blocks (squared error / block variance), mean over layers:\n\n");
    std::printf("| codebook | K | V | N(0,1) limit |\n|---|---:|---:|---:|\n");
    const size_t nc = stats[0].codebooks.size();
    for (size_t c = 0; c < nc; ++c) {
        double k = 0, v = 0;
        int nk = 0, nv = 0;
        for (const auto& s : stats)
            (s.kind == KvKind::K ? (k += s.codebooks[c].nmse, ++nk)
                                 : (v += s.codebooks[c].nmse, ++nv));
        const double lim = stats[0].codebooks[c].n01_limit;
        std::printf("| %s | %.5f | %.5f | %s |\n", stats[0].codebooks[c].name.c_str(), k / nk,
                    v / nv, lim > 0 ? std::to_string(lim).c_str() : "—");
    }
    return 0;
}

}  // namespace nqkv::cli
