#include "cli/export_design.h"

#include "cli/common.h"
#include "graph/design_io.h"
#include "interop/diagram.h"
#include "interop/export.h"

#include <filesystem>

namespace archscope::cli {

namespace fs = std::filesystem;

namespace {

// svg/png: drawn even when the design has errors (edges then lack shapes; the errors are listed).
int exportDiagram(const Args& args, const std::string& file, const Graph& g, const Analysis& a, std::ostream& out, std::ostream& err) {
    const std::string fmt = args.value("--format"), dst = args.value("--output");
    for (auto& d : a.errors) err << file << ": warning: " << d.message << " (drawn without its shapes)\n";
    int scale = 2;
    if (args.has("--scale")) {
        try { scale = std::stoi(args.value("--scale")); } catch (...) { scale = 0; }
        if (scale < 1 || scale > 4) { err << "archscope export: --scale must be 1, 2, 3 or 4\n"; return 2; }
    }
    Diagram d = layoutDiagram(g, a);
    std::string bytes = fmt == "svg" ? diagramSvg(d) : "", msg;
    if (fmt == "png" && !diagramPng(d, scale, &bytes, &msg)) { err << "archscope export: " << msg << "\n"; return 1; }
    if (!writeFileAtomic(dst, bytes, &msg)) { err << "archscope export: " << msg << "\n"; return 1; }
    if (args.flag("--json")) out << json{{"design", file}, {"format", fmt}, {"output", dst}, {"nodes", d.boxes.size()}}.dump() << "\n";
    else out << "wrote " << file << " as " << fmt << " (" << d.boxes.size() << " nodes) to " << dst << "\n";
    return 0;
}

}  // namespace

int exportDesign(const Args& args, std::ostream& out, std::ostream& err) {
    if (args.positional().size() != 1) { err << "archscope export: expected one design FILE (or --db DB SESSION)\n"; return 2; }
    const std::string file = args.positional()[0], fmt = args.value("--format"), dst = args.value("--output");
    if (fmt != "onnx" && fmt != "pytorch" && fmt != "safetensors" && fmt != "svg" && fmt != "png") {
        err << "archscope export: --format must be onnx, pytorch, safetensors, svg or png for a design, got \"" << fmt << "\"\n";
        return 2;
    }
    if (dst.empty()) { err << "archscope export: -o OUT is required\n"; return 2; }
    Graph g;
    Analysis a;
    if (int rc = loadAndAnalyze(args, file, &g, &a, err, "export")) return rc;
    if (fmt == "svg" || fmt == "png") return exportDiagram(args, file, g, a, out, err);
    if (!a.ok()) {
        for (auto& d : a.errors) err << file << ": " << d.message << "\n";
        return 2;
    }
    uint64_t seed = g.weights.seed;
    if (args.has("--seed")) {
        try { seed = std::stoull(args.value("--seed")); } catch (...) { err << "archscope export: --seed must be a non-negative integer\n"; return 2; }
    }
    WeightStore w;
    std::string msg, wfile = args.value("--weights");
    if (wfile.empty() && !g.weights.file.empty()) wfile = (fs::path(file).parent_path() / g.weights.file).string();
    if (!wfile.empty() && !w.loadFile(wfile, &msg)) { err << "archscope export: " << msg << "\n"; return 2; }
    if (!w.materialize(a, seed, &msg)) { err << "archscope export: " << msg << "\n"; return 2; }
    std::string written = dst;
    if (fmt == "safetensors") {
        if (!w.saveFile(dst, &msg)) { err << "archscope export: " << msg << "\n"; return 1; }
    } else if (fmt == "onnx") {
        std::string bytes;
        if (!exportOnnx(g, a, w, &bytes, &msg)) { err << "archscope export: " << file << ": " << msg << "\n"; return 2; }
        if (!writeFileAtomic(dst, bytes, &msg)) { err << "archscope export: " << msg << "\n"; return 1; }
    } else {
        fs::path py = dst;
        if (py.extension() != ".py") py += ".py";
        fs::path weights = py;
        weights.replace_extension(".safetensors");
        std::string code;
        TensorMap state;
        if (!exportPyTorch(g, a, w, weights.filename().string(), &code, &state, &msg)) {
            err << "archscope export: " << file << ": " << msg << "\n";
            return 2;
        }
        if (!writeFileAtomic(py.string(), code, &msg) || !writeSafetensors(weights.string(), state, &msg)) {
            err << "archscope export: " << msg << "\n";
            return 1;
        }
        written = py.string() + " and " + weights.string();
    }
    if (args.flag("--json")) out << json{{"design", file}, {"format", fmt}, {"output", written}}.dump() << "\n";
    else out << "wrote " << file << " as " << fmt << " to " << written << "\n";
    return 0;
}

}  // namespace archscope::cli
