// The CUDA backend against the CPU reference, on any machine with a usable GPU; without one it
// says why and exits 77, which CTest counts as skipped. Plain C++ without Qt, so the device
// machine (which has no Qt) runs it too; `--json FILE` writes every result.
//   - the append and attention kernels alone, for fp16, f32 and every codebook family, width
//     and block size, against the CPU cache (append: bit for bit);
//   - logits within 1e-2 on stories260K, llama-synth-256 (F16, Q8_0, Q4_K_M), the bundled
//     models, and the policy with RoPE frequency factors, with YaRN, as a qwen2 model (biases, NeoX
//     RoPE), a qwen3 model (per-head query/key norms), a phi3 model (fused projections, long RoPE),
//     gemma2/gemma3 models, a granite model (its four multipliers), a smollm3 model (a layer
//     without RoPE) and an olmo2 model (norms after the blocks only, whole-width q/k norms),
//     through prefill (cuBLAS) and single steps (GEMV);
//   - identical greedy tokens over 64 steps with fp16 and nq4 caches;
//   - the inspection API and KvStats on a GPU context; out of memory is an error.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/backend_registry.h"
#include "engine/generator.h"
#include "engine/gguf_file.h"
#include "engine/gguf_writer.h"
#include "engine/json_writer.h"
#include "engine/kv_cache.h"
#include "engine/llama_model.h"

using namespace nqkv;

namespace {

using AppendFn = long (*)(const char*, int, int, const float*, uint8_t*, uint16_t*, char*, size_t);
using AttentionFn = int (*)(const char*, int, int, int, int, const float*, const float*,
                            const float*, float*, char*, size_t);

struct Check {
    std::string name;
    bool pass = false;
    std::string detail;
};
std::vector<Check> results;

void record(const std::string& name, bool pass, const std::string& detail) {
    results.push_back({name, pass, detail});
    std::printf("%s %s: %s\n", pass ? "PASS" : "FAIL", name.c_str(), detail.c_str());
    std::fflush(stdout);
}

// Runs one check; an exception is a failure with its message.
void run(const std::string& name, const std::function<std::string(bool&)>& body) {
    bool pass = false;
    try {
        const std::string detail = body(pass);
        record(name, pass, detail);
    } catch (const std::exception& e) {
        record(name, false, std::string("threw: ") + e.what());
    }
}

std::string dir_from(const char* env, const char* built_in) {
    const char* e = std::getenv(env);
    return e && *e ? e : built_in;
}
bool exists(const std::string& p) {
    return std::ifstream(p).good();
}

std::vector<float> normal(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> n01;
    std::vector<float> v(n);
    for (auto& x : v) x = n01(rng);
    return v;
}

double max_abs_diff(const float* a, const float* b, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; ++i) m = std::max(m, std::abs(double(a[i]) - double(b[i])));
    return m;
}

std::vector<std::string> formats() {
    std::vector<std::string> out{"fp16", "f32"};
    for (const char* f : {"nq", "lm", "int"})
        for (int bits : {2, 3, 4, 8})
            for (int block : {16, 32, 64, 128})
                out.push_back(f + std::to_string(bits) + ",block=" + std::to_string(block));
    return out;
}

