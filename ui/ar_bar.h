// The AR-Sampling bar above the chat: the per-conversation toggle and, in place, the PRM, the
// threshold p, rethinks allowed per step, the number of candidates N and the trigger texts.
#pragma once

#include <QWidget>

#include "ui/studio_types.h"

class QAction;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace nqkv::studio {

class ArBar : public QWidget {
    Q_OBJECT
  public:
    explicit ArBar(QWidget* parent = nullptr);

    // Shows a conversation's settings (emits nothing).
    void setSettings(const ChatSettings& s);
    // Writes the bar's values into s.
    void apply(ChatSettings& s) const;
    bool arEnabled() const;

    // The triggers editor's text: templates separated by lines holding only "---".
    static QStringList parseTriggers(const QString& text, QString* error);

  signals:
    void changed();

  private:
    void choosePrm();
    void editTriggers();
    void refresh();

    QCheckBox* enabled_;
    QLabel* prmLabel_;
    QToolButton* prmButton_;
    QDoubleSpinBox* threshold_;
    QSpinBox* maxRethink_;
    QCheckBox* leaveWeakest_;
    QSpinBox* candidates_;
    QToolButton* triggers_;
    QWidget* details_;
    QString prmPath_;
    QString prmLayout_;
    QList<QAction*> layoutActions_;  // automatic, Math-Shepherd, chat turns
    QStringList triggerList_;
    bool loading_ = false;
};

}  // namespace nqkv::studio
