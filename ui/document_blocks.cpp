// GraphDocument: composite blocks opened inline and collapsed again, collapsed
// groups drawn as one node, palette drops onto edges. Every edit is one
// SnapshotCommand, so undo restores the exact design.
#include "core/registry.h"
#include "graph/flatten.h"
#include "graph_commands.h"
#include "graph_document.h"
#include "graph_geometry.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace archscope::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
std::string s(const QString& v) { return v.toStdString(); }

// The body of composite `op` with attributes as written (`attrs`), or false with *err.
bool blockBody(const std::string& op, const std::map<std::string, AttrValue>& attrs, Graph* body, std::string* err) {
    const OpDef* def = OpRegistry::global().find(op);
    if (!def || !def->isComposite()) {
        *err = "\"" + op + "\" is not a composite block";
        return false;
    }
    Node n{"block", op, attrs};
    Attrs resolved;
    std::vector<std::string> errs;
    if (!resolveNodeAttrs(n, *def, &resolved, &errs)) {
        *err = errs.front();
        return false;
    }
    try {
        return def->expand(resolved, body, err);
    } catch (const std::exception& e) {
        *err = e.what();
        return false;
    }
}

// Id of body node `inner` of block group `gid`: "gid.inner" ('/' of nested
// bodies becomes '.', since design-file ids may not hold '/').
std::string memberId(const std::string& gid, std::string inner) {
    std::replace(inner.begin(), inner.end(), '/', '.');
    return gid + "." + inner;
}

bool isBoundary(const Node* n) { return n && (n->op == "input" || n->op == "output"); }

std::string uniqueGroupId(const Graph& g, const std::string& base) {
    std::set<std::string> used;
    for (auto& gr : g.groups) used.insert(gr.id);
    std::string id = base;
    for (int i = 1; used.count(id) || (id != base && g.node(id)); ++i) id = base + "_" + std::to_string(i);
    return id;
}

// Member port names of an opened block: member input -> block input port,
// member output -> block output port (from a fresh expansion of the block).
void blockPortNames(const Group& gr, std::map<PortRef, std::string>* in, std::map<PortRef, std::string>* out) {
    Graph body;
    std::string err;
    if (gr.block.empty() || !blockBody(gr.block, gr.blockAttrs, &body, &err)) return;
    for (auto& e : body.edges()) {
        const Node* from = body.node(e.from.node);
        const Node* to = body.node(e.to.node);
        if (from && from->op == "input" && !isBoundary(to)) (*in)[{memberId(gr.id, e.to.node), e.to.port}] = e.from.node;
        if (to && to->op == "output" && !isBoundary(from)) (*out)[{memberId(gr.id, e.from.node), e.from.port}] = e.to.node;
    }
}

}  // namespace

// ---------- collapsed groups as one node ----------

void GraphDocument::buildGroupViews() {
    m_groupViews.clear();
    m_memberView.clear();
    const int scope = scopeIndex();
    for (size_t gi = 0; gi < m_graph.groups.size(); ++gi) {
        const Group& gr = m_graph.groups[gi];
        // Only the collapsed groups of the level shown; those inside them are hidden with their members.
        if (!gr.collapsed || gr.nodes.empty() || !groupAtLevel(int(gi), scope)) continue;
        std::set<std::string> members(gr.nodes.begin(), gr.nodes.end());
        GroupView v;
        v.id = q(gr.id);
        v.pos = {1e300, 1e300};
        for (auto& id : gr.nodes)
            if (const Node* n = m_graph.node(id)) v.pos = {std::min(v.pos.x(), n->x), std::min(v.pos.y(), n->y)};
        std::map<PortRef, std::string> inName, outName;
        blockPortNames(gr, &inName, &outName);
        const std::string pre = gr.id + ".";
        auto strip = [&](const std::string& id) { return id.rfind(pre, 0) == 0 ? id.substr(pre.size()) : id; };
        std::map<PortRef, int> bySource;  // one input row per outside source
        for (auto& e : m_graph.edges()) {
            bool inTo = members.count(e.to.node), inFrom = members.count(e.from.node);
            if (inTo && !inFrom) {
                auto [it, added] = bySource.emplace(e.from, int(v.inputs.size()));
                if (added) {
                    auto nm = inName.find(e.to);
                    v.inputs << q(nm != inName.end() ? nm->second : strip(e.to.node) + "." + e.to.port);
                }
                v.inIndex[e.to] = it->second;
            }
            if (inFrom && !inTo && !v.outIndex.count(e.from)) {
                v.outIndex[e.from] = int(v.outputs.size());
                auto nm = outName.find(e.from);
                v.outputs << q(nm != outName.end() ? nm->second : strip(e.from.node) + "." + e.from.port);
                const TensorType* t = m_analysis.outputType(e.from);
                v.outputShapes << (t ? q(shapeStr(t->shape)) : QString("?"));
            }
        }
        for (auto& id : gr.nodes) m_memberView[id] = m_groupViews.size();
        m_groupViews.push_back(std::move(v));
    }
}

