#include <cstdio>
#include <map>
#include <string>

#include "app/cli/commands.h"
#include "engine/ggml_types.h"
#include "engine/json_writer.h"
#include "engine/vision_model.h"

namespace nqkv::cli {

// `nqkv info --mmproj FILE`: what a vision projector is and what a picture costs.
int print_vision_info(const std::string& path, bool json) {
    const auto vm = VisionModel::load(path);
    const VisionHParams& hp = vm->hparams();
    std::map<std::string, int> types;
    uint64_t bytes = 0;
    for (const auto& t : vm->file().tensors()) {
        types[type_name(t.type)]++;
        bytes += t.n_bytes;
    }
    std::string type_list;
    for (const auto& [name, n] : types)
        type_list += (type_list.empty() ? "" : ", ") + name + " x" + std::to_string(n);
    if (json) {
        JsonWriter w;
        w.begin_object()
            .field("file", path)
            .field("projector", hp.projector)
            .field("parameters", vm->n_params())
            .field("weight_bytes", bytes)
            .field("image_size", hp.image_size)
            .field("patch_size", hp.patch_size)
            .field("patches", hp.n_patches())
            .field("n_embd", hp.n_embd)
            .field("n_layer", hp.n_layer)
            .field("n_head", hp.n_head)
            .field("n_ff", hp.n_ff)
            .field("pooling", hp.n_merge)
            .field("tokens_per_picture", hp.n_tokens())
            .field("text_width", hp.n_embd_text)
            .end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("file:          %s\n", path.c_str());
    std::printf("projector:     %s (a vision encoder for %d-wide %s models)\n",
                hp.projector.c_str(), hp.n_embd_text, hp.projector.c_str());
    std::printf("parameters:    %.1f M, %s (%s)\n", double(vm->n_params()) / 1e6,
                human_bytes(double(bytes)).c_str(), type_list.c_str());
    std::printf("pictures:      fitted into %d x %d pixels, %d x %d patches of %d pixels\n",
                hp.image_size, hp.image_size, hp.patches_per_side(), hp.patches_per_side(),
                hp.patch_size);
    std::printf("encoder:       %d layers of width %d, %d heads of %d, feed-forward %d\n",
                hp.n_layer, hp.n_embd, hp.n_head, hp.head_size(), hp.n_ff);
    std::printf("per picture:   %d tokens (patches pooled %d x %d) of the model's context\n",
                hp.n_tokens(), hp.n_merge, hp.n_merge);
    return 0;
}

}  // namespace nqkv::cli
