// Per-conversation settings: the system prompt, sampling, and the KV cache's K and V formats.
#pragma once

#include <QDialog>

#include "ui/studio_types.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QLineEdit;

namespace nqkv::studio {

class ConversationSettingsDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ConversationSettingsDialog(QWidget* parent = nullptr);
    void setSettings(const ChatSettings& s);
    ChatSettings settings() const;
    // Used to show what a token costs in the cache for the chosen formats.
    // Each cache layer's K (and V) row; valuesInKeys: no V rows (multi-head latent attention).
    void setModelShape(const std::vector<int>& kvRows, bool valuesInKeys = false);
    // Which reasoning settings the loaded model takes: gpt-oss's effort, and whether its
    // template can ask for answers without reasoning ("switch" or "opened"); the others are
    // shown disabled, keeping their values for another model.
    void setReasoningControls(bool effort, const QString& thinkingPrompt);
    // The loaded model's default system prompt (its template's; empty: none): offered for an
    // empty system prompt, its text in the tooltip.
    void setDefaultSystemPrompt(const QString& text);

  private:
    void updateCost();

    QPlainTextEdit* system_;
    QDoubleSpinBox* temperature_;
    QSpinBox* topK_;
    QDoubleSpinBox* topP_;
    QDoubleSpinBox* minP_;
    QDoubleSpinBox* repeat_;
    QLineEdit* seed_;
    QSpinBox* maxTokens_;
    QCheckBox* ignoreEos_;
    QComboBox* kFormat_;
    QComboBox* vFormat_;
    QComboBox* block_;
    QSpinBox* context_;
    QSpinBox* budget_;
    QComboBox* overflow_;
    QComboBox* effort_;
    QCheckBox* thinking_;
    QCheckBox* defaultSystem_;
    QLabel* cost_;
    std::vector<int> kvRows_;
    bool valuesInKeys_ = false;
    ChatSettings original_;
};

}  // namespace nqkv::studio
