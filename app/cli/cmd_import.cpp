// archscope import: converts an ONNX model into a design file and its weights.
//   import MODEL.onnx -o DESIGN.json [--weights W.safetensors] [--set NAME=V] [--no-lift] [--json]
#include "cli/cli.h"
#include "cli/common.h"
#include "graph/design_io.h"
#include "interop/onnx_import.h"

#include <filesystem>

namespace archscope::cli {

namespace {

json reportJson(const OnnxImportReport& r) {
    json lifted = json::object(), unsupported = json::array();
    for (auto& [k, v] : r.lifted) lifted[k] = v;
    for (auto& u : r.unsupported) unsupported.push_back({{"op", u.op}, {"why", u.why}, {"count", u.nodes.size()}, {"nodes", u.nodes}});
    return {{"opset", r.opset}, {"producer", r.producer}, {"onnx_nodes", r.onnxNodes}, {"folded", r.foldedNodes},
            {"design_nodes", r.designNodes}, {"lifted", lifted}, {"unsupported", unsupported}, {"warnings", r.warnings}};
}

int runImport(const Args& args, std::ostream& out, std::ostream& err) {
    const std::string model = args.positional()[0], design = args.value("--output");
    OnnxImportOptions opt;
    opt.lift = !args.flag("--no-lift");
    for (auto& s : args.values("--set")) {
        std::string name, msg;
        int64_t v;
        if (!parseBinding(s, &name, &v, &msg)) { err << "archscope import: --set " << msg << "\n"; return 2; }
        opt.bindings[name] = v;
    }
    Graph g;
    TensorMap weights;
    OnnxImportReport rep;
    std::string msg;
    if (!importOnnxFile(model, opt, &g, &weights, &rep, &msg)) {
        if (args.flag("--json")) out << json{{"ok", false}, {"error", msg}, {"report", reportJson(rep)}}.dump(2) << "\n";
        err << "archscope import: " << msg << (msg.empty() || msg.back() != '\n' ? "\n" : "");
        return 2;
    }
    namespace fs = std::filesystem;
    std::string wpath = args.value("--weights", (fs::path(design).parent_path() / (fs::path(design).stem().string() + ".safetensors")).string());
    std::error_code ec;
    g.weights.file = fs::relative(fs::absolute(wpath), fs::absolute(design).parent_path(), ec).string();
    if (ec || g.weights.file.empty()) g.weights.file = fs::absolute(wpath).string();
    if (!writeSafetensors(wpath, weights, &msg) || !saveDesign(g, design, &msg)) { err << "archscope import: " << msg << "\n"; return 1; }
    if (args.flag("--json")) {
        out << json{{"ok", true}, {"design", design}, {"weights", wpath}, {"report", reportJson(rep)}}.dump(2) << "\n";
        return 0;
    }
    out << "imported " << model << " (opset " << rep.opset << (rep.producer.empty() ? "" : ", " + rep.producer) << "): " << rep.onnxNodes
        << " ONNX nodes -> " << rep.designNodes << " design nodes (" << rep.foldedNodes << " folded";
    for (auto& [k, v] : rep.lifted) out << ", " << v << " " << k;
    out << ")\n  wrote " << design << " and " << wpath << " (" << weights.size() << " tensors)\n";
    for (auto& w : rep.warnings) err << "archscope import: warning: " << w << "\n";
    return 0;
}

}  // namespace

Command cmd_import() {
    return {"import", "import an ONNX model as a design and weights",
            "usage: archscope import MODEL.onnx -o DESIGN.json [--weights W.safetensors] [--set NAME=V] [--no-lift] [--json]\n\n"
            "Writes the design and a safetensors weights sidecar (default: DESIGN.safetensors beside the design).\n"
            "Opsets 13 to 17. Shape arithmetic is folded; LayerNorm/RMSNorm/GELU/SiLU decompositions, MatMul+Add\n"
            "and attention softmaxes are lifted into core ops; ONNX node names become node labels.\n"
            "An .onnx file can also be given directly to run, info, validate and profile.\n\n"
            "  --set NAME=V   value of a symbolic input dimension (default 1)\n"
            "  --no-lift      keep the exported primitives as they are\n"
            "  --json         machine-readable report\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--no-lift", "--json"}, {"--output", "--weights", "--set"});
                if (!args.ok()) { err << "archscope import: " << args.error() << "\n"; return 2; }
                if (args.positional().size() != 1) { err << "archscope import: expected one MODEL.onnx\n"; return 2; }
                if (!args.has("--output")) { err << "archscope import: -o DESIGN.json is required\n"; return 2; }
                return runImport(args, out, err);
            }};
}

}  // namespace archscope::cli
