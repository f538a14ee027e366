#include "engine/kv_compare.h"

#include <algorithm>

#include "engine/error.h"
#include "engine/generator.h"
#include "engine/llama_model.h"
#include "engine/picture_prompt.h"

namespace nqkv {

CompareResult compare_kv(const LlamaModel& model, Backend& backend, const std::string& prompt,
                         const CompareOptions& opt) {
    const Tokenizer& tok = model.tokenizer();
    const auto& hp = model.hparams();
    std::vector<KvConfig> configs{KvConfig::parse("fp16")};
    for (KvConfig c : opt.configs) {
        // Multi-head latent attention's values are part of its keys: a V format is moot, so a
        // configuration runs as its K format, and one that comes out the same runs once.
        if (hp.mla()) c.v = c.k;
        const bool seen = std::any_of(configs.begin(), configs.end(),
                                      [&](const KvConfig& o) { return o.name() == c.name(); });
        if (!seen && !(c.k == KvFormat::f16() && c.v == KvFormat::f16())) configs.push_back(c);
    }
    const int total = int(configs.size()) + 1;
    const auto cancelled = [&] { return opt.cancel && opt.cancel->load(); };

    CompareResult res;
    res.model = model.name();
    const PicturePrompt marked = tokenize_with_pictures(tok, prompt, opt.pictures, tok.add_bos());
    const std::vector<int>& prompt_ids = marked.ids;
    res.prompt_tokens = int(prompt_ids.size());
    res.pictures = int(opt.pictures.size());
    const size_t budget = opt.budget_bytes ? opt.budget_bytes : size_t(1) << 30;
    res.budget_bytes = budget;
    for (size_t k = 0; k < configs.size(); ++k) {
        if (opt.progress) opt.progress(int(k), total, "generating with " + configs[k].name());
        ContextParams cp;
        cp.kv = configs[k];
        cp.n_threads = opt.n_threads;
        cp.n_ctx = res.prompt_tokens + opt.max_tokens + 1;
        auto ctx = backend.create_context(model, cp);
        ctx->set_rows(marked.pictures);
        GenerateParams gp;
        gp.max_tokens = opt.max_tokens;
        gp.sampling = opt.sampling;
        const GenerateResult g = generate_from_ids(model, *ctx, prompt_ids, 0, gp, {}, opt.cancel);
        if (cancelled() || g.reason == StopReason::Cancelled) fail("comparison cancelled");
        CompareRow r;
        r.config = configs[k];
        r.text = g.text;
        r.ids = g.ids;
        IncrementalDecoder dec(tok);
        for (int id : g.ids) r.pieces.push_back(dec.push(id));
        if (!r.pieces.empty()) r.pieces.back() += dec.flush();
        r.tokens_per_second =
            g.generate_seconds > 0 ? double(g.ids.size()) / g.generate_seconds : 0;
        const KvStats st = ctx->kv_stats();
        r.kv_bytes = st.bytes_used;
        r.bytes_per_token = kv_token_bytes(configs[k], hp, false).total();
        r.ctx_in_budget = budget / r.bytes_per_token;
        if (k > 0) {
            const auto& base = res.rows[0].ids;
            const size_t n = std::min(base.size(), r.ids.size());
            for (size_t i = 0; i < n && r.first_divergence < 0; ++i)
                if (base[i] != r.ids[i]) r.first_divergence = int(i);
            if (r.first_divergence < 0 && base.size() != r.ids.size()) r.first_divergence = int(n);
        }
        res.rows.push_back(std::move(r));
    }

    if (opt.progress) opt.progress(total - 1, total, "scoring fp16's output");
    res.ppl_text = prompt + res.rows[0].text;
    const int text_tokens =
        int(tokenize_with_pictures(tok, res.ppl_text, opt.pictures, tok.add_bos()).ids.size());
    res.ppl_ctx = text_tokens;
    res.ppl_score_from = res.prompt_tokens - 1;
    if (text_tokens - res.ppl_score_from < 2)
        fail("fp16 wrote no text after the prompt, so there is nothing to score");
    PplOptions po;
    po.n_ctx = text_tokens;
    po.score_from = res.ppl_score_from;
    po.n_threads = opt.n_threads;
    po.per_token = true;
    po.parse_special = true;
    po.configs = configs;
    po.pictures = opt.pictures;
    po.cancel = opt.cancel;
    const std::vector<PplRow> ppl = compare_perplexity(model, backend, res.ppl_text, po);
    for (size_t k = 0; k < ppl.size(); ++k) res.rows[k].ppl = ppl[k];
    if (opt.progress) opt.progress(total, total, "done");
    return res;
}

}  // namespace nqkv
