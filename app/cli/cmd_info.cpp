#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/kv_list.h"
#include "app/common/bundled_models.h"
#include "engine/activation_quant.h"
#include "engine/backend_registry.h"
#include "engine/chat_template.h"
#include "engine/cpu_kernels.h"
#include "engine/cpu_ssm_state.h"
#include "engine/json_writer.h"
#include "engine/llama_model.h"
#include "engine/thread_pool.h"

namespace nqkv::cli {
namespace {

// Scratch the CPU forward pass keeps per context for a batch of `batch` tokens, and what its
// recurrent layers keep (LFM2's convolution inputs, a Mamba-2 state and its snapshots).
double compute_buffer_bytes(const LlamaHParams& hp, int batch, int n_ctx, int threads) {
    // Gemma 3n keeps its streams and their predictions besides.
    const double per_token =
        4.0 * ((4.0 + 2.0 * hp.n_altup) * hp.n_embd + 2.0 * hp.kv_dim() + 2.0 * hp.n_ff + hp.n_rot);
    // Each thread's attention scores: four queries' (a prompt's four tokens at a time).
    return per_token * batch + 4.0 * 4 * n_ctx * threads + 4.0 * hp.n_vocab +
           double(recurrent_state_bytes(hp, n_ctx));
}

// The weights' size over their count, as llama.cpp's BPW: what a file's mix of formats costs
// (norms and other F32 vectors included).
double bits_per_weight(const LlamaModel& m) {
    return m.n_params() ? 8.0 * double(m.weight_bytes()) / double(m.n_params()) : 0.0;
}

// Llama-Nemotron's kinds of layer, and its narrowest feed-forward.
struct LayerKinds {
    int attention = 0, linear = 0, ffn_alone = 0, empty = 0, no_ffn = 0, min_ff = 0;
};
LayerKinds layer_kinds(const LlamaHParams& hp) {
    LayerKinds k;
    k.min_ff = hp.n_ff;
    for (int l = 0; l < hp.n_layer; ++l) {
        k.attention += hp.attention(l);
        k.linear += hp.linear_attn(l);
        k.ffn_alone += hp.ffn_only(l) && hp.has_ffn(l);
        k.empty += hp.ffn_only(l) && !hp.has_ffn(l);
        k.no_ffn += !hp.has_ffn(l);
        if (hp.has_ffn(l)) k.min_ff = std::min(k.min_ff, hp.ffn_width(l));
    }
    return k;
}

int sparse_ffn_layers(const LlamaHParams& hp) {
    int n = 0;
    for (int l = 0; l < hp.n_layer; ++l) n += hp.sparse_ffn(l);
    return n;
}

std::string fixed2(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", x);
    return b;
}

}  // namespace

int cmd_info(int argc, char** argv) {
    Args a("nqkv info", "nqkv info [-m MODEL | --mmproj FILE] [--tensors] [--metadata] [--json]",
           "Describes a model: architecture, sizes, tensor types, vocabulary, context and the\n"
           "memory it needs; also lists the compute backends this machine has.");
    a.option("-m,--model", "MODEL", "GGUF model file (default: the bundled policy)");
    a.option("--kv", "LIST", "with --kv-mem: KV configurations to size, e.g. fp16,nq8,nq4,nq2");
    a.option("--kv-mem", "SIZE",
             "print the context each --kv configuration fits in SIZE (e.g. 1G)");
    a.option("--ctx", "N",
             "context size to size the KV cache for (default: the model's, at most 4096)");
    a.flag("--tensors", "list every tensor");
    a.flag("--metadata", "list every metadata key");
    a.option("--mmproj", "FILE", "describe this vision projector (mmproj GGUF) instead");
    a.flag("--json", "print JSON");
    if (!a.parse(argc, argv)) return 0;
    if (const auto mmproj = a.get("--mmproj")) return print_vision_info(*mmproj, a.has("--json"));

    auto model =
        LlamaModel::load(app::model_or_bundled(a.get("--model"), "policy.gguf", "--model"));
    const auto& hp = model->hparams();
    const int windowed = hp.windowed_layers();
    int unroped = 0;
    for (int l = 0; l < hp.n_layer; ++l) unroped += hp.attention(l) && !hp.roped(l);
    const auto& f = model->file();
    const int n_ctx = a.get_int("--ctx", std::min(hp.n_ctx_train, 4096), 1, 1 << 22);
    std::map<std::string, int> types;
    // How the CPU multiplies each matrix type: the activations' rounding (F32: exact floats).
    std::map<std::string, std::string> cpu_acts;
    for (const auto& t : f.tensors()) {
        types[type_name(t.type)]++;
        if (t.dims.size() >= 2) cpu_acts[type_name(t.type)] = type_name(activation_type(t.type));
    }
    const LayerKinds kinds = layer_kinds(hp);
    const int kv_layers = hp.n_kv_layer();  // LFM2's convolution layers keep no K and V
    // On the CPU, sliding-window layers keep a ring of window + batch positions, not n_ctx.
    const int ring = kv_ring(hp, 512);
    const KvShape shape = kv_shape(hp, n_ctx, ring);
    const double kv_token_f16 = 2.0 * double(shape.values_per_token() + shape.v_values_per_token());
    double kv_f16 = 0;
    for (int l = 0; l < kv_layers; ++l)
        kv_f16 += 2.0 * shape.capacity(l) * (shape.row(l) + shape.v_row(l));
    const double compute = compute_buffer_bytes(hp, 512, n_ctx, physical_core_count());
    const CudaProbe cuda = probe_cuda();
    const DetectedChatFormat detected = detect_chat_format(f.get_string("tokenizer.chat_template"));
    const ChatFormat chat = detected.format;
    const std::string prefix =
        shown_reply_prefix(f.get_string("nqkv.chat.reply_prefix").value_or(""));

    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("file", f.path())
            .field("name", model->name())
            .field("architecture", model->architecture())
            .field("gguf_version", int64_t(f.version()))
            .field("parameters", uint64_t(model->n_params()))
            .field("weight_bytes", uint64_t(model->weight_bytes()))
            .field("bits_per_weight", bits_per_weight(*model))
            .field("n_vocab", hp.n_vocab)
            .field("n_ctx_train", hp.n_ctx_train)
            .field("n_embd", hp.n_embd)
            .field("n_layer", hp.n_layer)
            .field("conv_layers", hp.n_conv_layer())
            .field("ssm_layers", hp.n_ssm_layer())
            .field("ssm_kind", hp.has_ssm() ? hp.ssm_name() : "")
            .field("ssm_beside_attention", hp.ssm_beside_attention)
            .field("layer_norm", hp.layer_norm)
            .field("ffn_beside_attention", hp.parallel_ffn)
            .field("ffn_relu2", hp.ffn_relu2)
            .field("ffn_xielu", !hp.xielu.empty())
            .field("gated_attention", hp.attn_output_gate)
            .field("head_dim_swa", hp.head_dim_swa)
            .field("kv_shared_layers", hp.n_kv_shared)
            .field("embd_per_layer", hp.n_embd_per_layer)
            .field("altup_streams", hp.n_altup)
            .field("laurel_rank", hp.n_altup ? model->layers()[0].laurel_l.rows : 0)
            .field("sparse_ffn_layers", sparse_ffn_layers(hp))
            .field("linear_attn_layers", kinds.linear)
            .field("attention_free_layers", kinds.ffn_alone + kinds.empty)
            .field("ffn_free_layers", kinds.no_ffn)
            .field("router_on_layer_input", hp.router_on_input)
            .field("kv_lora_rank", hp.mla_rank)
            .field("q_lora_rank", hp.q_lora_rank)
            .field("head_dim_mla", hp.mla() ? hp.mla_nope + hp.n_rot : 0)
            .field("value_dim_mla", hp.mla_v_dim)
            .field("mla_kv_b_split", hp.mla_kv_b)
            .field("n_ff_shared", hp.n_ff_shared)
            .field("expert_groups", hp.n_expert_groups)
            .field("expert_groups_used", hp.n_group_used)
            .field("n_head", hp.n_head)
            .field("n_head_kv", hp.n_head_kv)
            .field("head_dim", hp.head_dim)
            .field("n_ff", hp.n_ff)
            .field("n_rot", hp.n_rot)
            .field("rope_base", double(hp.rope_base))
            .field("rope_scale", double(hp.rope_scale))
            .field("rope_neox", hp.rope_neox)
            .field("rope_freq_factors", !hp.rope_freq_factors.empty())
            .field("rope_yarn_factor", double(hp.rope_yarn_factor))
            .field("n_expert", hp.n_expert)
            .field("n_expert_used", hp.n_expert_used)
            .field("sliding_window", hp.swa_window)
            .field("windowed_layers", windowed)
            .field("rope_base_swa", double(hp.rope_base_swa))
            .field("chunked_attention", hp.swa_chunked)
            .field("moe_layer_step", hp.moe_step)
            .field("experts_weighed_first", hp.expert_weight_first)
            .field("attn_softcap", double(hp.attn_softcap))
            .field("final_softcap", double(hp.final_softcap))
            .field("embd_scale", double(hp.embd_scale))
            .field("residual_scale", double(hp.residual_scale))
            .field("logit_scale", double(hp.logit_scale))
            .field("layers_without_rope", unroped)
            .field("tokenizer", model->tokenizer().kind())
            .field("chat_format", chat_format_name(chat))
            .field("thinking_prompt", thinking_prompt_name(detected.thinking))
            .field("default_system", detected.default_system)
            .field("reply_prefix", prefix)
            .field("rms_eps", double(hp.rms_eps))
            .field("tied_output", model->tied_output())
            .field("kv_bytes_per_token_f16", kv_token_f16)
            .field("kv_bytes_f16", kv_f16)
            .field("kv_ring", shape.ring)
            .field("n_ctx", n_ctx)
            .field("compute_buffer_bytes", compute);
        w.key("tensor_types").begin_object();
        for (const auto& [k, v] : types) w.field(k, v);
        w.end_object();
        w.key("cpu_activations").begin_object();
        for (const auto& [k, v] : cpu_acts) w.field(k, v);
        w.end_object();
        w.key("backends").begin_array().value(std::string("cpu"));
        for (size_t i = 0; i < cuda.devices.size(); ++i) w.value("cuda:" + cuda.devices[i].name);
        w.end_array();
        if (a.has("--tensors")) {
            w.key("tensors").begin_array();
            for (const auto& t : f.tensors())
                w.begin_object()
                    .field("name", t.name)
                    .field("type", type_name(t.type))
                    .field("shape", t.shape_string())
                    .field("bytes", uint64_t(t.n_bytes))
                    .end_object();
            w.end_array();
        }
        if (a.has("--metadata")) {
            w.key("metadata").begin_object();
            for (const auto& [k, v] : f.metadata()) w.field(k, v.to_display());
            w.end_object();
        }
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }

