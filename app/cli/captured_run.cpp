#include "app/cli/captured_run.h"

#include <algorithm>
#include <vector>

#include "app/cli/pictures.h"
#include "engine/backend_registry.h"
#include "engine/picture_prompt.h"

namespace nqkv::cli {

std::unique_ptr<InferenceContext> run_captured(
    const LlamaModel& model, const ContextParams& params, const std::string& text, const char* what,
    const std::vector<std::shared_ptr<const InputRows>>& pictures) {
    const Tokenizer& tok = model.tokenizer();
    PicturePrompt prompt;
    if (pictures.empty())
        prompt.ids = tok.encode(text, tok.add_bos(), what);
    else
        prompt = tokenize_with_pictures(tok, mark_pictures(text, pictures.size()), pictures,
                                        tok.add_bos());
    std::vector<int>& ids = prompt.ids;
    size_t n = std::min(ids.size(), size_t(params.n_ctx));
    RowAttachments whole;  // rows are read whole or not at all
    for (const auto& [pos, rows] : prompt.pictures) {
        if (size_t(pos + rows->n) > n) {
            n = std::min(n, size_t(pos));
            break;
        }
        whole.emplace_back(pos, rows);
    }
    ids.resize(n);
    auto ctx = create_backend("cpu")->create_context(model, params);
    ctx->set_rows(whole);
    ctx->set_kv_capture(true, size_t(1) << 30);
    std::vector<float> logits(static_cast<size_t>(model.hparams().n_vocab));
    if (!ids.empty()) ctx->eval(ids.data(), int(ids.size()), logits.data());
    return ctx;
}

}  // namespace nqkv::cli
