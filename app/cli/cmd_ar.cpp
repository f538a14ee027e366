#include <cstdio>
#include <fstream>
#include <string>

#include "app/cli/ar_setup.h"
#include "app/cli/commands.h"
#include "app/cli/pictures.h"
#include "app/cli/sigint_flag.h"
#include "engine/error.h"
#include "engine/picture_prompt.h"

namespace nqkv::cli {

int cmd_ar(int argc, char** argv) {
    Args a("nqkv ar",
           "nqkv ar [-m POLICY] [--prm PRM] -p QUESTION [--image FILE] [--threshold 0.3] "
           "[--max-rethink 1] [--n 1]",
           "Answers a question with AR-Sampling: the policy writes \"## Step k:\" steps, the PRM\n"
           "scores each one, and a step below the threshold gets the trigger sentence and is\n"
           "rethought. Steps are printed with their scores as they are decided; rethink points\n"
           "are marked; the answer comes last (with --n > 1, the three selections). With\n"
           "--image the policy reads the pictures with the question (its projector beside it or\n"
           "--mmproj); the PRM reads the question's text.");
    add_ar_options(a);
    add_picture_options(a);
    a.option("-p,--prompt", "QUESTION", "the question");
    a.option("-f,--file", "FILE", "read the question from a file");
    a.option("--trace-out", "FILE", "also write the trace as JSON to FILE");
    a.flag("--json", "print the trace as JSON instead of text");
    if (!a.parse(argc, argv)) return 0;

    const std::string question = prompt_or_file(a, "a question", "QUESTION");
    ArSetup s = make_ar_setup(a);
    const bool json = a.has("--json");

    const SigintFlag interrupted;
    const CliPictures pictures =
        read_pictures(a, *s.policy, s.policy_ctx->n_threads(), interrupted.flag());
    if (pictures.vision && pictures.rows.empty()) {
        std::fprintf(stderr, "cancelled while reading the pictures\n");
        return 130;
    }
    // The policy reads the pictures where the question marks them (else before it); the PRM
    // reads the words alone. Without pictures a marker is text like any other.
    std::string prm_question = question;
    while (!pictures.rows.empty() && prm_question.find(kPictureMarker) != std::string::npos)
        prm_question.erase(prm_question.find(kPictureMarker), kPictureMarker.size());
    const std::string prompt =
        s.prompt(pictures.rows.empty() ? question : mark_pictures(question, pictures.rows.size()));
    ArCallbacks cb;
    cb.cancel = interrupted.flag();
    if (!json)
        cb.on_step = [&](const TraceEvent& e) {
            const char* mark = e.decision == ArDecision::Accept    ? "ok"
                               : e.decision == ArDecision::Rethink ? "RETHINK"
                                                                   : "forced";
            if (s.n > 1) std::printf("[%d] ", e.candidate);
            std::printf("%s\n    PRM %.3f  %s\n", e.text.c_str(), double(e.score), mark);
            // Every line of the trigger marked, so that its closing step heading does not read
            // as a step of its own above the rethought one.
            if (e.decision == ArDecision::Rethink) {
                std::string t = e.trigger;
                while (!t.empty() && (t.back() == ' ' || t.back() == '\n')) t.pop_back();
                std::string shown;
                for (char c : t) shown += c == '\n' ? std::string("\n    >> ") : std::string(1, c);
                std::printf("    >> %s\n", shown.c_str());
                if (e.weakest_at >= 0)
                    std::printf(
                        "    (the rethink may not write \"%s\" again after \"%s\"; p %.2f)\n",
                        e.weakest.c_str(),
                        e.text.substr(e.text.find(": ") + 2, size_t(e.weakest_at)).c_str(),
                        double(e.weakest_p));
                if (e.rewound)
                    std::printf(
                        "    (the next version is written after Step %d's first trigger: "
                        "the policy does not read this one)\n",
                        e.step);
            }
            std::fflush(stdout);
        };
    const std::vector<ArResult> cands =
        run_ar_candidates(*s.policy, *s.policy_ctx, *s.scorer, prompt, prm_question, s.params, s.n,
                          cb, nullptr, pictures.rows);
    const ArSelection sel = select_answers(cands);
    const std::string trace = trace_json(cands, sel, s.params);
    if (auto out = a.get("--trace-out")) {
        std::ofstream f(*out);
        if (!(f << trace << "\n")) fail(*out, ": cannot write the trace");
    }
    if (json) {
        std::printf("%s\n", trace.c_str());
        return 0;
    }
    for (const auto& r : cands)
        std::fprintf(
            stderr,
            "[candidate %d] stop: %s | %zu steps, %d rethink%s | %d policy, %d PRM tokens\n",
            r.candidate, r.stop.c_str(), r.trace.size(), r.rethinks, r.rethinks == 1 ? "" : "s",
            r.policy_tokens, r.prm_tokens);
    if (s.n == 1) {
        std::printf("\nAnswer: %s\n",
                    cands.empty() || !cands[0].answer ? "(none)" : cands[0].answer->c_str());
    } else {
        auto show = [](const std::optional<std::string>& v) { return v ? v->c_str() : "(none)"; };
        std::printf("\nweighted best-of-%d: %s\nmajority vote:       %s\nbest-of-%d:          %s\n",
                    s.n, show(sel.weighted_best_of_n), show(sel.majority), s.n,
                    show(sel.best_of_n));
    }
    return cands.empty() || cands.back().stop == "cancelled" ? 130 : 0;
}

}  // namespace nqkv::cli