void GraphDocument::appendGroupRows(std::vector<NodeRow>& rows, const std::map<QString, QStringList>& nodeErrors) {
    for (size_t i = 0; i < m_groupViews.size(); ++i) {
        const GroupView& v = m_groupViews[i];
        const Group* gr = nullptr;
        for (auto& g : m_graph.groups)
            if (q(g.id) == v.id) gr = &g;
        NodeRow r;
        r.id = "group:" + v.id;
        r.op = gr->block.empty() ? QString("group") : q(gr->block) + " (edited)";
        r.title = q(gr->label.empty() ? gr->id : gr->label);
        r.category = "Group";
        r.doc = QString("Collapsed group of %1 nodes; double-click to open it").arg(gr->nodes.size());
        r.color = QColor("#c9a467");
        r.x = v.pos.x();
        r.y = v.pos.y();
        r.height = NodeMetrics::header + double(std::max<qsizetype>({v.inputs.size(), v.outputs.size(), 1})) * NodeMetrics::row +
                   NodeMetrics::footer;
        r.inputs = v.inputs;
        r.outputs = v.outputs;
        r.outputShapes = v.outputShapes;
        int64_t params = 0, flops = 0;
        QStringList errs;
        bool allSelected = true;
        for (auto& id : gr->nodes) {
            if (auto it = m_analysis.nodes.find(id); it != m_analysis.nodes.end()) {
                params += it->second.paramCount;
                flops += it->second.flops;
            }
            if (auto e = nodeErrors.find(q(id)); e != nodeErrors.end()) errs << e->second;
            allSelected &= m_selection.contains(q(id));
        }
        r.stats = QString("%1 nodes · %2 params").arg(gr->nodes.size()).arg(params);
        if (flops) r.stats += QString(" · %1 FLOPs").arg(double(flops), 0, 'g', 3);
        r.errors = errs.join('\n');
        r.selected = allSelected;
        r.composite = true;
        rows.push_back(std::move(r));
    }
}

QPointF GraphDocument::edgeEnd(const Node& n, const PortRef& port, bool output) const {
    if (auto it = m_memberView.find(n.id); it != m_memberView.end()) {
        const GroupView& v = m_groupViews[it->second];
        const auto& index = output ? v.outIndex : v.inIndex;
        auto p = index.find(port);
        Node at;
        at.x = v.pos.x();
        at.y = v.pos.y();
        return portPos(at, p == index.end() ? 0 : p->second, output);
    }
    const OpDef* def = OpRegistry::global().find(n.op);
    int i = def ? (output ? def->outputIndex(port.port) : def->inputIndex(port.port)) : 0;
    return portPos(n, std::max(i, 0), output);
}

// ---------- opening and collapsing blocks ----------

