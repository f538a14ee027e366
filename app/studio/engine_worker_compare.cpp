// The engine worker's side-by-side comparison of KV cache configurations, with the prompt's
// pictures read as a message's are. It builds its own contexts, so the chat's cache is left as
// it was.
#include "app/studio/engine_worker.h"
#include "engine/chat_template.h"
#include "engine/error.h"
#include "engine/kv_compare.h"
#include "engine/picture_prompt.h"

namespace nqkv::studio {

void EngineWorker::compare(const QString& prompt, const QStringList& configs,
                           const ChatSettings& settings, int maxTokens,
                           const QList<QByteArray>& pictures) {
    cancelCompare_ = false;
    if (!model_) {
        emit compareFailed(tr("No model is loaded. Open a GGUF model first."));
        return;
    }
    try {
        if (prompt.trimmed().isEmpty())
            fail("the prompt is empty: type what every configuration answers");
        CompareOptions opt;
        for (const auto& c : configs)
            opt.configs.push_back(KvConfig::parse(c.toStdString(), "configuration"));
        opt.max_tokens = maxTokens;
        opt.sampling = settings.sampling();
        // The budget the chat's cache was given, else what its context allocates in fp16.
        opt.budget_bytes =
            settings.kvBudgetMiB > 0
                ? size_t(settings.kvBudgetMiB) << 20
                : (ctx_ ? ctx_->kv_stats().fp16_bytes_per_token * size_t(ctx_->n_ctx()) : 0);
        opt.cancel = &cancelCompare_;
        opt.progress = [&](int done, int total, const std::string& stage) {
            emit compareProgress(double(done) / total, QString::fromStdString(stage));
        };
        std::vector<ChatMessage> m;
        if (!settings.systemPrompt.trimmed().isEmpty())
            m.push_back({"system", settings.systemPrompt.toStdString()});
        m.push_back({"user", prompt.toStdString()});
        for (int i = 0; i < pictures.size(); ++i) {
            const auto rows = pictureRows(
                pictures[i], i, int(pictures.size()),
                [&](const QString& stage) { emit compareProgress(0, stage); }, cancelCompare_);
            if (!rows) fail("comparison cancelled");
            m.back().pictures.push_back(rows);
        }
        opt.pictures = message_pictures(m);
        session_->set_render_options(renderOptions(settings));
        const std::string rendered = session_->render(m);
        CompareResult result = compare_kv(*model_, *backend_, rendered, opt);
        result.reply_start = shown_reply_prefix(session_->reply_start(m));
        emit compareReady(result);
    } catch (const std::exception& e) {
        emit compareFailed(QString::fromStdString(e.what()));
    }
}

}  // namespace nqkv::studio
