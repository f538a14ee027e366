#include "engine/perplexity.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"

namespace nqkv {
namespace {

// log-softmax of one row of logits, in double.
void log_softmax(const float* x, int n, std::vector<double>& out) {
    out.resize(size_t(n));
    double max = x[0];
    for (int i = 1; i < n; ++i) max = std::max(max, double(x[i]));
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += std::exp(double(x[i]) - max);
    const double lse = max + std::log(sum);
    for (int i = 0; i < n; ++i) out[size_t(i)] = double(x[i]) - lse;
}

}  // namespace

std::vector<PplRow> compare_perplexity(const LlamaModel& model, Backend& backend,
                                       const std::string& text, const PplOptions& opt) {
    const Tokenizer& tok = model.tokenizer();
    const int n_vocab = model.hparams().n_vocab, n_ctx = opt.n_ctx;
    // Half of a chunk is scored by default; with the first scored position given (a prompt and
    // its reply, as compare_kv scores them), two tokens are enough.
    const int shortest = opt.score_from >= 0 ? 2 : 8;
    if (n_ctx < shortest)
        fail("perplexity: chunks of ", n_ctx, " tokens are too short (at least ", shortest, ")");
    PicturePrompt marked;
    if (!opt.pictures.empty())
        marked = tokenize_with_pictures(tok, text, opt.pictures, true);
    else
        marked.ids =
            opt.parse_special ? tok.encode_special(text, true) : tok.encode(text, true, "text");
    const std::vector<int>& tokens = marked.ids;
    if (!opt.pictures.empty() && int(tokens.size()) >= 2 * n_ctx)
        fail("perplexity with pictures: the text (", tokens.size(),
             " tokens) is read as one chunk, and chunks are ", n_ctx, " tokens");
    int n_chunks = int(tokens.size()) / n_ctx;
    if (opt.max_chunks > 0) n_chunks = std::min(n_chunks, opt.max_chunks);
    if (n_chunks < 1)
        fail("text: ", tokens.size(), " tokens are fewer than one chunk of ", n_ctx, " tokens");

    std::vector<KvConfig> configs{KvConfig::parse("fp16")};
    for (const auto& c : opt.configs)
        if (!(c.k == KvFormat::f16() && c.v == KvFormat::f16())) configs.push_back(c);
    std::vector<std::unique_ptr<InferenceContext>> ctxs;
    for (const auto& c : configs) {
        ContextParams cp;
        cp.n_ctx = n_ctx;
        cp.kv = c;
        cp.n_threads = opt.n_threads;
        cp.float_activations = opt.float_activations;
        ctxs.push_back(backend.create_context(model, cp));
        ctxs.back()->set_rows(marked.pictures);
    }

    const int first = opt.score_from < 0 ? n_ctx / 2 : opt.score_from;
    if (first >= n_ctx - 1)
        fail("perplexity: scoring from position ", first, " leaves nothing to score in ", n_ctx,
             "-token chunks");
    const int scored = n_ctx - first - 1;
    std::vector<double> nll(configs.size(), 0), kl(configs.size(), 0), agree(configs.size(), 0);
    std::vector<float> logits(size_t(n_ctx) * size_t(n_vocab));
    std::vector<std::vector<double>> base(
        static_cast<size_t>(scored));  // fp16 log-probs of this chunk
    std::vector<int> base_top(static_cast<size_t>(scored));
    std::vector<double> lp;
    std::vector<std::vector<double>> per_lp(configs.size()), per_kl(configs.size());
    std::vector<int> next_ids;
    std::vector<int> batch(static_cast<size_t>(n_ctx));
    for (int c = 0; c < n_chunks; ++c) {
        std::copy(tokens.begin() + long(c) * n_ctx, tokens.begin() + long(c + 1) * n_ctx,
                  batch.begin());
        if (tok.add_bos()) batch[0] = tok.bos();
        for (size_t k = 0; k < configs.size(); ++k) {
            if (opt.cancel && opt.cancel->load()) fail("perplexity: cancelled");
            ctxs[k]->truncate(0);
            ctxs[k]->eval(batch.data(), n_ctx, logits.data(), true);
            for (int j = 0; j < scored; ++j) {
                const int pos = first + j;
                const float* row = logits.data() + size_t(pos) * size_t(n_vocab);
                log_softmax(row, n_vocab, lp);
                const int next = tokens[size_t(c) * size_t(n_ctx) + size_t(pos) + 1];
                nll[k] -= lp[size_t(next)];
                if (opt.per_token) {
                    per_lp[k].push_back(lp[size_t(next)]);
                    if (k == 0) next_ids.push_back(next);
                }
                const int top = int(std::max_element(lp.begin(), lp.end()) - lp.begin());
                if (k == 0) {
                    if (opt.per_token) per_kl[k].push_back(0);
                    base[size_t(j)] = lp;
                    base_top[size_t(j)] = top;
                } else {
                    double d = 0;
                    const auto& b = base[size_t(j)];
                    for (int i = 0; i < n_vocab; ++i)
                        d += std::exp(b[size_t(i)]) * (b[size_t(i)] - lp[size_t(i)]);
                    kl[k] += d;
                    if (opt.per_token) per_kl[k].push_back(d);
                    agree[k] += top == base_top[size_t(j)];
                }
            }
        }
        if (opt.progress) opt.progress(c + 1, n_chunks);
    }

    const double count = double(n_chunks) * scored;
    const auto& hp = model.hparams();
    std::vector<PplRow> rows(configs.size());
    for (size_t k = 0; k < configs.size(); ++k) {
        PplRow& r = rows[k];
        r.config = configs[k];
        r.ppl = std::exp(nll[k] / count);
        r.delta_pct = 100.0 * (r.ppl / std::exp(nll[0] / count) - 1);
        r.mean_kl = k ? kl[k] / count : 0;
        r.top1_agree = k ? agree[k] / count : 1;
        r.bytes_per_token = kv_token_bytes(configs[k], hp, false).total();
        r.ctx_in_1gib = (size_t(1) << 30) / r.bytes_per_token;
        r.tokens_scored = int(count);
        r.token_logprob = std::move(per_lp[k]);
        r.token_kl = std::move(per_kl[k]);
        r.next_tokens = next_ids;
    }
    return rows;
}

}  // namespace nqkv
