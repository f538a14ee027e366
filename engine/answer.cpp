#include "engine/answer.h"

#include <algorithm>
#include <regex>

#include "engine/error.h"

namespace nqkv {
namespace {

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\n\r");
    if (b == std::string::npos) return {};
    const size_t e = s.find_last_not_of(" \t\n\r");
    return s.substr(b, e - b + 1);
}

// The content of the last \boxed{...}, braces balanced.
std::optional<std::string> last_boxed(const std::string& text) {
    const size_t at = text.rfind("\\boxed{");
    if (at == std::string::npos) return std::nullopt;
    int depth = 1;
    for (size_t i = at + 7; i < text.size(); ++i) {
        if (text[i] == '{') ++depth;
        if (text[i] == '}' && --depth == 0) return text.substr(at + 7, i - at - 7);
    }
    return std::nullopt;
}

}  // namespace

std::string normalize_answer(const std::string& raw) {
    std::string s = trim(raw);
    while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.pop_back();
    if (!s.empty() && s[0] == '$') s = trim(s.substr(1));
    static const std::regex number(R"(^([-+]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?$)");
    std::smatch m;
    if (s.empty() || !std::regex_match(s, m, number) || (m[2].length() == 0 && m[3].length() == 0))
        return s;
    std::string whole = m[2].str(), frac = m[3].str();
    whole.erase(std::remove(whole.begin(), whole.end(), ','), whole.end());
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() ? whole.size() - 1 : 0));
    if (whole.empty()) whole = "0";
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    std::string out = whole + (frac.empty() ? "" : "." + frac);
    if (m[1] == "-" && out != "0") out = "-" + out;
    return out;
}

std::optional<std::string> extract_answer(const std::string& text,
                                          const std::string& custom_regex) {
    if (!custom_regex.empty()) {
        std::regex re;
        try {
            re = std::regex(custom_regex);
        } catch (const std::regex_error& e) {
            fail("answer regex \"", custom_regex, "\": ", e.what());
        }
        std::smatch m;
        if (!std::regex_search(text, m, re)) return std::nullopt;
        return normalize_answer(m.size() > 1 && m[1].matched ? m[1].str() : m[0].str());
    }
    static const std::regex answer_is(R"([Tt]he (?:final )?answer is:?\s*)");
    std::optional<std::string> found;
    size_t found_at = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), answer_is);
         it != std::sregex_iterator(); ++it) {
        // Only the marker is matched, so a later "The answer is" on the same line is found too.
        const size_t from = size_t(it->position() + it->length());
        const size_t eol = text.find('\n', from);
        std::string tail =
            text.substr(from, eol == std::string::npos ? std::string::npos : eol - from);
        // The answer runs to the end of its sentence: a period followed by a space or the end.
        for (size_t i = 0; i < tail.size(); ++i)
            if (tail[i] == '.' && (i + 1 == tail.size() || tail[i + 1] == ' ')) {
                tail.resize(i);
                break;
            }
        if (auto boxed = last_boxed(tail)) tail = *boxed;
        found = normalize_answer(tail);
        found_at = size_t(it->position());
    }
    const size_t boxed_at = text.rfind("\\boxed{");
    if (boxed_at != std::string::npos && (!found || boxed_at > found_at))
        if (auto b = last_boxed(text)) return normalize_answer(*b);
    return found;
}

}  // namespace nqkv
