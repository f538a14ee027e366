// UTF-8 checks used on user input and on streamed output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nqkv {

// Byte offset of the first invalid sequence, or npos when the text is valid UTF-8.
size_t utf8_invalid_offset(std::string_view s);

// Length of the longest prefix that does not end inside an incomplete multi-byte sequence.
// Bytes that can never become valid are counted as complete so they are not held forever.
size_t utf8_complete_prefix(std::string_view s);

// Replaces every invalid sequence with U+FFFD.
std::string utf8_sanitize(std::string_view s);

}  // namespace nqkv
