// Ctrl-C as a cancel flag: while a SigintFlag lives, SIGINT sets the flag instead of killing
// the process, so long commands stop at their next check and still report what they did.
#pragma once

#include <atomic>

namespace nqkv::cli {

class SigintFlag {
  public:
    SigintFlag();
    ~SigintFlag();
    SigintFlag(const SigintFlag&) = delete;
    SigintFlag& operator=(const SigintFlag&) = delete;
    const std::atomic<bool>* flag() const;
};

}  // namespace nqkv::cli
