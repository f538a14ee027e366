#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "app/cli/ar_setup.h"
#include "app/cli/commands.h"
#include "app/cli/sigint_flag.h"
#include "engine/answer.h"
#include "engine/error.h"
#include "engine/json_reader.h"
#include "engine/json_writer.h"

namespace nqkv::cli {
namespace {

struct Problem {
    std::string question, answer;
};

std::vector<Problem> read_jsonl(const std::string& path) {
    std::ifstream f(path);
    if (!f) fail(path, ": cannot open");
    std::vector<Problem> out;
    int line_no = 0;
    for (std::string line; std::getline(f, line);) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = path + ":" + std::to_string(line_no);
        const JsonValue v = parse_json(line, where);
        const JsonFields o(v, where);
        out.push_back({o.text("question"), o.text_or_number("answer")});
    }
    if (out.empty()) fail(path, ": no problems in the file");
    return out;
}

struct Tally {
    int correct = 0, done = 0;
    double policy_tokens = 0, prm_tokens = 0, rethinks = 0;
};

const char* kMethods[] = {"greedy", "sample", "ar", "bon", "wbon", "maj"};

}  // namespace

int cmd_eval_ar(int argc, char** argv) {
    Args a(
        "nqkv eval-ar",
        "nqkv eval-ar [-m POLICY] [--prm PRM] --data problems.jsonl [--methods "
        "greedy,sample,ar,bon,wbon,maj] "
        "[--n 16]",
        "Evaluates answering methods on a JSONL file of {\"question\", \"answer\"} lines: plain\n"
        "greedy and sampled generation, AR-Sampling, and over --n AR candidates naive best-of-N\n"
        "(bon), weighted best-of-N (wbon) and majority vote (maj). Prints accuracy, mean policy\n"
        "and PRM tokens and rethinks per question for each method; progress on stderr.");
    add_ar_options(a);
    a.option("--data", "FILE", "problems, one JSON object per line");
    a.option("--methods", "LIST", "methods to run (default greedy,sample,ar,bon,wbon,maj)");
    a.option("--limit", "K", "only the first K problems");
    a.flag("--json", "print JSON instead of a table");
    if (!a.parse(argc, argv)) return 0;

    std::vector<std::string> methods;
    std::stringstream ms(a.get("--methods").value_or("greedy,sample,ar,bon,wbon,maj"));
    for (std::string m; std::getline(ms, m, ',');) {
        if (std::find(std::begin(kMethods), std::end(kMethods), m) == std::end(kMethods))
            fail("--methods: unknown method \"", m, "\" (greedy, sample, ar, bon, wbon, maj)");
        methods.push_back(m);
    }
    std::vector<Problem> problems = read_jsonl(a.require("--data"));
    if (const int limit = a.get_int("--limit", 0, 0, 1 << 30);
        limit > 0 && size_t(limit) < problems.size())
        problems.resize(size_t(limit));
    ArSetup s = make_ar_setup(a);
    if (!a.has("--n")) s.n = 16;
    const bool want_candidates =
        std::any_of(methods.begin(), methods.end(),
                    [](const std::string& m) { return m == "bon" || m == "wbon" || m == "maj"; });
    const SigintFlag interrupted;
    ArCallbacks cb;
    cb.cancel = interrupted.flag();
    std::map<std::string, Tally> tally;
    const bool tty = isatty(fileno(stderr));
    for (size_t i = 0; i < problems.size() && !interrupted.flag()->load(); ++i) {
        const Problem& pr = problems[i];
        const std::string want = normalize_answer(pr.answer), prompt = s.prompt(pr.question);
        auto score = [&](const std::string& m, const std::optional<std::string>& got, double pt,
                         double rt, double re) {
            Tally& t = tally[m];
            t.done++;
            t.correct += got && *got == want;
            t.policy_tokens += pt;
            t.prm_tokens += rt;
            t.rethinks += re;
        };
        for (const std::string& m : methods) {
            if (m != "greedy" && m != "sample") continue;
            GenerateParams gp;
            gp.max_tokens = s.params.max_tokens;
            gp.sampling = s.params.sampling;
            if (m == "greedy") gp.sampling.temperature = 0;
            gp.sampling.seed += i;
            const GenerateResult g = generate(*s.policy, *s.policy_ctx, prompt, gp, {}, cb.cancel);
            score(m, extract_answer(g.text, s.params.answer_regex), double(g.ids.size()), 0, 0);
        }
        if (std::find(methods.begin(), methods.end(), "ar") != methods.end()) {
            ArParams p = s.params;
            p.sampling.seed += 1000003 * i;
            const ArResult r =
                run_ar(*s.policy, *s.policy_ctx, *s.scorer, prompt, pr.question, p, cb);
            score("ar", r.answer, r.policy_tokens, r.prm_tokens, r.rethinks);
        }
        if (want_candidates) {
            ArParams p = s.params;
            p.sampling.seed += 7919 * i;
            const auto cands = run_ar_candidates(*s.policy, *s.policy_ctx, *s.scorer, prompt,
                                                 pr.question, p, s.n, cb);
            double pt = 0, rt = 0, re = 0;
            for (const auto& c : cands) pt += c.policy_tokens, rt += c.prm_tokens, re += c.rethinks;
            const ArSelection sel = select_answers(cands);
            for (const std::string& m : methods) {
                if (m == "bon") score(m, sel.best_of_n, pt, rt, re);
                if (m == "wbon") score(m, sel.weighted_best_of_n, pt, rt, re);
                if (m == "maj") score(m, sel.majority, pt, rt, re);
            }
        }
        const int width = 30, filled = int(width * (i + 1) / problems.size());
        std::fprintf(stderr, tty ? "\r[%s%s] %zu/%zu problems" : "[%s%s] %zu/%zu problems\n",
                     std::string(size_t(filled), '#').c_str(),
                     std::string(size_t(width - filled), ' ').c_str(), i + 1, problems.size());
    }
    if (tty) std::fputc('\n', stderr);
    if (interrupted.flag()->load())
        std::fprintf(stderr, "interrupted: the table covers the problems finished\n");

    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("problems", int(problems.size()))
            .field("n", s.n)
            .key("methods")
            .begin_array();
        for (const std::string& m : methods) {
            const Tally& t = tally[m];
            const double d = std::max(1, t.done);
            w.begin_object()
                .field("method", m)
                .field("done", t.done)
                .field("accuracy", t.correct / d)
                .field("policy_tokens", t.policy_tokens / d)
                .field("prm_tokens", t.prm_tokens / d)
                .field("rethinks", t.rethinks / d)
                .end_object();
        }
        w.end_array().end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf(
        "| method | accuracy | policy tokens / question | PRM tokens / question | rethinks / "
        "question |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
    for (const std::string& m : methods) {
        const Tally& t = tally[m];
        const double d = std::max(1, t.done);
        const std::string name =
            m == "bon" || m == "wbon" || m == "maj" ? m + " (N=" + std::to_string(s.n) + ")" : m;
        std::printf("| %s | %.1f%% (%d/%d) | %.1f | %.1f | %.2f |\n", name.c_str(),
                    100.0 * t.correct / d, t.correct, t.done, t.policy_tokens / d, t.prm_tokens / d,
                    t.rethinks / d);
    }
    return 0;
}

}  // namespace nqkv::cli
