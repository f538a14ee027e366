// Options that `nqkv generate` and `nqkv chat` share: how to sample, and the context to run in.
#pragma once

#include "app/cli/args.h"
#include "engine/backend.h"
#include "engine/chat_session.h"
#include "engine/kv_stats.h"
#include "engine/sampler.h"

namespace nqkv::cli {

// --temp, --top-k, --top-p, --min-p, --repeat-penalty, --repeat-last-n, --seed.
void add_sampling_options(Args& a);
SamplingParams read_sampling(const Args& a);

// --threads, --ctx, --kv, --kv-mem, --backend (the last read with create_backend),
// --float-acts.
void add_context_options(Args& a);
// --float-acts alone (ContextParams::float_activations), for commands with their own options.
void add_float_acts_flag(Args& a);
ContextParams read_context_params(const Args& a);

// --chat FORMAT onto the session (an unknown name is an Error naming the formats); without it,
// the warning on stderr when the model's template was not recognised.
void apply_chat_option(const Args& a, ChatSession& chat);

// One line on stderr: "[KV nq4] bytes/token (compression vs fp16), tokens held / allocated,
// bytes held" and the budget when there is one.
void print_kv_summary(const KvStats& s, const KvConfig& kv);

}  // namespace nqkv::cli
