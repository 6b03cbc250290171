// Diagram layout and SVG (see diagram.h).
#include "interop/diagram.h"

#include "core/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

namespace archscope {

namespace {

constexpr double kBoxW = 180, kBoxH = 44, kGapX = 50, kGapY = 76, kMargin = 30, kTitleH = 34, kLegendH = 40;
constexpr double kLaneGap = 24, kLaneStep = 14;  // routed edges: first lane right of the boxes, lane spacing

// The GUI's colours (ui/list_models.cpp categoryColor): the palette indexed by
// the category's rank among all registered categories.
std::string categoryColor(const std::string& category) {
    static const char* palette[] = {"#4f7fd9", "#d9824f", "#55b07a", "#b063c9", "#c9b04a", "#4ab3c9",
                                    "#d95f76", "#8a9a5b", "#7a6fe0", "#c97a4a", "#5bb0a0", "#a0708a"};
    std::set<std::string> cats;
    for (auto* d : OpRegistry::global().all()) cats.insert(d->category);
    auto it = cats.find(category);
    size_t i = it == cats.end() ? std::hash<std::string>()(category) : size_t(std::distance(cats.begin(), it));
    return palette[i % std::size(palette)];
}

std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '&') o += "&amp;";
        else if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '"') o += "&quot;";
        else if (static_cast<unsigned char>(c) >= 0x20) o += c;
    }
    return o;
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

// Layer of each node: longest path from a node without inputs.
std::map<std::string, int> layers(const Graph& g, std::vector<std::string>* order) {
    std::vector<std::string> cycle;
    if (!g.topoOrder(order, &cycle)) {
        order->clear();
        for (auto& n : g.nodes()) order->push_back(n.id);
    }
    std::map<std::string, int> layer;
    for (auto& id : *order) {
        int l = 0;
        for (auto& e : g.edges())
            if (e.to.node == id && layer.count(e.from.node)) l = std::max(l, layer[e.from.node] + 1);
        layer[id] = l;
    }
    return layer;
}

// Shape of a port of the design; a composite block's port is its flat producer's.
std::string shapeText(const Analysis& a, PortRef p) {
    auto comp = a.composites.find(p.node);
    if (comp != a.composites.end()) {
        auto out = comp->second.outputs.find(p.port);
        if (out == comp->second.outputs.end()) return "";
        p = out->second;
    }
    auto info = a.nodes.find(p.node);
    if (info == a.nodes.end() || !info->second.def) return "";
    const auto& outs = info->second.def->outputs;
    for (size_t k = 0; k < outs.size() && k < info->second.outputs.size(); ++k)
        if (outs[k].name == p.port) return shapeStr(info->second.outputs[k].shape);
    return "";
}

void cubic(std::vector<double>* path, double c1x, double c1y, double c2x, double c2y, double x, double y) {
    path->insert(path->end(), {c1x, c1y, c2x, c2y, x, y});
}

// True if a box of a row strictly between `from` and `to` overlaps the
// horizontal span of an edge from x1 to x2 (with a margin for the curve).
bool crossesBoxes(const std::vector<DiagramBox>& boxes, const std::vector<std::vector<std::string>>& rows,
                  const std::map<std::string, size_t>& boxOf, int from, int to, double x1, double x2) {
    const double lo = std::min(x1, x2) - 12, hi = std::max(x1, x2) + 12;
    for (int l = from + 1; l < to; ++l)
        for (auto& id : rows[size_t(l)]) {
            const DiagramBox& b = boxes[boxOf.at(id)];
            if (b.x < hi && lo < b.x + b.w) return true;
        }
    return false;
}

}  // namespace

