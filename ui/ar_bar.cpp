#include "ui/ar_bar.h"

#include <QActionGroup>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "engine/ar_sampling.h"

namespace nqkv::studio {

ArBar::ArBar(QWidget* parent) : QWidget(parent) {
    enabled_ = new QCheckBox(tr("Self-correct (AR-Sampling)"));
    enabled_->setToolTip(
        tr("Write the reply step by step; a process reward model scores each "
           "step and a weak one is rethought"));
    prmLabel_ = new QLabel;
    prmButton_ = new QToolButton;
    prmButton_->setText(tr("PRM…"));
    prmButton_->setPopupMode(QToolButton::MenuButtonPopup);
    auto* prmMenu = new QMenu(prmButton_);
    prmMenu->addAction(tr("Use the bundled PRM"), this, [this] {
        prmPath_.clear();
        refresh();
        emit changed();
    });
    // What the PRM reads around the steps; automatic follows the file (its nqkv.prm.* keys, or
    // chat turns for a Llama 3 chat template).
    prmMenu->addSection(tr("What the PRM reads"));
    auto* layouts = new QActionGroup(this);
    const std::pair<QString, QString> choices[] = {
        {QString(), tr("Automatic (from the PRM file)")},
        {"math-shepherd", tr("Math-Shepherd: each step followed by \" ки\"")},
        {"rlhflow-llama3", tr("Chat turns: each step a user turn (RLHFlow, Llama 3)")}};
    for (const auto& [name, text] : choices) {
        QAction* a = prmMenu->addAction(text);
        a->setCheckable(true);
        a->setData(name);
        layouts->addAction(a);
        layoutActions_ << a;
        connect(a, &QAction::triggered, this, [this, name = name] {
            prmLayout_ = name;
            refresh();
            emit changed();
        });
    }
    prmButton_->setMenu(prmMenu);
    connect(prmButton_, &QToolButton::clicked, this, &ArBar::choosePrm);

    threshold_ = new QDoubleSpinBox;
    threshold_->setRange(0, 1);
    threshold_->setSingleStep(0.05);
    threshold_->setDecimals(2);
    threshold_->setToolTip(tr("A step scoring below p is rethought"));
    maxRethink_ = new QSpinBox;
    maxRethink_->setRange(0, 10);
    maxRethink_->setToolTip(tr("Rethinks allowed per step"));
    leaveWeakest_ = new QCheckBox(tr("rethink differs"));
    leaveWeakest_->setObjectName("rethinkDiffers");
    leaveWeakest_->setToolTip(
        tr("A rethought step may not repeat the rejected one where the policy was least sure of "
           "it: at that token it takes its next choice. A second rethink of a step is written "
           "after its first trigger again, barred from each rejected version's weakest token. "
           "Off: the rethink may write the same step again, and a second one reads every "
           "version before it."));
    candidates_ = new QSpinBox;
    candidates_->setRange(1, 16);
    candidates_->setToolTip(tr("Candidates; the one whose last step scores best is shown"));
    triggers_ = new QToolButton;
    triggers_->setText(tr("Triggers…"));
    connect(triggers_, &QToolButton::clicked, this, &ArBar::editTriggers);

    // Two rows, the second only while AR-Sampling is on, so the bar stays narrow.
    auto* top = new QHBoxLayout;
    top->addWidget(enabled_);
    top->addWidget(prmLabel_);
    top->addWidget(prmButton_);
    top->addStretch();
    details_ = new QWidget;
    auto* row = new QHBoxLayout(details_);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("p")));
    row->addWidget(threshold_);
    row->addWidget(new QLabel(tr("rethinks")));
    row->addWidget(maxRethink_);
    row->addWidget(leaveWeakest_);
    row->addWidget(new QLabel(tr("N")));
    row->addWidget(candidates_);
    row->addWidget(triggers_);
    row->addStretch();
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->addLayout(top);
    box->addWidget(details_);

    const auto emitChanged = [this] {
        if (!loading_) {
            refresh();
            emit changed();
        }
    };
    connect(enabled_, &QCheckBox::toggled, this, emitChanged);
    connect(threshold_, &QDoubleSpinBox::valueChanged, this, emitChanged);
    connect(maxRethink_, &QSpinBox::valueChanged, this, emitChanged);
    connect(leaveWeakest_, &QCheckBox::toggled, this, emitChanged);
    connect(candidates_, &QSpinBox::valueChanged, this, emitChanged);
    setSettings(ChatSettings{});
}

