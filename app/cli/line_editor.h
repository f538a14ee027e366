// Lines typed at a terminal, with editing (arrows, Ctrl-A/E, Ctrl-R search) and a history kept
// across runs, when libedit is on the machine. libedit is loaded at run time, so `nqkv` never
// depends on it: without it, or when input is not a terminal, lines are read plainly.
#pragma once

#include <optional>
#include <string>

namespace nqkv::cli {

class LineEditor {
  public:
    // history_file: where typed lines are kept (created with its folder when needed); empty
    // for none. Editing is used only when `terminal` is true.
    LineEditor(bool terminal, std::string history_file);
    ~LineEditor();
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    // One line without its line break; nullopt at end of input (Ctrl-D), or when Ctrl-C
    // interrupted the typing at a terminal (interrupted() then says so, until the next read).
    std::optional<std::string> read(const char* prompt);
    bool interrupted() const { return interrupted_; }
    // Keeps a line in the history (and its file), for the whole message once it is complete.
    void remember(const std::string& line);
    bool editing() const { return lib_ != nullptr; }

  private:
    struct Lib;
    Lib* lib_ = nullptr;
    struct Interrupt;
    Interrupt* interrupt_ = nullptr;
    bool terminal_;
    bool interrupted_ = false;
    std::string history_file_;
};

// $XDG_STATE_HOME/nqkv/chat_history, or ~/.local/state/nqkv/chat_history; empty without a home.
std::string default_chat_history_file();

}  // namespace nqkv::cli
