// A plain float64 pass of a vision projector (Gemma 3's): no threads, no kernels, every
// product written out. The engine's vision encoder is tested against it.
#pragma once

#include <vector>

#include "engine/image_prep.h"

namespace nqkv {
class VisionModel;
}

namespace nqkv::test {

// n_tokens rows of n_embd_text values, the picture fitted into the encoder's square as the
// engine fits it (fit_square, normalized_planes).
std::vector<double> naive_vision(const VisionModel& model, const RgbImage& img);

}  // namespace nqkv::test
