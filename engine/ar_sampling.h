// AR-Sampling: the policy writes a step up to the delimiter, the PRM scores it, and a step
// scoring below the threshold gets a trigger sentence and is rethought (at most max_rethink
// times per step; the rejected step stays in the text, the counter resets when a step passes).
// Every step becomes a TraceEvent, delivered while generation runs.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/chat_template.h"
#include "engine/generator.h"
#include "engine/prm_scorer.h"
#include "engine/sampler.h"

namespace nqkv {

class LlamaModel;

extern const char* const kDefaultTrigger;  // DESIGN.md's sentence, {n} = the step number

struct ArParams {
    float threshold = 0.3f;  // p
    int max_rethink = 1;
    std::string delimiter = "\n\n";
    int max_tokens = 512;       // policy tokens per candidate
    int max_step_tokens = 160;  // a step that runs longer is cut here and scored
    int max_steps = 16;
    SamplingParams sampling;
    std::vector<std::string> triggers{kDefaultTrigger};  // used in turn
    std::string answer_regex;                            // empty: the defaults
    // A rethought step may not repeat the rejected one where the policy was least sure of it:
    // when it has written the rejected step's text up to that token, that token is not taken.
    // A repeat rethink of the same step (max_rethink above 1) is then written from the step's
    // first trigger again, barred from every rejected version's weakest token: the policy reads
    // one rejected version and one trigger, as it does on a first rethink, rather than a pile
    // of them that a small model has never seen. The text still shows every version and trigger.
    bool rethink_leaves_weakest = true;
};

enum class ArDecision { Accept, Rethink, ForcedAccept };
const char* ar_decision_name(ArDecision d);

struct TraceEvent {
    int candidate = 0;
    int step = 0;         // 1-based step number being written
    std::string text;     // the step as scored
    int token_begin = 0;  // policy tokens of the step (generated-token indices)
    int token_end = 0;
    float score = 0;
    ArDecision decision = ArDecision::Accept;
    std::string trigger;  // appended text when rethinking
    // With rethink_leaves_weakest, on a rethought step: the token the rethink may not take
    // again, where in the step (bytes after its heading), and the policy's probability of it.
    std::string weakest;
    int weakest_at = -1;
    float weakest_p = 0;
    // A repeat rethink: the policy went back to the step's first trigger instead of reading
    // this version and this trigger (see ArParams::rethink_leaves_weakest).
    bool rewound = false;
    int policy_tokens = 0;  // this step
    int prm_tokens = 0;     // this step
    double policy_ms = 0, prm_ms = 0;
};

struct ArResult {
    int candidate = 0;
    std::string text;  // everything the policy wrote after the prompt, triggers included
    std::vector<TraceEvent> trace;
    std::optional<std::string> answer;
    float last_score = 0;  // PRM score of the last accepted step
    int policy_tokens = 0, prm_tokens = 0, rethinks = 0;
    std::string stop;  // "answer", "eos", "max tokens", "max steps", "context full", "cancelled"
};

struct ArCallbacks {
    std::function<void(const TraceEvent&)> on_step;
    TokenSink on_token;
    std::function<void(int candidate)> on_candidate;  // before each candidate's first token
    const std::atomic<bool>* cancel = nullptr;
};

// The policy prompt for a conversation ending with the user's question: the chat format, then
// "## Step 1: " (after a line break in the plain format), where step 1's text begins. The
// messages' pictures are marked where they go (picture_prompt.h), in message_pictures' order.
std::string ar_policy_prompt(ChatFormat format, const std::vector<ChatMessage>& messages);

// A policy prompt already evaluated in a context: its tokens and the logits after it. The
// context keeps these positions, so candidates start from them without reading the prompt again.
struct PolicyPrefix {
    std::vector<int> ids;
    std::vector<float> logits;
    int reused = 0;  // leading prompt tokens the context already held
};
// With `held` (the tokens at the context's first positions, as a ChatSession knows them), the
// part the prompt shares with them stays in the cache and only the rest is read: a follow-up
// question costs its new turn, not the whole conversation. `pictures` are read where the
// prompt marks them (one per marker, in order); the PRM reads text only, so it judges the
// steps of a question about a picture by their words.
PolicyPrefix evaluate_prompt(const LlamaModel& policy, InferenceContext& ctx,
                             const std::string& prompt, const std::vector<int>& held = {},
                             const std::vector<std::shared_ptr<const InputRows>>& pictures = {});

// Runs one candidate. `prompt` is the rendered policy prompt, ending where step 1's text
// begins; `question` is what the PRM reads before the steps. prm_prefix is a PrmScorer mark
// holding the question already (shared by candidates), or -1 to read it now. With `prefix`
// (from evaluate_prompt on the same context) the prompt is not read again.
ArResult run_ar(const LlamaModel& policy, InferenceContext& ctx, PrmScorer& prm,
                const std::string& prompt, const std::string& question, const ArParams& params,
                const ArCallbacks& cb = {}, int candidate = 0, int prm_prefix = -1,
                const PolicyPrefix* prefix = nullptr);

// What the policy's context holds at its first positions. run_ar_candidates keeps the part a
// new prompt shares with it (reused says how many tokens), and leaves it as the prompt's tokens,
// which the context still holds afterwards.
struct PolicyCache {
    std::vector<int> ids;
    int reused = 0;
};

// N candidates with seeds seed, seed+1, ...; the policy reads the prompt once (only its part
// not in `cache`, when given) with its pictures (as evaluate_prompt), and the PRM the question
// once.
std::vector<ArResult> run_ar_candidates(
    const LlamaModel& policy, InferenceContext& ctx, PrmScorer& prm, const std::string& prompt,
    const std::string& question, const ArParams& params, int n, const ArCallbacks& cb = {},
    PolicyCache* cache = nullptr,
    const std::vector<std::shared_ptr<const InputRows>>& pictures = {});

struct ArSelection {
    std::optional<std::string>
        weighted_best_of_n;                // answer with the largest summed last-step score
    std::optional<std::string> majority;   // most frequent answer (ties: larger summed score)
    std::optional<std::string> best_of_n;  // answer of the single best-scored candidate
    int best_candidate = -1;
};
ArSelection select_answers(const std::vector<ArResult>& candidates);

// The trace as JSON (schema in the README).
std::string trace_json(const std::vector<ArResult>& candidates, const ArSelection& selection,
                       const ArParams& params);

}  // namespace nqkv
