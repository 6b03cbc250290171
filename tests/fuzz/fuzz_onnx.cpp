// libFuzzer target: the ONNX importer (protobuf parse, the ONNX checker,
// folding, conversion, lifting, analysis of the result). Any bytes must be
// imported or refused with an error naming the file; external data is looked
// up in a folder that does not exist, so nothing on disk is ever read. An
// imported design only connects existing nodes and saves to a file that loads.
#include "graph/design_io.h"
#include "interop/onnx_import.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace archscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 512 * 1024) return -1;
    Graph g;
    TensorMap w;
    OnnxImportReport rep;
    std::string err;
    OnnxImportOptions opt;
    bool ok = importOnnxBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", "/nonexistent/archscope-fuzz", opt,
                              &g, &w, &rep, &err);
    if (!ok && err.rfind("fuzz.onnx", 0) != 0) {
        std::fprintf(stderr, "error does not name the file: %s\n", err.c_str());
        std::abort();
    }
    if (!ok) return 0;
    // An imported design connects existing nodes and saves to a file that loads.
    for (auto& e : g.edges())
        if (!g.node(e.from.node) || !g.node(e.to.node)) {
            std::fprintf(stderr, "edge %s:%s -> %s:%s names a missing node\n", e.from.node.c_str(), e.from.port.c_str(), e.to.node.c_str(),
                         e.to.port.c_str());
            std::abort();
        }
    Graph again;
    LoadResult r = parseDesign(serializeDesign(g), "imported.json", &again);
    if (!r.ok || again.edges().size() != g.edges().size() || again.nodes().size() != g.nodes().size()) {
        std::fprintf(stderr, "imported design does not reload: %s\n", r.error.c_str());
        std::abort();
    }
    return 0;
}
