#include "cli/cli.h"

#include <algorithm>
#include <ostream>

namespace archscope::cli {

#define ARCHSCOPE_COMMANDS(X) X(ops) X(validate) X(info) X(run) X(profile) X(sessions) X(show) X(export) X(devices) X(bench) X(render) X(import) X(plugins) X(templates) X(new)

#define ARCHSCOPE_DECLARE(n) Command cmd_##n();
ARCHSCOPE_COMMANDS(ARCHSCOPE_DECLARE)
#undef ARCHSCOPE_DECLARE

namespace {
std::vector<Command>& registry() {
#define ARCHSCOPE_ENTRY(n) cmd_##n(),
    static std::vector<Command> v{ARCHSCOPE_COMMANDS(ARCHSCOPE_ENTRY)};
#undef ARCHSCOPE_ENTRY
    return v;
}
}  // namespace

const std::vector<Command>& commands() { return registry(); }

bool isCommand(const std::string& name) {
    if (name == "--help" || name == "-h" || name == "help" || name == "--version") return true;
    for (auto& c : registry())
        if (c.name == name) return true;
    return false;
}

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
    argc = applyPluginOptions(argc, argv, err);
    if (argc < 0) return 2;
    std::string name = argc > 1 ? argv[1] : "--help";
    if (name == "--version") { out << "archscope " << ARCHSCOPE_VERSION << "\n"; return 0; }
    if (name == "--help" || name == "-h" || name == "help") {
        out << "Archscope: build, run and profile neural-network architectures.\n\n"
               "usage: archscope                 start the GUI\n"
               "       archscope COMMAND [ARGS]  run a command (COMMAND --help for details)\n\ncommands:\n";
        for (auto& c : registry()) {
            out << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ') << c.summary << "\n";
        }
        out << "\nglobal options (any position):\n"
               "  --plugin PATH       load a plugin library, or every plugin in a folder (repeatable)\n"
               "  --no-plugins        skip $ARCHSCOPE_PLUGIN_PATH, the user and the app plugin folders\n";
        return 0;
    }
    for (auto& c : registry()) {
        if (c.name != name) continue;
        std::vector<std::string> args(argv + 2, argv + argc);
        for (auto& a : args)
            if (a == "--help" || a == "-h") { out << c.usage; return 0; }
        try {
            return c.run(args, out, err);
        } catch (const std::exception& e) {
            err << "archscope " << name << ": internal error: " << e.what() << "\n";
            return 1;
        }
    }
    std::string best;
    size_t bestDist = 3;
    for (auto& c : registry()) {  // edit distance, for "did you mean"
        std::vector<size_t> prev(c.name.size() + 1), cur(c.name.size() + 1);
        for (size_t j = 0; j <= c.name.size(); ++j) prev[j] = j;
        for (size_t i = 1; i <= name.size(); ++i) {
            cur[0] = i;
            for (size_t j = 1; j <= c.name.size(); ++j)
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (name[i - 1] == c.name[j - 1] ? 0 : 1)});
            prev = cur;
        }
        if (prev[c.name.size()] < bestDist) { bestDist = prev[c.name.size()]; best = c.name; }
    }
    err << "archscope: unknown command \"" << name << "\"" << (best.empty() ? "" : " (did you mean \"" + best + "\"?)")
        << "; run archscope --help for the list\n";
    return 2;
}

}  // namespace archscope::cli
