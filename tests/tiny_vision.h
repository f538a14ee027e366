// Tiny random vision projectors (mmproj files) for the tests: Gemma 3's layout (a SigLIP
// transformer, pooling, RMSNorm, a projection) at a few dozen pixels, and tiny pictures.
#pragma once

#include <cstdint>
#include <string>

#include "engine/ggml_types.h"
#include "engine/image_prep.h"
#include "tests/tiny_model.h"

namespace nqkv::test {

struct TinyVision {
    int image_size = 32, patch_size = 4;  // 8 x 8 patches
    int merge = 2;                        // pooled into 4 x 4 = 16 rows
    int n_embd = 32, n_head = 2, n_ff = 48, layers = 2;
    int text_width = 64;                       // the language model's width
    TensorType matrix_type = TensorType::F32;  // the layers' matrices (the patches stay F32)
    std::string projector = "gemma3";          // clip.projector_type
    uint64_t seed = 7;
};

// Writes the projector into a fresh temporary directory and returns its path.
std::string write_tiny_vision(const TinyVision& spec);

// The tests' Gemma 3 that reads pictures: the BPE test vocabulary with Gemma 3's picture
// tokens, 64 wide (the default projector's text width), a context of 512.
TinySpec tiny_gemma3(int layers = 3, int window = 8);

// A seeded picture of smooth colour gradients and noise, width x height.
RgbImage tiny_picture(int width, int height, uint64_t seed);

// Writes the picture as a PNG into a fresh temporary directory and returns its path.
std::string write_png(const RgbImage& img);

}  // namespace nqkv::test
