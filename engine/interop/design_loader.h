// loadAnyDesign: opens any file the tools accept as a design.
//   *.onnx   an ONNX model, imported on the fly (interop/onnx_import.h)
//   other    a design file (graph/design_io.h)
// An imported model's weights go to a cache sidecar,
// $XDG_CACHE_HOME/archscope/onnx/<key>.safetensors (key from the model's path,
// size and modification time; written once), and g->weights.file holds its
// absolute path, so commands that load weights.file relative to the design
// need no change. The GUI and `archscope run/info/validate/profile` use it.
#pragma once

#include "graph/design_io.h"

#include <string>

namespace archscope {

bool isOnnxPath(const std::string& path);
LoadResult loadAnyDesign(const std::string& path, Graph* g);

}  // namespace archscope
