#include "graph_geometry.h"

#include "core/registry.h"

#include <QLineF>
#include <algorithm>
#include <cmath>

namespace archscope::ui {

double nodeHeight(const OpDef* def) {
    size_t rows = def ? std::max(def->inputs.size(), def->outputs.size()) : 1;
    return NodeMetrics::header + double(std::max<size_t>(rows, 1)) * NodeMetrics::row + NodeMetrics::footer;
}

QRectF nodeRect(const Node& n, const OpDef* def) { return {n.x, n.y, NodeMetrics::width, nodeHeight(def)}; }

QPointF portPos(const Node& n, int index, bool output) {
    return {n.x + (output ? NodeMetrics::width : 0.0), n.y + NodeMetrics::header + (index + 0.5) * NodeMetrics::row};
}

void edgeControlPoints(QPointF a, QPointF b, QPointF* c1, QPointF* c2) {
    double dx = std::max(40.0, std::abs(b.x() - a.x()) * 0.5);
    *c1 = {a.x() + dx, a.y()};
    *c2 = {b.x() - dx, b.y()};
}

double distanceToEdge(QPointF p, QPointF a, QPointF b) {
    QPointF c1, c2;
    edgeControlPoints(a, b, &c1, &c2);
    auto at = [&](double t) {
        double u = 1 - t;
        return a * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + b * (t * t * t);
    };
    double best = 1e300;
    QPointF prev = a;
    for (int i = 1; i <= 24; ++i) {
        QPointF cur = at(i / 24.0);
        // distance from p to segment prev-cur
        QPointF d = cur - prev;
        double len2 = QPointF::dotProduct(d, d);
        double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - prev, d) / len2, 0.0, 1.0) : 0.0;
        best = std::min(best, QLineF(p, prev + d * t).length());
        prev = cur;
    }
    return best;
}

std::map<std::string, QPointF> layeredLayout(const Graph& g) {
    std::vector<std::string> order, cycle;
    if (!g.topoOrder(&order, &cycle)) {
        order.clear();
        for (auto& n : g.nodes()) order.push_back(n.id);
    }
    std::map<std::string, int> layer;
    for (auto& id : order) {
        int l = 0;
        for (auto& e : g.edges())
            if (e.to.node == id && layer.count(e.from.node)) l = std::max(l, layer[e.from.node] + 1);
        layer[id] = l;
    }
    std::map<int, double> nextY;
    std::map<std::string, QPointF> pos;
    const OpRegistry& reg = OpRegistry::global();
    for (auto& id : order) {
        int l = layer[id];
        const Node* n = g.node(id);
        double y = nextY[l];
        pos[id] = {l * (NodeMetrics::width + 80.0), y};
        nextY[l] = y + nodeHeight(reg.find(n->op)) + 40.0;
    }
    return pos;
}

}  // namespace archscope::ui
