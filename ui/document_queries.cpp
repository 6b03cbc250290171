// GraphDocument read-only queries for the views: inspector data and hit tests.
#include "core/registry.h"
#include "graph_document.h"
#include "graph_geometry.h"

namespace archscope::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QVariant toVariant(const AttrValue& v) {
    if (auto* i = std::get_if<int64_t>(&v)) return double(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* s = std::get_if<std::string>(&v)) return q(*s);
    QStringList parts;
    for (auto x : std::get<std::vector<int64_t>>(v)) parts << QString::number(x);
    return parts.join(", ");
}

}  // namespace

QVariantMap GraphDocument::nodeInfo(const QString& id) const {
    const Node* n = m_graph.node(id.toStdString());
    if (!n) return {};
    const OpDef* def = OpRegistry::global().find(n->op);
    QVariantMap m{{"id", id}, {"op", q(n->op)}, {"label", q(n->label)}, {"x", n->x}, {"y", n->y}};
    m["name"] = def ? q(def->displayName) : q(n->op);
    m["category"] = def ? q(def->category) : QString("Unknown");
    m["color"] = def ? categoryColor(q(def->category)) : QColor("#777777");
    m["doc"] = def ? q(def->doc) : QString("Unknown op: no definition is registered under this id.");
    auto it = m_analysis.nodes.find(n->id);
    QVariantList outs;
    if (def && it != m_analysis.nodes.end())
        for (size_t i = 0; i < def->outputs.size() && i < it->second.outputs.size(); ++i)
            outs << QVariantMap{{"port", q(def->outputs[i].name)},
                                {"shape", q(shapeStr(it->second.outputs[i].shape))},
                                {"dtype", dtypeName(it->second.outputs[i].dtype)}};
    m["outputs"] = outs;
    QVariantList ins;
    if (def)
        for (auto& p : def->inputs) {
            auto src = m_graph.source({n->id, p.name});
            ins << QVariantMap{{"port", q(p.name)}, {"doc", q(p.doc)}, {"optional", p.optional},
                               {"source", src ? q(src->node + ":" + src->port) : QString()}};
        }
    m["inputs"] = ins;
    bool known = it != m_analysis.nodes.end() && it->second.ok;
    m["params"] = known ? double(it->second.paramCount) : 0.0;
    m["flops"] = known ? double(it->second.flops) : 0.0;
    QStringList errs;
    for (auto& d : m_analysis.errors)
        if (d.node == n->id || d.node.rfind(n->id + "/", 0) == 0) errs << q(d.message);
    m["errors"] = errs;
    return m;
}

QVariantList GraphDocument::nodeAttributes(const QString& id) const {
    const Node* n = m_graph.node(id.toStdString());
    const OpDef* def = n ? OpRegistry::global().find(n->op) : nullptr;
    QVariantList l;
    if (!def) return l;
    for (auto& a : def->attrs) {
        auto it = n->attrs.find(a.name);
        bool set = it != n->attrs.end();
        QStringList choices;
        for (auto& c : a.choices) choices << q(c);
        l << QVariantMap{{"name", q(a.name)},
                         {"type", attrTypeName(a.type)},
                         {"value", set ? toVariant(it->second) : a.required ? QVariant() : toVariant(a.def)},
                         {"isSet", set},
                         {"required", a.required},
                         {"min", a.min},
                         {"max", a.max},
                         {"choices", choices},
                         {"doc", q(a.doc)}};
    }
    return l;
}

QVariantMap GraphDocument::portAt(double x, double y) const {
    if (QVariantMap g = groupPortAt(x, y); !g.isEmpty()) return g;  // collapsed groups are drawn on top
    const OpRegistry& reg = OpRegistry::global();
    const double r = 11;
    auto& nodes = m_graph.nodes();
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
        const OpDef* def = reg.find(it->op);
        if (m_memberView.count(it->id) || outOfScope(it->id)) continue;  // hidden in a collapsed group / outside the open group
        if (!def || !nodeRect(*it, def).adjusted(-r, 0, r, 0).contains(x, y)) continue;
        for (int out = 0; out < 2; ++out) {
            const auto& ports = out ? def->outputs : def->inputs;
            for (size_t i = 0; i < ports.size(); ++i) {
                QPointF p = portPos(*it, int(i), out);
                if (std::abs(p.x() - x) <= r && std::abs(p.y() - y) <= NodeMetrics::row / 2)
                    return {{"node", q(it->id)}, {"port", q(ports[i].name)}, {"output", bool(out)}, {"x", p.x()}, {"y", p.y()}};
            }
        }
    }
    return {};
}

QVariantMap GraphDocument::edgeAt(double x, double y, double tolerance) const {
    const EdgeGeom* best = nullptr;
    double bestD = tolerance;
    for (auto& e : m_edgeGeom) {
        QRectF box = QRectF(e.a, e.b).normalized().adjusted(-60 - tolerance, -tolerance, 60 + tolerance, tolerance);
        if (!box.contains(x, y)) continue;
        double d = distanceToEdge({x, y}, e.a, e.b);
        if (d <= bestD) { bestD = d; best = &e; }
    }
    if (!best) return {};
    return {{"toNode", best->toNode}, {"toPort", best->toPort}, {"label", best->label}, {"error", best->error}};
}

QPointF GraphDocument::portPosition(const QString& node, const QString& port, bool output) const {
    if (const GroupView* v = groupView(node)) return groupPortPosition(*v, port, output);
    const Node* n = m_graph.node(node.toStdString());
    const OpDef* def = n ? OpRegistry::global().find(n->op) : nullptr;
    if (!def) return {};
    int i = output ? def->outputIndex(port.toStdString()) : def->inputIndex(port.toStdString());
    return portPos(*n, std::max(i, 0), output);
}

QString GraphDocument::nodeAt(double x, double y) const {
    auto& nodes = m_graph.nodes();
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it)
        if (!outOfScope(it->id) && !m_memberView.count(it->id) && nodeRect(*it, OpRegistry::global().find(it->op)).contains(x, y)) return q(it->id);
    return {};
}

}  // namespace archscope::ui