QString GraphDocument::openBlock(const QString& nodeId) {
    const Node* n = m_graph.node(s(nodeId));
    const OpDef* def = n ? OpRegistry::global().find(n->op) : nullptr;
    if (!def || !def->isComposite()) {
        setMessage(QString("\"%1\" is not a composite block").arg(nodeId));
        return {};
    }
    Graph body;
    std::string err;
    if (!blockBody(n->op, n->attrs, &body, &err)) {
        setMessage(QString("Cannot open %1: %2").arg(nodeId, q(err)));
        return {};
    }
    Graph g = m_graph;
    const Node node = *n;
    Group gr{uniqueGroupId(g, node.id), node.label.empty() ? node.id + " (" + def->displayName + ")" : node.label, {}, false,
             node.op, node.attrs};
    std::map<std::string, QPointF> layout = layeredLayout(body);
    for (auto& bn : body.nodes()) {
        if (isBoundary(&bn)) continue;
        Node m = bn;
        m.id = memberId(gr.id, bn.id);
        if (!bn.weightsOf.empty()) m.weightsOf = memberId(gr.id, bn.weightsOf);  // weight tying (loop iterations) kept
        if (!isValidId(m.id)) {
            setMessage(QString("Cannot open %1: inner id \"%2\" is not valid in a design file").arg(nodeId, q(m.id)));
            return {};
        }
        m.x = node.x + layout[bn.id].x() - NodeMetrics::width - 80.0;  // the first layer holds the block's inputs
        m.y = node.y + layout[bn.id].y();
        if (!g.addNode(m)) {
            setMessage(QString("Cannot open %1: a node \"%2\" already exists").arg(nodeId, q(m.id)));
            return {};
        }
        gr.nodes.push_back(m.id);
    }
    std::map<std::string, PortRef> outputs;  // block output port -> inner producer
    for (auto& e : body.edges()) {
        const Node* from = body.node(e.from.node);
        const Node* to = body.node(e.to.node);
        PortRef src{memberId(gr.id, e.from.node), e.from.port};
        if (from->op == "input") {
            auto outside = m_graph.source({node.id, e.from.node});
            if (!outside) continue;  // optional block input left unconnected
            src = *outside;
        }
        if (to->op == "output") outputs[e.to.node] = src;
        else g.connect(src, {memberId(gr.id, e.to.node), e.to.port});
    }
    std::vector<Edge> consumers = g.edgesFrom(node.id);
    for (auto& outer : g.groups)  // groups that held the node (an open block's, say) hold its body: the new group nests
        if (std::find(outer.nodes.begin(), outer.nodes.end(), node.id) != outer.nodes.end())
            outer.nodes.insert(outer.nodes.end(), gr.nodes.begin(), gr.nodes.end());
    g.removeNode(node.id);
    for (auto& e : consumers)
        if (auto it = outputs.find(e.from.port); it != outputs.end()) g.connect(it->second, e.to);
    std::erase_if(g.groups, [](const Group& x) { return x.nodes.empty(); });
    g.groups.push_back(gr);
    QStringList sel;
    for (auto& id : gr.nodes) sel << q(id);
    pushStructural(QString("Open %1").arg(nodeId), g, sel);
    return q(gr.id);
}

bool GraphDocument::isBlockUnedited(const QString& id) const {
    const Group* gr = nullptr;
    for (auto& g : m_graph.groups)
        if (q(g.id) == id) gr = &g;
    Graph body;
    std::string err;
    if (!gr || gr->block.empty() || !blockBody(gr->block, gr->blockAttrs, &body, &err)) return false;
    std::set<std::string> members(gr->nodes.begin(), gr->nodes.end()), expected;
    for (auto& bn : body.nodes()) {
        if (isBoundary(&bn)) continue;
        const Node* m = m_graph.node(memberId(gr->id, bn.id));
        if (!m || m->op != bn.op || m->attrs != bn.attrs) return false;
        if (m->weightsOf != (bn.weightsOf.empty() ? std::string() : memberId(gr->id, bn.weightsOf))) return false;
        expected.insert(m->id);
    }
    if (members != expected) return false;
    std::set<std::pair<PortRef, PortRef>> inner;  // internal edges expected
    std::map<PortRef, std::string> inName, outName;
    blockPortNames(*gr, &inName, &outName);
    for (auto& e : body.edges())
        if (!isBoundary(body.node(e.from.node)) && !isBoundary(body.node(e.to.node)))
            inner.insert({{memberId(gr->id, e.from.node), e.from.port}, {memberId(gr->id, e.to.node), e.to.port}});
    std::map<std::string, PortRef> portSource;  // each block input fed by one outside source
    for (auto& e : m_graph.edges()) {
        bool inFrom = members.count(e.from.node), inTo = members.count(e.to.node);
        if (inFrom && inTo && !inner.erase(std::make_pair(e.from, e.to))) return false;
        if (inTo && !inFrom) {
            auto nm = inName.find(e.to);
            if (nm == inName.end()) return false;
            auto [it, added] = portSource.emplace(nm->second, e.from);
            if (!added && !(it->second == e.from)) return false;
        }
        if (inFrom && !inTo && !outName.count(e.from)) return false;
    }
    return inner.empty();
}

