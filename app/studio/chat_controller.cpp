#include "app/studio/chat_controller.h"

#include "ui/ar_reply_format.h"
#include "ui/chat_view.h"
#include "ui/conversation_list.h"

namespace nqkv::studio {
namespace {

QString titleFrom(const QString& text) {
    QString t = text.trimmed().section('\n', 0, 0).simplified();
    if (t.size() > 48) t = t.left(47) + "…";
    return t;
}

}  // namespace

ChatController::ChatController(ChatStore* store, ChatView* view, ConversationList* list,
                               std::function<void(quint64)> stopReply, QObject* parent)
    : QObject(parent), store_(store), view_(view), list_(list), stopReply_(std::move(stopReply)) {
    connect(view_, &ChatView::sendRequested, this, &ChatController::send);
    connect(view_, &ChatView::stopRequested, this, &ChatController::stop);
    connect(view_, &ChatView::regenerateRequested, this, &ChatController::regenerate);
    connect(view_, &ChatView::draftChanged, this, [this](const QString& text) {
        if (!loadingDraft_ && current_) store_->setDraft(current_, text);
    });
    connect(view_, &ChatView::picturesChanged, this, [this](const QList<QByteArray>& pictures) {
        if (!loadingDraft_ && current_) store_->setDraftPictures(current_, pictures);
    });
    connect(list_, &ConversationList::selected, this, &ChatController::open);
    connect(list_, &ConversationList::newRequested, this, &ChatController::newConversation);
    connect(list_, &ConversationList::searchChanged, this, &ChatController::refreshList);
}

void ChatController::start() {
    const auto all = store_->conversations();
    if (all.isEmpty())
        newConversation();
    else
        open(all.first().id);
}

ChatSettings ChatController::currentSettings() const {
    return current_ ? store_->conversation(current_).settings : ChatSettings{};
}

void ChatController::setCurrentSettings(const ChatSettings& s) {
    if (current_) store_->setSettings(current_, s);
}

void ChatController::refreshList() {
    QList<QPair<qint64, QString>> items;
    for (const auto& c : store_->conversations(list_->searchText()))
        items << qMakePair(c.id, c.title);
    list_->setConversations(items);
    list_->setCurrent(current_);
}

void ChatController::open(qint64 id) {
    if (id == current_) return;
    current_ = id;
    showConversation();
    refreshList();
}

ChatController::Shown ChatController::shown(const QString& role, const QString& content,
                                            const QString& trace) {
    if (role != "assistant") return {content, {}};  // what the user typed, as typed
    if (!trace.isEmpty()) return {arReplyMarkdown(ArTrace::fromJson(trace)), {}};
    const ReplyParts p = split_reply(content.toStdString());
    return {QString::fromStdString(p.answer), QString::fromStdString(p.reasoning)};
}

QString ChatController::leftOutNote(int messages) {
    // Two strings rather than %n: the English text has no translation file for plurals.
    if (messages == 1)
        return tr(
            "The model did not read the oldest message: the conversation outgrew "
            "its context.");
    if (messages > 1)
        return tr("The model did not read the %1 oldest messages: the conversation "
                  "outgrew its context.")
            .arg(messages);
    return {};
}

void ChatController::showConversation() {
    view_->clearMessages();
    const auto msgs = store_->messages(current_);
    QString lastTrace;
    int leftOut = 0;  // as the last reply's prompt left them out
    for (const auto& m : msgs) {
        QStringList notes;
        if (!m.complete)
            notes << tr("Interrupted: the app closed while this reply was being written.");
        if (m.leftOut > 0) notes << leftOutNote(m.leftOut);
        const Shown s = shown(m.role, m.content, m.trace);
        view_->appendMessage(m.role, s.text, notes.join(' '), s.reasoning, m.pictures);
        if (!m.trace.isEmpty()) lastTrace = m.trace;
        if (m.role == "assistant") leftOut = m.leftOut;
    }
    view_->markOutOfContext(leftOut);
    emit conversationShown(current_);
    if (!(active_ && activeConv_ == current_)) emit traceChanged(lastTrace);
    // A reply for this conversation still running carries on in the view.
    if (active_ && activeConv_ == current_) {
        view_->beginStreaming();
        if (!partialShown_.reasoning.isEmpty()) view_->streamReasoning(partialShown_.reasoning);
        if (!partialShown_.text.isEmpty()) view_->streamText(partialShown_.text);
    }
    loadingDraft_ = true;
    view_->setDraft(store_->conversation(current_).draft);
    view_->setPictures(store_->draftPictures(current_));
    loadingDraft_ = false;
}

void ChatController::newConversation() {
    const ChatSettings s = currentSettings();  // a new chat starts with the current settings
    const qint64 id = store_->createConversation(tr("New chat"), s);
    if (!id) {
        emit errorOccurred(tr("Chat database"), store_->error());
        return;
    }
    open(id);
}

void ChatController::renameConversation(qint64 id, const QString& title) {
    if (title.trimmed().isEmpty()) return;
    store_->renameConversation(id, title.trimmed());
    refreshList();
}

void ChatController::deleteConversation(qint64 id) {
    if (active_ && activeConv_ == id) stop();
    store_->deleteConversation(id);
    if (id == current_) {
        current_ = 0;
        start();
    }
    refreshList();
}

void ChatController::send(const QString& text, const QList<QByteArray>& pictures) {
    if (active_) return;
    if (!current_) newConversation();
    if (store_->messages(current_).isEmpty() &&
        store_->conversation(current_).title == tr("New chat") && !text.trimmed().isEmpty())
        store_->renameConversation(current_, titleFrom(text));
    if (!store_->addMessage(current_, "user", text, true, {}, 0, pictures)) {
        // The typed text stays in the composer: nothing is lost.
        emit errorOccurred(tr("Chat database"),
                           tr("The message could not be saved: %1").arg(store_->error()));
        return;
    }
    view_->appendMessage("user", text, {}, {}, pictures);
    loadingDraft_ = true;
    view_->setDraft({});
    // Pictures not sent (the model does not read them) keep waiting.
    if (!pictures.isEmpty()) view_->clearPictures();
    loadingDraft_ = false;
    store_->setDraft(current_, {});
    store_->setDraftPictures(current_, view_->pictures());
    refreshList();
    startReply();
}

void ChatController::startReply() {
    QList<ChatTurn> turns;
    for (const auto& m : store_->messages(current_))
        turns << ChatTurn{m.role, m.content, m.pictures};
    active_ = nextRequest_++;
    activeConv_ = current_;
    partial_.clear();
    partialParts_ = ReplyStream();
    partialShown_ = {};
    saved_ = false;
    view_->beginStreaming();
    view_->setBusy(true);
    emit replyRequested(active_, turns, currentSettings());
}

void ChatController::stop() {
    if (active_) stopReply_(active_);
}

void ChatController::regenerate() {
    if (active_) return;
    const auto msgs = store_->messages(current_);
    if (msgs.isEmpty() || msgs.last().role != "assistant") return;
    store_->deleteMessagesFrom(current_, msgs.last().id);
    view_->removeLastMessage();
    startReply();
}

void ChatController::editAndResend(int index, const QString& text) {
    if (active_ || text.trimmed().isEmpty()) return;
    const auto msgs = store_->messages(current_);
    if (index < 0 || index >= msgs.size() || msgs[index].role != "user") return;
    store_->deleteMessagesFrom(current_, msgs[index].id);
    showConversation();
    // An edited message keeps its pictures; what waits in the message box for the next message
    // (text and pictures) still waits.
    const QList<QByteArray> waiting = view_->pictures();
    const QString draft = view_->draft();
    send(text, msgs[index].pictures);
    view_->setPictures(waiting);
    view_->setDraft(draft);
}

void ChatController::onReplyText(quint64 id, const QString& text) {
    if (id != active_) return;
    partial_ += text;
    const ReplyParts more = partialParts_.feed(text.toStdString());
    const QString reasoning = QString::fromStdString(more.reasoning),
                  answer = QString::fromStdString(more.answer);
    partialShown_.reasoning += reasoning;
    partialShown_.text += answer;
    if (activeConv_ != current_) return;
    if (!reasoning.isEmpty()) view_->streamReasoning(reasoning);
    if (!answer.isEmpty()) view_->streamText(answer);
}

void ChatController::onReplyFinished(quint64 id, const QString& text, const ReplyStats& stats) {
    if (id != active_) return;
    const bool stopped = stats.stopReason == "cancelled";
    if (!saved_)
        store_->addMessage(activeConv_, "assistant", text, true, stats.traceJson,
                           stats.droppedMessages);
    if (activeConv_ == current_) {
        // The final text replaces the streamed one: a stop string may have been held back,
        // and an AR reply is shown step by step from its trace.
        view_->removeLastMessage();
        QStringList notes;
        if (stopped) notes << tr("Stopped.");
        if (stats.droppedMessages > 0) notes << leftOutNote(stats.droppedMessages);
        const Shown s = shown("assistant", text, stats.traceJson);
        view_->appendMessage("assistant", s.text, notes.join(' '), s.reasoning);
        view_->markOutOfContext(stats.droppedMessages);
        if (!stats.traceJson.isEmpty()) emit traceChanged(stats.traceJson);
    }
    active_ = 0;
    view_->setBusy(false);
    refreshList();
    emit replyDone(stats);
}

void ChatController::onReplyFailed(quint64 id, const QString& message) {
    if (id != active_) return;
    active_ = 0;
    if (activeConv_ == current_) view_->removeLastMessage();
    view_->setBusy(false);
    emit errorOccurred(tr("The reply failed"), message);
}

void ChatController::saveInterrupted() {
    if (!active_ || saved_) return;
    store_->addMessage(activeConv_, "assistant", partial_, false);
    saved_ = true;
}

}  // namespace nqkv::studio
