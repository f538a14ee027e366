#include "engine/ar_sampling.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <regex>

#include "engine/answer.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"

namespace nqkv {

const char* const kDefaultTrigger =
    "Wait! Maybe I made some mistakes in Step {n}. I need to rethink from it.\n## Step {n}: ";

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string fill_step(std::string s, int n) {
    for (size_t at; (at = s.find("{n}")) != std::string::npos;) s.replace(at, 3, std::to_string(n));
    return s;
}

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

// Where a step's text begins after the heading the policy wrote itself ("## Step 2: ").
size_t text_start(const std::string& generated) {
    static const std::regex heading(R"(^\s*(?:##\s*)?Step\s*\d+\s*:\s*)");
    std::smatch m;
    if (std::regex_search(generated, m, heading)) return size_t(m.length(0));
    return std::min(generated.size(), generated.find_first_not_of(" \t\n"));
}

// The step as the PRM reads it: "## Step n: " and the content, whatever heading the policy
// wrote itself.
std::string prm_step_text(const std::string& generated, int n) {
    return "## Step " + std::to_string(n) + ": " + trim(generated.substr(text_start(generated)));
}

float probability_of(const float* logits, int n, int id) {
    const float top = *std::max_element(logits, logits + n);
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += std::exp(double(logits[i] - top));
    return float(std::exp(double(logits[id] - top)) / sum);
}

struct StepToken {
    int id;
    size_t offset;  // in the step's generated text
    float p;        // the policy's probability of it (temperature 1)
};

// A token a rethought step may not take where its text so far equals `text`.
struct Avoided {
    std::string text;
    int id;
};

// The rejected step's least likely token after its heading and before the delimiter: where a
// slip shows, the right token was usually the policy's second choice.
std::optional<Avoided> weakest_token(const std::vector<StepToken>& tokens,
                                     const std::string& generated, TraceEvent& ev) {
    const size_t h = text_start(generated);
    const StepToken* weakest = nullptr;
    for (const StepToken& t : tokens)
        if (t.offset >= h && t.offset < generated.size() && (!weakest || t.p < weakest->p))
            weakest = &t;
    if (!weakest) return std::nullopt;
    size_t end = generated.size();
    for (const StepToken& t : tokens)
        if (t.offset > weakest->offset) end = std::min(end, t.offset);
    ev.weakest = generated.substr(weakest->offset, end - weakest->offset);
    ev.weakest_at = int(weakest->offset - h);
    ev.weakest_p = weakest->p;
    return Avoided{generated.substr(h, weakest->offset - h), weakest->id};
}

}  // namespace

const char* ar_decision_name(ArDecision d) {
    switch (d) {
        case ArDecision::Accept:
            return "accept";
        case ArDecision::Rethink:
            return "rethink";
        case ArDecision::ForcedAccept:
            return "forced_accept";
    }
    return "?";
}

std::string ar_policy_prompt(ChatFormat format, const std::vector<ChatMessage>& messages) {
    return render_chat(format, mark_message_pictures(messages), true) +
           (format == ChatFormat::Plain ? "\n" : "") + "## Step 1: ";
}

PolicyPrefix evaluate_prompt(const LlamaModel& policy, InferenceContext& ctx,
                             const std::string& prompt, const std::vector<int>& held,
                             const std::vector<std::shared_ptr<const InputRows>>& pictures) {
    const Tokenizer& tok = policy.tokenizer();
    PicturePrompt marked = tokenize_with_pictures(tok, prompt, pictures, tok.add_bos());
    PolicyPrefix pre;
    pre.ids = std::move(marked.ids);
    if (pre.ids.empty()) fail("prompt: empty, and the policy adds no BOS token");
    if (int(pre.ids.size()) >= ctx.n_ctx())
        fail("prompt: ", pre.ids.size(), " tokens do not fit the policy's context of ",
             ctx.n_ctx());
    // Always set: positions an earlier prompt's pictures held read tokens again (the context
    // forgets from the first position that reads something else).
    ctx.set_rows(marked.pictures);
    pre.logits.resize(size_t(policy.hparams().n_vocab));
    // At least the last prompt token is read again: its logits start step 1.
    const size_t usable = std::min({held.size(), size_t(ctx.n_past()), pre.ids.size() - 1});
    pre.reused = int(
        std::mismatch(held.begin(), held.begin() + std::ptrdiff_t(usable), pre.ids.begin()).first -
        held.begin());
    pre.reused = ctx.keepable(pre.reused);
    ctx.truncate(pre.reused);
    ctx.eval(pre.ids.data() + pre.reused, int(pre.ids.size()) - pre.reused, pre.logits.data());
    return pre;
}

