#include "engine/generator.h"

#include <algorithm>
#include <chrono>

#include "engine/error.h"

namespace nqkv {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Length of the longest suffix of `text` that is a proper prefix of some stop string: that
// much must be held back because the next token may complete the stop string.
size_t held_back(const std::string& text, const std::vector<std::string>& stops) {
    size_t hold = 0;
    for (const auto& s : stops)
        for (size_t n = std::min(s.size() - 1, text.size()); n > hold; --n)
            if (text.compare(text.size() - n, n, s, 0, n) == 0) {
                hold = n;
                break;
            }
    return hold;
}

}  // namespace

const char* stop_reason_name(StopReason r) {
    switch (r) {
        case StopReason::Eos:
            return "eos";
        case StopReason::StopString:
            return "stop string";
        case StopReason::MaxTokens:
            return "max tokens";
        case StopReason::ContextFull:
            return "context full";
        case StopReason::Cancelled:
            return "cancelled";
    }
    return "?";
}

GenerateResult generate(const LlamaModel& model, InferenceContext& ctx, const std::string& prompt,
                        const GenerateParams& params, const TokenSink& sink,
                        const std::atomic<bool>* cancel) {
    const Tokenizer& tok = model.tokenizer();
    const bool bos = params.add_bos < 0 ? tok.add_bos() : params.add_bos != 0;
    return generate_from_ids(model, ctx, tok.encode(prompt, bos, "prompt"), 0, params, sink,
                             cancel);
}

GenerateResult generate_from_ids(const LlamaModel& model, InferenceContext& ctx,
                                 std::vector<int> prompt_ids, int reuse,
                                 const GenerateParams& params, const TokenSink& sink,
                                 const std::atomic<bool>* cancel) {
    const Tokenizer& tok = model.tokenizer();
    const int n_vocab = model.hparams().n_vocab;
    GenerateResult res;
    res.prompt_ids = std::move(prompt_ids);
    if (res.prompt_ids.empty())
        fail("prompt: empty, and the model adds no BOS token to start from");
    if (int(res.prompt_ids.size()) >= ctx.n_ctx())
        fail("prompt: ", res.prompt_ids.size(), " tokens do not fit the context of ", ctx.n_ctx(),
             " with room to generate (prompts are never truncated; shorten it or raise the context "
             "size)");
    std::vector<std::string> stops;
    for (const auto& s : params.stop)
        if (!s.empty()) stops.push_back(s);

    // At least the last prompt token is evaluated again: its logits start generation.
    reuse = std::clamp(std::min(reuse, ctx.n_past()), 0, int(res.prompt_ids.size()) - 1);
    reuse = ctx.keepable(reuse);
    ctx.truncate(reuse);
    res.reused_tokens = reuse;
    std::vector<float> logits(static_cast<size_t>(n_vocab));
    auto t0 = Clock::now();
    ctx.eval(res.prompt_ids.data() + reuse, int(res.prompt_ids.size()) - reuse, logits.data());
    res.prompt_seconds = seconds_since(t0);

    Sampler sampler(params.sampling);
    std::vector<int> history = res.prompt_ids;
    IncrementalDecoder decoder(tok);
    size_t emitted = 0;
    t0 = Clock::now();
    for (;;) {
        if (cancel && cancel->load()) {
            res.reason = StopReason::Cancelled;
            break;
        }
        if (int(res.ids.size()) >= params.max_tokens) {
            res.reason = StopReason::MaxTokens;
            break;
        }
        const int id = sampler.sample(logits.data(), n_vocab, history);
        if (tok.is_end(id) && !params.ignore_eos) {
            res.reason = StopReason::Eos;
            break;
        }
        res.ids.push_back(id);
        history.push_back(id);
        res.text += decoder.push(id);

        // A stop string ends generation; the text is cut right before it.
        size_t stop_at = std::string::npos;
        for (const auto& s : stops) {
            const size_t from = emitted > s.size() ? emitted - s.size() : 0;
            const size_t at = res.text.find(s, from);
            if (at != std::string::npos) stop_at = std::min(stop_at, at);
        }
        if (stop_at != std::string::npos) {
            res.text.resize(stop_at);
            if (sink && stop_at > emitted) sink(id, res.text.substr(emitted));
            emitted = res.text.size();
            res.reason = StopReason::StopString;
            break;
        }
        const size_t ready = res.text.size() - held_back(res.text, stops);
        if (sink) sink(id, ready > emitted ? res.text.substr(emitted, ready - emitted) : "");
        emitted = std::max(emitted, ready);

        if (ctx.n_past() >= ctx.n_ctx()) {
            res.reason = StopReason::ContextFull;
            break;
        }
        ctx.eval(&id, 1, logits.data());
    }
    if (res.reason != StopReason::StopString) {
        res.text += decoder.flush();
        if (sink && res.text.size() > emitted) sink(-1, res.text.substr(emitted));
    }
    res.generate_seconds = seconds_since(t0);
    return res;
}

}  // namespace nqkv
