#include "ui/conversation_settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

#include "engine/kv_config.h"

namespace nqkv::studio {
namespace {

QDoubleSpinBox* spin(double lo, double hi, double step, int decimals) {
    auto* s = new QDoubleSpinBox;
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    return s;
}

}  // namespace

ConversationSettingsDialog::ConversationSettingsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Conversation settings"));
    system_ = new QPlainTextEdit;
    system_->setPlaceholderText(tr("Optional instructions sent before the conversation"));
    defaultSystem_ = new QCheckBox(tr("When empty, use the model's default system prompt"));
    defaultSystem_->setObjectName("defaultSystem");
    defaultSystem_->setEnabled(false);
    defaultSystem_->setToolTip(tr("This model's chat template has no default system prompt."));
    temperature_ = spin(0, 5, 0.05, 2);
    temperature_->setToolTip(tr("0 picks the most likely token every time (greedy)"));
    topK_ = new QSpinBox;
    topK_->setRange(0, 100000);
    topK_->setSpecialValueText(tr("off"));
    topP_ = spin(0.01, 1, 0.01, 2);
    minP_ = spin(0, 1, 0.01, 2);
    repeat_ = spin(1, 3, 0.05, 2);
    seed_ = new QLineEdit;
    seed_->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{1,18}"), seed_));
    maxTokens_ = new QSpinBox;
    maxTokens_->setRange(1, 1 << 20);
    ignoreEos_ = new QCheckBox(tr("Keep generating past the end-of-text token"));
    effort_ = new QComboBox;
    effort_->setObjectName("reasoningEffort");
    effort_->addItem(tr("low"), "low");
    effort_->addItem(tr("medium"), "medium");
    effort_->addItem(tr("high"), "high");
    effort_->setToolTip(
        tr("How long gpt-oss reasons before it answers (its system message's \"Reasoning:\"); "
           "other models ignore it"));
    thinking_ = new QCheckBox(tr("Reason before answering"));
    thinking_->setObjectName("thinking");
    thinking_->setToolTip(
        tr("Off: the reply starts with an empty <think></think> block, as Qwen3's template "
           "does when thinking is off, and the model answers directly. Only models whose "
           "template has a way to ask for this take it (Qwen3, SmolLM3, QwQ, later DeepSeek-R1 "
           "releases); others ignore it."));

    kFormat_ = new QComboBox;
    vFormat_ = new QComboBox;
    kFormat_->addItems(kvFormatChoices());
    vFormat_->addItems(kvFormatChoices());
    block_ = new QComboBox;
    for (int b : {16, 32, 64, 128}) block_->addItem(QString::number(b), b);
    context_ = new QSpinBox;
    context_->setRange(0, 1 << 20);
    context_->setSpecialValueText(tr("model default"));
    budget_ = new QSpinBox;
    budget_->setRange(0, 1 << 20);
    budget_->setSuffix(tr(" MiB"));
    budget_->setSpecialValueText(tr("none"));
    budget_->setToolTip(tr("Size the context to what fits in this much KV memory"));
    overflow_ = new QComboBox;
    overflow_->addItem(tr("Leave out the oldest messages"), "drop-oldest");
    overflow_->addItem(tr("Stop with a message"), "refuse");
    overflow_->setToolTip(
        tr("What a reply does when the conversation no longer fits the context. Left-out "
           "messages stay in the conversation; only the model no longer reads them."));
    cost_ = new QLabel;
    cost_->setObjectName("kvCost");
    cost_->setWordWrap(true);
    for (auto* c : {kFormat_, vFormat_, block_})
        connect(c, &QComboBox::currentIndexChanged, this, &ConversationSettingsDialog::updateCost);

    auto* sampling = new QGroupBox(tr("Sampling"));
    auto* sf = new QFormLayout(sampling);
    sf->addRow(tr("Temperature"), temperature_);
    sf->addRow(tr("Top-k"), topK_);
    sf->addRow(tr("Top-p"), topP_);
    sf->addRow(tr("Min-p"), minP_);
    sf->addRow(tr("Repeat penalty"), repeat_);
    sf->addRow(tr("Seed"), seed_);
    sf->addRow(tr("Max reply tokens"), maxTokens_);
    sf->addRow(ignoreEos_);
    sf->addRow(tr("Reasoning effort (gpt-oss)"), effort_);
    sf->addRow(tr("Thinking"), thinking_);

