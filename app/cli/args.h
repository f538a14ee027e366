// A small command-line parser: options are declared with their help text, so --help is
// generated from the same table that parsing uses, and every error names the option.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nqkv::cli {

class Args {
  public:
    Args(std::string command, std::string usage, std::string summary);

    // A flag takes no value; an option takes one. `names` like "-m,--model".
    void flag(const std::string& names, const std::string& help);
    void option(const std::string& names, const std::string& metavar, const std::string& help,
                bool repeatable = false);

    // Parses argv after the subcommand. Returns false when --help was asked for (help printed).
    // Throws Error on unknown options or missing values.
    bool parse(int argc, char** argv);

    bool has(const std::string& name) const;
    std::optional<std::string> get(const std::string& name) const;
    std::vector<std::string> get_all(const std::string& name) const;
    std::string require(const std::string& name) const;
    int get_int(const std::string& name, int fallback, int min, int max) const;
    double get_double(const std::string& name, double fallback, double min, double max) const;
    uint64_t get_u64(const std::string& name, uint64_t fallback) const;

    std::string help() const;
    std::string command() const;

  private:
    struct Spec {
        std::vector<std::string> names;
        std::string metavar, help;
        bool takes_value = false, repeatable = false;
    };
    const Spec* find(const std::string& name) const;
    std::string key(const Spec& s) const { return s.names.back(); }

    std::string command_, usage_, summary_;
    std::vector<Spec> specs_;
    std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace nqkv::cli