    std::printf("file          %s (GGUF v%u, %s)\n", f.path().c_str(), f.version(),
                human_bytes(double(f.file_size())).c_str());
    std::printf("name          %s\n", model->name().c_str());
    std::printf("architecture  %s\n", model->architecture().c_str());
    std::printf("parameters    %.3f M, %.2f bits per weight\n", double(model->n_params()) / 1e6,
                bits_per_weight(*model));
    std::printf("layers        %d, embedding %d, feed-forward %d%s\n", hp.n_layer, hp.n_embd,
                hp.n_ff,
                hp.ffn_relu2        ? " (ReLU squared, no gate; CPU only)"
                : !hp.xielu.empty() ? " (xIELU, no gate; CPU only)"
                                    : "");
    if (hp.n_conv_layer())
        std::printf(
            "convolution   %d of %d layers mix with a %d-tap short convolution instead of "
            "attention (no KV; CPU only)\n",
            hp.n_conv_layer(), hp.n_layer, hp.conv_kernel);
    if (hp.ssm_beside_attention)
        std::printf(
            "mamba-2       every layer runs a state-space mixer beside its attention on the same "
            "input, the two outputs summed (%d heads, state %d, %d groups, %d-tap convolution; "
            "CPU only)\n",
            hp.ssm_heads, hp.ssm_state, hp.ssm_groups, hp.conv_kernel);
    else if (hp.n_ssm_layer() && hp.mamba2())
        std::printf(
            "mamba-2       %d of %d layers are state-space mixers instead of attention (%d heads, "
            "state %d, %d groups, %d-tap convolution; no KV; CPU only)\n",
            hp.n_ssm_layer(), hp.n_layer, hp.ssm_heads, hp.ssm_state, hp.ssm_groups,
            hp.conv_kernel);
    if (hp.n_ssm_layer() && hp.delta_net)
        std::printf(
            "delta net     %d of %d layers are gated delta nets instead of attention (%d value "
            "heads on %d key heads %s, state %d x %d each, %d-tap convolution; no KV; CPU only)\n",
            hp.n_ssm_layer(), hp.n_layer, hp.ssm_heads, hp.ssm_groups,
            hp.delta_net_grouped ? "in groups" : "in turn", hp.ssm_state, hp.ssm_state,
            hp.conv_kernel);
    if (hp.parallel_ffn)
        std::printf(
            "blocks        attention and the feed-forward side by side on one %s of the input, "
            "both added to it (CPU only)\n",
            hp.layer_norm ? "LayerNorm" : "RMSNorm");
    if (hp.attn_output_gate)
        std::printf("gated heads   each attention head's output times the sigmoid of its gates\n");
    if (!hp.linear_attn_layers.empty()) {                // Llama-Nemotron: every layer its own
        std::map<int, int, std::greater<>> layers_with;  // KV head count -> layers
        for (int l = 0; l < hp.n_layer; ++l)
            if (hp.attention(l)) ++layers_with[hp.heads_kv(l)];
        std::string kv;
        for (const auto& [heads, n] : layers_with) {
            if (!kv.empty()) kv += ", ";
            kv += std::to_string(heads) + " in " + std::to_string(n);
        }
        std::printf(
            "blocks        %d with attention (KV heads per layer: %s), %d with one projection "
            "instead, %d a feed-forward alone, %d without either (Llama-Nemotron; CPU only)\n",
            kinds.attention, kv.c_str(), kinds.linear, kinds.ffn_alone, kinds.empty);
        std::printf("feed-forward  widths %d to %d per layer; layers without one: %d\n",
                    kinds.min_ff, hp.n_ff, kinds.no_ffn);
    } else if (const auto alone =
                   std::count(hp.ffn_only_layers.begin(), hp.ffn_only_layers.end(), 1)) {
        std::printf(
            "blocks        %d are a feed-forward alone (ReLU squared, no gate), %d a "
            "mixer alone (Nemotron-H)\n",
            int(alone), hp.n_layer - int(alone));
    }
    char yarn[48];
    std::snprintf(yarn, sizeof yarn, ", YaRN with factor %g", double(hp.rope_yarn_factor));
    std::string rope_note = hp.rope_yarn_factor > 0        ? yarn
                            : hp.rope_freq_factors.empty() ? ""
                                                           : ", frequency factors";
    if (!hp.rope_sections.empty()) {
        rope_note.assign(hp.rope_interleaved ? ", interleaved M-RoPE sections"
                                             : ", M-RoPE sections");
        for (int s : hp.rope_sections) rope_note.append(" ").append(std::to_string(s));
        rope_note.append(" (text: the fourth's pairs do not turn)");
    }
    int full = 0;  // a layer with the model's own heads (Gemma 4's windowed ones differ)
    while (full + 1 < hp.n_layer && (!hp.attention(full) || hp.windowed(full))) ++full;
    std::printf(
        "heads         %d query, %d KV (head size %d, RoPE on %d dims, base %g, scale %g%s)\n",
        hp.n_head, hp.uniform_heads() ? hp.n_head_kv : hp.heads_kv(full), hp.head_dim, hp.n_rot,
        double(hp.rope_base), double(hp.rope_scale), rope_note.c_str());
    if (hp.qk_norm_after_rope)
        std::printf("              query and key norms after RoPE (CPU only)\n");
    if (hp.qk_plain_norm_roped)
        std::printf(
            "              queries and keys RMS-normed without weights after RoPE, where "
            "there is RoPE\n");
    if (!hp.uniform_heads()) {  // Gemma 4: the windowed layers' heads differ
        int l = 0;
        while (l < hp.n_layer && !hp.windowed(l)) ++l;
        if (l < hp.n_layer)
            std::printf("              windowed layers: %d KV (head size %d, RoPE on %d dims)\n",
                        hp.heads_kv(l), hp.head_size(l), hp.rot_dims(l));
    }
    if (hp.mla())
        std::printf(
            "latent KV     one latent of %d and %d rotated key dims per token and layer, the "
            "values its latent\n              (multi-head latent attention: each head's query %d, "
            "value %d%s; CPU only)\n%s",
            hp.mla_rank, hp.n_rot, hp.mla_nope + hp.n_rot, hp.mla_v_dim,
            hp.q_lora_rank
                ? (", queries through a rank of " + std::to_string(hp.q_lora_rank)).c_str()
                : "",
            hp.mla_kv_b ? "              (an older layout: each layer's attn_kv_b split into "
                          "attn_k_b and attn_v_b as the model loaded)\n"
                        : "");
    if (hp.n_kv_shared == 1)
        std::printf("shared KV     the last layer reads an earlier layer's keys and values\n");
    if (hp.n_kv_shared > 1)
        std::printf("shared KV     the last %d layers read earlier layers' keys and values\n",
                    hp.n_kv_shared);
    if (hp.n_embd_per_layer > 0)
        std::printf("per-layer     inputs of %d per token and layer\n", hp.n_embd_per_layer);
    if (hp.n_altup > 0)
        std::printf(
            "AltUp         %d streams, LAuReL of rank %lld, sparse gates in %d of %d layers "
            "(CPU only)\n",
            hp.n_altup, static_cast<long long>(model->layers()[0].laurel_l.rows),
            sparse_ffn_layers(hp), hp.n_layer);
    if (hp.n_expert > 0)
        std::printf(
            "experts       %d, %d used per token, each a feed-forward of %d%s%s%s%s%s (CPU only)\n",
            hp.n_expert, hp.n_expert_used, hp.n_ff,
            hp.n_ff_shared ? (", a shared one of " + std::to_string(hp.n_ff_shared)).c_str() : "",
            hp.n_expert_groups > 1 ? (", from the best " + std::to_string(hp.n_group_used) +
                                      " of " + std::to_string(hp.n_expert_groups) + " groups")
                                         .c_str()
                                   : "",
            hp.moe_step > 1
                ? ((hp.moe_step == 2 ? std::string(", in every other layer")
                                     : ", in one layer of " + std::to_string(hp.moe_step)) +
                   " (the others dense, " + std::to_string(hp.n_ff_dense) + ")")
                      .c_str()
                : "",
            hp.expert_weight_first ? ", each reading its input times its weight" : "",
            hp.router_on_input ? ", ReLU gates, routed on each layer's input" : "");
    if (windowed > 0 && hp.swa_chunked)
        std::printf("attention     %d of %d layers attend within chunks of %d tokens\n", windowed,
                    hp.n_layer, hp.swa_window);
    else if (windowed > 0)
        std::printf("attention     %d of %d layers see only the latest %d tokens%s\n", windowed,
                    hp.n_layer, hp.swa_window,
                    hp.rope_base_swa > 0
                        ? (", rotated with base " + std::to_string(int64_t(hp.rope_base_swa)) +
                           (hp.rope_yarn_factor > 0 ? " without YaRN" : ""))
                              .c_str()
                        : "");
    if (hp.attn_softcap > 0 || hp.final_softcap > 0)
        std::printf("softcapping   attention scores %g, logits %g\n", double(hp.attn_softcap),
                    double(hp.final_softcap));
    if (hp.parallel_ffn && hp.logit_scale != 1.f)  // Cohere's file states the multiplier
        std::printf("multipliers   logits times %g\n", 1.0 / double(hp.logit_scale));
    else if (hp.residual_scale != 1.f || hp.logit_scale != 1.f)
        std::printf("multipliers   embeddings %g, block outputs %g, logits divided by %g\n",
                    double(hp.embd_scale), double(hp.residual_scale), double(hp.logit_scale));
    char warmed[96] = "";
    if (hp.attn_temp_unroped)
        std::snprintf(warmed, sizeof warmed,
                      " (their queries times 1 + %g ln(floor((p + %d) / %d) + 1))",
                      double(hp.attn_temp_scale), hp.attn_temp_offset, hp.attn_temp_floor);
    if (unroped > 0)
        std::printf("RoPE          not applied in %d of %d %slayers%s\n", unroped, hp.n_kv_layer(),
                    hp.n_recurrent_layer() ? "attention " : "", warmed);
    std::printf("vocabulary    %d tokens, %s (BOS %d, EOS %d, UNK %d%s)\n", hp.n_vocab,
                model->tokenizer().kind().c_str(), model->tokenizer().bos(),
                model->tokenizer().eos(), model->tokenizer().unk(),
                model->tokenizer().add_bos() ? ", BOS added" : "");
    std::printf("chat          %s format%s\n", chat_format_name(chat),
                prefix.empty() ? "" : (", replies begin with \"" + prefix + "\"").c_str());
    if (detected.thinking == ThinkingPrompt::Switch)
        std::printf(
            "reasoning     the template can ask for answers without it (chat --no-think)\n");
    else if (detected.thinking == ThinkingPrompt::Opened)
        std::printf(
            "reasoning     the template opens every reply with it (chat --no-think skips "
            "it)\n");
    if (const std::string& d = detected.default_system; !d.empty()) {
        std::string start = d.substr(0, d.find('\n')).substr(0, 60);
        if (start.size() < d.size()) start += "...";
        std::printf(
            "system        the template's default, %zu characters, when a chat has none "
            "(chat --no-default-system leaves it out): \"%s\"\n",
            d.size(), start.c_str());
    }
    std::printf("context       %d tokens trained\n", hp.n_ctx_train);
    std::printf("output        %s\n",
                model->tied_output() ? "tied to token_embd" : "separate output.weight");
    std::printf("tensor types ");
    for (const auto& [k, v] : types) std::printf(" %s x%d", k.c_str(), v);
    std::printf("\n");
    // Matrix types grouped by how the CPU multiplies them.
    std::map<std::string, std::string> by_act;
    for (const auto& [k, v] : cpu_acts) by_act[v] += (by_act[v].empty() ? "" : ", ") + k;
    std::string matmul;
    for (const auto& [act, names] : by_act)
        matmul +=
            (matmul.empty() ? "" : "; ") + names +
            (act == "F32" ? ": floats" : ": integer dot products, activations rounded to " + act);
    if (!matmul.empty())
        std::printf(
            "cpu matmul    %s%s\n", matmul.c_str(),
            by_act.size() > by_act.count("F32") ? " (as llama.cpp; --float-acts: floats)" : "");
    std::printf("memory        weights %s (mmapped, stay in their file type)\n",
                human_bytes(double(model->weight_bytes())).c_str());
    std::printf("              KV cache f16 %s per token, %s for %d tokens (f32: twice that)\n",
                human_bytes(kv_token_f16).c_str(), human_bytes(kv_f16).c_str(), n_ctx);
    if (shape.ring > 0)
        std::printf("              (on the CPU the %d windowed layers keep only the latest %d)\n",
                    windowed, shape.ring);
    std::printf("              compute buffers about %s%s\n", human_bytes(compute).c_str(),
                hp.n_conv_layer() ? (" (convolution inputs of the latest " +
                                     std::to_string(conv_ring(hp, n_ctx)) + " tokens included)")
                                        .c_str()
                : hp.n_ssm_layer() ? (std::string(" (the ") + hp.ssm_name() + " state and " +
                                      std::to_string(ssm_snapshots(hp)) +
                                      " snapshots of it "
                                      "included)")
                                         .c_str()
                                   : "");
    std::printf("              total about %s\n",
                human_bytes(double(model->weight_bytes()) + kv_f16 + compute).c_str());
    std::printf("backends      cpu: %s, %d physical cores\n", cpu_kernels().isa,
                physical_core_count());
    if (cuda.devices.empty()) {
        std::printf("              cuda: unavailable (%s)\n", cuda.message.c_str());
    } else {
        for (const auto& d : cuda.devices)
            std::printf("              cuda: %s, sm_%d%d, %s free of %s\n", d.name.c_str(),
                        d.cc_major, d.cc_minor, human_bytes(double(d.free_bytes)).c_str(),
                        human_bytes(double(d.total_bytes)).c_str());
    }
    if (auto mem = a.get("--kv-mem")) {
        const size_t budget = parse_byte_size(*mem, "--kv-mem");
        std::printf("\n| KV | bits/value (K, V) | bytes/token | context in %s | vs fp16 |\n",
                    mem->c_str());
        std::printf("|---|---|---:|---:|---:|\n");
        const size_t fp16 = kv_token_bytes(KvConfig{}, hp, false).total();
        const double values = double(shape.values_per_token());
        for (const KvConfig& c :
             parse_kv_list(a.get("--kv").value_or("fp16,nq8,nq4,nq3,nq2"), std::nullopt, "--kv")) {
            const KvTokenBytes b = kv_token_bytes(c, hp, true);
            const size_t per = b.total();
            const int blk = effective_block(c.block, shape.common_row());
            double kb = 0, vb = 0;
            for (int l = 0; l < kv_layers; ++l) {
                kb += double(side_bytes_per_token_layer(c.k, shape.row(l), blk));
                vb += double(side_bytes_per_token_layer(c.v, shape.v_row(l), blk));
            }
            const double v_values = double(shape.v_values_per_token());
            const double bk = 8.0 * kb / values;
            // Under multi-head latent attention the values are part of the keys.
            const std::string bv = v_values > 0 ? fixed2(8.0 * vb / v_values) : std::string("in K");
            const size_t fit =
                kv_tokens_in_budget(budget, b.open, b.ringed, ring, size_t(hp.n_ctx_train));
            std::printf("| %s | %.2f, %s | %zu | %zu | %.2fx |\n", c.name().c_str(), bk, bv.c_str(),
                        per, fit, double(fp16) / double(per));
        }
    }
    if (a.has("--metadata"))
        for (const auto& [k, v] : f.metadata())
            std::printf("  %-40s %s\n", k.c_str(), v.to_display().c_str());
    if (a.has("--tensors"))
        for (const auto& t : f.tensors())
            std::printf("  %-28s %-5s %-18s %s\n", t.name.c_str(), type_name(t.type),
                        t.shape_string().c_str(), human_bytes(double(t.n_bytes)).c_str());
    return 0;
}

}  // namespace nqkv::cli