ArResult run_ar(const LlamaModel& policy, InferenceContext& ctx, PrmScorer& prm,
                const std::string& prompt, const std::string& question, const ArParams& p,
                const ArCallbacks& cb, int candidate, int prm_prefix, const PolicyPrefix* prefix) {
    if (p.triggers.empty()) fail("AR-Sampling: no trigger text given");
    if (p.delimiter.empty()) fail("AR-Sampling: the step delimiter is empty");
    const Tokenizer& tok = policy.tokenizer();
    const int n_vocab = policy.hparams().n_vocab;
    ArResult res;
    res.candidate = candidate;

    const PolicyPrefix own = prefix ? PolicyPrefix{} : evaluate_prompt(policy, ctx, prompt);
    if (!prefix) prefix = &own;
    truncate_to(ctx, int(prefix->ids.size()), prefix->ids.data());
    const std::vector<int>& prompt_ids = prefix->ids;
    std::vector<float> logits = prefix->logits;
    const int prm_before = prm.tokens_read();
    if (prm_prefix >= 0)
        prm.rollback(prm_prefix);
    else
        prm.reset(question);

    SamplingParams sp = p.sampling;
    sp.seed += uint64_t(candidate);
    Sampler sampler(sp);
    std::vector<int> history = prompt_ids;
    IncrementalDecoder decoder(tok);
    int step_no = 1, rethinks_here = 0;
    std::vector<StepToken> step_tokens;
    std::vector<Avoided> avoided;  // for the rethinks of the current step
    std::vector<float> masked;
    // The policy's context just after the current step's first trigger (set while
    // rethinks_here > 0): with rethink_leaves_weakest a repeat rethink is written from there
    // again (see ArParams).
    struct Rewind {
        int n_past = 0;
        size_t history = 0;
        std::vector<float> logits;
    } first_trigger;

    auto feed = [&](const std::string& text) {  // appends text the policy did not write
        const std::vector<int> ids = tok.encode(text, false, "trigger");
        if (ctx.n_past() + int(ids.size()) >= ctx.n_ctx()) return false;
        if (!ids.empty()) ctx.eval(ids.data(), int(ids.size()), logits.data());
        history.insert(history.end(), ids.begin(), ids.end());
        res.text += text;
        return true;
    };

    for (int steps = 0; res.stop.empty(); ++steps) {
        if (steps >= p.max_steps) {
            res.stop = "max steps";
            break;
        }
        TraceEvent ev;
        ev.candidate = candidate;
        ev.step = step_no;
        ev.token_begin = res.policy_tokens;
        const size_t text_begin = res.text.size();
        std::string generated;
        step_tokens.clear();
        bool eos = false;
        const auto t0 = Clock::now();
        for (;;) {
            if (cb.cancel && cb.cancel->load()) {
                res.stop = "cancelled";
                break;
            }
            if (res.policy_tokens >= p.max_tokens) {
                res.stop = "max tokens";
                break;
            }
            if (ctx.n_past() >= ctx.n_ctx()) {
                res.stop = "context full";
                break;
            }
            const float* from = logits.data();
            if (!avoided.empty()) {
                const size_t written = res.text.size() - text_begin;
                for (const Avoided& a : avoided)
                    if (a.text.size() == written &&
                        res.text.compare(text_begin, written, a.text) == 0) {
                        if (from != masked.data()) masked = logits;
                        masked[size_t(a.id)] = -1e30f;
                        from = masked.data();
                    }
            }
            const int id = sampler.sample(from, n_vocab, history);
            if (p.rethink_leaves_weakest)
                step_tokens.push_back(
                    {id, res.text.size() - text_begin, probability_of(logits.data(), n_vocab, id)});
            if (tok.is_end(id)) {
                eos = true;
                break;
            }
            history.push_back(id);
            ++res.policy_tokens;
            const std::string piece = decoder.push(id);
            res.text += piece;
            if (cb.on_token) cb.on_token(id, piece);
            ctx.eval(&id, 1, logits.data());
            generated = res.text.substr(text_begin);
            const size_t at = generated.find(p.delimiter);
            if (at != std::string::npos) {
                generated.resize(at);
                break;
            }
            if (res.policy_tokens - ev.token_begin >= p.max_step_tokens) break;
        }
        ev.policy_ms = ms_since(t0);
        ev.token_end = res.policy_tokens;
        ev.policy_tokens = ev.token_end - ev.token_begin;
        if (trim(generated).empty()) {
            if (res.stop.empty()) res.stop = eos ? "eos" : "max steps";
            break;
        }
        ev.text = prm_step_text(generated, step_no);
        const int prm_tokens_before = prm.tokens_read();
        const auto t1 = Clock::now();
        const int before_step = prm.mark();
        ev.score = prm.score_step(ev.text);
        ev.prm_ms = ms_since(t1);
        ev.prm_tokens = prm.tokens_read() - prm_tokens_before;

        const bool low = ev.score < p.threshold;
        // A last step that ended with EOS is rethought too: EOS was never fed to the context.
        if (low && rethinks_here < p.max_rethink && res.stop.empty()) {
            ev.decision = ArDecision::Rethink;
            if (p.rethink_leaves_weakest)
                if (auto a = weakest_token(step_tokens, generated, ev)) avoided.push_back(*a);
            prm.rollback(before_step);  // the rethought step will replace this one for the PRM
            ev.trigger = fill_step(p.triggers[size_t(res.rethinks) % p.triggers.size()], step_no);
            std::string glue = res.text.size() >= p.delimiter.size() &&
                                       res.text.compare(res.text.size() - p.delimiter.size(),
                                                        p.delimiter.size(), p.delimiter) == 0
                                   ? ""
                                   : p.delimiter;
            if (p.rethink_leaves_weakest && rethinks_here > 0) {
                truncate_to(ctx, first_trigger.n_past, history.data());
                history.resize(first_trigger.history);
                logits = first_trigger.logits;
                res.text += glue + ev.trigger;  // shown as the paper writes it, not read
                ev.rewound = true;
            } else {
                if (!feed(glue + ev.trigger)) res.stop = "context full";
                if (p.rethink_leaves_weakest)
                    first_trigger = {ctx.n_past(), history.size(), logits};
            }
            ++rethinks_here;
            ++res.rethinks;
        } else {
            ev.decision = low ? ArDecision::ForcedAccept : ArDecision::Accept;
            rethinks_here = 0;
            avoided.clear();
            ++step_no;
            res.last_score = ev.score;
            if (auto a = extract_answer(generated, p.answer_regex)) {
                res.answer = a;
                if (res.stop.empty()) res.stop = "answer";
            }
            if (eos && res.stop.empty()) res.stop = "eos";
        }
        res.trace.push_back(ev);
        if (cb.on_step) cb.on_step(ev);
    }
    res.text += decoder.flush();
    if (!res.answer) res.answer = extract_answer(res.text, p.answer_regex);
    res.prm_tokens = prm.tokens_read() - prm_before;
    return res;
}

