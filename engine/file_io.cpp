#include "engine/file_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/error.h"

namespace nqkv {

std::string read_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, ": cannot open ", what, ": ", std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) fail(path, ": cannot read ", what, ": ", std::strerror(errno));
    return ss.str();
}

}  // namespace nqkv
