#include "app/cli/pictures.h"

#include <cstdio>

#include "app/common/picture_file.h"
#include "app/common/projector_file.h"
#include "engine/error.h"
#include "engine/picture_prompt.h"
#include "engine/vision_encoder.h"

namespace nqkv::cli {

void add_picture_options(Args& a) {
    a.option("--mmproj", "FILE",
             "the model's vision projector (mmproj GGUF), for --image (default: the only "
             "mmproj*.gguf beside the model that fits it); Gemma 3's is supported");
    a.option("--image", "FILE",
             "a picture (PNG, JPEG, ...) for the prompt, where it says " +
                 std::string(kPictureMarker) + " (else before it); repeatable",
             true);
}

namespace {

std::shared_ptr<const InputRows> encode(const VisionModel& vision, const std::string& path,
                                        const std::string& which, int n_threads,
                                        const std::atomic<bool>* cancel) {
    const RgbImage img = app::load_picture(path);
    const auto progress = [&](int done, int total) {
        std::fprintf(stderr, "\rreading picture %s(%s, %d x %d): layer %d of %d ", which.c_str(),
                     path.c_str(), img.width, img.height, done, total);
        std::fflush(stderr);
    };
    auto rows = VisionEncoder(vision, n_threads).rows(img, progress, cancel);
    std::fprintf(stderr, "%s\n", rows ? "" : "(cancelled)");
    return rows;
}

// The one that comes with the model, where releases put it.
std::unique_ptr<VisionModel> projector_beside(const LlamaModel& model) {
    const std::string path = app::projector_beside(model);
    std::fprintf(stderr, "using the vision projector beside the model: %s\n", path.c_str());
    return VisionModel::load(path);
}

}  // namespace

CliPictures read_pictures(const Args& a, const LlamaModel& model, int n_threads,
                          const std::atomic<bool>* cancel, bool later) {
    CliPictures out;
    out.paths = a.get_all("--image");
    const auto mmproj = a.get("--mmproj");
    if (out.paths.empty() && !(later && mmproj)) {
        if (mmproj) fail("--mmproj ", *mmproj, " is given without a picture (--image FILE)");
        return out;
    }
    out.vision = mmproj ? VisionModel::load(*mmproj) : projector_beside(model);
    out.vision->check_pairs_with(model);
    for (size_t i = 0; i < out.paths.size(); ++i) {
        const std::string which =
            std::to_string(i + 1) + " of " + std::to_string(out.paths.size()) + " ";
        auto rows = encode(*out.vision, out.paths[i], which, n_threads, cancel);
        if (!rows) {
            out.rows.clear();
            return out;
        }
        out.rows.push_back(std::move(rows));
    }
    return out;
}

std::shared_ptr<const InputRows> encode_picture(CliPictures& p, const LlamaModel& model,
                                                const std::string& path, int n_threads,
                                                const std::atomic<bool>* cancel) {
    if (!p.vision) p.vision = projector_beside(model);
    return encode(*p.vision, path, "", n_threads, cancel);
}

std::string mark_pictures(const std::string& prompt, size_t n_pictures) {
    size_t marked = 0;
    for (size_t at = prompt.find(kPictureMarker); at != std::string::npos;
         at = prompt.find(kPictureMarker, at + kPictureMarker.size()))
        ++marked;
    std::string out;
    for (size_t i = marked; i < n_pictures; ++i) out += kPictureMarker;
    return out + prompt;
}

}  // namespace nqkv::cli
