// archscope export: writes data out of Archscope.
//   export --db DB SESSION --format trace|csv -o OUT   a profiling session
// Design exports (export FILE --format onnx|...) take the branch without --db.
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/export_design.h"
#include "cli/session_util.h"
#include "graph/design_io.h"

#include <functional>
#include <sstream>

namespace archscope::cli {

namespace {

// Chrome trace-event JSON (opens in Perfetto / chrome://tracing): one complete
// event ("ph": "X") per node, laid end to end in execution order; ts and dur
// in microseconds from the per-node median times.
std::string traceJson(const SessionRecord& r) {
    json events = json::array();
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 1},
                      {"args", {{"name", "archscope session " + std::to_string(r.info.id) + " (" + r.info.backend + ")"}}}});
    double ts = 0;
    for (auto& n : r.data.nodes) {
        double dur = n.medianMs * 1000.0;
        events.push_back({{"name", n.node}, {"cat", n.op}, {"ph", "X"}, {"ts", ts}, {"dur", dur}, {"pid", 1}, {"tid", 1},
                          {"args", {{"op", n.op}, {"flops", n.flops}, {"bytes", n.bytes}, {"shape", n.outputShape},
                                    {"p95_ms", n.p95Ms}, {"bound", n.bound}, {"where", n.where}}}});
        ts += dur;
    }
    json meta = sessionInfoJson(r.info);
    return json{{"traceEvents", events}, {"displayTimeUnit", "ms"}, {"metadata", meta}}.dump(1) + "\n";
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// One row per node, in execution order, with a header.
std::string nodesCsv(const SessionRecord& r) {
    std::ostringstream o;
    o.precision(9);
    o << "idx,node,op,where,output_shape,flops,bytes,params,median_ms,p95_ms,gflops,gbps,bound\n";
    for (size_t k = 0; k < r.data.nodes.size(); ++k) {
        const NodeProfile& n = r.data.nodes[k];
        o << k << "," << csvField(n.node) << "," << csvField(n.op) << "," << n.where << "," << csvField(n.outputShape) << "," << n.flops
          << "," << n.bytes << "," << n.params << "," << n.medianMs << "," << n.p95Ms << "," << n.gflops << "," << n.gbps << "," << n.bound
          << "\n";
    }
    return o.str();
}

const std::map<std::string, std::function<std::string(const SessionRecord&)>>& sessionFormats() {
    static const std::map<std::string, std::function<std::string(const SessionRecord&)>> m{{"trace", traceJson}, {"csv", nodesCsv}};
    return m;
}

int exportSession(const Args& args, std::ostream& out, std::ostream& err) {
    if (args.positional().size() != 1) { err << "archscope export: expected one SESSION id after --db DB\n"; return 2; }
    auto fmt = sessionFormats().find(args.value("--format"));
    if (fmt == sessionFormats().end()) {
        err << "archscope export: --format must be trace or csv for a session, got \"" << args.value("--format") << "\"\n";
        return 2;
    }
    if (!args.has("--output")) { err << "archscope export: -o OUT is required\n"; return 2; }
    Database db;
    if (int rc = openStore(args, &db, err, "export")) return rc;
    ProfileStore store(db);
    int64_t id = 0;
    if (int rc = resolveSession(args.positional()[0], store, &id, err, "export")) return rc;
    SessionRecord r;
    std::string msg;
    if (!store.loadSession(id, &r, &msg)) { err << "archscope export: " << msg << "\n"; return 2; }
    if (!writeFileAtomic(args.value("--output"), fmt->second(r), &msg)) { err << "archscope export: " << msg << "\n"; return 1; }
    if (!args.flag("--json")) out << "wrote session " << id << " as " << fmt->first << " to " << args.value("--output") << "\n";
    else out << json{{"session", id}, {"format", fmt->first}, {"output", args.value("--output")}}.dump() << "\n";
    return 0;
}

}  // namespace

Command cmd_export() {
    return {"export", "export a design (onnx, pytorch, safetensors, svg, png) or a profiling session (trace, csv)",
            std::string("usage: archscope export --db DB SESSION --format trace|csv -o OUT\n\n"
            "  trace   Chrome trace-event JSON (open in ui.perfetto.dev): one event per node, median times\n"
            "  csv     per-node rows with a header\n"
            "SESSION is an id from `archscope sessions` or \"last\".\n\n") + kDesignExportUsage,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--json"}, {"--db", "--format", "--output", "--weights", "--seed", "--set", "--max-elements", "--scale"});
                if (!args.ok()) { err << "archscope export: " << args.error() << "\n"; return 2; }
                if (!args.has("--format")) { err << "archscope export: --format is required (trace or csv for a session)\n"; return 2; }
                if (args.has("--db")) return exportSession(args, out, err);
                return exportDesign(args, out, err);
            }};
}

}  // namespace archscope::cli