std::vector<ArResult> run_ar_candidates(
    const LlamaModel& policy, InferenceContext& ctx, PrmScorer& prm, const std::string& prompt,
    const std::string& question, const ArParams& params, int n, const ArCallbacks& cb,
    PolicyCache* cache, const std::vector<std::shared_ptr<const InputRows>>& pictures) {
    if (n < 1) fail("AR-Sampling: the number of candidates must be at least 1");
    const int before = prm.tokens_read();
    prm.reset(question);
    const int shared = prm.mark();
    const int question_tokens = prm.tokens_read() - before;
    const PolicyPrefix prefix =
        evaluate_prompt(policy, ctx, prompt, cache ? cache->ids : std::vector<int>{}, pictures);
    if (cache) {
        cache->reused = prefix.reused;
        cache->ids = prefix.ids;  // candidates truncate back to the prompt and keep it
    }
    std::vector<ArResult> out;
    for (int c = 0; c < n; ++c) {
        if (cb.cancel && cb.cancel->load()) break;
        if (cb.on_candidate) cb.on_candidate(c);
        out.push_back(run_ar(policy, ctx, prm, prompt, question, params, cb, c, shared, &prefix));
    }
    if (!out.empty()) out.front().prm_tokens += question_tokens;  // read once, for all
    return out;
}

