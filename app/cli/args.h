// Minimal argument parser for the subcommands: flags, options with values
// (repeatable), and positionals. Unknown options are errors.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace archscope::cli {

class Args {
public:
    // `flags` take no value; `options` take one value (`--x v` or `--x=v`).
    Args(const std::vector<std::string>& argv, std::set<std::string> flags, std::set<std::string> options);

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    bool flag(const std::string& f) const { return m_flags.count(f) != 0; }
    bool has(const std::string& o) const { return m_values.count(o) != 0; }
    std::string value(const std::string& o, const std::string& def = "") const;
    std::vector<std::string> values(const std::string& o) const;
    const std::vector<std::string>& positional() const { return m_pos; }

private:
    std::set<std::string> m_flags;
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_pos;
    std::string m_error;
};

}  // namespace archscope::cli
