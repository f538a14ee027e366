#include "ui/model_info_panel.h"

#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>

namespace nqkv::studio {

ModelInfoPanel::ModelInfoPanel(QWidget* parent) : QWidget(parent) {
    body_ = new QLabel;
    body_->setTextFormat(Qt::RichText);
    body_->setWordWrap(true);
    body_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    body_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* scroll = new QScrollArea;
    scroll->setWidget(body_);
    scroll->setWidgetResizable(true);
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->addWidget(scroll);
    clear();
}

void ModelInfoPanel::clear() {
    body_->setText(tr("No model loaded. Use <b>Model → Open model…</b> to pick a GGUF file."));
}

void ModelInfoPanel::setInfo(const ModelInfo& m) {
    const QLocale c = QLocale::c();
    const double kv =
        m.kvBytesAllocated ? double(m.kvBytesAllocated) : double(m.kvBytesPerToken) * m.contextSize;
    auto row = [](const QString& k, const QString& v) {
        return QString("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k.toHtmlEscaped(), v);
    };
    QString html = "<table cellspacing='4'>";
    html += row(tr("Name"), m.name.toHtmlEscaped());
    html += row(tr("File"), QFileInfo(m.path).fileName().toHtmlEscaped() + " (" +
                                formatBytes(double(m.fileBytes)) + ")");
    html += row(tr("Architecture"), m.architecture.toHtmlEscaped());
    // Bits per weight as llama.cpp's BPW: the weights' bytes over their count.
    html +=
        row(tr("Parameters"),
            m.parameters && m.weightBytes
                ? tr("%1 (%2 bits per weight)")
                      .arg(c.toString(m.parameters))
                      .arg(c.toString(8.0 * double(m.weightBytes) / double(m.parameters), 'f', 2))
                : c.toString(m.parameters));
    html += row(tr("Weight types"), m.weightTypes.join(", ").toHtmlEscaped());
    if (!m.integerMatmul.isEmpty())
        html += row(tr("Matrix products"),
                    tr("integer dot products for %1: activations rounded to 8-bit blocks, as "
                       "llama.cpp does")
                        .arg(m.integerMatmul.join(", ").toHtmlEscaped()));
    html += row(tr("Layers / width"),
                QString("%1 / %2 (FFN %3)").arg(m.nLayer).arg(m.nEmbd).arg(m.nFf));
    if (m.headDimSwa > 0)
        html += row(tr("Heads"), tr("%1 query; %2 KV of %3 dims in the full-attention layers, %4 "
                                    "KV of %5 dims in the windowed ones")
                                     .arg(m.nHead)
                                     .arg(m.nHeadKv)
                                     .arg(m.headDim)
                                     .arg(m.nHeadKvSwa)
                                     .arg(m.headDimSwa));
    else
        html += row(tr("Heads"),
                    tr("%1 query, %2 KV, %3 dims each").arg(m.nHead).arg(m.nHeadKv).arg(m.headDim));
    if (m.mlaRank > 0)
        html += row(tr("Latent KV"),
                    tr("multi-head latent attention: per token and layer the cache holds one "
                       "latent of %1 dims, which is also the values, and %2 rotated key dims; "
                       "each query head has %3 dims and %4 values of its own")
                        .arg(m.mlaRank)
                        .arg(m.mlaRope)
                        .arg(m.mlaQuery)
                        .arg(m.mlaValue));
    if (m.kvSharedLayers > 0)
        html += row(tr("Shared KV"), tr("the last %1 layers attend to the keys and values of "
                                        "earlier layers and keep none of their own")
                                         .arg(m.kvSharedLayers));
    if (m.embdPerLayer > 0)
        html += row(tr("Per-layer inputs"), tr("each layer also reads a vector of %1 per token, "
                                               "from an embedding table of its own")
                                                .arg(m.embdPerLayer));
    if (m.altupStreams > 0)
        html += row(tr("AltUp"), tr("%1 streams: each layer computes on a prediction of the first "
                                    "and corrects all of them with its output; LAuReL of rank %2 "
                                    "beside attention; sparse feed-forward gates in %3 of %4 "
                                    "layers")
                                     .arg(m.altupStreams)
                                     .arg(m.laurelRank)
                                     .arg(m.sparseFfnLayers)
                                     .arg(m.nLayer));
    // The layers the cache holds: the attention layers (LFM2 and the state-space models have
    // others).
    const int kvLayers = m.kvLayers < 0 ? m.nLayer - m.convLayers - m.ssmLayers : m.kvLayers;
    if (m.convLayers > 0)
        html += row(tr("Convolution"),
                    tr("%1 of %2 layers mix tokens with a %3-tap short convolution instead of "
                       "attention; the KV cache holds the other %4 layers, numbered 0 to %5 "
                       "among themselves")
                        .arg(m.convLayers)
                        .arg(m.nLayer)
                        .arg(m.convKernel)
                        .arg(kvLayers)
                        .arg(kvLayers - 1));
    if (m.ssmLayers > 0 && m.deltaNet)
        html += row(tr("Gated DeltaNet"),
                    tr("%1 of %2 layers are gated delta nets (linear attention) instead of "
                       "attention (%3 heads, each with a %4 × %4 state kept from token to "
                       "token); the KV cache holds the attention layers (%5), numbered 0 to %6 "
                       "among themselves")
                        .arg(m.ssmLayers)
                        .arg(m.nLayer)
                        .arg(m.ssmHeads)
                        .arg(m.ssmState)
                        .arg(kvLayers)
                        .arg(kvLayers - 1));
    else if (m.ssmLayers > 0 && m.ssmBesideAttention)
        html += row(tr("Mamba-2"),
                    tr("every layer runs a Mamba-2 state-space mixer beside its attention on the "
                       "same input, their outputs summed (a state of %1 per channel, kept from "
                       "token to token); the KV cache holds all %2 layers")
                        .arg(m.ssmState)
                        .arg(kvLayers));
    else if (m.ssmLayers > 0)
        html += row(tr("Mamba-2"),
                    tr("%1 of %2 layers are Mamba-2 state-space mixers instead of attention "
                       "(a state of %3 per channel, kept from token to token); the KV cache "
                       "holds the attention layers (%4), numbered 0 to %5 among themselves")
                        .arg(m.ssmLayers)
                        .arg(m.nLayer)
                        .arg(m.ssmState)
                        .arg(kvLayers)
                        .arg(kvLayers - 1));
    if (m.linearAttnLayers + m.attentionFreeLayers + m.ffnFreeLayers > 0)
        html += row(tr("Layers"),
                    tr("each with its own heads and feed-forward width: %1 of %2 attend (the KV "
                       "cache holds them), %3 have one projection instead of attention, %4 no "
                       "attention, %5 no feed-forward")
                        .arg(kvLayers)
                        .arg(m.nLayer)
                        .arg(m.linearAttnLayers)
                        .arg(m.attentionFreeLayers)
                        .arg(m.ffnFreeLayers));
    if (m.gatelessFfn == "relu2")
        html += row(tr("Feed-forward"), tr("one projection up, squared ReLU, one down: no gate"));
    else if (m.gatelessFfn == "xielu")
        html += row(tr("Feed-forward"),
                    tr("one projection up, xIELU with each layer's constants, one down: no gate"));
    if (m.ffnBesideAttention)
        html += row(tr("Blocks"), tr("attention and the feed-forward side by side on one %1 of "
                                     "each layer's input, both added to it")
                                      .arg(m.layerNorm ? "LayerNorm" : "RMSNorm"));
    if (m.gatedAttention)
        html += row(tr("Gated heads"), tr("each attention head's output is multiplied by the "
                                          "sigmoid of its own gates before the output projection"));
    if (m.experts > 0) {
        QString e = tr("%1, %2 used per token").arg(m.experts).arg(m.expertsUsed);
        if (m.expertStep > 1)
            e += "; " + tr("in one layer of %1, the others dense").arg(m.expertStep);
        if (m.expertsWeighedFirst) e += "; " + tr("each reads its input times its weight");
        if (m.expertsOnLayerInput)
            e += "; " + tr("gates through ReLU, routed on each layer's input");
        html += row(tr("Experts"), e);
    }
    if (m.windowedLayers > 0) {
        QString w = (m.chunkedAttention ? tr("%1 of %2 layers attend only within their chunk of "
                                             "%3 tokens")
                                        : tr("%1 of %2 layers see only the latest %3 tokens"))
                        .arg(m.windowedLayers)
                        .arg(m.nLayer)
                        .arg(m.slidingWindow);
        if (m.kvRing > 0) w += "; " + tr("their cache keeps the latest %1").arg(m.kvRing);
        html += row(tr("Attention"), w);
    }
    const int attnLayers = kvLayers;  // the others have no RoPE
    QString rope = m.unropedLayers == attnLayers && attnLayers > 0 ? tr("none")
                                                                   : tr("base %1").arg(m.ropeBase);
    if (m.unropedLayers < attnLayers || attnLayers == 0) {
        if (m.ropeLinear != 1) rope += ", " + tr("positions divided by %1").arg(m.ropeLinear);
        if (m.ropeYarn > 0) rope += ", " + tr("YaRN with factor %1").arg(m.ropeYarn);
        if (m.ropeFactors) rope += ", " + tr("per-pair frequency factors");
        if (!m.ropeSections.isEmpty()) {
            QStringList s;
            for (int n : m.ropeSections) s << QString::number(n);
            rope += ", " + tr("multimodal (sections %1; text turns as plain RoPE, the fourth "
                              "section's pairs not at all)")
                               .arg(s.join(" "));
        }
        if (m.unropedLayers > 0)
            rope +=
                "; " + tr("not applied in %1 of %2 layers").arg(m.unropedLayers).arg(attnLayers);
        if (m.unropedLayers > 0 && m.warmedAfter > 0)
            rope += " " + tr("(their queries scaled up past %1 positions)").arg(m.warmedAfter);
    }
    html += row(tr("RoPE"), rope);
    if (m.ffnBesideAttention && m.logitScale != 1)  // Cohere's file states the multiplier
        html += row(tr("Multipliers"), tr("logits times %1").arg(1 / m.logitScale));
    else if (m.residualScale != 1 || m.logitScale != 1)
        html += row(tr("Multipliers"), tr("embeddings %1, block outputs %2, logits divided by %3")
                                           .arg(m.embdScale)
                                           .arg(m.residualScale)
                                           .arg(m.logitScale));
    if (m.attnSoftcap > 0 || m.logitSoftcap > 0)
        html += row(tr("Softcapping"),
                    tr("attention scores %1, logits %2").arg(m.attnSoftcap).arg(m.logitSoftcap));
    html += row(tr("Vocabulary"), c.toString(m.nVocab) + " (" + m.tokenizer.toHtmlEscaped() + ")");
    html += row(tr("Chat format"), m.chatFormat);
    if (!m.visionProjector.isEmpty())
        html +=
            row(tr("Pictures"), tr("read with the vision projector beside it, %1; %2 tokens "
                                   "of the context each (Picture… in the chat)")
                                    .arg(QFileInfo(m.visionProjector).fileName().toHtmlEscaped())
                                    .arg(m.visionTokens));
    if (m.thinkingPrompt == "switch")
        html += row(tr("Reasoning"), tr("its template can ask for answers without reasoning "
                                        "(conversation settings)"));
    else if (m.thinkingPrompt == "opened")
        html += row(tr("Reasoning"), tr("its template opens every reply with reasoning "
                                        "(conversation settings can skip it)"));
    if (!m.defaultSystem.isEmpty())
        html += row(tr("Default system prompt"),
                    tr("%1 characters, used when a conversation has none (conversation "
                       "settings): “%2”")
                        .arg(m.defaultSystem.size())
                        .arg((m.defaultSystem.size() > 80 ? m.defaultSystem.left(80) + "…"
                                                          : m.defaultSystem)
                                 .toHtmlEscaped()));
    html +=
        row(tr("Context"), tr("%1 tokens (trained for %2)").arg(m.contextSize).arg(m.contextTrain));
    html += row(tr("Backend"), m.backend.toHtmlEscaped());
    html += row(tr("KV per token"), tr("%1 (fp16: %2)")
                                        .arg(formatBytes(double(m.kvBytesPerToken)),
                                             formatBytes(double(m.kvBytesPerTokenFp16))));
    const double total = double(m.weightBytes) + kv + double(m.recurrentStateBytes);
    QString memory =
        tr("%1 = weights %2 + KV cache %3 for the full context")
            .arg(formatBytes(total), formatBytes(double(m.weightBytes)), formatBytes(kv));
    if (m.recurrentStateBytes)
        memory +=
            " " + (m.ssmLayers && m.deltaNet ? tr("+ Gated DeltaNet state and its snapshots %1")
                   : m.ssmLayers             ? tr("+ Mamba-2 state and its snapshots %1")
                                             : tr("+ convolution inputs %1"))
                      .arg(formatBytes(double(m.recurrentStateBytes)));
    html += row(tr("Memory needed"), memory);
    html += "</table>";
    body_->setText(html);
}

QString ModelInfoPanel::text() const {
    return body_->text();
}

}  // namespace nqkv::studio
