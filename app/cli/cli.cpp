#include "cli/cli.h"

#include <ostream>

namespace archscope::cli {

#define ARCHSCOPE_COMMANDS(X) X(ops) X(validate) X(info) X(run) X(profile) X(sessions) X(show) X(export) X(devices) X(bench) X(render)

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
    std::string name = argc > 1 ? argv[1] : "--help";
    if (name == "--version") { out << "archscope " << ARCHSCOPE_VERSION << "\n"; return 0; }
    if (name == "--help" || name == "-h" || name == "help") {
        out << "Archscope: build, run and profile neural-network architectures.\n\n"
               "usage: archscope                 start the GUI\n"
               "       archscope COMMAND [ARGS]  run a command (COMMAND --help for details)\n\ncommands:\n";
        for (auto& c : registry()) {
            out << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ') << c.summary << "\n";
        }
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
    err << "archscope: unknown command \"" << name << "\" (see archscope --help)\n";
    return 2;
}

}  // namespace archscope::cli
