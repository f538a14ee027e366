// The compute backend interface. A backend turns a loaded model into an InferenceContext
// that owns its KV cache and runs forward passes. CPU is built in; CUDA is a plugin module
// found at run time (see backend_registry.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/input_rows.h"
#include "engine/kv_cache.h"
#include "engine/kv_stats.h"

namespace nqkv {

class LlamaModel;

struct ContextParams {
    int n_ctx = 0;         // 0: the model's training context (at most 4096), or the budget's
    KvConfig kv;           // fp16 by default
    size_t kv_budget = 0;  // bytes; when set, the context is as many tokens as fit (capped by
                           // n_ctx if given, else by the training context)
    int n_threads = 0;     // 0: physical cores
    int n_batch = 512;     // prompt tokens per forward pass
    // CPU: multiply quantized weights with float activations (exact, slower) instead of rounding
    // the activations to 8-bit blocks for integer dot products, as llama.cpp does
    // (activation_quant.h).
    bool float_activations = false;
};

class InferenceContext {
  public:
    virtual ~InferenceContext() = default;

    // Runs `n` tokens at positions n_past() .. n_past()+n-1 and appends them to the cache.
    // logits receives n_vocab floats for the last token, or n * n_vocab when all_logits.
    // Throws Error (saying the policy: prompts are never truncated) when the context is full.
    virtual void eval(const int* tokens, int n, float* logits, bool all_logits = false) = 0;

    // Forgets everything from position n on (for regenerate and rollbacks).
    virtual void truncate(int n) = 0;
    // How much of the first n positions a truncate can keep exactly (at most n_past()): a cache
    // that keeps only a window in some layers may have overwritten what position n needs, and
    // then the text is read again from the start (0). Callers going back truncate to this.
    virtual int keepable(int n) const { return std::min(n, n_past()); }

    virtual int n_past() const = 0;
    virtual int n_ctx() const = 0;
    virtual int n_threads() const = 0;
    virtual const KvCache& kv_cache() const = 0;
    virtual KvStats kv_stats() const = 0;
    // Keeps the original K/V values of appended tokens for inspection, up to cap_bytes.
    virtual void set_kv_capture(bool on, size_t cap_bytes = size_t(64) << 20) = 0;
    // Appends n positions whose K and V rows, in every layer, are N(0,1) samples from `seed`,
    // without running the model: benchmarks of decoding at depth, where only the cache's size
    // and format matter, fill 32k tokens this way in a moment.
    virtual void fill_synthetic(int n, uint64_t seed) = 0;

    // Which positions read rows (a picture's) instead of their tokens' embeddings: each
    // attachment's rows->n positions from its position; the ids eval gets there are
    // placeholders. Replaces the attachments before; where they differ, the cache forgets from
    // there. keepable() never keeps part of an attachment, and an eval reads each attachment
    // whole, in one batch. Throws Error where the backend or the model cannot read rows, or
    // they do not fit.
    virtual void set_rows(const RowAttachments& rows) {
        if (!rows.empty()) fail("this backend cannot read pictures yet (the CPU backend can)");
    }
};

class Backend {
  public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual std::unique_ptr<InferenceContext> create_context(const LlamaModel& model,
                                                             const ContextParams& params) = 0;
};

std::unique_ptr<Backend> make_cpu_backend();

// Goes back to the first n positions, which hold ids[0, n): truncates, and reads again what a
// windowed cache could not keep (see keepable). Returns how many tokens were read again.
int truncate_to(InferenceContext& ctx, int n, const int* ids);

struct LlamaHParams;
// Why the GPU backend cannot run a model yet (mixture of experts, recurrent layers), or empty.
std::string gpu_unsupported(const LlamaHParams& hp);

// The ring a sliding-window layer keeps where a backend keeps only its window (the CPU): the
// window plus one batch, so that a batch never overwrites a position an earlier token of the
// same batch still attends to, and a rollback of up to a batch stays exact. 0 without windows.
int kv_ring(const LlamaHParams& hp, int n_batch);
// LFM2's convolution layers keep their inputs for this many latest positions (0 without such
// layers), so that a context can go back that far without reading its text again (keepable).
int conv_ring(const LlamaHParams& hp, int n_ctx);
// What the recurrent layers keep besides the KV cache: LFM2's inputs (n_embd floats per
// convolution layer and kept position), or the state-space layers' state (Mamba-2, gated delta
// nets) and its snapshots.
size_t recurrent_state_bytes(const LlamaHParams& hp, int n_ctx);
// Bytes one token takes in the cache (K and V): in the layers that keep every position, and in
// the windowed layers that keep a ring (0 unless `rings`; then counted with the first).
struct KvTokenBytes {
    size_t open = 0, ringed = 0;
    size_t total() const { return open + ringed; }
};
KvTokenBytes kv_token_bytes(const KvConfig& c, const LlamaHParams& hp, bool rings);
// The cache's shape for n_ctx tokens; ring 0 keeps every position in every layer.
KvShape kv_shape(const LlamaHParams& hp, int n_ctx, int ring);
// The context a ContextParams asks for (the training context capped at 4096, or what fits the
// budget, where windowed layers take at most kv_ring positions when `rings`). Throws Error
// when the budget holds fewer than two tokens. Shared by the backends.
int context_size(const ContextParams& p, const LlamaHParams& hp, bool rings = false);

// Checks an eval (tokens in the vocabulary, room in the context: Error otherwise) and runs it
// in batches of n_batch tokens; `forward` gets each batch and where its logits go (all rows
// with all_logits, else only the last batch's last row, nullptr for earlier batches).
void eval_in_batches(const int* tokens, int n, float* logits, bool all_logits, int n_past,
                     int n_ctx, int n_vocab, int n_batch,
                     const std::function<void(const int*, int, float*)>& forward);
// The checks eval_in_batches makes first: some tokens, room for them, ids in the vocabulary.
void check_eval(const int* tokens, int n, int n_past, int n_ctx, int n_vocab);

}  // namespace nqkv
