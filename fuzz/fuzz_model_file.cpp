// libFuzzer target: any bytes as a model file, and as a vision projector (mmproj) file. Loading
// either succeeds (then the tokenizer encodes and decodes a text, and a small model reads two
// tokens; a small projector encodes a picture) or throws nqkv::Error, whose message names the
// file. Anything else (a crash, a sanitizer report, another exception
// escaping) is a bug.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/kv_block_map.h"
#include "engine/llama_model.h"
#include "engine/vision_encoder.h"

namespace {

// The bytes as a file that only this process sees: the loader maps files, so it reads them
// from a path.
std::string as_file(const uint8_t* data, size_t size, int& fd) {
    fd = memfd_create("fuzz.gguf", 0);
    if (fd < 0) __builtin_trap();
    for (size_t done = 0; done < size;) {
        const ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) __builtin_trap();
        done += size_t(n);
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

void use(const nqkv::LlamaModel& model) {
    const nqkv::Tokenizer& tok = model.tokenizer();
    const std::vector<int> ids = tok.encode("Ana has 12 apples. Ünïcode 名字 <|im_end|>", true);
    (void)tok.decode(ids);
    (void)tok.encode_special("<s>2 + 2 = 4</s>", false);
    // Small models only: a fuzzed file may describe a large one whose weights fit the file.
    if (model.n_params() > 4'000'000) return;
    // The fp16 cache, and 3-bit codes (which pack across bytes) with their block inspection.
    for (const char* kv : {"fp16", "nq3"}) {
        nqkv::ContextParams cp;
        cp.n_ctx = 8;
        cp.n_threads = 1;
        cp.kv = nqkv::KvConfig::parse(kv);
        auto ctx = nqkv::make_cpu_backend()->create_context(model, cp);
        ctx->set_kv_capture(true);
        const int n_vocab = model.hparams().n_vocab;
        std::vector<float> logits(size_t(n_vocab) * 2);
        const int tokens[2] = {std::max(0, tok.bos()), n_vocab > 1 ? 1 : 0};
        ctx->eval(tokens, 2, logits.data(), true);
        (void)ctx->kv_stats();
        // Values inside the keys (latent attention) are mapped as keys.
        const nqkv::KvKind kind = model.hparams().mla() ? nqkv::KvKind::K : nqkv::KvKind::V;
        (void)nqkv::block_map(ctx->kv_cache(), kind, nqkv::BlockMetric::Ks, 2);
    }
}

// A small projector encodes a small picture (one that needs resizing and a letterbox).
void use(const nqkv::VisionModel& vision) {
    const nqkv::VisionHParams& hp = vision.hparams();
    if (vision.n_params() > 2'000'000 || hp.image_size > 64 || hp.n_ff > 4096) return;
    nqkv::RgbImage img;
    img.width = 7;
    img.height = 3;
    for (int i = 0; i < img.width * img.height * 3; ++i) img.pixels.push_back(uint8_t(i * 37));
    (void)nqkv::VisionEncoder(vision, 1).encode(img);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    int fd = -1;
    const std::string path = as_file(data, size, fd);
    const auto report = [](const nqkv::Error& e) {
        if (!*e.what()) __builtin_trap();  // an error says what is wrong
        if (std::getenv("NQKV_FUZZ_VERBOSE")) std::fprintf(stderr, "error: %s\n", e.what());
    };
    try {
        use(*nqkv::LlamaModel::load(path));
    } catch (const nqkv::Error& e) {
        report(e);
    }
    try {
        use(*nqkv::VisionModel::load(path));
    } catch (const nqkv::Error& e) {
        report(e);
    }
    close(fd);
    return 0;
}
