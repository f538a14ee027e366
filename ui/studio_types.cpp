#include "ui/studio_types.h"

#include <QLocale>

namespace nqkv::studio {

QString ChatSettings::kvSpec() const {
    return QString("k=%1,v=%2,block=%3").arg(kFormat, vFormat).arg(block);
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
    return s;
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
}

}  // namespace nqkv::studio