bool ArBar::arEnabled() const {
    return enabled_->isChecked();
}

void ArBar::setSettings(const ChatSettings& s) {
    loading_ = true;
    enabled_->setChecked(s.arEnabled);
    threshold_->setValue(s.arThreshold);
    maxRethink_->setValue(s.arMaxRethink);
    leaveWeakest_->setChecked(s.arLeaveWeakest);
    candidates_->setValue(s.arCandidates);
    prmPath_ = s.prmPath;
    prmLayout_ = s.prmLayout;
    triggerList_ = s.arTriggers;
    loading_ = false;
    refresh();
}

void ArBar::apply(ChatSettings& s) const {
    s.arEnabled = enabled_->isChecked();
    s.arThreshold = threshold_->value();
    s.arMaxRethink = maxRethink_->value();
    s.arLeaveWeakest = leaveWeakest_->isChecked();
    s.arCandidates = candidates_->value();
    s.prmPath = prmPath_;
    s.prmLayout = prmLayout_;
    s.arTriggers = triggerList_;
}

void ArBar::refresh() {
    const bool on = enabled_->isChecked();
    for (QWidget* w : std::initializer_list<QWidget*>{
             prmLabel_, prmButton_, threshold_, maxRethink_, leaveWeakest_, candidates_, triggers_})
        w->setEnabled(on);
    details_->setVisible(on);
    prmLabel_->setText(prmPath_.isEmpty() ? tr("bundled PRM") : QFileInfo(prmPath_).fileName());
    QString layout;
    for (QAction* a : layoutActions_) {
        a->setChecked(a->data().toString() == prmLayout_);
        if (a->isChecked()) layout = a->text();
    }
    prmLabel_->setToolTip(
        (prmPath_.isEmpty() ? tr("The arithmetic PRM that ships with the app") : prmPath_) + "\n" +
        layout);
    triggers_->setToolTip(triggerList_.isEmpty()
                              ? tr("Default trigger: %1").arg(QString(kDefaultTrigger))
                              : triggerList_.join("\n---\n"));
}

void ArBar::choosePrm() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a process reward model"),
                                                      QFileInfo(prmPath_).absolutePath(),
                                                      tr("GGUF models (*.gguf);;All files (*)"));
    if (path.isEmpty()) return;
    prmPath_ = path;
    refresh();
    emit changed();
}

QStringList ArBar::parseTriggers(const QString& text, QString* error) {
    QStringList out;
    QString cur;
    const QStringList lines = text.split('\n');
    for (int i = 0; i <= lines.size(); ++i) {
        if (i == lines.size() || lines[i].trimmed() == "---") {
            if (!cur.trimmed().isEmpty()) out << cur.trimmed();
            cur.clear();
        } else {
            cur += (cur.isEmpty() ? "" : "\n") + lines[i];
        }
    }
    for (const auto& t : out)
        if (!t.contains("{n}")) {
            if (error)
                *error = tr("The trigger \"%1\" has no {n}, where the step number goes.")
                             .arg(t.left(60));
            return {};
        }
    return out;
}

void ArBar::editTriggers() {
    QDialog d(this);
    d.setWindowTitle(tr("Trigger texts"));
    auto* help = new QLabel(
        tr("Appended after a step the PRM rejects, used in turn. {n} is the step number. "
           "Separate templates with a line holding only ---. Leave empty for the default."));
    help->setWordWrap(true);
    auto* edit = new QPlainTextEdit(triggerList_.join("\n---\n"));
    auto* error = new QLabel;
    error->setStyleSheet("color: #b00020");
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto* layout = new QVBoxLayout(&d);
    layout->addWidget(help);
    layout->addWidget(edit);
    layout->addWidget(error);
    layout->addWidget(buttons);
    QStringList parsed;
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &d, [&] {
        QString why;
        parsed = parseTriggers(edit->toPlainText(), &why);
        if (!why.isEmpty()) {
            error->setText(why);  // the dialog stays open with the text as typed
            return;
        }
        d.accept();
    });
    d.resize(520, 320);
    if (d.exec() != QDialog::Accepted) return;
    triggerList_ = parsed;
    refresh();
    emit changed();
}

}  // namespace nqkv::studio
