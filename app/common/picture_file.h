// Reading pictures from files (PNG, JPEG, BMP, GIF's first frame, ...) into 8-bit RGB, for the
// command line and the app alike, so both hand a vision encoder the same pixels.
#pragma once

#include <string>

#include "engine/image_prep.h"

namespace nqkv::app {

// Throws Error naming the file and what is wrong (missing, not a picture, too large).
RgbImage load_picture(const std::string& path);

// The same from the bytes of a picture file; `what` names it in errors.
RgbImage decode_picture(const unsigned char* data, size_t size, const std::string& what);

}  // namespace nqkv::app
