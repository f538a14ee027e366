#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/captured_run.h"
#include "app/cli/commands.h"
#include "app/cli/pictures.h"
#include "app/common/bundled_models.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/llama_model.h"

namespace nqkv::cli {

int cmd_kv_block(int argc, char** argv) {
    Args a(
        "nqkv kv-block",
        "nqkv kv-block [-m MODEL] (-p PROMPT | -f FILE) [--kv nq4] --layer L --token T --kind K|V "
        "--block B",
        "Runs a prompt with inspection on and prints one block of the KV cache: the original\n"
        "values, the codes, the scale, the dequantized values, and the block's MSE and\n"
        "maximum error. With --image the prompt is read with its pictures (where it says\n"
        "<__media__>, else before it), so a block of a picture's rows can be shown.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("-p,--prompt", "PROMPT", "prompt text");
    a.option("-f,--file", "FILE", "read the prompt from a file");
    a.option("--kv", "SPEC", "cache configuration (default nq4)");
    a.option("--layer", "L",
             "layer of the cache (default 0; for LFM2, whose convolution layers keep no K and "
             "V, its attention layers counted among themselves)");
    a.option("--token", "T", "token position (default 0)");
    a.option("--kind", "K|V", "K or V (default K)");
    a.option("--block", "B", "block index within the row (default 0)");
    a.option("--ctx", "N", "tokens of the prompt to run (default 512)");
    add_picture_options(a);
    a.flag("--json", "print JSON");
    if (!a.parse(argc, argv)) return 0;

    const std::string text = prompt_or_file(a, "a prompt", "PROMPT");
    const std::string kind_s = a.get("--kind").value_or("K");
    if (kind_s != "K" && kind_s != "V" && kind_s != "k" && kind_s != "v")
        fail("nqkv kv-block: --kind \"", kind_s, "\" must be K or V");
    const KvKind kind = (kind_s == "K" || kind_s == "k") ? KvKind::K : KvKind::V;
    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    ContextParams cp;
    cp.kv = KvConfig::parse(a.get("--kv").value_or("nq4"));
    cp.n_ctx = a.get_int("--ctx", 512, 2, 1 << 20);
    const CliPictures pictures = read_pictures(a, *model, cp.n_threads, nullptr);
    const auto ctx = run_captured(*model, cp, text, "prompt", pictures.rows);
    const int token = a.get_int("--token", 0, 0, 1 << 22);
    if (token >= ctx->n_past())
        fail("nqkv kv-block: --token ", token, " is past the ", ctx->n_past(),
             " tokens the prompt holds");
    const int layer = a.get_int("--layer", 0, 0, 1 << 20);
    if (const LlamaHParams& hp = model->hparams();
        hp.n_recurrent_layer() && layer >= hp.n_kv_layer())
        fail("nqkv kv-block: --layer ", layer, ": the cache holds this model's ", hp.n_kv_layer(),
             " attention layers, numbered 0..", hp.n_kv_layer() - 1, " (its ",
             hp.n_recurrent_layer(), " ", hp.has_ssm() ? hp.ssm_name() : "convolution",
             " layers keep no K and V)");
    const BlockView b =
        ctx->kv_cache().block(layer, token, kind, a.get_int("--block", 0, 0, 1 << 20));
    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("layer", b.layer)
            .field("token", b.pos)
            .field("kind", kv_kind_name(b.kind))
            .field("block", b.block)
            .field("format", b.format)
            .field("first", b.first)
            .field("size", b.size)
            .field("scale", double(b.scale))
            .field("mse", b.mse)
            .field("max_error", b.max_error);
        auto floats = [&](const char* k, const std::vector<float>& v) {
            w.key(k).begin_array();
            for (float x : v) w.value(double(x));
            w.end_array();
        };
        floats("original", b.original);
        floats("dequantized", b.dequantized);
        floats("levels", b.levels);
        w.key("codes").int_array(b.codes);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("layer %d, token %d, %s, block %d (values %d..%d), %s", b.layer, b.pos,
                kv_kind_name(b.kind), b.block, b.first, b.first + b.size - 1, b.format.c_str());
    if (!b.codes.empty()) std::printf(", scale %.6g", double(b.scale));
    std::printf("\n\n|  i | original | code | dequantized | error |\n|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < b.size; ++i) {
        const float o = b.has_original ? b.original[size_t(i)] : 0.f;
        std::printf("| %2d | %.6f | %s | %.6f | %+.6f |\n", i, double(o),
                    b.codes.empty() ? "-" : std::to_string(b.codes[size_t(i)]).c_str(),
                    double(b.dequantized[size_t(i)]), double(o - b.dequantized[size_t(i)]));
    }
    std::printf("\nMSE %.6g, max error %.6g\n", b.mse, b.max_error);
    return 0;
}

}  // namespace nqkv::cli
