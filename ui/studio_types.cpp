#include "ui/studio_types.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace nqkv::studio {

QString ChatSettings::kvSpec() const {
    return QString("k=%1,v=%2,block=%3").arg(kFormat, vFormat).arg(block);
}

SamplingParams ChatSettings::sampling() const {
    SamplingParams p;
    p.temperature = float(temperature);
    p.top_k = topK;
    p.top_p = float(topP);
    p.min_p = float(minP);
    p.repeat_penalty = float(repeatPenalty);
    p.seed = uint64_t(seed);
    return p;
}

QJsonObject ChatSettings::toJson() const {
    return QJsonObject{
        {"system_prompt", systemPrompt},
        {"temperature", temperature},
        {"top_k", topK},
        {"top_p", topP},
        {"min_p", minP},
        {"repeat_penalty", repeatPenalty},
        {"seed", QString::number(seed)},
        {"max_tokens", maxTokens},
        {"ignore_eos", ignoreEos},
        {"k_format", kFormat},
        {"v_format", vFormat},
        {"block", block},
        {"context_size", contextSize},
        {"kv_budget_mib", kvBudgetMiB},
        {"context_overflow", contextOverflow},
        {"reasoning_effort", reasoningEffort},
        {"thinking", thinking},
        {"default_system", defaultSystem},
        {"ar_enabled", arEnabled},
        {"prm_path", prmPath},
        {"prm_layout", prmLayout},
        {"ar_threshold", arThreshold},
        {"ar_max_rethink", arMaxRethink},
        {"ar_candidates", arCandidates},
        {"ar_leave_weakest", arLeaveWeakest},
        {"ar_triggers", QJsonArray::fromStringList(arTriggers)},
    };
}

ChatSettings ChatSettings::fromJson(const QJsonObject& o) {
    ChatSettings s;
    s.systemPrompt = o.value("system_prompt").toString(s.systemPrompt);
    s.temperature = o.value("temperature").toDouble(s.temperature);
    s.topK = o.value("top_k").toInt(s.topK);
    s.topP = o.value("top_p").toDouble(s.topP);
    s.minP = o.value("min_p").toDouble(s.minP);
    s.repeatPenalty = o.value("repeat_penalty").toDouble(s.repeatPenalty);
    bool ok = false;
    const qint64 seed = o.value("seed").toString().toLongLong(&ok);
    if (ok) s.seed = seed;
    s.maxTokens = o.value("max_tokens").toInt(s.maxTokens);
    s.ignoreEos = o.value("ignore_eos").toBool(s.ignoreEos);
    s.kFormat = o.value("k_format").toString(s.kFormat);
    s.vFormat = o.value("v_format").toString(s.vFormat);
    s.block = o.value("block").toInt(s.block);
    s.contextSize = o.value("context_size").toInt(s.contextSize);
    s.kvBudgetMiB = o.value("kv_budget_mib").toInt(s.kvBudgetMiB);
    // A value this version does not know falls back to the default rather than failing replies.
    const QString overflow = o.value("context_overflow").toString(s.contextOverflow);
    if (overflow == "drop-oldest" || overflow == "refuse") s.contextOverflow = overflow;
    const QString effort = o.value("reasoning_effort").toString(s.reasoningEffort);
    if (effort == "low" || effort == "medium" || effort == "high") s.reasoningEffort = effort;
    s.thinking = o.value("thinking").toBool(s.thinking);
    s.defaultSystem = o.value("default_system").toBool(s.defaultSystem);
    s.arEnabled = o.value("ar_enabled").toBool(s.arEnabled);
    s.prmPath = o.value("prm_path").toString(s.prmPath);
    s.prmLayout = o.value("prm_layout").toString(s.prmLayout);
    s.arThreshold = o.value("ar_threshold").toDouble(s.arThreshold);
    s.arMaxRethink = o.value("ar_max_rethink").toInt(s.arMaxRethink);
    s.arCandidates = o.value("ar_candidates").toInt(s.arCandidates);
    s.arLeaveWeakest = o.value("ar_leave_weakest").toBool(s.arLeaveWeakest);
    for (const auto& t : o.value("ar_triggers").toArray()) s.arTriggers << t.toString();
    return s;
}

ArTrace ArTrace::fromJson(const QString& json, QString* error) {
    ArTrace t;
    QJsonParseError pe;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8(), &pe).object();
    if (pe.error != QJsonParseError::NoError || o.value("schema").toString() != "nqkv.ar-trace/1") {
        if (error) *error = QObject::tr("not an AR-Sampling trace (nqkv.ar-trace/1)");
        return t;
    }
    t.threshold = o.value("params").toObject().value("threshold").toDouble();
    t.bestCandidate = std::max(0, o.value("selection").toObject().value("best_candidate").toInt());
    for (const auto& cv : o.value("candidates").toArray()) {
        const QJsonObject c = cv.toObject();
        QList<ArPoint> steps;
        for (const auto& sv : c.value("steps").toArray()) {
            const QJsonObject e = sv.toObject();
            ArPoint p;
            p.candidate = c.value("candidate").toInt();
            p.step = e.value("step").toInt();
            p.text = e.value("text").toString();
            p.score = e.value("score").toDouble();
            p.decision = e.value("decision").toString();
            p.trigger = e.value("trigger").toString();
            p.weakest = e.value("weakest").toString();
            p.weakestP = e.value("weakest_p").toDouble();
            p.rewound = e.value("rewound").toBool();
            p.policyTokens = e.value("policy_tokens").toInt();
            p.prmTokens = e.value("prm_tokens").toInt();
            p.policyMs = e.value("policy_ms").toDouble();
            p.prmMs = e.value("prm_ms").toDouble();
            t.seconds += (p.policyMs + p.prmMs) / 1000.0;
            steps << p;
        }
        t.candidates << steps;
        t.answers << (c.value("answer").isString() ? c.value("answer").toString() : QString());
        t.policyTokens += c.value("policy_tokens").toInt();
        t.prmTokens += c.value("prm_tokens").toInt();
        t.rethinks += c.value("rethinks").toInt();
    }
    return t;
}

QStringList kvFormatChoices() {
    return {"fp16", "f32", "nq8", "nq4",  "nq3",  "nq2",  "lm8",
            "lm4",  "lm3", "lm2", "int8", "int4", "int3", "int2"};
}

QString formatBytes(double bytes) {
    return QLocale::c().formattedDataSize(qint64(bytes), 2, QLocale::DataSizeTraditionalFormat);
}

void registerStudioTypes() {
    qRegisterMetaType<ChatTurn>();
    qRegisterMetaType<QList<ChatTurn>>();
    qRegisterMetaType<ChatSettings>();
    qRegisterMetaType<ModelInfo>();
    qRegisterMetaType<ReplyStats>();
    qRegisterMetaType<nqkv::KvStats>();
    qRegisterMetaType<nqkv::BlockView>();
    qRegisterMetaType<nqkv::BlockMap>();
    qRegisterMetaType<ArPoint>();
    qRegisterMetaType<nqkv::CompareResult>();
}

}  // namespace nqkv::studio
