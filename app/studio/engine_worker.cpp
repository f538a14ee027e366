#include "app/studio/engine_worker.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <chrono>

#include "app/common/picture_file.h"
#include "app/common/projector_file.h"
#include "app/studio/stream_pacer.h"
#include "engine/activation_quant.h"
#include "engine/backend_registry.h"
#include "engine/error.h"
#include "engine/kv_analysis.h"
#include "engine/vision_encoder.h"

namespace nqkv::studio {
namespace {

// Reads the file once, in chunks, before it is mapped: on a cold disk this is where a load
// spends its time, and it is the part that can report progress and be cancelled.
bool readThrough(const QString& path, const std::atomic<bool>& cancel,
                 const std::function<void(double)>& progress) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return true;  // the loader reports the real error
    const qint64 total = f.size();
    QByteArray chunk;
    qint64 done = 0;
    for (;;) {
        if (cancel) return false;
        chunk = f.read(qint64(4) << 20);
        if (chunk.isEmpty()) break;
        done += chunk.size();
        if (total > 0) progress(double(done) / double(total));
    }
    return true;
}

}  // namespace

ChatRenderOptions EngineWorker::renderOptions(const ChatSettings& s) {
    ChatRenderOptions o;
    o.reasoning_effort = s.reasoningEffort.toStdString();
    o.thinking = s.thinking;
    o.default_system = s.defaultSystem;
    return o;
}

qint64 EngineWorker::steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

EngineWorker::EngineWorker(QObject* parent) : QObject(parent) {}

void EngineWorker::requestStop(quint64 requestId) {
    stopAtNs_ = steadyNs();
    stopThrough_ = requestId;
}
EngineWorker::~EngineWorker() = default;

void EngineWorker::loadModel(const QString& path, const QString& backend) {
    cancelLoad_ = false;
    try {
        const QString reading = tr("Reading %1").arg(QFileInfo(path).fileName());
        emit loadProgress(0, reading);
        const bool read =
            readThrough(path, cancelLoad_, [&](double f) { emit loadProgress(0.9 * f, reading); });
        if (!read) {
            emit loadFailed(path, tr("Loading was cancelled."));
            return;
        }
        emit loadProgress(0.9, tr("Checking the model"));
        auto model = LlamaModel::load(path.toStdString());
        if (cancelLoad_) {
            emit loadFailed(path, tr("Loading was cancelled."));
            return;
        }
        const std::string wanted = backend.isEmpty() ? "auto" : backend.toStdString();
        auto be = create_backend(wanted, model->hparams());
        // Automatic selection that lands on the CPU says why there is no GPU.
        backendNote_ = wanted == "auto" && be->name() == "cpu"
                           ? QString::fromStdString(probe_cuda().message)
                           : QString();
        auto ctx = makeContext(*be, *model, ctxSettings_);
        // The old model goes only now that the new one and its context are known to be good.
        session_.reset();
        ctx_ = std::move(ctx);
        model_ = std::move(model);
        backend_ = std::move(be);
        path_ = path;
        session_ = std::make_unique<ChatSession>(*model_, *ctx_);
        // The projector released beside the model, when exactly one there fits it.
        vision_.reset();
        pictureRows_.clear();
        if (const auto found = app::projectors_beside(*model_); found.size() == 1)
            vision_ = VisionModel::load(found[0]);
        emit loadProgress(1, tr("Ready"));
        emit modelLoaded(describe());
        emitState();
    } catch (const std::exception& e) {
        emit loadFailed(path, QString::fromStdString(e.what()));
    }
}

void EngineWorker::loadProjector(const QString& path) {
    try {
        if (!model_) throw Error(tr("Open a model first.").toStdString());
        auto vision = VisionModel::load(path.toStdString());
        vision->check_pairs_with(*model_);
        vision_ = std::move(vision);
        pictureRows_.clear();
        emit contextChanged(describe());
    } catch (const std::exception& e) {
        emit projectorFailed(path, QString::fromStdString(e.what()));
    }
}

void EngineWorker::ensureContext(const ChatSettings& s) {
    if (ctx_ && s.sameCache(ctxSettings_)) return;
    session_.reset();
    ctx_.reset();
    ctx_ = makeContext(*backend_, *model_, s);
    session_ = std::make_unique<ChatSession>(*model_, *ctx_);
    ctxSettings_ = s;
}

