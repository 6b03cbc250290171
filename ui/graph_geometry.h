// Node and port geometry shared by the QML node delegates, the edge layer and
// hit testing, so that ports drawn in QML and edge ends drawn in C++ agree.
// Also the layered auto-layout. Pure functions of a Graph; no Qt Quick.
#pragma once

#include "core/op_def.h"
#include "graph/graph.h"

#include <QPointF>
#include <QRectF>
#include <map>
#include <string>
#include <vector>

namespace archscope::ui {

struct NodeMetrics {
    static constexpr double width = 200;
    static constexpr double header = 42;  // title and op name
    static constexpr double row = 22;     // one port row
    static constexpr double footer = 24;  // parameters / FLOPs line
    static constexpr double gridStep = 20;
};

double nodeHeight(const OpDef* def);
QRectF nodeRect(const Node& n, const OpDef* def);
// Centre of an input (output=false) or output port, by port index.
QPointF portPos(const Node& n, int index, bool output);
// Points of the cubic edge curve from an output port to an input port.
void edgeControlPoints(QPointF a, QPointF b, QPointF* c1, QPointF* c2);
double distanceToEdge(QPointF p, QPointF a, QPointF b);  // sampled curve

// Layered layout: layer = longest path from a source, rows in topological
// order. Returns the new position of every node.
std::map<std::string, QPointF> layeredLayout(const Graph& g);

}  // namespace archscope::ui
