#include "engine/image_prep.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"

namespace nqkv {
namespace {

// Weights carry 22 fractional bits: 8-bit pixels times a weight below 1, summed over a few
// taps, stay inside an int32 with two bits of headroom.
constexpr int kFracBits = 22;

// One axis of the filter: for each output index, the first input index, how many inputs it
// reads and their fixed-point weights (ksize slots each).
struct AxisFilter {
    int ksize = 0;
    std::vector<int> first, count;
    std::vector<int32_t> weights;
};

AxisFilter bilinear_axis(int in, int out) {
    const double scale = double(in) / out;
    const double widen = std::max(scale, 1.0);  // shrinking averages over the whole footprint
    const double support = widen;               // the triangle reaches 1 unit, widened
    AxisFilter f;
    f.ksize = int(std::ceil(support)) * 2 + 1;
    f.first.resize(size_t(out));
    f.count.resize(size_t(out));
    f.weights.assign(size_t(out) * size_t(f.ksize), 0);
    std::vector<double> w(size_t(f.ksize));
    const double inv = 1.0 / widen;  // multiplied, not divided: the same rounding as Pillow's
    for (int o = 0; o < out; ++o) {
        const double centre = (o + 0.5) * scale;
        const int lo = std::max(0, int(centre - support + 0.5));
        const int hi = std::min(in, int(centre + support + 0.5));
        double sum = 0;
        for (int i = lo; i < hi; ++i) {
            const double d = std::abs((i - centre + 0.5) * inv);
            w[size_t(i - lo)] = d < 1.0 ? 1.0 - d : 0.0;
            sum += w[size_t(i - lo)];
        }
        f.first[size_t(o)] = lo;
        f.count[size_t(o)] = hi - lo;
        const double unit = std::ldexp(1.0, kFracBits);
        for (int i = 0; i < hi - lo; ++i) {
            const double v = (sum != 0.0 ? w[size_t(i)] / sum : w[size_t(i)]) * unit;
            // Half away from zero, then truncation: Pillow's rounding of the weights.
            f.weights[size_t(o) * size_t(f.ksize) + size_t(i)] = int32_t(v + (v < 0 ? -0.5 : 0.5));
        }
    }
    return f;
}

uint8_t to_byte(int32_t acc) {
    const int32_t v = acc >> kFracBits;
    return uint8_t(std::clamp(v, 0, 255));
}

// Resamples along x (rows stay rows) or along y, from `in` (w x h) into a picture `out_len`
// wide or tall.
RgbImage resample(const RgbImage& in, int out_len, bool along_x) {
    const AxisFilter f = bilinear_axis(along_x ? in.width : in.height, out_len);
    RgbImage out;
    out.width = along_x ? out_len : in.width;
    out.height = along_x ? in.height : out_len;
    out.pixels.resize(size_t(out.width) * size_t(out.height) * 3);
    const int32_t half = int32_t(1) << (kFracBits - 1);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            const int o = along_x ? x : y;
            const int32_t* k = &f.weights[size_t(o) * size_t(f.ksize)];
            int32_t acc[3] = {half, half, half};
            for (int j = 0; j < f.count[size_t(o)]; ++j) {
                const int sx = along_x ? f.first[size_t(o)] + j : x;
                const int sy = along_x ? y : f.first[size_t(o)] + j;
                const uint8_t* p = &in.pixels[(size_t(sy) * size_t(in.width) + size_t(sx)) * 3];
                for (int c = 0; c < 3; ++c) acc[c] += int32_t(p[c]) * k[j];
            }
            uint8_t* q = &out.pixels[(size_t(y) * size_t(out.width) + size_t(x)) * 3];
            for (int c = 0; c < 3; ++c) q[c] = to_byte(acc[c]);
        }
    return out;
}

void check(const RgbImage& img) {
    if (img.width <= 0 || img.height <= 0 ||
        img.pixels.size() != size_t(img.width) * size_t(img.height) * 3)
        fail("image: ", img.width, " x ", img.height, " pixels with ", img.pixels.size(),
             " bytes is not an RGB picture");
}

}  // namespace

RgbImage resize_bilinear(const RgbImage& img, int width, int height) {
    check(img);
    if (width <= 0 || height <= 0) fail("image: cannot resize to ", width, " x ", height);
    RgbImage out = img;
    if (width != out.width) out = resample(out, width, true);  // across first, as Pillow does
    if (height != out.height) out = resample(out, height, false);
    return out;
}

RgbImage fit_square(const RgbImage& img, int side) {
    check(img);
    if (img.width == side && img.height == side) return img;
    // In float, as the reference computes it, so that the rounded-up edges agree with it.
    const float scale = std::min(float(side) / float(img.width), float(side) / float(img.height));
    const int w = std::min(int(std::ceil(float(img.width) * scale)), side);
    const int h = std::min(int(std::ceil(float(img.height) * scale)), side);
    const RgbImage scaled = resize_bilinear(img, w, h);
    RgbImage out;
    out.width = out.height = side;
    out.pixels.assign(size_t(side) * size_t(side) * 3, 0);
    const int x0 = (side - w) / 2, y0 = (side - h) / 2;
    for (int y = 0; y < h; ++y)
        std::copy_n(&scaled.pixels[size_t(y) * size_t(w) * 3], size_t(w) * 3,
                    &out.pixels[(size_t(y + y0) * size_t(side) + size_t(x0)) * 3]);
    return out;
}

std::vector<float> normalized_planes(const RgbImage& img, const float mean[3],
                                     const float stddev[3]) {
    check(img);
    const size_t n = size_t(img.width) * size_t(img.height);
    std::vector<float> out(3 * n);
    for (size_t i = 0; i < n; ++i)
        for (int c = 0; c < 3; ++c)
            out[size_t(c) * n + i] =
                (float(img.pixels[i * 3 + size_t(c)]) / 255.0f - mean[c]) / stddev[c];
    return out;
}

}  // namespace nqkv
