// The engine worker's AR-Sampling replies: the policy writes the answer step by step, the PRM
// scores each step, and every decision goes to the GUI as it is made (the trace view draws it
// live); the policy's text streams as usual.
#include <QFileInfo>

#include "app/common/bundled_models.h"
#include "app/studio/engine_worker.h"
#include "app/studio/stream_pacer.h"
#include "engine/ar_sampling.h"
#include "engine/chat_fit.h"
#include "engine/error.h"
#include "engine/picture_prompt.h"

namespace nqkv::studio {

PrmScorer& EngineWorker::prmFor(const ChatSettings& s) {
    QString path = s.prmPath;
    if (path.isEmpty()) path = QString::fromStdString(app::bundled_model("prm.gguf"));
    if (path.isEmpty())
        fail(
            "AR-Sampling needs a process reward model: choose one in the AR bar (this build "
            "has no bundled PRM)");
    if (!QFileInfo::exists(path)) fail(path.toStdString(), ": the PRM file does not exist");
    if (!scorer_ || path != prmPath_ || s.prmLayout != prmLayout_ || scorerCtx_ != ctx_->n_ctx()) {
        scorer_.reset();
        if (path != prmPath_ || !prm_) {
            prm_.reset();
            prm_ = LlamaModel::load(path.toStdString());
            prmPath_ = path;
        }
        ContextParams p;
        p.n_ctx = ctx_->n_ctx();
        scorer_ = std::make_unique<PrmScorer>(*prm_, *backend_, p, s.prmLayout.toStdString());
        prmLayout_ = s.prmLayout;
        scorerCtx_ = ctx_->n_ctx();
    }
    return *scorer_;
}

void EngineWorker::arReply(quint64 requestId, const std::vector<ChatMessage>& messages,
                           const ChatSettings& settings, std::atomic<bool>& stop) {
    if (messages.empty() || messages.back().role != "user")
        fail("AR-Sampling answers a question: the conversation must end with a user message");
    PrmScorer& prm = prmFor(settings);

    ArParams p;
    p.threshold = float(settings.arThreshold);
    p.max_rethink = settings.arMaxRethink;
    p.rethink_leaves_weakest = settings.arLeaveWeakest;
    p.max_tokens = settings.maxTokens;
    p.sampling = settings.sampling();
    if (!settings.arTriggers.isEmpty()) {
        p.triggers.clear();
        for (const auto& t : settings.arTriggers) {
            if (!t.contains("{n}"))
                fail("trigger \"", t.left(40).toStdString(), "\" has no {n} for the step number");
            p.triggers.push_back(t.toStdString());
        }
    }
    const ChatFormat format = session_->format();
    // Pictures take their rows' tokens in the prompt, so the fit counts the prompt's ids.
    const Tokenizer& tok = model_->tokenizer();
    const FittedConversation fitted = fit_conversation_ids(
        messages,
        [&](const std::vector<ChatMessage>& m) {
            return tokenize_with_pictures(tok, ar_policy_prompt(format, m), message_pictures(m),
                                          tok.add_bos())
                .ids;
        },
        ctx_->n_ctx(), reply_room(p.max_tokens, ctx_->n_ctx()),
        parse_context_overflow(settings.contextOverflow.toStdString()));
    const std::string prompt = ar_policy_prompt(format, fitted.messages);
    // The policy reads only what its cache does not hold yet; the session then learns what the
    // context holds (the AR prompt), so a later plain reply can reuse it too. Until the run is
    // done the session trusts nothing of it.
    PolicyCache cache{session_->held_tokens()};
    session_->set_held_tokens({});

    StreamPacer pacer([&](const QString& t) { emit replyText(requestId, t); },
                      [&](double tps) {
                          emit speed(tps, ctx_->n_past(), ctx_->n_ctx());
                          emit kvStats(ctx_->kv_stats());
                      });
    ArCallbacks cb;
    cb.cancel = &stop;
    cb.on_token = [&](int id, const std::string& text) {
        if (stopThrough_ >= requestId) stop = true;
        pacer.token(id, QString::fromStdString(text));
    };
    double promptSeconds = -1;  // the policy reads its prompt before the first candidate
    cb.on_candidate = [&](int c) {
        if (promptSeconds < 0) promptSeconds = pacer.elapsedSeconds();
        pacer.flush();
        emit arCandidate(requestId, c);
        if (settings.arCandidates > 1)
            emit replyText(requestId,
                           (c ? "\n\n" : "") + tr("*Candidate %1*").arg(c + 1) + "\n\n## Step 1: ");
        else
            emit replyText(requestId, "## Step 1: ");
    };
    cb.on_step = [&](const TraceEvent& e) {
        ArPoint pt;
        pt.candidate = e.candidate;
        pt.step = e.step;
        pt.text = QString::fromStdString(e.text);
        pt.score = e.score;
        pt.decision = ar_decision_name(e.decision);
        pt.trigger = QString::fromStdString(e.trigger);
        pt.weakest = QString::fromStdString(e.weakest);
        pt.weakestP = double(e.weakest_p);
        pt.rewound = e.rewound;
        pt.policyTokens = e.policy_tokens;
        pt.prmTokens = e.prm_tokens;
        pt.policyMs = e.policy_ms;
        pt.prmMs = e.prm_ms;
        pacer.flush();
        emit arStep(requestId, pt);
    };
    const std::vector<ArResult> cands = run_ar_candidates(
        *model_, *ctx_, prm, prompt, messages.back().content, p, std::max(1, settings.arCandidates),
        cb, &cache, message_pictures(fitted.messages));
    session_->set_held_tokens(cache.ids);
    pacer.flush();
    const ArSelection sel = select_answers(cands);

    ReplyStats st;
    st.droppedMessages = fitted.dropped;
    st.promptTokens = int(cache.ids.size());
    st.reusedTokens = cache.reused;
    const ArResult* chosen = sel.best_candidate >= 0 ? &cands[size_t(sel.best_candidate)] : nullptr;
    for (const auto& c : cands) st.generatedTokens += c.policy_tokens;
    st.promptSeconds = std::max(0.0, promptSeconds);
    st.generateSeconds = pacer.elapsedSeconds() - st.promptSeconds;
    st.stopReason = stop     ? "cancelled"
                    : chosen ? QString::fromStdString(chosen->stop)
                             : "cancelled";
    if (stop && stopAtNs_ > 0) st.stopLatencyMs = double(steadyNs() - stopAtNs_) / 1e6;
    st.traceJson = QString::fromStdString(trace_json(cands, sel, p));
    emit kvStats(ctx_->kv_stats());
    emit speed(st.tokensPerSecond(), ctx_->n_past(), ctx_->n_ctx());
    emit replyFinished(
        requestId, chosen ? "## Step 1: " + QString::fromStdString(chosen->text) : QString(), st);
}

}  // namespace nqkv::studio