Diagram layoutDiagram(const Graph& g, const Analysis& a) {
    Diagram d;
    auto name = g.metadata.find("name");
    d.title = name != g.metadata.end() ? name->second : "";
    std::vector<std::string> order;
    auto layer = layers(g, &order);
    std::vector<std::vector<std::string>> rows;
    for (auto& id : order) {
        size_t l = size_t(layer[id]);
        if (rows.size() <= l) rows.resize(l + 1);
        rows[l].push_back(id);
    }
    size_t widest = 1;
    for (auto& r : rows) widest = std::max(widest, r.size());
    d.width = 2 * kMargin + double(widest) * kBoxW + double(widest - 1) * kGapX;
    const double top = kMargin + (d.title.empty() ? 0 : kTitleH);
    std::map<std::string, size_t> boxOf;
    std::set<std::string> cats;
    struct Routed {
        size_t edge;
        int from, to;
    };
    std::vector<Routed> routed;
    std::vector<std::string> targets;  // per edge
    for (size_t l = 0; l < rows.size(); ++l) {
        const double rowW = double(rows[l].size()) * kBoxW + double(rows[l].size() - 1) * kGapX;
        double x = (d.width - rowW) / 2;
        for (auto& id : rows[l]) {
            const Node* n = g.node(id);
            const OpDef* def = OpRegistry::global().find(n->op);
            DiagramBox b;
            b.id = id;
            b.title = n->label.empty() ? id : n->label;
            b.op = n->op;
            b.category = def ? def->category : "missing";
            b.color = def ? categoryColor(b.category) : "#777777";
            b.x = x;
            b.y = top + double(l) * (kBoxH + kGapY);
            b.w = kBoxW;
            b.h = kBoxH;
            cats.insert(b.category);
            boxOf[id] = d.boxes.size();
            d.boxes.push_back(b);
            x += kBoxW + kGapX;
        }
    }
    for (auto& e : g.edges()) {
        if (!boxOf.count(e.from.node) || !boxOf.count(e.to.node)) continue;
        const DiagramBox &s = d.boxes[boxOf[e.from.node]], &t = d.boxes[boxOf[e.to.node]];
        const OpDef* sd = OpRegistry::global().find(g.node(e.from.node)->op);
        const OpDef* td = OpRegistry::global().find(g.node(e.to.node)->op);
        auto frac = [](const std::vector<PortDef>* ports, const std::string& port) {
            if (!ports || ports->size() < 2) return 0.5;
            for (size_t i = 0; i < ports->size(); ++i)
                if ((*ports)[i].name == port) return double(i + 1) / double(ports->size() + 1);
            return 0.5;
        };
        DiagramEdge de;
        de.x1 = s.x + s.w * frac(sd ? &sd->outputs : nullptr, e.from.port);
        de.y1 = s.y + s.h;
        de.x2 = t.x + t.w * frac(td ? &td->inputs : nullptr, e.to.port);
        de.y2 = t.y;
        de.label = shapeText(a, e.from);
        de.path = {de.x1, de.y1};
        const int ls = layer[e.from.node], lt = layer[e.to.node];
        if (lt - ls > 1 && crossesBoxes(d.boxes, rows, boxOf, ls, lt, de.x1, de.x2)) routed.push_back({d.edges.size(), ls, lt});
        else cubic(&de.path, de.x1, (de.y1 + de.y2) / 2, de.x2, (de.y1 + de.y2) / 2, de.x2, de.y2);
        d.edges.push_back(de);
        targets.push_back(e.to.node);
    }
    // Lanes beside the boxes of the rows an edge spans, on the side nearer its ends;
    // an edge takes the first lane on that side free over its rows.
    auto sideOf = [&](int from, int to, bool left) {
        double r = left ? 1e300 : -1e300;
        for (int l = from; l <= to; ++l)
            for (auto& id : rows[size_t(l)]) {
                const DiagramBox& b = d.boxes[boxOf[id]];
                r = left ? std::min(r, b.x) : std::max(r, b.x + kBoxW);
            }
        return r;
    };
    double laneLeft = kMargin, laneRight = 0;
    std::vector<std::vector<std::pair<int, int>>> lanes[2];  // right, left
    for (auto& r : routed) {
        DiagramEdge& de = d.edges[r.edge];
        const double lo = sideOf(r.from, r.to, true), hi = sideOf(r.from, r.to, false);
        const bool left = (de.x1 + de.x2) / 2 < (lo + hi) / 2;
        auto& side = lanes[left ? 1 : 0];
        size_t k = 0;
        for (; k < side.size(); ++k)
            if (std::none_of(side[k].begin(), side[k].end(), [&](auto& used) { return r.from < used.second && used.first < r.to; })) break;
        if (k == side.size()) side.emplace_back();
        side[k].push_back({r.from, r.to});
        const double offset = kLaneGap + kLaneStep * double(k);
        const double lane = left ? lo - offset : hi + offset;
        laneLeft = std::min(laneLeft, lane);
        laneRight = std::max(laneRight, lane);
        const double down = de.y1 + kGapY, up = de.y2 - kGapY;  // tops of the rows after the source and of the target's row above
        cubic(&de.path, de.x1, de.y1 + kGapY / 2, lane, de.y1 + kGapY / 2, lane, down);
        cubic(&de.path, lane, down, lane, up, lane, up);
        cubic(&de.path, lane, up + kGapY / 2, de.x2, up + kGapY / 2, de.x2, de.y2);
    }
    if (laneLeft < kMargin) {  // left lanes past the margin: move everything right
        const double dx = kMargin - laneLeft;
        for (auto& b : d.boxes) b.x += dx;
        for (auto& e : d.edges) {
            e.x1 += dx, e.x2 += dx;
            for (size_t i = 0; i < e.path.size(); i += 2) e.path[i] += dx;
        }
        d.width += dx;
        laneRight += dx;
    }
    d.width = std::max(d.width, laneRight + kMargin);
    // Several inputs of one box: the leftmost label goes left of its arrow.
    std::map<std::string, std::vector<size_t>> into;  // target node -> its edges
    for (size_t i = 0; i < d.edges.size(); ++i) into[targets[i]].push_back(i);
    for (auto& [at, list] : into) {
        if (list.size() < 2) continue;
        auto left = std::min_element(list.begin(), list.end(), [&](size_t i, size_t j) { return d.edges[i].x2 < d.edges[j].x2; });
        d.edges[*left].labelLeft = true;
    }
    for (auto& c : cats) d.legend.push_back({c, c == "missing" ? "#777777" : categoryColor(c)});
    d.height = top + double(rows.size()) * (kBoxH + kGapY) - kGapY + kMargin + kLegendH;
    return d;
}

