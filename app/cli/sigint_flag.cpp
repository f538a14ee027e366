#include "app/cli/sigint_flag.h"

#include <signal.h>

namespace nqkv::cli {
namespace {

std::atomic<bool> g_interrupted{false};
// The handler before ours, with its flags: a line editor's must come back as it was (without
// SA_RESTART), or a Ctrl-C at its next prompt would no longer interrupt the read.
struct sigaction g_previous {};
extern "C" void on_sigint(int) {
    g_interrupted = true;
}

}  // namespace

SigintFlag::SigintFlag() {
    g_interrupted = false;
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // a long command's reads and writes go on; it checks the flag
    sigaction(SIGINT, &sa, &g_previous);
}

SigintFlag::~SigintFlag() {
    sigaction(SIGINT, &g_previous, nullptr);
}

const std::atomic<bool>* SigintFlag::flag() const {
    return &g_interrupted;
}

}  // namespace nqkv::cli
