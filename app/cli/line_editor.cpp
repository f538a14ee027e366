#include "app/cli/line_editor.h"

#include <dlfcn.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace nqkv::cli {
namespace {

std::atomic<bool> g_prompt_interrupted{false};
extern "C" void on_prompt_sigint(int) {
    g_prompt_interrupted = true;
}

}  // namespace

// For as long as an editor reads a terminal, SIGINT sets the flag and, without SA_RESTART,
// interrupts a read in progress instead of ending the program: also between two reads, where a
// Ctrl-C meant for a reply that just ended must not end the conversation. What runs meanwhile
// may put its own handler in place and back (SigintFlag).
struct LineEditor::Interrupt {
    Interrupt() {
        struct sigaction sa {};
        sa.sa_handler = on_prompt_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &previous);
    }
    ~Interrupt() { sigaction(SIGINT, &previous, nullptr); }
    struct sigaction previous {};
};

// libedit's readline-compatible entry points, looked up by name.
struct LineEditor::Lib {
    void* handle = nullptr;
    char* (*readline)(const char*) = nullptr;
    int (*add_history)(const char*) = nullptr;
    int (*read_history)(const char*) = nullptr;
    int (*write_history)(const char*) = nullptr;
    void (*stifle_history)(int) = nullptr;

    static Lib* load() {
        void* h = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL);
        if (!h) return nullptr;
        auto* lib = new Lib;
        lib->handle = h;
        lib->readline = reinterpret_cast<char* (*)(const char*)>(dlsym(h, "readline"));
        lib->add_history = reinterpret_cast<int (*)(const char*)>(dlsym(h, "add_history"));
        lib->read_history = reinterpret_cast<int (*)(const char*)>(dlsym(h, "read_history"));
        lib->write_history = reinterpret_cast<int (*)(const char*)>(dlsym(h, "write_history"));
        lib->stifle_history = reinterpret_cast<void (*)(int)>(dlsym(h, "stifle_history"));
        if (!lib->readline || !lib->add_history || !lib->read_history || !lib->write_history ||
            !lib->stifle_history) {
            dlclose(h);
            delete lib;
            return nullptr;
        }
        return lib;
    }
};

LineEditor::LineEditor(bool terminal, std::string history_file)
    : terminal_(terminal), history_file_(std::move(history_file)) {
    if (!terminal_) return;
    interrupt_ = new Interrupt;
    lib_ = Lib::load();
    if (!lib_) return;
    lib_->stifle_history(1000);
    if (!history_file_.empty()) lib_->read_history(history_file_.c_str());
}

LineEditor::~LineEditor() {
    // The library stays loaded: it may have installed terminal handlers that outlive us.
    delete lib_;
    delete interrupt_;
}

std::optional<std::string> LineEditor::read(const char* prompt) {
    // At a terminal, Ctrl-C while typing gives up the line instead of ending the program (and
    // the conversation with it); one pressed before the prompt came is let go. A line finished
    // with Enter counts even if a SIGINT came meanwhile: libedit may pass on one it caught in
    // an earlier read when the next one starts.
    g_prompt_interrupted = false;
    interrupted_ = false;
    if (lib_) {
        char* line = lib_->readline(prompt);
        if (!line) {
            interrupted_ = g_prompt_interrupted;
            std::fputs("\n", stdout);
            return std::nullopt;
        }
        std::string s(line);
        std::free(line);
        return s;
    }
    if (terminal_) std::fputs(prompt, stdout), std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line)) {
        interrupted_ = g_prompt_interrupted;
        if (interrupted_) std::cin.clear(), std::fputs("\n", stdout);
        return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

void LineEditor::remember(const std::string& line) {
    if (!lib_ || line.empty()) return;
    lib_->add_history(line.c_str());
    if (history_file_.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(history_file_).parent_path(), ec);
    lib_->write_history(history_file_.c_str());
}

std::string default_chat_history_file() {
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state)
        return std::string(state) + "/nqkv/chat_history";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/state/nqkv/chat_history";
    return "";
}

}  // namespace nqkv::cli
