// Design exports for `archscope export FILE --format onnx|pytorch|safetensors -o OUT`
// (cmd_export.cpp takes this branch when no --db is given).
#pragma once

#include "cli/args.h"

#include <ostream>

namespace archscope::cli {

inline const char* kDesignExportUsage =
    "usage: archscope export FILE --format onnx|pytorch|safetensors|svg|png -o OUT [--weights W] [--seed N] [--set NAME=V]\n"
    "       [--scale S]\n\n"
    "  onnx         ONNX opset 17 model (passes the ONNX checker; re-imports to the same outputs);\n"
    "               plugin ops become nodes of domain archscope.plugin.<plugin>\n"
    "  pytorch      OUT.py with an nn.Module (one class per composite block or group) and OUT.safetensors weights\n"
    "  safetensors  the design's parameters (weights file, else seeded init), keyed node.param\n"
    "  svg, png     a diagram for a paper: top-level nodes in layers, coloured by category, shapes on the edges\n"
    "               (png: --scale 1..4 pixels per unit, default 2; no GUI needed)\n"
    "FILE is a design or an .onnx model.\n";

int exportDesign(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace archscope::cli
