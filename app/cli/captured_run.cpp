#include "app/cli/captured_run.h"

#include <vector>

#include "engine/backend_registry.h"

namespace nqkv::cli {

std::unique_ptr<InferenceContext> run_captured(const LlamaModel& model, const ContextParams& params,
                                               const std::string& text, const char* what) {
    std::vector<int> ids = model.tokenizer().encode(text, model.tokenizer().add_bos(), what);
    if (ids.size() > size_t(params.n_ctx)) ids.resize(size_t(params.n_ctx));
    auto ctx = create_backend("cpu")->create_context(model, params);
    ctx->set_kv_capture(true, size_t(1) << 30);
    std::vector<float> logits(static_cast<size_t>(model.hparams().n_vocab));
    if (!ids.empty()) ctx->eval(ids.data(), int(ids.size()), logits.data());
    return ctx;
}

}  // namespace nqkv::cli
