#include "interop/export_file.h"

#include "graph/design_io.h"
#include "interop/diagram.h"
#include "interop/export.h"

#include <filesystem>

namespace archscope {

namespace fs = std::filesystem;

namespace {

DesignExportResult fail(int code, std::string msg, bool designError = false) {
    DesignExportResult r;
    r.code = code;
    r.error = std::move(msg);
    r.designError = designError;
    return r;
}

DesignExportResult exportDiagram(const Graph& g, const Analysis& a, const DesignExportOptions& o) {
    if (o.format == "png" && (o.scale < 1 || o.scale > 4)) return fail(2, "the PNG scale must be 1, 2, 3 or 4");
    DesignExportResult r;
    for (auto& d : a.errors) r.warnings.push_back(d.message + " (drawn without its shapes)");
    Diagram d = layoutDiagram(g, a);
    std::string bytes = o.format == "svg" ? diagramSvg(d) : "", msg;
    if (o.format == "png" && !diagramPng(d, o.scale, &bytes, &msg)) return fail(1, msg);
    if (!writeFileAtomic(o.output, bytes, &msg)) return fail(1, msg);
    r.written = o.output;
    r.nodes = d.boxes.size();
    return r;
}

// The design's own weights file (weights.file resolved against designDir), or "".
std::string designWeightsFile(const Graph& g, const DesignExportOptions& o) {
    if (g.weights.file.empty()) return {};
    return fs::path(g.weights.file).is_absolute() || o.designDir.empty() ? g.weights.file : (fs::path(o.designDir) / g.weights.file).string();
}

bool samePath(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    std::error_code ec1, ec2;
    const fs::path ca = fs::weakly_canonical(fs::absolute(a), ec1), cb = fs::weakly_canonical(fs::absolute(b), ec2);
    return !ec1 && !ec2 && ca == cb;
}

// An export must not destroy the design it is made from.
DesignExportResult checkNotOverwritingDesign(const Graph& g, const std::string& out, const DesignExportOptions& o) {
    if (samePath(out, o.designFile))
        return fail(2, out + " is the design file itself\n  fix: choose another output file name (-o)");
    if (o.format != "safetensors" && samePath(out, designWeightsFile(g, o)))
        return fail(2, out + " is the design's weights file (weights.file)\n  fix: choose another output file name (-o)");
    return {};
}

// The parameters to export: a weights file (explicit or the design's), then seeded init.
DesignExportResult loadWeights(const Graph& g, const Analysis& a, const DesignExportOptions& o, WeightStore* w) {
    std::string msg, wfile = o.weightsFile;
    if (wfile.empty()) wfile = designWeightsFile(g, o);
    if (!wfile.empty() && !w->loadFile(wfile, &msg)) return fail(2, msg);
    if (!w->materialize(a, o.seed.value_or(g.weights.seed), &msg)) return fail(2, msg);
    return {};
}

DesignExportResult exportPyTorchFiles(const Graph& g, const Analysis& a, const WeightStore& w, const DesignExportOptions& o) {
    fs::path py = o.output;
    if (py.extension() != ".py") py += ".py";
    if (DesignExportResult r = checkNotOverwritingDesign(g, py.string(), o); r.code) return r;
    fs::path weights = py;
    weights.replace_extension(".safetensors");
    const bool renamed = samePath(weights.string(), designWeightsFile(g, o)) || samePath(weights.string(), o.designFile);
    if (renamed) weights.replace_extension(".torch.safetensors");  // the design keeps its own weights file
    std::string code, msg;
    TensorMap state;
    if (!exportPyTorch(g, a, w, weights.filename().string(), &code, &state, &msg))
        return fail(2, msg + "\n  fix: replace the node(s) named with ops that have a PyTorch form (docs/interop.md, Export), or export another format", true);
    if (!writeFileAtomic(py.string(), code, &msg) || !writeSafetensors(weights.string(), state, &msg)) return fail(1, msg);
    DesignExportResult r;
    r.written = py.string() + " and " + weights.string();
    if (renamed)
        r.warnings.push_back("the state dict went to " + weights.filename().string() + ": " + py.stem().string() +
                             ".safetensors is the design's own weights file");
    return r;
}

}  // namespace

const std::vector<std::string>& designExportFormats() {
    static const std::vector<std::string> f{"onnx", "pytorch", "safetensors", "svg", "png"};
    return f;
}

std::string designExportExtension(const std::string& format) {
    if (format == "pytorch") return ".py";
    return "." + format;
}

DesignExportResult exportDesignFile(const Graph& g, const Analysis& a, const DesignExportOptions& o) {
    bool known = false;
    for (auto& f : designExportFormats()) known = known || f == o.format;
    if (!known) return fail(2, "the format must be onnx, pytorch, safetensors, svg or png, got \"" + o.format + "\"");
    if (o.output.empty()) return fail(2, "no output file given");
    if (o.format != "pytorch")
        if (DesignExportResult r = checkNotOverwritingDesign(g, o.output, o); r.code) return r;
    if (o.format == "svg" || o.format == "png") return exportDiagram(g, a, o);
    if (!a.ok()) {
        std::string msg = "the design does not validate (fix these first; svg/png export draws it anyway):";
        for (auto& d : a.errors) msg += "\n  " + d.message;
        return fail(2, msg, true);
    }
    WeightStore w;
    if (DesignExportResult r = loadWeights(g, a, o, &w); r.code) return r;
    if (o.format == "pytorch") return exportPyTorchFiles(g, a, w, o);
    std::string msg;
    if (o.format == "safetensors") {
        if (!w.saveFile(o.output, &msg)) return fail(1, msg);
    } else {
        std::string bytes;
        if (!exportOnnx(g, a, w, &bytes, &msg)) {
            if (msg.rfind("no ONNX export", 0) == 0)
                msg += "\n  fix: replace the node(s) named with ops that have an ONNX form (docs/interop.md, Export), or export another format";
            return fail(2, msg, true);
        }
        if (!writeFileAtomic(o.output, bytes, &msg)) return fail(1, msg);
    }
    DesignExportResult r;
    r.written = o.output;
    return r;
}

}  // namespace archscope
