#include "cli/args.h"

namespace archscope::cli {

Args::Args(const std::vector<std::string>& argv, std::set<std::string> flags, std::set<std::string> options) {
    flags.insert("--help");
    flags.insert("--json");
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::string name = a, val;
            bool inlineVal = false;
            if (auto eq = a.find('='); eq != std::string::npos) { name = a.substr(0, eq); val = a.substr(eq + 1); inlineVal = true; }
            if (flags.count(name) && !inlineVal) { m_flags.insert(name); continue; }
            if (options.count(name)) {
                if (!inlineVal) {
                    if (i + 1 >= argv.size()) { m_error = "option " + name + " needs a value"; return; }
                    val = argv[++i];
                }
                m_values[name].push_back(val);
                continue;
            }
            m_error = "unknown option " + name;
            return;
        }
        if (a == "-o" && options.count("--output")) {
            if (i + 1 >= argv.size()) { m_error = "option -o needs a value"; return; }
            m_values["--output"].push_back(argv[++i]);
            continue;
        }
        if (a == "-h") { m_flags.insert("--help"); continue; }
        m_pos.push_back(a);
    }
}

std::string Args::value(const std::string& o, const std::string& def) const {
    auto it = m_values.find(o);
    return it == m_values.end() ? def : it->second.back();
}

std::vector<std::string> Args::values(const std::string& o) const {
    auto it = m_values.find(o);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace archscope::cli
