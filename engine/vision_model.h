// A vision encoder and its projector, read from the separate GGUF ("mmproj") that multimodal
// releases ship beside the language model: general.architecture "clip", clip.vision.* keys and
// v.* / mm.* tensors, as llama.cpp's converter writes them. Gemma 3's projector (a SigLIP
// vision transformer, average pooling and a projection into the language model's width) is
// the one read; the others are refused by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/gguf_file.h"
#include "engine/llama_model.h"

namespace nqkv {

struct VisionHParams {
    std::string projector;  // clip.projector_type: "gemma3"
    int image_size = 0;     // the square the picture is fitted into
    int patch_size = 0;
    int n_embd = 0, n_ff = 0, n_layer = 0, n_head = 0;
    int n_embd_text = 0;  // the language model's width the projector writes
    int n_merge = 4;      // patches pooled per side into one token
    float eps = 1e-6f;
    float mean[3] = {0.5f, 0.5f, 0.5f}, stddev[3] = {0.5f, 0.5f, 0.5f};

    int patches_per_side() const { return image_size / patch_size; }
    int n_patches() const { return patches_per_side() * patches_per_side(); }
    int tokens_per_side() const { return patches_per_side() / n_merge; }
    int n_tokens() const { return tokens_per_side() * tokens_per_side(); }  // per image
    int head_size() const { return n_embd / n_head; }
};

struct VisionLayer {
    const float *ln1_w = nullptr, *ln1_b = nullptr, *ln2_w = nullptr, *ln2_b = nullptr;
    WeightMatrix wq, wk, wv, wo, up, down;
    const float *bq = nullptr, *bk = nullptr, *bv = nullptr, *bo = nullptr;
    const float *b_up = nullptr, *b_down = nullptr;
};

class VisionModel {
  public:
    // Opens and validates an mmproj file. Throws Error naming the file and the problem.
    static std::unique_ptr<VisionModel> load(const std::string& path);

    // Throws Error, naming both files, unless this projector feeds `model`: Gemma 3's
    // projector a gemma3 language model of the width it writes.
    void check_pairs_with(const LlamaModel& model) const;

    const GgufFile& file() const { return file_; }
    const VisionHParams& hparams() const { return hp_; }
    const std::vector<VisionLayer>& layers() const { return layers_; }
    // n_embd rows of 3 * patch * patch values: the patch convolution's kernels (channel, row,
    // column), and its bias.
    const WeightMatrix& patch_embd() const { return patch_embd_; }
    const float* patch_bias() const { return patch_bias_; }
    // One row of n_embd per patch (rows of the picture's patches, left to right).
    const WeightMatrix& position_embd() const { return position_embd_; }
    const float* post_ln_w() const { return post_ln_w_; }
    const float* post_ln_b() const { return post_ln_b_; }
    const float* soft_emb_norm() const { return soft_emb_norm_; }
    // n_embd_text rows of n_embd (the file stores its transpose; turned at load).
    const WeightMatrix& input_proj() const { return input_proj_; }

    uint64_t n_params() const;

  private:
    explicit VisionModel(GgufFile f) : file_(std::move(f)) {}
    WeightMatrix matrix(const std::string& name, int64_t rows, int64_t cols) const;
    const float* vector(const std::string& name, int64_t n, bool required = true) const;

    GgufFile file_;
    VisionHParams hp_;
    std::vector<VisionLayer> layers_;
    WeightMatrix patch_embd_, position_embd_, input_proj_;
    const float *patch_bias_ = nullptr, *post_ln_w_ = nullptr, *post_ln_b_ = nullptr;
    const float* soft_emb_norm_ = nullptr;
    GgufTensorInfo proj_info_;      // describes proj_data_
    std::vector<float> proj_data_;  // the projection, turned
};

}  // namespace nqkv
