// archscope info FILE: per-node shapes, parameters, FLOPs, activation memory, totals.
#include "cli/cli.h"
#include "cli/common.h"

#include <iomanip>

namespace archscope::cli {

Command cmd_info() {
    return {"info", "print per-node shapes, parameters, FLOPs and memory",
            std::string("usage: archscope info FILE [--set NAME=V ...] [--json]\n\n") + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {}, {"--set", "--max-elements"});
                if (!args.ok() || args.positional().size() != 1) {
                    err << "archscope info: " << (args.ok() ? "expected one FILE" : args.error()) << "\n";
                    return 2;
                }
                Graph g;
                Analysis a;
                if (int rc = loadAndAnalyze(args, args.positional()[0], &g, &a, err, "info")) return rc;
                if (!a.ok()) {
                    for (auto& d : a.errors) err << args.positional()[0] << ": " << d.message << "\n";
                    return 2;
                }
                if (args.flag("--json")) {
                    json nodes = json::array();
                    for (auto& id : a.order) {
                        const NodeInfo& n = a.nodes.at(id);
                        json outs = json::array();
                        for (size_t i = 0; i < n.outputs.size(); ++i)
                            outs.push_back({{"port", n.def->outputs[i].name}, {"shape", shapeStr(n.outputs[i].shape)},
                                            {"dims", shapeValues(n.outputs[i].shape)}, {"dtype", dtypeName(n.outputs[i].dtype)}});
                        nodes.push_back({{"id", id}, {"op", n.def->id}, {"outputs", outs}, {"params", n.paramCount}, {"flops", n.flops},
                                         {"bytes", n.bytes}, {"activation_bytes", n.activationBytes}});
                    }
                    out << json{{"bindings", a.bindings}, {"nodes", nodes},
                                {"totals", {{"params", a.totalParams}, {"flops", a.totalFlops}, {"bytes", a.totalBytes},
                                            {"activation_bytes", a.totalActivationBytes}}}}.dump(2) << "\n";
                    return 0;
                }
                out << "sizes:";
                for (auto& [k, v] : a.bindings) out << " " << k << "=" << v;
                out << "\n\n" << std::left << std::setw(24) << "node" << std::setw(16) << "op" << std::setw(28) << "output"
                    << std::right << std::setw(10) << "params" << std::setw(10) << "FLOPs" << std::setw(12) << "act mem" << "\n";
                for (auto& id : a.order) {
                    const NodeInfo& n = a.nodes.at(id);
                    std::string shape = n.outputs.empty() ? "-" : shapeStr(n.outputs[0].shape);
                    out << std::left << std::setw(24) << id << std::setw(16) << n.def->id << std::setw(28) << shape << std::right
                        << std::setw(10) << humanCount(double(n.paramCount)) << std::setw(10) << humanCount(double(n.flops))
                        << std::setw(12) << humanBytes(double(n.activationBytes)) << "\n";
                }
                out << "\ntotal: " << humanCount(double(a.totalParams)) << " parameters (" << humanBytes(double(a.totalParams) * 4)
                    << "), " << humanCount(double(a.totalFlops)) << "FLOPs, activations " << humanBytes(double(a.totalActivationBytes))
                    << ", bytes moved " << humanBytes(double(a.totalBytes)) << "\n";
                return 0;
            }};
}

}  // namespace archscope::cli