std::string diagramSvg(const Diagram& d) {
    std::string o;
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(d.width) + "\" height=\"" + num(d.height) + "\" viewBox=\"0 0 " +
         num(d.width) + " " + num(d.height) + "\" font-family=\"Helvetica, Arial, sans-serif\">\n";
    o += "  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
         "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker></defs>\n";
    o += "  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    if (!d.title.empty())
        o += "  <text x=\"" + num(d.width / 2) + "\" y=\"" + num(kMargin + 14) + "\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
             esc(d.title) + "</text>\n";
    for (auto& e : d.edges) {
        std::string path = "M" + num(e.path[0]) + "," + num(e.path[1]);
        for (size_t i = 2; i + 6 <= e.path.size(); i += 6)
            path += " C" + num(e.path[i]) + "," + num(e.path[i + 1]) + " " + num(e.path[i + 2]) + "," + num(e.path[i + 3]) + " " +
                    num(e.path[i + 4]) + "," + num(e.path[i + 5]);
        o += "  <path class=\"edge\" d=\"" + path + "\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>\n";
        if (!e.label.empty())
            o += "  <text class=\"shape\" x=\"" + num(e.labelLeft ? e.x2 - 5 : e.x2 + 5) + "\" y=\"" + num(e.y2 - 8) + "\"" +
                 (e.labelLeft ? " text-anchor=\"end\"" : "") + " font-size=\"10\" fill=\"#333333\">" + esc(e.label) + "</text>\n";
    }
    for (auto& b : d.boxes) {
        o += "  <g class=\"node\" id=\"node-" + esc(b.id) + "\">\n";
        o += "    <rect x=\"" + num(b.x) + "\" y=\"" + num(b.y) + "\" width=\"" + num(b.w) + "\" height=\"" + num(b.h) +
             "\" rx=\"6\" fill=\"#ffffff\" stroke=\"" + b.color + "\" stroke-width=\"2\"/>\n";
        o += "    <rect x=\"" + num(b.x) + "\" y=\"" + num(b.y) + "\" width=\"6\" height=\"" + num(b.h) + "\" fill=\"" + b.color + "\"/>\n";
        o += "    <text x=\"" + num(b.x + b.w / 2) + "\" y=\"" + num(b.y + 19) + "\" text-anchor=\"middle\" font-size=\"13\">" + esc(b.title) +
             "</text>\n";
        o += "    <text x=\"" + num(b.x + b.w / 2) + "\" y=\"" + num(b.y + 35) + "\" text-anchor=\"middle\" font-size=\"10\" fill=\"" + b.color +
             "\">" + esc(b.op) + "</text>\n";
        o += "  </g>\n";
    }
    double x = kMargin;
    const double y = d.height - kMargin;
    for (auto& [cat, color] : d.legend) {
        o += "  <rect x=\"" + num(x) + "\" y=\"" + num(y - 10) + "\" width=\"12\" height=\"12\" fill=\"" + color + "\"/>\n";
        o += "  <text x=\"" + num(x + 16) + "\" y=\"" + num(y) + "\" font-size=\"11\">" + esc(cat) + "</text>\n";
        x += 30 + 7.0 * double(cat.size());
    }
    o += "</svg>\n";
    return o;
}

}  // namespace archscope