bool GraphDocument::collapseGroup(const QString& id) {
    Graph g = m_graph;
    auto it = std::find_if(g.groups.begin(), g.groups.end(), [&](const Group& x) { return q(x.id) == id; });
    if (it == g.groups.end()) {
        setMessage(QString("No group \"%1\"").arg(id));
        return false;
    }
    // A group the user made inside the open block would vanish with the members: keep the block open.
    const std::set<std::string> members(it->nodes.begin(), it->nodes.end());
    const bool innerGroup = std::any_of(g.groups.begin(), g.groups.end(), [&](const Group& x) {
        return &x != &*it && !x.nodes.empty() && x.nodes.size() < members.size() &&
               std::all_of(x.nodes.begin(), x.nodes.end(), [&](const std::string& m) { return members.count(m) > 0; });
    });
    // Edited, holding a group of the user's, or its id taken by a node meanwhile: kept as the
    // user's own group, which runs as its members.
    if (innerGroup || !isBlockUnedited(id) || g.node(s(id))) {
        if (it->collapsed) return false;
        it->collapsed = true;
        pushStructural(QString("Collapse %1").arg(id), g, selection());
        return true;
    }
    Group gr = *it;
    g.groups.erase(it);
    std::map<PortRef, std::string> inName, outName;
    blockPortNames(gr, &inName, &outName);
    Node block{gr.id, gr.block, gr.blockAttrs, 1e300, 1e300};
    for (auto& m : gr.nodes)
        if (const Node* n = g.node(m)) { block.x = std::min(block.x, n->x); block.y = std::min(block.y, n->y); }
    std::vector<std::pair<PortRef, PortRef>> wires;  // new edges, made after the members are gone
    for (auto& e : g.edges()) {
        bool inFrom = members.count(e.from.node), inTo = members.count(e.to.node);
        if (inTo && !inFrom) wires.push_back({e.from, {gr.id, inName[e.to]}});
        if (inFrom && !inTo) wires.push_back({{gr.id, outName[e.from]}, e.to});
    }
    std::vector<size_t> outer;  // groups holding every member hold the block node instead
    for (size_t i = 0; i < g.groups.size(); ++i) {
        std::set<std::string> held(g.groups[i].nodes.begin(), g.groups[i].nodes.end());
        if (std::includes(held.begin(), held.end(), members.begin(), members.end())) outer.push_back(i);
    }
    for (auto& m : gr.nodes) g.removeNode(m);
    g.addNode(block);
    for (size_t i : outer) g.groups[i].nodes.push_back(block.id);
    std::erase_if(g.groups, [](const Group& x) { return x.nodes.empty(); });
    for (auto& [from, to] : wires) g.connect(from, to);
    pushStructural(QString("Collapse %1").arg(id), g, {id});
    return true;
}

bool GraphDocument::expandGroup(const QString& id) {
    Graph g = m_graph;
    for (auto& gr : g.groups)
        if (q(gr.id) == id && gr.collapsed) {
            gr.collapsed = false;
            pushStructural(QString("Expand %1").arg(id), g, selection());
            return true;
        }
    return false;
}

// ---------- palette drops ----------

QStringList GraphDocument::dropFromPalette(const QString& op, double x, double y) {
    if (op.startsWith("user:")) return addUserBlock(op.mid(5), x - 100, y - 20);
    const OpDef* def = OpRegistry::global().find(s(op));
    QVariantMap hit = edgeAt(x, y, 24);
    if (!def || hit.isEmpty()) {
        QString id = addNode(op, x - 100, y - 20);
        return id.isEmpty() ? QStringList() : QStringList{id};
    }
    // Added and inserted in one step: build both on a copy, push once.
    Graph g = m_graph;
    Node n{g.uniqueId(def->id), def->id};
    n.x = std::round((x - 100) / NodeMetrics::gridStep) * NodeMetrics::gridStep;
    n.y = std::round((y - 20) / NodeMetrics::gridStep) * NodeMetrics::gridStep;
    for (auto& a : def->attrs)
        if (a.required) n.attrs[a.name] = AttrValue(int64_t(std::max(1.0, a.min)));
    const QString id = q(n.id);
    g.addNode(n);
    joinScope(g, {n.id});
    PortRef to{s(hit["toNode"].toString()), s(hit["toPort"].toString())};
    QString why = def->inputs.empty() || def->outputs.empty() ? QString("%1 has no input or no output").arg(q(def->id))
                                                              : insertProblem(g, n.id, to);
    if (why.isEmpty()) {
        pushStructural(QString("Insert %1 on %2:%3").arg(q(def->displayName), q(to.node), q(to.port)), g, {id});
        return {id};
    }
    QString added = addNode(op, x - 100, y - 20);
    setMessage(QString("Added %1 without inserting it into the edge to %2:%3: %4").arg(added, q(to.node), q(to.port), why));
    return {added};
}

}  // namespace archscope::ui
