// Paper diagrams of a design (`archscope export FILE --format svg|png`), Qt-free.
//
// The design's top-level nodes (a composite block is one box) are laid out in
// layers, top to bottom: a node's layer is the longest path from a graph
// input. Each box shows the node's label (or id) and op, coloured by the op's
// category; each edge carries the tensor shape it transports (symbolic where
// the design has symbols, e.g. [B, T, 64]); edges that skip rows (residuals) are
// routed beside the boxes rather than through them; a legend lists the categories.
// diagramSvg() writes the diagram as SVG text; diagramPng() rasterises the
// same geometry (boxes, edges, a built-in 5x7 bitmap font) into an RGB PNG.
// The GUI's `render --view graph` draws the editor canvas instead.
#pragma once

#include "graph/analysis.h"

#include <string>
#include <vector>

namespace archscope {

struct DiagramBox {
    std::string id, title, op, category, color;  // color "#rrggbb"
    double x = 0, y = 0, w = 0, h = 0;
};
struct DiagramEdge {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // from the bottom of the source to the top of the target
    // The curve: x1, y1, then six numbers (two control points and the end) per
    // cubic segment. An edge that skips rows and would cross boxes on the way
    // runs down a lane right of the boxes instead.
    std::vector<double> path;
    std::string label;       // shape text, at the target end
    bool labelLeft = false;  // left of the arrow (the leftmost of several inputs of one box)
};
struct Diagram {
    double width = 0, height = 0;
    std::vector<DiagramBox> boxes;
    std::vector<DiagramEdge> edges;
    std::vector<std::pair<std::string, std::string>> legend;  // category, colour
    std::string title;
};

// Lays out `g` (shapes from `a`, which may have errors: unknown shapes get no label).
Diagram layoutDiagram(const Graph& g, const Analysis& a);
std::string diagramSvg(const Diagram& d);
// RGB PNG at `scale` pixels per diagram unit (1 or 2). False with *err when zlib fails.
bool diagramPng(const Diagram& d, int scale, std::string* png, std::string* err);

}  // namespace archscope
