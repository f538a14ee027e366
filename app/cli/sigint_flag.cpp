#include "app/cli/sigint_flag.h"

#include <csignal>

namespace nqkv::cli {
namespace {

std::atomic<bool> g_interrupted{false};
void (*g_previous)(int) = SIG_DFL;
extern "C" void on_sigint(int) {
    g_interrupted = true;
}

}  // namespace

SigintFlag::SigintFlag() {
    g_interrupted = false;
    g_previous = std::signal(SIGINT, on_sigint);
}

SigintFlag::~SigintFlag() {
    std::signal(SIGINT, g_previous);
}

const std::atomic<bool>* SigintFlag::flag() const {
    return &g_interrupted;
}

}  // namespace nqkv::cli
