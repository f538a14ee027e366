// Turns a picture into the rows a language model reads in its place, on the CPU: Gemma 3's
// SigLIP vision transformer (patches, learned positions, pre-norm layers of full attention and
// a GELU feed-forward, a final LayerNorm), then its projector (average pooling of n_merge x
// n_merge patches, RMSNorm, a projection into the language model's width).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "engine/aligned_vector.h"
#include "engine/cpu_matmul.h"
#include "engine/image_prep.h"
#include "engine/input_rows.h"
#include "engine/thread_pool.h"
#include "engine/vision_model.h"

namespace nqkv {

class VisionEncoder {
  public:
    VisionEncoder(const VisionModel& model, int n_threads = 0);

    // hparams().n_tokens() rows of n_embd_text floats for the picture (fitted into the
    // encoder's square first). `progress` gets (layers done, layers) as it goes; a set `cancel`
    // stops it between layers and returns no rows.
    std::vector<float> encode(const RgbImage& img,
                              const std::function<void(int, int)>& progress = {},
                              const std::atomic<bool>* cancel = nullptr);
    // The same as rows a context can attach (bidirectional where the projector's language
    // model reads pictures so: Gemma 3's); null when cancelled.
    std::shared_ptr<const InputRows> rows(const RgbImage& img,
                                          const std::function<void(int, int)>& progress = {},
                                          const std::atomic<bool>* cancel = nullptr);

  private:
    void embed_patches(const std::vector<float>& planes);
    void layer(const VisionLayer& L);
    void attention(const VisionLayer& L);
    std::vector<float> project();
    void layer_norm(const float* w, const float* b, const float* in, float* out);

    const VisionModel& model_;
    const VisionHParams& hp_;
    ThreadPool pool_;
    CpuMatmul matmul_;
    // x_: the residual stream, one row per patch; the rest working rows.
    AlignedVector<float> x_, h_, q_, k_, v_, o_, ff_, head_q_, head_k_, head_vt_, scores_, head_o_;
};

}  // namespace nqkv
