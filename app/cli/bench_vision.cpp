#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/common/picture_file.h"
#include "engine/cpu_kernels.h"
#include "engine/error.h"
#include "engine/json_writer.h"
#include "engine/thread_pool.h"
#include "engine/vision_encoder.h"

namespace nqkv::cli {
namespace {

// A 1024 x 768 picture of gradients, for timing without a file.
RgbImage gradient_picture() {
    RgbImage img;
    img.width = 1024;
    img.height = 768;
    img.pixels.resize(size_t(img.width) * size_t(img.height) * 3);
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            uint8_t* p = &img.pixels[(size_t(y) * size_t(img.width) + size_t(x)) * 3];
            p[0] = uint8_t(x / 4);
            p[1] = uint8_t(y / 3);
            p[2] = uint8_t((x + y) % 256);
        }
    return img;
}

}  // namespace

// nqkv bench --mmproj: the time a vision projector takes per picture.
int bench_vision(const Args& a) {
    const auto vm = VisionModel::load(*a.get("--mmproj"));
    const auto image = a.get("--image");
    const RgbImage img = image ? app::load_picture(*image) : gradient_picture();
    const int threads = a.get_int("--threads", 0, 0, 1024);
    const int reps = a.get_int("--reps", 1, 1, 1000);
    VisionEncoder enc(*vm, threads);
    std::vector<double> seconds;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        enc.encode(img, [&](int done, int total) {
            std::fprintf(stderr, "\rpicture %d of %d: layer %d of %d ", r + 1, reps, done, total);
        });
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::fprintf(stderr, "\n");
    double mean = 0, var = 0;
    for (double s : seconds) mean += s / double(reps);
    for (double s : seconds) var += (s - mean) * (s - mean) / double(reps);
    const VisionHParams& hp = vm->hparams();
    const int used = threads > 0 ? threads : physical_core_count();
    if (a.has("--json")) {
        JsonWriter w;
        w.begin_object()
            .field("projector", hp.projector)
            .field("file", vm->file().path())
            .field("isa", cpu_kernels().isa)
            .field("threads", used)
            .field("picture", image ? *image : std::string("1024 x 768 gradients"))
            .field("patches", hp.n_patches())
            .field("layers", hp.n_layer)
            .field("seconds_per_picture", mean)
            .field("stddev", std::sqrt(var))
            .field("seconds_per_layer", mean / hp.n_layer)
            .end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("| projector | isa | threads | patches | layers | s / picture | s / layer |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|\n");
    std::printf("| %s | %s | %d | %d | %d | %.2f ± %.2f | %.3f |\n", hp.projector.c_str(),
                cpu_kernels().isa, used, hp.n_patches(), hp.n_layer, mean, std::sqrt(var),
                mean / hp.n_layer);
    return 0;
}

}  // namespace nqkv::cli
