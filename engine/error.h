// Errors the engine reports to its callers. Every message names the input that was bad and
// what was wrong with it, so the CLI and the app can show it unchanged.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace nqkv {

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

template <class... Args>
std::string concat(const Args&... args) {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
}

template <class... Args>
[[noreturn]] void fail(const Args&... args) {
    throw Error(concat(args...));
}

}  // namespace nqkv