ArSelection select_answers(const std::vector<ArResult>& c) {
    ArSelection s;
    std::map<std::string, double> weight;
    std::map<std::string, int> votes;
    for (size_t i = 0; i < c.size(); ++i) {
        if (s.best_candidate < 0 || c[i].last_score > c[size_t(s.best_candidate)].last_score)
            s.best_candidate = int(i);
        if (!c[i].answer) continue;
        weight[*c[i].answer] += c[i].last_score;
        votes[*c[i].answer] += 1;
    }
    for (const auto& [a, w] : weight)
        if (!s.weighted_best_of_n || w > weight[*s.weighted_best_of_n]) s.weighted_best_of_n = a;
    for (const auto& [a, v] : votes)
        if (!s.majority || v > votes[*s.majority] ||
            (v == votes[*s.majority] && weight[a] > weight[*s.majority]))
            s.majority = a;
    if (s.best_candidate >= 0) s.best_of_n = c[size_t(s.best_candidate)].answer;
    return s;
}

std::string trace_json(const std::vector<ArResult>& candidates, const ArSelection& sel,
                       const ArParams& p) {
    JsonWriter w;
    w.begin_object().field("schema", "nqkv.ar-trace/1");
    w.key("params")
        .begin_object()
        .field("threshold", double(p.threshold))
        .field("max_rethink", p.max_rethink)
        .field("rethink_leaves_weakest", p.rethink_leaves_weakest)
        .field("delimiter", p.delimiter)
        .field("temperature", double(p.sampling.temperature))
        .field("seed", uint64_t(p.sampling.seed))
        .end_object();
    w.key("candidates").begin_array();
    for (const auto& r : candidates) {
        w.begin_object()
            .field("candidate", r.candidate)
            .field("text", r.text)
            .field("stop", r.stop)
            .field("last_score", double(r.last_score))
            .field("policy_tokens", r.policy_tokens)
            .field("prm_tokens", r.prm_tokens)
            .field("rethinks", r.rethinks);
        w.key("answer");
        r.answer ? w.value(*r.answer) : w.null();
        w.key("steps").begin_array();
        for (const auto& e : r.trace)
            w.begin_object()
                .field("step", e.step)
                .field("text", e.text)
                .field("token_begin", e.token_begin)
                .field("token_end", e.token_end)
                .field("score", double(e.score))
                .field("decision", ar_decision_name(e.decision))
                .field("trigger", e.trigger)
                .field("weakest", e.weakest)
                .field("weakest_at", e.weakest_at)
                .field("weakest_p", double(e.weakest_p))
                .field("rewound", e.rewound)
                .field("policy_tokens", e.policy_tokens)
                .field("prm_tokens", e.prm_tokens)
                .field("policy_ms", e.policy_ms)
                .field("prm_ms", e.prm_ms)
                .end_object();
        w.end_array().end_object();
    }
    w.end_array();
    auto opt = [&](const char* k, const std::optional<std::string>& v) {
        w.key(k);
        v ? w.value(*v) : w.null();
    };
    w.key("selection").begin_object();
    opt("weighted_best_of_n", sel.weighted_best_of_n);
    opt("majority", sel.majority);
    opt("best_of_n", sel.best_of_n);
    w.field("best_candidate", sel.best_candidate).end_object();
    w.end_object();
    return w.str();
}

}  // namespace nqkv
