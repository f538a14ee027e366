// Pictures on their way into a vision encoder: 8-bit RGB pixels, resized the way the
// encoder's own preprocessing does (Pillow's separable bilinear filter in 22-bit fixed point,
// which llama.cpp's mtmd reproduces as well), fitted into a square without changing their
// aspect ratio, and turned into normalised channel planes.
#pragma once

#include <cstdint>
#include <vector>

namespace nqkv {

struct RgbImage {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;  // width * height * 3, row by row, R G B
};

// The picture at width x height through Pillow's bilinear filter (which widens to the scale
// when shrinking, so that every source pixel counts). Throws Error on an empty picture or size.
RgbImage resize_bilinear(const RgbImage& img, int width, int height);

// The picture scaled to fit side x side keeping its aspect ratio (the long edge fills the
// square, the short one rounded up) and centred on black: llama.cpp's fixed-size preprocessing.
RgbImage fit_square(const RgbImage& img, int side);

// Three planes (R, G, B) of width * height floats, (v / 255 - mean[c]) / stddev[c].
std::vector<float> normalized_planes(const RgbImage& img, const float mean[3],
                                     const float stddev[3]);

}  // namespace nqkv
