#include "cli/export_design.h"

#include "cli/common.h"
#include "graph/design_io.h"
#include "interop/export_file.h"

#include <filesystem>

namespace archscope::cli {

namespace fs = std::filesystem;

// The export itself is interop/export_file.h, shared with the GUI's File ▸ Export….
int exportDesign(const Args& args, std::ostream& out, std::ostream& err) {
    if (args.positional().size() != 1) { err << "archscope export: expected one design FILE (or --db DB SESSION)\n"; return 2; }
    const std::string file = args.positional()[0];
    DesignExportOptions o;
    o.format = args.value("--format");
    o.output = args.value("--output");
    bool known = false;
    for (auto& f : designExportFormats()) known = known || f == o.format;
    if (!known) {
        err << "archscope export: --format must be onnx, pytorch, safetensors, svg or png for a design, got \"" << o.format << "\"\n";
        return 2;
    }
    if (o.output.empty()) { err << "archscope export: -o OUT is required\n"; return 2; }
    if (args.has("--scale")) {
        try { o.scale = std::stoi(args.value("--scale")); } catch (...) { o.scale = 0; }
        if (o.scale < 1 || o.scale > 4) { err << "archscope export: --scale must be 1, 2, 3 or 4\n"; return 2; }
    }
    if (args.has("--seed")) {
        try { o.seed = std::stoull(args.value("--seed")); } catch (...) { err << "archscope export: --seed must be a non-negative integer\n"; return 2; }
    }
    o.weightsFile = args.value("--weights");
    o.designDir = fs::path(file).parent_path().string();
    o.designFile = file;
    Graph g;
    Analysis a;
    if (int rc = loadAndAnalyze(args, file, &g, &a, err, "export")) return rc;
    DesignExportResult r = exportDesignFile(g, a, o);
    for (auto& w : r.warnings) err << file << ": warning: " << w << "\n";
    if (r.code) {
        err << "archscope export: " << (r.designError ? file + ": " : "") << r.error << "\n";
        return r.code;
    }
    json j{{"design", file}, {"format", o.format}, {"output", r.written}};
    if (o.format == "svg" || o.format == "png") j["nodes"] = r.nodes;
    if (args.flag("--json")) out << j.dump() << "\n";
    else if (o.format == "svg" || o.format == "png") out << "wrote " << file << " as " << o.format << " (" << r.nodes << " nodes) to " << r.written << "\n";
    else out << "wrote " << file << " as " << o.format << " to " << r.written << "\n";
    return 0;
}

}  // namespace archscope::cli