    auto* kv = new QGroupBox(tr("KV cache"));
    auto* kf = new QFormLayout(kv);
    kf->addRow(tr("K format"), kFormat_);
    kf->addRow(tr("V format"), vFormat_);
    kf->addRow(tr("Block size"), block_);
    kf->addRow(tr("Context tokens"), context_);
    kf->addRow(tr("KV memory budget"), budget_);
    kf->addRow(tr("When the context is full"), overflow_);
    kf->addRow(cost_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* box = new QVBoxLayout(this);
    box->addWidget(new QLabel(tr("System prompt")));
    box->addWidget(system_);
    box->addWidget(defaultSystem_);
    box->addWidget(sampling);
    box->addWidget(kv);
    box->addWidget(buttons);
    setSettings(ChatSettings{});
}

void ConversationSettingsDialog::setSettings(const ChatSettings& s) {
    original_ = s;
    system_->setPlainText(s.systemPrompt);
    temperature_->setValue(s.temperature);
    topK_->setValue(s.topK);
    topP_->setValue(s.topP);
    minP_->setValue(s.minP);
    repeat_->setValue(s.repeatPenalty);
    seed_->setText(QString::number(s.seed));
    maxTokens_->setValue(s.maxTokens);
    ignoreEos_->setChecked(s.ignoreEos);
    kFormat_->setCurrentText(s.kFormat);
    vFormat_->setCurrentText(s.vFormat);
    block_->setCurrentIndex(std::max(0, block_->findData(s.block)));
    context_->setValue(s.contextSize);
    budget_->setValue(s.kvBudgetMiB);
    overflow_->setCurrentIndex(std::max(0, overflow_->findData(s.contextOverflow)));
    effort_->setCurrentIndex(std::max(0, effort_->findData(s.reasoningEffort)));
    thinking_->setChecked(s.thinking);
    defaultSystem_->setChecked(s.defaultSystem);
    updateCost();
}

ChatSettings ConversationSettingsDialog::settings() const {
    ChatSettings s = original_;  // what the dialog does not show (AR-Sampling) stays
    s.systemPrompt = system_->toPlainText();
    s.temperature = temperature_->value();
    s.topK = topK_->value();
    s.topP = topP_->value();
    s.minP = minP_->value();
    s.repeatPenalty = repeat_->value();
    s.seed = seed_->text().toLongLong();
    s.maxTokens = maxTokens_->value();
    s.ignoreEos = ignoreEos_->isChecked();
    s.kFormat = kFormat_->currentText();
    s.vFormat = vFormat_->currentText();
    s.block = block_->currentData().toInt();
    s.contextSize = context_->value();
    s.kvBudgetMiB = budget_->value();
    s.contextOverflow = overflow_->currentData().toString();
    s.reasoningEffort = effort_->currentData().toString();
    s.thinking = thinking_->isChecked();
    s.defaultSystem = defaultSystem_->isChecked();
    return s;
}

void ConversationSettingsDialog::setModelShape(const std::vector<int>& kvRows, bool valuesInKeys) {
    kvRows_ = kvRows;
    valuesInKeys_ = valuesInKeys;
    updateCost();
}

void ConversationSettingsDialog::setReasoningControls(bool effort, const QString& thinkingPrompt) {
    effort_->setEnabled(effort);
    thinking_->setEnabled(thinkingPrompt == "switch" || thinkingPrompt == "opened");
}

void ConversationSettingsDialog::setDefaultSystemPrompt(const QString& text) {
    defaultSystem_->setEnabled(!text.isEmpty());
    if (text.isEmpty()) return;
    constexpr int kShown = 600;  // Devstral's runs to 5,600 characters
    defaultSystem_->setToolTip(
        tr("The model's template writes this when a conversation has no system prompt "
           "(%1 characters; every reply reads it):")
            .arg(text.size()) +
        "\n\n" + (text.size() > kShown ? text.left(kShown) + " …" : text));
}

void ConversationSettingsDialog::updateCost() {
    if (kvRows_.empty()) {
        cost_->setText(tr("Changing the KV layout rebuilds the cache at the next reply."));
        return;
    }
    const ChatSettings s = settings();
    const KvConfig c = KvConfig::parse(s.kvSpec().toStdString());
    const size_t bytes = kv_bytes_per_token(c, kvRows_, valuesInKeys_);
    const size_t fp16 = kv_bytes_per_token(KvConfig{}, kvRows_, valuesInKeys_);
    cost_->setText(tr("%1 per token, %2× smaller than fp16. Changing the KV layout rebuilds the "
                      "cache at the next reply.")
                       .arg(formatBytes(double(bytes)))
                       .arg(double(fp16) / double(bytes), 0, 'f', 2));
}

}  // namespace nqkv::studio