std::string check_append(const std::string& kv, bool& pass) {
    auto fn = reinterpret_cast<AppendFn>(cuda_module_symbol("nqkv_cuda_test_kv_append"));
    if (!fn) return "the module has no nqkv_cuda_test_kv_append";
    const int row = 256, n = 9;
    const std::vector<float> rows = normal(size_t(row) * n, 11);
    std::vector<uint8_t> stored(size_t(row) * n * 4);
    std::vector<uint16_t> scales(size_t(row) * n);
    char err[512] = {0};
    if (fn(kv.c_str(), row, n, rows.data(), stored.data(), scales.data(), err, sizeof(err)) <= 0)
        return err;
    const KvConfig cfg = KvConfig::parse(kv);
    const KvShape shape{1, n, 1, row};
    KvCache want(cfg, shape), got(cfg, shape);
    for (int p = 0; p < n; ++p) want.store(0, p, &rows[size_t(p) * row], &rows[size_t(p) * row]);
    got.side(KvKind::K).import_rows(0, 0, n, stored.data(), scales.data());
    std::vector<float> a(static_cast<size_t>(row)), b(static_cast<size_t>(row));
    int differing = 0;
    for (int p = 0; p < n; ++p) {
        want.side(KvKind::K).read(0, p, 0, row, a.data());
        got.side(KvKind::K).read(0, p, 0, row, b.data());
        for (int i = 0; i < row; ++i)
            differing += std::memcmp(&a[size_t(i)], &b[size_t(i)], 4) != 0;
    }
    pass = differing == 0;
    return std::to_string(differing) + " of " + std::to_string(row * n) +
           " stored values differ from the CPU's";
}

std::string check_attention(const std::string& kv, bool& pass) {
    auto fn = reinterpret_cast<AttentionFn>(cuda_module_symbol("nqkv_cuda_test_attention"));
    if (!fn) return "the module has no nqkv_cuda_test_attention";
    const int n_head = 8, n_head_kv = 2, hd = 64, row = n_head_kv * hd, group = n_head / n_head_kv;
    double worst = 0;
    for (int n_keys : {1, 200, 700}) {  // within one chunk, a partial chunk, several chunks
        const std::vector<float> k = normal(size_t(row) * n_keys, 21);
        const std::vector<float> v = normal(size_t(row) * n_keys, 22);
        const std::vector<float> q = normal(size_t(n_head) * hd, 23);
        std::vector<float> out(size_t(n_head) * hd, NAN);
        char err[512] = {0};
        if (fn(kv.c_str(), n_head, n_head_kv, hd, n_keys, k.data(), v.data(), q.data(), out.data(),
               err, sizeof(err)) != 0)
            return err;
        KvCache cache(KvConfig::parse(kv), KvShape{1, n_keys, n_head_kv, hd});
        for (int p = 0; p < n_keys; ++p)
            cache.store(0, p, &k[size_t(p) * row], &v[size_t(p) * row]);
        std::vector<float> want(out.size(), 0.f), sc(static_cast<size_t>(n_keys));
        for (int h = 0; h < n_head; ++h) {
            cache.key_dots(0, h / group, &q[size_t(h) * hd], n_keys, sc.data());
            float m = -1e30f;
            for (float& s : sc) m = std::max(m, s /= std::sqrt(float(hd)));
            double sum = 0;
            for (float& s : sc) sum += (s = std::exp(s - m));
            for (float& s : sc) s = float(s / sum);
            cache.value_sum(0, h / group, sc.data(), n_keys, &want[size_t(h) * hd]);
        }
        for (float o : out)
            if (std::isnan(o)) return "an output was not written";
        worst = std::max(worst, max_abs_diff(out.data(), want.data(), out.size()));
    }
    const double tol = kv == "fp16" ? 3e-3 : 2e-4;  // the CPU's fp16 path rounds q to fp16
    pass = worst <= tol;
    return "max |CUDA - CPU| = " + std::to_string(worst) + " (tolerance " + std::to_string(tol) +
           ")";
}

// A model with one context on each backend.
struct Both {
    std::unique_ptr<LlamaModel> model;
    std::unique_ptr<InferenceContext> cpu, gpu;
};
Both both(Backend& cpu, Backend& gpu, const std::string& path, const char* kv, int n_ctx) {
    Both b;
    b.model = LlamaModel::load(path);
    ContextParams p;
    p.n_ctx = n_ctx;
    p.kv = KvConfig::parse(kv);
    b.gpu = gpu.create_context(*b.model, p);
    // The GPU multiplies with unrounded activations; the CPU's exact path is its reference.
    p.float_activations = true;
    b.cpu = cpu.create_context(*b.model, p);
    return b;
}

