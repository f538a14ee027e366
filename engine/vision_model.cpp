#include "engine/vision_model.h"

#include <cstdint>

#include "engine/cpu_kernels.h"
#include "engine/error.h"

namespace nqkv {
namespace {

int positive(const GgufFile& f, const std::string& key) {
    const int64_t v = f.require_int(key);
    if (v <= 0 || v > (int64_t(1) << 20)) fail(f.path(), ": ", key, " is ", v, ", not a size");
    return int(v);
}

void read_triple(const GgufFile& f, const std::string& key, float out[3]) {
    if (!f.find(key)) return;
    const auto& a = f.require_array(key, GgufType::F32);
    if (a.size() != 3) fail(f.path(), ": ", key, " holds ", a.size(), " values, expected 3");
    for (int c = 0; c < 3; ++c) out[c] = float(a[size_t(c)].as_double().value_or(0.0));
}

}  // namespace

std::unique_ptr<VisionModel> VisionModel::load(const std::string& path) {
    std::unique_ptr<VisionModel> m(new VisionModel(GgufFile::open(path)));
    const GgufFile& f = m->file_;
    const std::string arch = f.get_string("general.architecture").value_or("");
    if (arch != "clip")
        fail(path, ": general.architecture is \"", arch,
             "\", not \"clip\": this is not a vision projector (mmproj) file");
    if (!f.get_bool("clip.has_vision_encoder").value_or(false))
        fail(path, ": this projector has no vision encoder (clip.has_vision_encoder is not set)");
    VisionHParams& hp = m->hp_;
    hp.projector = f.get_string("clip.vision.projector_type")
                       .value_or(f.get_string("clip.projector_type").value_or(""));
    if (hp.projector != "gemma3")
        fail(path, ": the vision projector \"", hp.projector,
             "\" is not supported yet (supported: gemma3, Gemma 3's)");
    hp.image_size = positive(f, "clip.vision.image_size");
    hp.patch_size = positive(f, "clip.vision.patch_size");
    hp.n_embd = positive(f, "clip.vision.embedding_length");
    hp.n_ff = positive(f, "clip.vision.feed_forward_length");
    hp.n_layer = positive(f, "clip.vision.block_count");
    hp.n_head = positive(f, "clip.vision.attention.head_count");
    hp.eps = float(f.get_float("clip.vision.attention.layer_norm_epsilon").value_or(1e-6));
    if (f.find("clip.vision.projector.scale_factor"))
        hp.n_merge = positive(f, "clip.vision.projector.scale_factor");
    read_triple(f, "clip.vision.image_mean", hp.mean);
    read_triple(f, "clip.vision.image_std", hp.stddev);
    for (int c = 0; c < 3; ++c)
        if (!(hp.stddev[c] > 0)) fail(path, ": clip.vision.image_std holds ", hp.stddev[c]);
    if (hp.image_size % hp.patch_size)
        fail(path, ": the image size ", hp.image_size, " is not a multiple of the patch size ",
             hp.patch_size);
    if (hp.patches_per_side() % hp.n_merge)
        fail(path, ": ", hp.patches_per_side(), " patches per side do not pool by ", hp.n_merge);
    if (hp.n_embd % hp.n_head)
        fail(path, ": the width ", hp.n_embd, " does not split into ", hp.n_head, " heads");
    if (!f.get_bool("clip.use_gelu").value_or(false))
        fail(path, ": clip.use_gelu is not set; this Gemma 3 projector's feed-forward is GELU");

    const int d = hp.n_embd, p = hp.patch_size;
    m->patch_embd_ = m->matrix("v.patch_embd.weight", d, 3 * int64_t(p) * p);
    m->patch_bias_ = m->vector("v.patch_embd.bias", d);
    m->position_embd_ = m->matrix("v.position_embd.weight", hp.n_patches(), d);
    for (int l = 0; l < hp.n_layer; ++l) {
        const std::string b = "v.blk." + std::to_string(l) + ".";
        VisionLayer L;
        L.ln1_w = m->vector(b + "ln1.weight", d);
        L.ln1_b = m->vector(b + "ln1.bias", d);
        L.ln2_w = m->vector(b + "ln2.weight", d);
        L.ln2_b = m->vector(b + "ln2.bias", d);
        L.wq = m->matrix(b + "attn_q.weight", d, d);
        L.wk = m->matrix(b + "attn_k.weight", d, d);
        L.wv = m->matrix(b + "attn_v.weight", d, d);
        L.wo = m->matrix(b + "attn_out.weight", d, d);
        L.bq = m->vector(b + "attn_q.bias", d, false);
        L.bk = m->vector(b + "attn_k.bias", d, false);
        L.bv = m->vector(b + "attn_v.bias", d, false);
        L.bo = m->vector(b + "attn_out.bias", d, false);
        L.up = m->matrix(b + "ffn_up.weight", hp.n_ff, d);
        L.down = m->matrix(b + "ffn_down.weight", d, hp.n_ff);
        L.b_up = m->vector(b + "ffn_up.bias", hp.n_ff, false);
        L.b_down = m->vector(b + "ffn_down.bias", d, false);
        m->layers_.push_back(L);
    }
    m->post_ln_w_ = m->vector("v.post_ln.weight", d);
    m->post_ln_b_ = m->vector("v.post_ln.bias", d);
    m->soft_emb_norm_ = m->vector("mm.soft_emb_norm.weight", d);

    // The projection is stored as n_embd rows of n_embd_text (its transpose): turned once, in
    // float, so that each output is one row's dot product like every other matrix here.
    const GgufTensorInfo* t = &f.computable("mm.input_projection.weight");
    const TypeTraits* tr = type_traits(uint32_t(t->type));
    if (t->dims.size() != 2 || int64_t(t->dims[1]) != d || t->dims[0] % uint64_t(tr->block_elems))
        fail(path, ": tensor mm.input_projection.weight has shape ", t->shape_string(),
             ", expected [text width, ", d, "]");
    hp.n_embd_text = int(t->dims[0]);
    const int dt = hp.n_embd_text;
    std::vector<float> row(static_cast<size_t>(dt));
    m->proj_data_.resize(size_t(dt) * size_t(d));
    const size_t stride = row_bytes(*tr, uint64_t(dt));
    for (int i = 0; i < d; ++i) {
        cpu_kernels().dequant_row(t->type, t->data + size_t(i) * stride, row.data(), dt);
        for (int o = 0; o < dt; ++o)
            m->proj_data_[size_t(o) * size_t(d) + size_t(i)] = row[size_t(o)];
    }
    m->proj_info_.name = "mm.input_projection.weight (turned)";
    m->proj_info_.dims = {uint64_t(d), uint64_t(dt)};
    m->proj_info_.type = TensorType::F32;
    m->proj_info_.n_elements = uint64_t(d) * uint64_t(dt);
    m->proj_info_.n_bytes = m->proj_info_.n_elements * sizeof(float);
    m->proj_info_.data = reinterpret_cast<const uint8_t*>(m->proj_data_.data());
    m->input_proj_ = WeightMatrix{&m->proj_info_, dt, d, size_t(d) * sizeof(float)};
    return m;
}

void VisionModel::check_pairs_with(const LlamaModel& model) const {
    if (model.architecture() != "gemma3")
        fail(file_.path(), ": Gemma 3's vision projector feeds Gemma 3 models, and ",
             model.file().path(), " is a ", model.architecture(), " model");
    if (model.hparams().n_embd != hp_.n_embd_text)
        fail(file_.path(), ": the projector writes rows of ", hp_.n_embd_text, " values and ",
             model.file().path(), " is ", model.hparams().n_embd,
             " wide: they belong to different model sizes");
}

uint64_t VisionModel::n_params() const {
    uint64_t n = 0;
    for (const GgufTensorInfo& t : file_.tensors()) n += t.n_elements;
    return n;
}

WeightMatrix VisionModel::matrix(const std::string& name, int64_t rows, int64_t cols) const {
    const GgufTensorInfo* t = &file_.computable(name);
    const TypeTraits* tr = type_traits(uint32_t(t->type));
    // The patch kernels are 4-D ([patch, patch, 3, n_embd]); every tensor is read as rows of
    // `cols` contiguous values.
    if (t->dims.empty() || t->n_elements != uint64_t(rows) * uint64_t(cols) ||
        t->dims.back() != uint64_t(rows) || uint64_t(cols) % uint64_t(tr->block_elems))
        fail(file_.path(), ": tensor ", name, " has shape ", t->shape_string(), ", expected ", rows,
             " rows of ", cols, " values");
    return WeightMatrix{t, rows, cols, row_bytes(*tr, uint64_t(cols))};
}

const float* VisionModel::vector(const std::string& name, int64_t n, bool required) const {
    return file_.f32_vector(name, n, required);
}

}  // namespace nqkv