std::unique_ptr<InferenceContext> EngineWorker::makeContext(Backend& backend,
                                                            const LlamaModel& model,
                                                            const ChatSettings& s) {
    ContextParams p;
    p.kv = KvConfig::parse(s.kvSpec().toStdString(), "KV configuration");
    p.n_ctx = s.contextSize;
    p.kv_budget = size_t(s.kvBudgetMiB) << 20;
    auto ctx = backend.create_context(model, p);
    ctx->set_kv_capture(true, kCaptureBytes);
    return ctx;
}

ModelInfo EngineWorker::describe() const {
    ModelInfo m;
    const LlamaHParams& hp = model_->hparams();
    m.path = path_;
    if (vision_) {
        m.visionProjector = QString::fromStdString(vision_->file().path());
        m.visionTokens = vision_->hparams().n_tokens();
    }
    m.name = QString::fromStdString(model_->name());
    m.architecture =
        QString::fromStdString(model_->file().get_string("general.architecture").value_or("?"));
    m.chatFormat = chat_format_name(session_->format());
    m.thinkingPrompt = thinking_prompt_name(session_->thinking_prompt());
    m.takesReasoningEffort = session_->format() == ChatFormat::GptOss;
    m.defaultSystem = QString::fromStdString(session_->default_system());
    if (const QString prefix =
            QString::fromStdString(shown_reply_prefix(session_->reply_prefix())).trimmed();
        !prefix.isEmpty())
        m.chatFormat = tr("%1, replies begin with “%2”").arg(m.chatFormat, prefix);
    m.backend = QString::fromStdString(backend_->description());
    if (!backendNote_.isEmpty()) m.backend += " — " + tr("no GPU: %1").arg(backendNote_);
    m.parameters = model_->n_params();
    m.weightBytes = model_->weight_bytes();
    m.fileBytes = quint64(QFileInfo(path_).size());
    QMap<QString, int> types;
    QMap<QString, QString> integer;  // matrix types the CPU multiplies with integers
    for (const auto& t : model_->file().tensors()) {
        types[type_name(t.type)] += 1;
        if (const TensorType act = activation_type(t.type);
            t.dims.size() >= 2 && act != TensorType::F32 && backend_->name() == "cpu")
            integer[type_name(t.type)] = type_name(act);
    }
    for (auto it = types.begin(); it != types.end(); ++it)
        m.weightTypes << QString("%1 × %2").arg(it.key()).arg(it.value());
    for (auto it = integer.begin(); it != integer.end(); ++it)
        m.integerMatmul << QString("%1 (%2)").arg(it.key(), it.value());
    m.nLayer = hp.n_layer;
    m.convLayers = hp.n_conv_layer();
    m.convKernel = hp.conv_kernel;
    m.ssmLayers = hp.n_ssm_layer();
    m.kvLayers = hp.n_kv_layer();
    m.kvRows = hp.kv_rows();
    m.ssmState = hp.ssm_state;
    m.deltaNet = hp.delta_net;
    m.ssmBesideAttention = hp.ssm_beside_attention;
    m.ssmHeads = hp.ssm_heads;
    m.gatedAttention = hp.attn_output_gate;
    m.ffnBesideAttention = hp.parallel_ffn;
    m.layerNorm = hp.layer_norm;
    m.recurrentStateBytes = recurrent_state_bytes(hp, ctx_->n_ctx());
    m.nEmbd = hp.n_embd;
    m.nHead = hp.n_head;
    m.nHeadKv = hp.n_head_kv;
    m.headDim = hp.head_dim;
    for (int l = 0; l < hp.n_layer && !hp.uniform_heads(); ++l) {
        if (hp.attention(l) && !hp.windowed(l)) m.nHeadKv = hp.heads_kv(l);
        if (hp.windowed(l) && !m.headDimSwa) {
            m.nHeadKvSwa = hp.heads_kv(l);
            m.headDimSwa = hp.head_size(l);
        }
    }
    m.kvSharedLayers = hp.n_kv_shared;
    m.embdPerLayer = hp.n_embd_per_layer;
    m.altupStreams = hp.n_altup;
    m.laurelRank = hp.n_altup ? int(model_->layers()[0].laurel_l.rows) : 0;
    for (int l = 0; l < hp.n_layer; ++l) {
        m.sparseFfnLayers += hp.sparse_ffn(l);
        if (hp.linear_attn_layers.empty()) continue;  // Llama-Nemotron's kinds of layer
        m.linearAttnLayers += hp.linear_attn(l);
        m.attentionFreeLayers += hp.ffn_only(l);
        m.ffnFreeLayers += !hp.has_ffn(l);
    }
    m.mlaRank = hp.mla_rank;
    m.mlaRope = hp.mla() ? hp.n_rot : 0;
    m.mlaQuery = hp.mla() ? hp.mla_nope + hp.n_rot : 0;
    m.mlaValue = hp.mla_v_dim;
    m.nVocab = hp.n_vocab;
    m.tokenizer = QString::fromStdString(model_->tokenizer().kind());
    m.nFf = hp.n_ff;
    m.gatelessFfn = hp.ffn_relu2 ? "relu2" : !hp.xielu.empty() ? "xielu" : "";
    m.contextTrain = hp.n_ctx_train;
    m.contextSize = ctx_->n_ctx();
    m.slidingWindow = hp.swa_window;
    m.windowedLayers = hp.windowed_layers();
    m.experts = hp.n_expert;
    m.expertsUsed = hp.n_expert_used;
    m.expertStep = hp.moe_step;
    m.expertsWeighedFirst = hp.expert_weight_first;
    m.expertsOnLayerInput = hp.router_on_input;
    m.chunkedAttention = hp.swa_chunked;
    m.warmedAfter = hp.attn_temp_unroped ? hp.attn_temp_floor : 0;
    m.attnSoftcap = hp.attn_softcap;
    m.logitSoftcap = hp.final_softcap;
    m.ropeBase = hp.rope_base;
    m.ropeLinear = hp.rope_scale;
    m.ropeYarn = hp.rope_yarn_factor;
    m.ropeFactors =
        !hp.rope_freq_factors.empty() && hp.rope_yarn_factor == 0 && hp.rope_sections.empty();
    for (int s : hp.rope_sections) m.ropeSections << s;
    for (int l = 0; l < hp.n_layer; ++l) m.unropedLayers += hp.attention(l) && !hp.roped(l);
    m.embdScale = hp.embd_scale;
    m.residualScale = hp.residual_scale;
    m.logitScale = hp.logit_scale;
    const KvStats kv = ctx_->kv_stats();
    m.kvBytesPerToken = kv.bytes_per_token;
    m.kvBytesPerTokenFp16 = kv.fp16_bytes_per_token;
    m.kvBytesAllocated = kv.bytes_allocated;
    m.kvRing = kv.ring;
    return m;
}

