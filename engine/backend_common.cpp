// What every backend does the same way: sizing the context and checking and batching evals.
#include <algorithm>

#include "engine/backend.h"
#include "engine/cpu_ssm_state.h"
#include "engine/error.h"
#include "engine/kv_config.h"
#include "engine/llama_model.h"

namespace nqkv {

int truncate_to(InferenceContext& ctx, int n, const int* ids) {
    const int kept = ctx.keepable(n);
    ctx.truncate(kept);
    if (kept < n) ctx.eval(ids + kept, n - kept, nullptr);
    return n - kept;
}

std::string gpu_unsupported(const LlamaHParams& hp) {
    if (hp.n_ssm_layer())
        return std::string(hp.ssm_name()) + " layers (" + std::to_string(hp.n_ssm_layer()) +
               " of " + std::to_string(hp.n_layer) +
               ") run on the CPU backend only for now; use --backend cpu";
    if (hp.n_conv_layer())
        return "LFM2's short-convolution layers (" + std::to_string(hp.n_conv_layer()) + " of " +
               std::to_string(hp.n_layer) +
               ") run on the CPU backend only for now; use --backend cpu";
    if (hp.attn_output_gate)
        return "Qwen3.5's gated attention runs on the CPU backend only for now; use --backend cpu";
    if (!hp.linear_attn_layers.empty())
        return "Llama-Nemotron's layers (heads and widths per layer, layers without attention or "
               "with one projection instead) run on the CPU backend only for now; use --backend "
               "cpu";
    if (hp.n_altup)
        return "Gemma 3n's layers (AltUp streams, LAuReL, sparse feed-forward gates) run on the "
               "CPU backend only for now; use --backend cpu";
    if (!hp.uniform_heads() || hp.n_kv_shared || hp.v_norm_plain)
        return "Gemma 4's attention (head sizes per layer, shared KV layers, normed values) runs "
               "on the CPU backend only for now; use --backend cpu";
    if (hp.layer_norm || hp.parallel_ffn)
        return "Cohere's layers (LayerNorm, attention beside the feed-forward) run on the CPU "
               "backend only for now; use --backend cpu";
    if (hp.qk_norm_after_rope)
        return "Hunyuan's query and key norms after RoPE run on the CPU backend only for now; use "
               "--backend cpu";
    if (hp.swa_chunked || hp.expert_weight_first)
        return "Llama 4's layers (chunked attention, experts weighed before they run) run on the "
               "CPU backend only for now; use --backend cpu";
    if (hp.mla())
        return "DeepSeek's multi-head latent attention runs on the CPU backend only for now; use "
               "--backend cpu";
    if (hp.ffn_relu2)
        return "Arcee's feed-forward (ReLU squared, no gate) runs on the CPU backend only for now; "
               "use --backend cpu";
    if (!hp.xielu.empty())
        return "Apertus's feed-forward (xIELU, no gate) runs on the CPU backend only for now; use "
               "--backend cpu";
    if (hp.n_expert == 0) return {};
    return "mixture-of-experts models (" + std::to_string(hp.n_expert) +
           " experts) run on the CPU backend only for now; use --backend cpu";
}

int kv_ring(const LlamaHParams& hp, int n_batch) {
    return hp.windowed_layers() > 0 ? hp.swa_window + std::max(1, n_batch) : 0;
}

int conv_ring(const LlamaHParams& hp, int n_ctx) {
    // Enough for a rethought step or a regenerated reply; each position costs n_embd floats
    // per convolution layer, about three times what an fp16 KV cache costs LFM2 per token.
    constexpr int kConvHistory = 512;
    return hp.n_conv_layer() ? std::min(n_ctx, kConvHistory) : 0;
}

size_t recurrent_state_bytes(const LlamaHParams& hp, int n_ctx) {
    return (size_t(hp.n_conv_layer()) * size_t(conv_ring(hp, n_ctx)) * size_t(hp.n_embd) +
            ssm_state_floats(hp) * size_t(1 + ssm_snapshots(hp))) *
           sizeof(float);
}

KvTokenBytes kv_token_bytes(const KvConfig& c, const LlamaHParams& hp, bool rings) {
    const KvShape s = kv_shape(hp, 1, 0);
    const int b = effective_block(c.block, s.common_row());
    KvTokenBytes t;
    for (int l = 0, i = 0; l < hp.n_layer; ++l) {
        if (!hp.owns_kv(l)) continue;
        const size_t n = side_bytes_per_token_layer(c.k, s.row(i), b) +
                         side_bytes_per_token_layer(c.v, s.v_row(i), b);
        ++i;
        (rings && hp.windowed(l) ? t.ringed : t.open) += n;
    }
    return t;
}

KvShape kv_shape(const LlamaHParams& hp, int n_ctx, int ring) {
    KvShape s{hp.n_kv_layer(), n_ctx, hp.n_head_kv, hp.head_dim};
    s.values_in_keys = hp.mla_rank;
    if (!hp.uniform_heads())
        for (int l = 0; l < hp.n_layer; ++l)
            if (hp.owns_kv(l)) {
                s.layer_heads.push_back(hp.heads_kv(l));
                s.layer_dims.push_back(hp.head_size(l));
            }
    if (ring > 0 && ring < n_ctx) {
        s.window = hp.swa_window;
        s.ring = ring;
        for (int l = 0; l < hp.n_layer; ++l)
            if (hp.owns_kv(l)) s.windowed.push_back(hp.windowed(l));
    }
    return s;
}

int context_size(const ContextParams& p, const LlamaHParams& hp, bool rings) {
    if (p.n_ctx < 0) fail("context size ", p.n_ctx, " must be positive");
    int n = p.n_ctx > 0 ? p.n_ctx : std::min(hp.n_ctx_train, 4096);
    if (p.kv_budget > 0) {
        const KvTokenBytes b = kv_token_bytes(p.kv, hp, rings);
        const size_t per_token = b.total();
        const size_t fit =
            kv_tokens_in_budget(p.kv_budget, b.open, b.ringed, rings ? kv_ring(hp, p.n_batch) : 0,
                                size_t(hp.n_ctx_train));
        if (fit < 2)
            fail("KV memory budget: ", p.kv_budget, " bytes holds ", fit, " tokens of ",
                 p.kv.name(), " cache (", per_token, " bytes each); raise it");
        n = p.n_ctx > 0 ? int(std::min<size_t>(fit, size_t(p.n_ctx)))
                        : int(std::min<size_t>(fit, size_t(hp.n_ctx_train)));
    }
    return n;
}

void check_eval(const int* tokens, int n, int n_past, int n_ctx, int n_vocab) {
    if (n <= 0) fail("eval: no tokens given");
    if (n_past + n > n_ctx)
        fail("context full: ", n_past, " tokens held + ", n, " new = ", n_past + n,
             " exceeds the context of ", n_ctx,
             " (prompts are never truncated; shorten the input or raise the context size)");
    for (int i = 0; i < n; ++i)
        if (tokens[i] < 0 || tokens[i] >= n_vocab)
            fail("token id ", tokens[i], " is outside the vocabulary of ", n_vocab);
}

void eval_in_batches(const int* tokens, int n, float* logits, bool all_logits, int n_past,
                     int n_ctx, int n_vocab, int n_batch,
                     const std::function<void(const int*, int, float*)>& forward) {
    check_eval(tokens, n, n_past, n_ctx, n_vocab);
    for (int done = 0; done < n; done += n_batch) {
        const int m = std::min(n_batch, n - done);
        const bool last = done + m == n;
        float* out =
            all_logits ? logits + size_t(done) * size_t(n_vocab) : (last ? logits : nullptr);
        forward(tokens + done, m, out);
    }
}

}  // namespace nqkv
