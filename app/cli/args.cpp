#include "app/cli/args.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "engine/error.h"

namespace nqkv::cli {

Args::Args(std::string command, std::string usage, std::string summary)
    : command_(std::move(command)), usage_(std::move(usage)), summary_(std::move(summary)) {
    flag("-h,--help", "show this help and exit");
}

void Args::flag(const std::string& names, const std::string& help) {
    Spec s;
    std::stringstream ss(names);
    for (std::string n; std::getline(ss, n, ',');) s.names.push_back(n);
    s.help = help;
    specs_.push_back(s);
}

void Args::option(const std::string& names, const std::string& metavar, const std::string& help,
                  bool repeatable) {
    flag(names, help);
    specs_.back().metavar = metavar;
    specs_.back().takes_value = true;
    specs_.back().repeatable = repeatable;
}

const Args::Spec* Args::find(const std::string& name) const {
    for (const auto& s : specs_)
        for (const auto& n : s.names)
            if (n == name) return &s;
    return nullptr;
}

bool Args::parse(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        std::optional<std::string> inline_value;
        if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
            inline_value = a.substr(a.find('=') + 1);
            a = a.substr(0, a.find('='));
        }
        const Spec* s = find(a);
        if (!s) fail(command_, ": unknown option ", a, " (see ", command_, " --help)");
        if (key(*s) == "--help") {
            std::fputs(help().c_str(), stdout);
            return false;
        }
        std::string v = "1";
        if (s->takes_value) {
            if (inline_value) {
                v = *inline_value;
            } else {
                if (i + 1 >= argc)
                    fail(command_, ": option ", a, " needs a value (", s->metavar, ")");
                v = argv[++i];
            }
        } else if (inline_value) {
            fail(command_, ": option ", a, " takes no value");
        }
        auto& slot = values_[key(*s)];
        if (!s->repeatable) slot.clear();
        slot.push_back(v);
    }
    return true;
}

bool Args::has(const std::string& name) const {
    return values_.count(name) != 0;
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::get_all(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::require(const std::string& name) const {
    auto v = get(name);
    if (!v) {
        const Spec* s = find(name);
        fail(command_, ": ", s ? s->names.front() : name, " ", s ? s->metavar : "",
             " is required (see ", command_, " --help)");
    }
    return *v;
}

int Args::get_int(const std::string& name, int fallback, int min, int max) const {
    auto v = get(name);
    if (!v) return fallback;
    char* end = nullptr;
    errno = 0;
    const long long x = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end || errno)
        fail(command_, ": ", name, " \"", *v, "\" is not a whole number");
    if (x < min || x > max) fail(command_, ": ", name, " ", x, " is outside ", min, "..", max);
    return int(x);
}

double Args::get_double(const std::string& name, double fallback, double min, double max) const {
    auto v = get(name);
    if (!v) return fallback;
    char* end = nullptr;
    errno = 0;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end || errno) fail(command_, ": ", name, " \"", *v, "\" is not a number");
    if (!(x >= min && x <= max)) fail(command_, ": ", name, " ", x, " is outside ", min, "..", max);
    return x;
}

uint64_t Args::get_u64(const std::string& name, uint64_t fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    char* end = nullptr;
    errno = 0;
    const unsigned long long x = std::strtoull(v->c_str(), &end, 10);
    if (v->empty() || *end || errno || (*v)[0] == '-')
        fail(command_, ": ", name, " \"", *v, "\" is not a non-negative whole number");
    return x;
}

std::string Args::command() const {
    return command_;
}

std::string Args::help() const {
    std::ostringstream os;
    os << "usage: " << usage_ << "\n\n" << summary_ << "\n\noptions:\n";
    for (const auto& s : specs_) {
        std::string left = "  ";
        for (size_t i = 0; i < s.names.size(); ++i) left += (i ? ", " : "") + s.names[i];
        if (s.takes_value) left += " " + s.metavar;
        os << left;
        if (left.size() < 30)
            os << std::string(30 - left.size(), ' ');
        else
            os << "\n" << std::string(30, ' ');
        os << s.help << (s.repeatable ? " (repeatable)" : "") << "\n";
    }
    return os.str();
}

}  // namespace nqkv::cli
