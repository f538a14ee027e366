// Final-answer extraction for evaluation: the last "The answer is X", or the last \boxed{X},
// or the first capture group of a user-supplied regex; numbers are normalised so that
// "1,200.50" and "1200.5" compare equal.
#pragma once

#include <optional>
#include <string>

namespace nqkv {

// custom_regex (ECMAScript), when not empty, replaces the defaults; its first capture group
// (or the whole match) is the answer. Throws Error naming the regex when it does not compile.
std::optional<std::string> extract_answer(const std::string& text,
                                          const std::string& custom_regex = "");

// Trims spaces, a leading '$', a trailing '.', thousands separators and trailing zeros of
// decimals ("3.50" -> "3.5", "4.0" -> "4", "-0" -> "0"). Non-numbers are only trimmed.
std::string normalize_answer(const std::string& s);

}  // namespace nqkv
