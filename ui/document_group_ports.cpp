// Ports of collapsed groups: a collapsed group is drawn as one node
// "group:<id>" whose input rows stand for outside sources feeding members and
// whose output rows stand for member outputs used outside (buildGroupViews).
// Connecting to such a port connects the member(s) behind it; bounds() counts
// the group node, not its hidden members.
#include "core/registry.h"
#include "graph_document.h"
#include "graph_geometry.h"

namespace archscope::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
const QString kGroupPrefix = QStringLiteral("group:");
}  // namespace

const GroupView* GraphDocument::groupView(const QString& node) const {
    if (!node.startsWith(kGroupPrefix)) return nullptr;
    const QString id = node.mid(kGroupPrefix.size());
    for (auto& v : m_groupViews)
        if (v.id == id) return &v;
    return nullptr;
}

// The member ports behind port `port` of a node: itself for an ordinary node;
// for a collapsed group's input row, every member input fed through it; for an
// output row, the member output. Empty when the group has no such port.
std::vector<PortRef> GraphDocument::memberPorts(const QString& node, const QString& port, bool output) const {
    const GroupView* v = groupView(node);
    if (!v) return {PortRef{node.toStdString(), port.toStdString()}};
    const int row = int((output ? v->outputs : v->inputs).indexOf(port));
    std::vector<PortRef> out;
    for (auto& [member, index] : output ? v->outIndex : v->inIndex)
        if (index == row) out.push_back(member);
    return out;
}

QRectF GraphDocument::groupRect(const GroupView& v) {
    const double rows = double(std::max<qsizetype>({v.inputs.size(), v.outputs.size(), 1}));
    return {v.pos.x(), v.pos.y(), NodeMetrics::width, NodeMetrics::header + rows * NodeMetrics::row + NodeMetrics::footer};
}

QRectF GraphDocument::bounds() const {
    const OpRegistry& reg = OpRegistry::global();
    QRectF box;
    for (auto& n : m_graph.nodes())
        if (!m_memberView.count(n.id) && !outOfScope(n.id)) box |= nodeRect(n, reg.find(n.op));  // hidden members: counted as their group
    for (auto& v : m_groupViews) box |= groupRect(v);
    return box;
}

QRectF GraphDocument::selectionBounds() const {
    const OpRegistry& reg = OpRegistry::global();
    QRectF box;
    for (auto& n : m_graph.nodes()) {
        if (!m_selection.contains(q(n.id)) || outOfScope(n.id)) continue;
        auto view = m_memberView.find(n.id);  // a hidden member: its collapsed group's node
        box |= view != m_memberView.end() ? groupRect(m_groupViews[view->second]) : nodeRect(n, reg.find(n.op));
    }
    return box;
}

QVariantMap GraphDocument::groupPortAt(double x, double y) const {
    const double r = 11;
    for (auto& v : m_groupViews) {
        if (!groupRect(v).adjusted(-r, 0, r, 0).contains(x, y)) continue;
        Node at;
        at.x = v.pos.x();
        at.y = v.pos.y();
        for (int out = 0; out < 2; ++out) {
            const QStringList& names = out ? v.outputs : v.inputs;
            for (int i = 0; i < names.size(); ++i) {
                QPointF p = portPos(at, i, out);
                if (std::abs(p.x() - x) <= r && std::abs(p.y() - y) <= NodeMetrics::row / 2)
                    return {{"node", kGroupPrefix + v.id}, {"port", names[i]}, {"output", bool(out)}, {"x", p.x()}, {"y", p.y()}};
            }
        }
    }
    return {};
}

QPointF GraphDocument::groupPortPosition(const GroupView& v, const QString& port, bool output) const {
    Node at;
    at.x = v.pos.x();
    at.y = v.pos.y();
    return portPos(at, std::max<int>(0, int((output ? v.outputs : v.inputs).indexOf(port))), output);
}

}  // namespace archscope::ui
