// One design export to a file: the code shared by `archscope export FILE
// --format F -o OUT` (app/cli/export_design.cpp) and the GUI's File ▸ Export…
// (ui/design_exporter.cpp), so both write the same bytes.
//
//   onnx         OUT (opset 17, checked by onnx::checker)
//   pytorch      OUT.py (".py" appended when missing) and OUT.safetensors beside it
//                (OUT.torch.safetensors when OUT.safetensors is the design's own weights file)
//   safetensors  OUT: the design's parameters (weights file, else seeded init)
//   svg, png     OUT: the paper diagram (interop/diagram.h); drawn even when the
//                design has errors (they become warnings, edges lack shapes)
// Weights: `weightsFile` when given, else the design's weights.file resolved
// against `designDir`, then materialize() with `seed` (default: the design's).
// Never overwritten: the design file itself (`designFile`) and, except by a
// safetensors export of those same weights, the design's weights file.
#pragma once

#include "graph/analysis.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archscope {

struct DesignExportOptions {
    std::string format;       // onnx | pytorch | safetensors | svg | png
    std::string output;       // path written (pytorch: the .py file)
    std::string designDir;    // resolves a relative weights.file
    std::string designFile;   // the design's own file (never overwritten); may be empty
    std::string weightsFile;  // overrides the design's weights.file
    std::optional<uint64_t> seed;
    int scale = 2;            // png pixels per diagram unit, 1..4
};

struct DesignExportResult {
    int code = 0;                       // 0 written, 2 bad input (nothing written), 1 write failure
    std::string error;                  // why, naming node/op and the fix (may span lines)
    bool designError = false;           // error is about the design (the caller prefixes its file name)
    std::vector<std::string> warnings;  // svg/png: analysis errors drawn without shapes
    std::string written;                // "OUT" or "OUT.py and OUT.safetensors"
    size_t nodes = 0;                   // svg/png: boxes drawn
};

const std::vector<std::string>& designExportFormats();  // {"onnx", "pytorch", "safetensors", "svg", "png"}
// The file-name extension a format writes (".onnx", ".py", ...).
std::string designExportExtension(const std::string& format);

DesignExportResult exportDesignFile(const Graph& g, const Analysis& a, const DesignExportOptions& o);

}  // namespace archscope