std::string check_logits(Backend& cpu, Backend& gpu, const std::string& path, const char* kv,
                         bool& pass) {
    const Both m = both(cpu, gpu, path, kv, 256);
    const auto& model = m.model;
    InferenceContext &c = *m.cpu, &g = *m.gpu;
    const int nv = model->hparams().n_vocab;
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> pick(3, nv - 1);
    std::vector<int> prompt(40);
    for (int& t : prompt) t = pick(rng);
    std::vector<float> lc(size_t(nv) * prompt.size()), lg(lc.size());
    c.eval(prompt.data(), int(prompt.size()), lc.data(), true);
    g.eval(prompt.data(), int(prompt.size()), lg.data(), true);
    double worst = max_abs_diff(lc.data(), lg.data(), lc.size());
    std::vector<float> a(static_cast<size_t>(nv)), b(static_cast<size_t>(nv));
    for (int step = 0; step < 16; ++step) {
        const int t = pick(rng);
        c.eval(&t, 1, a.data());
        g.eval(&t, 1, b.data());
        worst = std::max(worst, max_abs_diff(a.data(), b.data(), a.size()));
    }
    pass = worst <= 1e-2;
    return "max |logit CPU - CUDA| = " + std::to_string(worst) + " over 40 prefill + 16 steps";
}

std::string check_greedy(Backend& cpu, Backend& gpu, const std::string& path, const char* kv,
                         bool& pass) {
    const Both m = both(cpu, gpu, path, kv, 128);
    GenerateParams gp;
    gp.max_tokens = 64;
    gp.ignore_eos = true;
    gp.sampling.temperature = 0;
    const GenerateResult a = generate(*m.model, *m.cpu, "Once upon a time", gp);
    const GenerateResult b = generate(*m.model, *m.gpu, "Once upon a time", gp);
    size_t same = 0;
    while (same < a.ids.size() && same < b.ids.size() && a.ids[same] == b.ids[same]) ++same;
    pass = a.ids == b.ids && a.ids.size() == 64;
    return std::to_string(same) + " of " + std::to_string(a.ids.size()) + " greedy tokens equal";
}

std::string check_inspection(Backend& cpu, Backend& gpu, const std::string& path, bool& pass) {
    const Both m = both(cpu, gpu, path, "k=nq4,v=nq2,block=32", 64);
    const auto& model = m.model;
    const auto &c = m.cpu, &g = m.gpu;
    const std::vector<int> ids{1, 20, 30, 40, 50, 60};
    std::vector<float> logits(static_cast<size_t>(model->hparams().n_vocab));
    c->eval(ids.data(), int(ids.size()), logits.data());
    g->eval(ids.data(), int(ids.size()), logits.data());
    const BlockView a = c->kv_cache().block(1, 3, KvKind::K, 2);
    const BlockView b = g->kv_cache().block(1, 3, KvKind::K, 2);
    int same = 0;
    for (size_t i = 0; i < a.codes.size(); ++i) same += a.codes[i] == b.codes[i];
    // K rows come from slightly different float sums, so a code may sit across a threshold.
    pass = g->kv_stats().bytes_used == c->kv_stats().bytes_used &&
           b.codes.size() == a.codes.size() && same * 10 >= int(a.codes.size()) * 9 &&
           std::abs(a.scale - b.scale) <= 0.01f * std::abs(a.scale);
    return "KvStats bytes " + std::to_string(g->kv_stats().bytes_used) + " (CPU " +
           std::to_string(c->kv_stats().bytes_used) + "), block codes equal " +
           std::to_string(same) + "/" + std::to_string(a.codes.size());
}

std::string check_oom(Backend& gpu, const std::string& path, bool& pass) {
    auto model = LlamaModel::load(path);
    ContextParams p;
    p.n_ctx = 1 << 30;  // far beyond any GPU
    try {
        gpu.create_context(*model, p);
        return "a context of 2^30 tokens was created";
    } catch (const std::exception& e) {
        const std::string m = e.what();
        pass = m.find("MiB needed") != std::string::npos && m.find("CPU") != std::string::npos;
        return m;
    }
}

