// Gemma 3n's additions to Gemma 4's reader (llama_gemma4.cpp reads its attention, windows,
// shared keys and values and per-layer inputs): the AltUp streams, LAuReL and the sparse
// feed-forward gates, read as llama.cpp reads them. llama.cpp fixes some of these in its code
// (four streams, the first active, ten sparse layers at 1.6448533535 standard deviations);
// the engine reads what the file states and takes llama.cpp's values where it states nothing.
#include <algorithm>
#include <cmath>

#include "engine/error.h"
#include "engine/llama_hparams.h"
#include "engine/llama_model.h"

namespace nqkv {

void read_gemma3n_hparams(const GgufFile& f, const std::string& P, LlamaHParams& hp) {
    const int64_t n = f.get_int(P + "altup.num_inputs").value_or(4);
    if (n < 2 || n > 16)
        fail(f.path(), ": ", P, "altup.num_inputs ", n, " is out of range (2 to 16 streams)");
    hp.n_altup = int(n);
    // Every Gemma 3n model computes on the first stream, and llama.cpp and the reference
    // implementation both assume so where they merge the streams.
    if (const int64_t a = f.get_int(P + "altup.active_idx").value_or(0); a != 0)
        fail(f.path(), ": ", P, "altup.active_idx ", a,
             " is not supported (only 0: the first stream active, as in every Gemma 3n model)");
    hp.altup_active = 0;
    if (!hp.n_embd_per_layer)
        fail(f.path(), ": ", P, "embedding_length_per_layer_input is missing (Gemma 3n's layers ",
             "need their per-layer inputs)");
    const std::string key = P + "activation_sparsity_scale";
    hp.ffn_sparsity.assign(size_t(hp.n_layer), -INFINITY);
    if (const std::vector<GgufValue>* list = layer_list(f, key, hp.n_layer)) {
        for (size_t l = 0; l < list->size(); ++l) {
            const auto v = (*list)[l].as_double();
            if (!v || std::isnan(*v))
                fail(f.path(), ": ", key, " holds a value that is not a number at layer ", l);
            hp.ffn_sparsity[l] = float(*v);
        }
    } else {
        if (f.find(key)) fail(f.path(), ": ", key, " must list one value per layer");
        // llama.cpp's fixed choice: the first ten layers keep the top 5 % (the normal
        // distribution's 95th percentile).
        for (int l = 0; l < std::min(10, hp.n_layer); ++l)
            hp.ffn_sparsity[size_t(l)] = 1.6448533535003662f;
    }
}

void LlamaModel::read_altup() {
    const int d = hp_.n_embd, k = hp_.n_altup - 1;
    altup_.proj = matrices("altup_proj.weight", k, d, d);
    altup_.unembd = matrices("altup_unembd_proj.weight", k, d, d);
}

void LlamaModel::read_altup_layer(LlamaLayer& L, const std::string& p) const {
    const int d = hp_.n_embd, n = hp_.n_altup;
    L.altup_router = matrix(p + "altup_router.weight", n, d);
    L.altup_router_norm = vector(p + "altup_router_norm.weight", d);
    L.altup_predict = matrix(p + "altup_predict_coef.weight", int64_t(n) * n, n);
    L.altup_correct = matrix(p + "altup_correct_coef.weight", n, n);
    L.altup_correct_scale = vector(p + "altup_correct_scale.weight", d);
    const GgufTensorInfo* l = file_.tensor(p + "laurel_l.weight");
    if (!l) fail(file_.path(), ": required tensor ", p, "laurel_l.weight is missing");
    if (l->dims.size() != 2 || l->dims[1] == 0)
        fail(file_.path(), ": tensor ", p, "laurel_l.weight has shape ", l->shape_string(),
             ", expected [", d, ", rank]");
    const int64_t rank = int64_t(l->dims[1]);  // LAuReL's rank, 64 in every Gemma 3n model
    L.laurel_l = matrix(p + "laurel_l.weight", rank, d);
    L.laurel_r = matrix(p + "laurel_r.weight", d, rank);
    L.laurel_post_norm = vector(p + "laurel_post_norm.weight", d);
}

}  // namespace nqkv