void EngineWorker::emitState() {
    if (!ctx_) return;
    emit kvStats(ctx_->kv_stats());
    emit speed(0, ctx_->n_past(), ctx_->n_ctx());
}

void EngineWorker::reply(quint64 requestId, const QList<ChatTurn>& turns,
                         const ChatSettings& settings) {
    std::atomic<bool> stop{stopThrough_ >= requestId};
    if (!model_) {
        emit replyFailed(requestId, tr("No model is loaded. Open a GGUF model first."));
        return;
    }
    try {
        const bool rebuilt = !settings.sameCache(ctxSettings_);
        ensureContext(settings);
        if (rebuilt) emit contextChanged(describe());
        std::vector<ChatMessage> messages;
        if (!settings.systemPrompt.trimmed().isEmpty())
            messages.push_back({"system", settings.systemPrompt.toStdString()});
        for (const auto& t : turns)
            messages.push_back({t.role.toStdString(), t.content.toStdString()});
        if (!readPictures(requestId, turns, messages, stop)) {
            ReplyStats st;  // stopped before its first token, as a reply stopped then would be
            st.stopReason = stop_reason_name(StopReason::Cancelled);
            emit replyFinished(requestId, {}, st);
            return;
        }
        if (settings.arEnabled) {
            arReply(requestId, messages, settings, stop);
            return;
        }

        GenerateParams gp;
        gp.max_tokens = settings.maxTokens;
        gp.ignore_eos = settings.ignoreEos;
        gp.sampling = settings.sampling();

        StreamPacer pacer([&](const QString& t) { emit replyText(requestId, t); },
                          [&](double tps) {
                              emit speed(tps, ctx_->n_past(), ctx_->n_ctx());
                              emit kvStats(ctx_->kv_stats());
                          });
        const auto sink = [&](int id, const std::string& text) {
            if (stopThrough_ >= requestId) stop = true;
            pacer.token(id, QString::fromStdString(text));
        };
        session_->set_overflow(parse_context_overflow(settings.contextOverflow.toStdString()));
        session_->set_render_options(renderOptions(settings));
        const GenerateResult r = session_->reply(messages, gp, sink, &stop);
        pacer.flush();

        ReplyStats st;
        st.promptTokens = int(r.prompt_ids.size());
        st.reusedTokens = session_->reused_tokens();
        st.droppedMessages = session_->dropped_messages();
        st.generatedTokens = int(r.ids.size());
        st.promptSeconds = r.prompt_seconds;
        st.generateSeconds = r.generate_seconds;
        st.stopReason = stop_reason_name(r.reason);
        if (r.reason == StopReason::Cancelled && stopAtNs_ > 0)
            st.stopLatencyMs = double(steadyNs() - stopAtNs_) / 1e6;
        emit kvStats(ctx_->kv_stats());
        emit speed(st.tokensPerSecond(), ctx_->n_past(), ctx_->n_ctx());
        emit replyFinished(requestId, QString::fromStdString(r.text), st);
    } catch (const std::exception& e) {
        emit replyFailed(requestId, QString::fromStdString(e.what()));
    }
}

