// ONNX import driver: parse, check, walk the nodes, finish the design.
#include "interop/onnx_import.h"

#include "graph/analysis.h"
#include "graph/design_io.h"
#include "interop/onnx_importer.h"

#include <filesystem>

#if ARCHSCOPE_HAVE_ONNX
#include <onnx/checker.h>

#include "interop/onnx_symbols.h"
#endif

namespace archscope {

std::string OnnxImportReport::unsupportedText() const {
    std::string s;
    for (auto& u : unsupported) {
        s += std::to_string(u.nodes.size()) + (u.nodes.size() == 1 ? " node" : " nodes") + " of unsupported op \"" + u.op + "\"";
        if (!u.why.empty()) s += " (" + u.why + ")";
        s += ":";
        for (size_t i = 0; i < u.nodes.size(); ++i) s += std::string(i ? ", " : " ") + "node \"" + u.nodes[i] + "\"";
        s += "\n";
    }
    return s;
}

#if !ARCHSCOPE_HAVE_ONNX

bool onnxAvailable() { return false; }
bool importOnnxBytes(const std::string&, const std::string& name, const std::string&, const OnnxImportOptions&, Graph*, TensorMap*,
                     OnnxImportReport*, std::string* err) {
    *err = name + ": this build has no ONNX support (install libonnx-dev, e.g. scripts/install-deps.sh, and rebuild)";
    return false;
}

#else

bool onnxAvailable() { return true; }

namespace {

std::string opsetText(const onnx::ModelProto& m, int64_t* opset) {
    *opset = 0;
    for (auto& o : m.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") *opset = o.version();
    if (*opset == 0) return "the model imports no default-domain opset";
    if (*opset < 13 || *opset > 17)
        return "opset " + std::to_string(*opset) + " is outside the supported range 13 to 17 (re-export with opset_version=17)";
    return "";
}

}  // namespace

bool importOnnxBytes(const std::string& bytes, const std::string& name, const std::string& baseDir, const OnnxImportOptions& opt, Graph* g,
                     TensorMap* weights, OnnxImportReport* report, std::string* err) {
    OnnxImportReport localReport;
    OnnxImportReport* rep = report ? report : &localReport;
    *rep = OnnxImportReport();
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes)) {
        *err = name + ": not an ONNX model (protobuf parse failed; is the file complete?)";
        return false;
    }
    if (std::string why = opsetText(model, &rep->opset); !why.empty()) { *err = name + ": " + why; return false; }
    rep->producer = model.producer_name() + (model.producer_version().empty() ? "" : " " + model.producer_version());
    try {
        onnxin::checkExternalData(model.graph(), baseDir);  // before the checker opens those files
    } catch (const onnxin::ImportError& e) {
        *err = name + ": " + e.what();
        return false;
    }
    if (opt.check) {
        try {
            onnx::checker::CheckerContext ctx;
            ctx.set_ir_version(int(model.ir_version()));
            std::unordered_map<std::string, int> opsets;
            for (auto& o : model.opset_import()) opsets[o.domain()] = int(o.version());
            ctx.set_opset_imports(opsets);
            ctx.set_model_dir(baseDir);
            onnx::checker::LexicalScopeContext lex;
            onnx::checker::check_graph(model.graph(), ctx, lex);
        } catch (const std::exception& e) {
            *err = name + ": the ONNX checker rejects the model: " + e.what();
            return false;
        }
    }
    *g = Graph();
    weights->clear();
    try {
        onnxin::Importer im(model.graph(), opt, baseDir, g, weights, rep);
        for (auto& f : model.functions()) im.functions[f.domain() + "\n" + f.name()] = &f;
        im.run();
    } catch (const onnxin::ImportError& e) {
        *err = name + ": " + e.what();
        return false;
    } catch (const std::exception& e) {  // a hostile model must never take the process down
        *err = name + ": cannot import (" + e.what() + ")";
        return false;
    }
    if (!rep->unsupported.empty()) {
        *err = name + ": cannot import:\n" + rep->unsupportedText();
        return false;
    }
    try {
        onnxin::makeSymbolic(model.graph(), opt, baseDir, g, rep);  // dim_params -> design sizes where provable
    } catch (const std::exception&) {
        rep->warnings.push_back("symbolic dims stay fixed (the probe imports failed)");
    }
    g->metadata["name"] = model.graph().name().empty() ? std::filesystem::path(name).stem().string() : model.graph().name();
    g->metadata["source"] = std::filesystem::path(name).filename().string() + " (ONNX opset " + std::to_string(rep->opset) +
                            (rep->producer.empty() ? "" : ", " + rep->producer) + ")";
    Analysis a = analyze(*g, {});
    if (!a.ok()) {
        *err = name + ": the imported design does not validate (an importer bug; please report it with the model): " + a.errorText();
        return false;
    }
    rep->designNodes = int(g->nodes().size());
    return true;
}

#endif

bool importOnnxFile(const std::string& path, const OnnxImportOptions& opt, Graph* g, TensorMap* weights, OnnxImportReport* report,
                    std::string* err) {
    std::string bytes;
    if (!readFile(path, &bytes, err)) return false;
    std::string base = std::filesystem::path(path).parent_path().string();
    return importOnnxBytes(bytes, path, base.empty() ? "." : base, opt, g, weights, report, err);
}

}  // namespace archscope
