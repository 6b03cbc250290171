// archscope validate FILE: structural and shape checks, one diagnostic per line.
#include "cli/cli.h"
#include "cli/common.h"

namespace archscope::cli {

Command cmd_validate() {
    return {"validate", "check a design file and report every problem",
            std::string("usage: archscope validate FILE [--set NAME=V ...] [--json]\n\n"
                        "Checks the file format, ops, attributes, edges, cycles and shapes.\n"
                        "Exit 0 when valid, 2 with one line per problem otherwise.\n\n") + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {}, {"--set", "--max-elements"});
                if (!args.ok() || args.positional().size() != 1) {
                    err << "archscope validate: " << (args.ok() ? "expected one FILE" : args.error()) << "\n";
                    return 2;
                }
                const std::string file = args.positional()[0];
                Graph g;
                Analysis a;
                if (int rc = loadAndAnalyze(args, file, &g, &a, err, "validate")) {
                    if (args.flag("--json")) out << json{{"file", file}, {"valid", false}}.dump() << "\n";
                    return rc;
                }
                if (args.flag("--json")) {
                    json errs = json::array();
                    for (auto& d : a.errors) errs.push_back({{"node", d.node}, {"port", d.port}, {"message", d.message}});
                    out << json{{"file", file}, {"valid", a.ok()}, {"nodes", g.nodes().size()}, {"errors", errs}}.dump(2) << "\n";
                } else if (a.ok()) {
                    out << file << ": valid (" << g.nodes().size() << " nodes, " << g.edges().size() << " edges)\n";
                }
                if (!a.ok()) {
                    for (auto& d : a.errors) err << file << ": " << d.message << "\n";
                    return 2;
                }
                return 0;
            }};
}

}  // namespace archscope::cli
