#include "app/common/picture_file.h"

#include <stb_image.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "engine/error.h"

namespace nqkv::app {
namespace {

// Decoding is refused above this many pixels (a 10000 x 10000 picture): a vision encoder
// scales every picture to its own square anyway, and a damaged header must not make the
// decoder allocate gigabytes.
constexpr long long kMaxPixels = 100'000'000;

}  // namespace

RgbImage decode_picture(const unsigned char* data, size_t size, const std::string& what) {
    if (size == 0) fail(what, ": the file is empty");
    if (size > size_t(1) << 30) fail(what, ": the file is larger than 1 GiB");
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(data, int(size), &w, &h, &channels))
        fail(what, ": not a picture this program reads (PNG, JPEG, BMP, GIF, TGA, PSD, PNM): ",
             stbi_failure_reason());
    if (w <= 0 || h <= 0 || (long long)w * h > kMaxPixels)
        fail(what, ": ", w, " x ", h, " pixels is more than this program reads (",
             kMaxPixels / 1'000'000, " million)");
    std::unique_ptr<unsigned char, void (*)(void*)> px(
        stbi_load_from_memory(data, int(size), &w, &h, &channels, 3), stbi_image_free);
    if (!px) fail(what, ": the picture is damaged: ", stbi_failure_reason());
    RgbImage img;
    img.width = w;
    img.height = h;
    img.pixels.assign(px.get(), px.get() + size_t(w) * size_t(h) * 3);
    return img;
}

RgbImage load_picture(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) fail(path, ": cannot open the picture (no such file, or not readable)");
    const std::vector<unsigned char> bytes{std::istreambuf_iterator<char>(f),
                                           std::istreambuf_iterator<char>()};
    return decode_picture(bytes.data(), bytes.size(), path);
}

}  // namespace nqkv::app
