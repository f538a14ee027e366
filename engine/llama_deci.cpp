// Llama-Nemotron's layout (deci: Llama-3.1-Nemotron-51B, Llama-3.3-Nemotron-Super-49B,
// Llama-3.1-Nemotron-Ultra-253B), read as llama.cpp reads it: llama's layers, each with its own
// key/value head count and feed-forward width, some without attention or with it replaced by
// one projection, some without a feed-forward.
#include <algorithm>
#include <optional>

#include "engine/error.h"
#include "engine/llama_hparams.h"
#include "engine/llama_model.h"

namespace nqkv {

void read_deci_layout(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const std::string hkey = P + "attention.head_count", kvkey = P + "attention.head_count_kv";
    const size_t n = size_t(hp.n_layer);
    std::vector<int64_t> heads(n), kv(n);
    // One count per layer, or one for all (required unless a fallback is given).
    const auto per_layer = [&](const std::string& key, std::vector<int64_t>& out,
                               std::optional<int64_t> fallback) {
        if (const std::vector<GgufValue>* list = layer_list(f, key, hp.n_layer)) {
            for (size_t l = 0; l < n; ++l) {
                out[l] = (*list)[l].as_int().value_or(-1);
                if (out[l] < 0 || out[l] > (1 << 16))
                    fail(f.path(), ": ", key, " holds ", out[l], " at layer ", l, ", out of range");
            }
        } else {
            const int64_t v = fallback ? f.get_int(key).value_or(*fallback) : f.require_int(key);
            std::fill(out.begin(), out.end(), positive_int(f, key, v));
        }
    };
    per_layer(hkey, heads, std::nullopt);
    hp.n_head = int(*std::max_element(heads.begin(), heads.end()));
    if (hp.n_head == 0) fail(f.path(), ": ", hkey, " leaves no layer with attention heads");
    per_layer(kvkey, kv, hp.n_head);
    hp.ffn_only_layers.assign(n, 0);
    hp.linear_attn_layers.assign(n, 0);
    hp.layer_heads_kv.assign(n, 0);
    for (size_t l = 0; l < n; ++l) {
        if (heads[l] != 0 && heads[l] != hp.n_head)
            fail(f.path(), ": ", hkey, " gives layers ", heads[l], " and ", hp.n_head,
                 " query heads; one count (or 0 for a layer without attention) is supported");
        if (heads[l] == 0 && kv[l] != 0)
            fail(f.path(), ": ", kvkey, " gives layer ", l, " ", kv[l],
                 " key/value heads but it has no query heads");
        hp.ffn_only_layers[l] = heads[l] == 0;
        hp.linear_attn_layers[l] = heads[l] != 0 && kv[l] == 0;
        if (kv[l] == 0) continue;
        if (hp.n_head % kv[l] != 0)
            fail(f.path(), ": head count ", hp.n_head, " is not a multiple of ", kv[l], " (", kvkey,
                 ", layer ", l, ")");
        hp.layer_heads_kv[l] = int(kv[l]);
        if (!hp.n_head_kv) hp.n_head_kv = int(kv[l]);
    }
    // Layers without attention take the first count, so that every layer's sizes stay defined.
    if (!hp.n_head_kv) hp.n_head_kv = hp.n_head;
    for (int& h : hp.layer_heads_kv)
        if (!h) h = hp.n_head_kv;
    if (std::all_of(hp.layer_heads_kv.begin(), hp.layer_heads_kv.end(),
                    [&](int h) { return h == hp.n_head_kv; }))
        hp.layer_heads_kv.clear();
    if (const GgufValue* ff = f.find(P + "feed_forward_length"); ff && ff->as_array())
        read_layer_widths(f, P, hp);
    else
        hp.n_ff =
            positive_int(f, P + "feed_forward_length", f.require_int(P + "feed_forward_length"));
    if (const auto s = f.get_float(P + "attention.scale"); s && *s > 0) hp.attn_scale = float(*s);
}

}  // namespace nqkv
