// Whole-file reads with errors that name the file and what it was meant to be.
#pragma once

#include <string>

namespace nqkv {

// The bytes of `path`; throws Error "PATH: cannot open WHAT: <reason>" (or "cannot read").
std::string read_file(const std::string& path, const std::string& what);

}  // namespace nqkv