// The bundled policy rewritten as another member of the family, so the GPU is checked on what
// only those have: "rope-freqs" adds Llama 3.1-style RoPE frequency factors (rope_freqs.weight);
// "qwen2" renames the keys to qwen2.* (NeoX RoPE) and adds query, key and value biases;
// "granite" adds its multipliers; "smollm3" is the name alone (its fourth layer goes unrotated).
std::string policy_variant(const std::string& path, const std::string& kind) {
    const GgufFile f = GgufFile::open(path);
    GgufWriter w(uint32_t(f.alignment()));
    const bool renamed = kind == "qwen2" || kind == "qwen3" || kind == "phi3" || kind == "gemma2" ||
                         kind == "gemma3" || kind == "granite" || kind == "smollm3" ||
                         kind == "olmo2";
    for (const auto& [k, v] : f.metadata()) {
        if (renamed && k == "general.architecture")
            w.set(k, GgufValue::str(kind));
        else if (renamed && k.rfind("llama.", 0) == 0)
            w.set(kind + "." + k.substr(6), v);
        else
            w.set(k, v);
    }
    auto bytes = [&](const std::string& name) {
        const GgufTensorInfo* t = f.tensor(name);
        return std::vector<uint8_t>(t->data, t->data + t->n_bytes);
    };
    // Phi-3 stores Q, K, V as one tensor and the gate's rows before the up projection's.
    auto fuse = [&](const std::string& out, std::initializer_list<const char*> parts) {
        std::vector<uint8_t> all;
        uint64_t rows = 0;
        const GgufTensorInfo* first = nullptr;
        for (const char* part : parts) {
            const std::string name = out.substr(0, out.find('.', 4) + 1) + part + ".weight";
            first = first ? first : f.tensor(name);
            const auto b = bytes(name);
            all.insert(all.end(), b.begin(), b.end());
            rows += f.tensor(name)->dims[1];
        }
        w.add_tensor(out, first->type, {first->dims[0], rows}, std::move(all));
    };
    for (const auto& t : f.tensors()) {
        if (kind == "phi3" && t.name.find(".attn_q.") != std::string::npos) {
            fuse(t.name.substr(0, t.name.find(".attn_q.")) + ".attn_qkv.weight",
                 {"attn_q", "attn_k", "attn_v"});
            continue;
        }
        if (kind == "phi3" && t.name.find(".ffn_gate.") != std::string::npos) {
            fuse(t.name.substr(0, t.name.find(".ffn_gate.")) + ".ffn_up.weight",
                 {"ffn_gate", "ffn_up"});
            continue;
        }
        if (kind == "olmo2" && (t.name.find(".attn_norm.") != std::string::npos ||
                                t.name.find(".ffn_norm.") != std::string::npos))
            continue;  // OLMo 2 normalises only the blocks' outputs
        if (kind == "phi3" && (t.name.find(".attn_k.") != std::string::npos ||
                               t.name.find(".attn_v.") != std::string::npos ||
                               t.name.find(".ffn_up.") != std::string::npos))
            continue;
        w.add_tensor(t.name, t.type, t.dims, bytes(t.name));
    }
    const int64_t pairs = f.require_int("llama.rope.dimension_count") / 2;
    auto ramp = [&](float top) {
        std::vector<float> ff(static_cast<size_t>(pairs));
        for (size_t i = 0; i < ff.size(); ++i)
            ff[i] = 1.f + (top - 1.f) * float(i) / float(ff.size() - 1);
        return ff;
    };
    if (kind == "rope-freqs") {
        w.add_f32("rope_freqs.weight", {uint64_t(pairs)}, ramp(8.f));
    } else if (kind == "yarn") {  // folded by the loader into the factors the GPU applies
        w.set("llama.rope.scaling.type", GgufValue::str("yarn"));
        w.set("llama.rope.scaling.factor", GgufValue::f32(4.f));
        w.set("llama.rope.scaling.original_context_length", GgufValue::u32(256));
    } else if (kind == "phi3") {  // Phi-3.5's long RoPE; a 2048 context takes the long factors
        w.add_f32("rope_factors_short.weight", {uint64_t(pairs)}, ramp(3.f));
        w.add_f32("rope_factors_long.weight", {uint64_t(pairs)}, ramp(9.f));
        w.set("phi3.rope.scaling.original_context_length", GgufValue::u32(256));
        w.set("phi3.rope.scaling.attn_factor", GgufValue::f32(1.19f));
    } else if (kind == "granite") {  // its four multipliers; SmolLM3 needs only its name
        w.set("granite.embedding_scale", GgufValue::f32(2.f));
        w.set("granite.residual_scale", GgufValue::f32(0.5f));
        w.set("granite.attention.scale", GgufValue::f32(0.15f));
        w.set("granite.logit_scale", GgufValue::f32(3.f));
    } else if (kind == "olmo2") {  // norms after each block; query/key norms over the projections
        std::mt19937 rng(5);
        std::uniform_real_distribution<float> u(0.5f, 2.f);
        auto gains = [&](uint64_t n) {
            std::vector<float> g(static_cast<size_t>(n));
            for (float& x : g) x = u(rng);
            return g;
        };
        for (const auto& t : f.tensors()) {
            if (t.name.find(".attn_norm.weight") == std::string::npos) continue;
            const std::string blk = t.name.substr(0, t.name.find("attn_norm"));
            for (const char* n : {"attn_q", "attn_k"}) {
                const uint64_t rows = f.tensor(blk + n + ".weight")->dims[1];
                w.add_f32(blk + n + "_norm.weight", {rows}, gains(rows));
            }
            for (const char* n : {"post_attention_norm", "post_ffw_norm"})
                w.add_f32(blk + n + ".weight", {t.dims[0]}, gains(t.dims[0]));
        }
    } else if (kind == "qwen3" || kind == "gemma2" || kind == "gemma3") {
        // Per-head RMSNorm of queries and keys (Qwen3, Gemma 3); Gemma 2/3's norms after
        // attention and feed-forward; Gemma's windows (16 keys, shorter than the prompt), Gemma
        // 2's softcaps (small, so that tanh bends) and Gemma 3's global RoPE base.
        std::mt19937 rng(4);
        std::uniform_real_distribution<float> u(0.5f, 2.f);
        auto gains = [&](size_t n) {
            std::vector<float> g(n);
            for (float& x : g) x = u(rng);
            return g;
        };
        const uint64_t d = uint64_t(f.require_int("llama.embedding_length"));
        for (const auto& t : f.tensors()) {
            if (t.name.find(".attn_norm.weight") == std::string::npos) continue;
            const std::string blk = t.name.substr(0, t.name.find("attn_norm"));
            if (kind != "gemma2")
                for (const char* n : {"attn_q_norm", "attn_k_norm"})
                    w.add_f32(blk + n + ".weight", {uint64_t(2 * pairs)}, gains(size_t(2 * pairs)));
            if (kind != "qwen3")
                for (const char* n : {"post_attention_norm", "post_ffw_norm"})
                    w.add_f32(blk + n + ".weight", {d}, gains(size_t(d)));
        }
        if (kind != "qwen3") w.set(kind + ".attention.sliding_window", GgufValue::u32(16));
        if (kind == "gemma3") w.set("gemma3.rope.freq_base", GgufValue::f32(100000.f));
        if (kind == "gemma2") {
            w.set("gemma2.attn_logit_softcapping", GgufValue::f32(8.f));
            w.set("gemma2.final_logit_softcapping", GgufValue::f32(6.f));
        }
    } else if (kind == "qwen2") {
        std::mt19937 rng(3);
        std::normal_distribution<float> normal(0.f, 0.5f);
        for (const auto& t : f.tensors())
            for (const char* proj : {"attn_q", "attn_k", "attn_v"})
                if (t.name.find(std::string(".") + proj + ".weight") != std::string::npos) {
                    std::vector<float> b(size_t(t.dims[1]));
                    for (float& x : b) x = normal(rng);
                    w.add_f32(t.name.substr(0, t.name.size() - 6) + "bias", {t.dims[1]}, b);
                }
    }
    const char* tmp = std::getenv("TMPDIR");
    const std::string out =
        std::string(tmp && *tmp ? tmp : "/tmp") + "/nqkv-policy-" + kind + ".gguf";
    w.write(out);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string json_out;
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--json")) json_out = argv[i + 1];
    const CudaProbe probe = probe_cuda();
    if (probe.devices.empty()) {
        std::printf("SKIP: no usable CUDA device: %s\n", probe.message.c_str());
        return 77;
    }
    auto cpu = make_cpu_backend();
    auto gpu = create_backend("cuda");
    std::printf("device: %s\n", gpu->description().c_str());
    const std::string shared = dir_from("NQKV_SHARED_DIR", NQKV_SHARED_DIR) + "/models/";
    const std::string bundled = dir_from("NQKV_RESOURCES_DIR", NQKV_RESOURCES_DIR) + "/models/";

    for (const auto& f : formats()) {
        run("append " + f, [&](bool& ok) { return check_append(f, ok); });
        run("attention " + f, [&](bool& ok) { return check_attention(f, ok); });
    }
    std::vector<std::string> models;
    for (const char* f : {"stories260K.gguf", "llama-synth-256.F16.gguf",
                          "llama-synth-256.Q8_0.gguf", "llama-synth-256.Q4_K_M.gguf"}) {
        if (exists(shared + f))
            models.push_back(shared + f);
        else
            std::printf("SKIP logits %s: not in %s\n", f, shared.c_str());
    }
    models.push_back(bundled + "policy.gguf");
    models.push_back(bundled + "prm.gguf");
    for (const char* kind : {"rope-freqs", "yarn", "qwen2", "qwen3", "phi3", "gemma2", "gemma3",
                             "granite", "smollm3", "olmo2"})
        models.push_back(policy_variant(bundled + "policy.gguf", kind));
    for (const auto& m : models)
        for (const char* kv : {"fp16", "nq4"})
            run("logits " + m.substr(m.rfind('/') + 1) + " " + kv,
                [&](bool& ok) { return check_logits(*cpu, *gpu, m, kv, ok); });
    std::vector<std::string> greedy{bundled + "policy.gguf"};
    if (exists(shared + "stories260K.gguf"))
        greedy.insert(greedy.begin(), shared + "stories260K.gguf");
    for (const auto& m : greedy)
        for (const char* kv : {"fp16", "nq4"})
            run("greedy " + m.substr(m.rfind('/') + 1) + " " + kv,
                [&](bool& ok) { return check_greedy(*cpu, *gpu, m, kv, ok); });
    run("inspection",
        [&](bool& ok) { return check_inspection(*cpu, *gpu, bundled + "policy.gguf", ok); });
    run("out of memory", [&](bool& ok) { return check_oom(*gpu, bundled + "policy.gguf", ok); });

    int failed = 0;
    for (const auto& r : results) failed += !r.pass;
    std::printf("%zu checks, %d failed\n", results.size(), failed);
    if (!json_out.empty()) {
        JsonWriter w;
        w.begin_object().field("device", gpu->description()).key("checks").begin_array();
        for (const auto& r : results)
            w.begin_object()
                .field("name", r.name)
                .field("pass", r.pass)
                .field("detail", r.detail)
                .end_object();
        w.end_array().end_object();
        std::ofstream(json_out) << w.str() << "\n";
    }
    return failed ? 1 : 0;
}