bool EngineWorker::readPictures(quint64 requestId, const QList<ChatTurn>& turns,
                                std::vector<ChatMessage>& messages, std::atomic<bool>& stop) {
    const size_t first = messages.size() - size_t(turns.size());  // after the system prompt
    int total = 0, done = 0;
    for (const auto& t : turns) total += int(t.pictures.size());
    for (qsizetype i = 0; i < turns.size(); ++i)
        for (const QByteArray& file : turns[i].pictures) {
            const auto rows = pictureRows(
                file, done, total,
                [&](const QString& stage) {
                    if (stopThrough_ >= requestId) stop = true;  // Stop pressed
                    emit pictureProgress(requestId, stage);
                },
                stop);
            if (!rows) return false;
            messages[first + size_t(i)].pictures.push_back(rows);
            ++done;
        }
    if (total > 0) emit pictureProgress(requestId, {});
    return true;
}

std::shared_ptr<const InputRows> EngineWorker::pictureRows(
    const QByteArray& file, int index, int total,
    const std::function<void(const QString&)>& progress, std::atomic<bool>& stop) {
    if (!vision_)
        throw Error(tr("This model cannot read pictures: no vision projector "
                       "(mmproj*.gguf) that fits it is beside it.")
                        .toStdString());
    const QByteArray key = QCryptographicHash::hash(file, QCryptographicHash::Sha1);
    if (auto rows = pictureRows_.value(key)) return rows;
    const RgbImage img =
        app::decode_picture(reinterpret_cast<const unsigned char*>(file.constData()),
                            size_t(file.size()), tr("picture %1").arg(index + 1).toStdString());
    auto rows = VisionEncoder(*vision_, ctx_->n_threads())
                    .rows(
                        img,
                        [&](int layer, int layers) {
                            progress(tr("Reading picture %1 of %2: layer %3 of %4")
                                         .arg(index + 1)
                                         .arg(total)
                                         .arg(layer)
                                         .arg(layers));
                        },
                        &stop);
    if (!rows) return nullptr;
    if (pictureRows_.size() >= 32) pictureRows_.clear();  // a bound on memory
    pictureRows_.insert(key, rows);
    return rows;
}

void EngineWorker::inspectBlock(int layer, int token, int kind, int block) {
    if (!ctx_) {
        emit inspectFailed(tr("No model is loaded."));
        return;
    }
    try {
        const KvCache& cache = ctx_->kv_cache();
        if (token >= ctx_->n_past())
            fail("token ", token, ": the cache holds ", ctx_->n_past(), " tokens");
        const BlockView v = cache.block(layer, token, kind == 0 ? KvKind::K : KvKind::V, block);
        const KvFormat& f = kind == 0 ? cache.config().k : cache.config().v;
        const double limit = f.quantized() ? n01_mse_limit(f.family, f.bits) : 0.0;
        emit blockReady(v, limit);
    } catch (const std::exception& e) {
        emit inspectFailed(QString::fromStdString(e.what()));
    }
}

void EngineWorker::computeBlockMap(int kind, int metric) {
    if (!ctx_) {
        emit inspectFailed(tr("No model is loaded."));
        return;
    }
    cancelMap_ = false;
    try {
        const BlockMap m = block_map(
            ctx_->kv_cache(), kind == 0 ? KvKind::K : KvKind::V,
            metric == 0 ? BlockMetric::Ks : BlockMetric::Mse, ctx_->n_past(),
            [&](double f) { emit blockMapProgress(f); }, &cancelMap_);
        emit blockMapReady(m);
    } catch (const std::exception& e) {
        emit inspectFailed(QString::fromStdString(e.what()));
    }
}

}  // namespace nqkv::studio
