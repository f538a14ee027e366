// Checks the model suites share: a model's CPU logits, read at once and token by token, against
// the naive float64 forward pass, and windowed layers kept in rings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/chat_template.h"
#include "engine/generator.h"
#include "engine/llama_model.h"

namespace nqkv::test {

extern const char* const kPrompt;  // "Tom bought 12 apples. Then there were"

std::unique_ptr<InferenceContext> cpu_context(const LlamaModel& m, int threads = 2,
                                              const std::string& kv = "f32", int n_ctx = 128,
                                              bool float_acts = false);
GenerateParams greedy(int n);

// Every position's logits in a fresh context.
std::vector<float> all_logits(const LlamaModel& m, const std::vector<int>& ids, int threads = 2,
                              int n_ctx = 128, bool float_acts = false);

// Every position's logits for ids into `out`, read at once in a fresh 2-thread context of
// n_ctx with the KV format `kv`, keeping the cache's originals (1 MiB at most); the context, for
// inspection.
std::unique_ptr<InferenceContext> logits_under_cache(const LlamaModel& m,
                                                     const std::vector<int>& ids,
                                                     const std::string& kv, int n_ctx,
                                                     std::vector<float>& out);

// The largest |got - ref| over the largest |ref|.
double relative_gap(const std::vector<float>& ref, const std::vector<float>& got);

// The model's logits for ids, read at once and token by token, against the float64 reference.
void matches_at_once_and_token_by_token(const LlamaModel& model, const std::vector<int>& ids,
                                        const std::vector<std::vector<double>>& want);

// The same for the shared prompt (kPrompt with BOS).
void matches_naive_on_prompt(const LlamaModel& model);

// Windowed layers keep only a ring of window + batch positions: in batches of 3 the ring is
// far shorter than the prompt and wraps several times, and the logits stay the reference's,
// read at once, after going back further than the ring keeps, and with NQKV codes.
void check_rings(const LlamaModel& model, const std::vector<int>& ids,
                 const std::vector<std::vector<double>>& want);

// The ids repeated up to n tokens, read as a prompt of `prompt` tokens and then one token at a
// time in a fresh fp16 context of 512 (returned); at_once gets every position's logits of the
// same text read at once in another.
std::unique_ptr<InferenceContext> read_prompt_then_tokens(const LlamaModel& m,
                                                          const std::vector<int>& ids, int n,
                                                          int prompt, std::vector<int>& text,
                                                          std::vector<float>& at_once);

// Goes back to position `back` of text (truncate_to, which reads again what the context could
// not keep) and reads the rest in batches of `batch`; returns the largest difference from
// at_once (every position's logits of the whole text). Checks that truncate_to read again
// exactly what keepable(back) left out.
double gap_after_going_back(InferenceContext& ctx, const std::vector<int>& text,
                            const std::vector<float>& at_once, int back, int batch);

// A tiny model whose chat template is `tmpl`, written as NAME.gguf.
std::unique_ptr<LlamaModel> model_with_template(const std::string& tmpl, const std::string& name);

// The prompt a chat session renders for `m` on a model with this template, with thinking on or
// off.
std::string session_prompt(const std::string& tmpl, const std::string& name,
                           const std::vector<ChatMessage>& m, bool thinking = true);

}  // namespace nqkv::test
