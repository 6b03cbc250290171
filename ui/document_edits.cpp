// GraphDocument edit operations: each validates its input, builds the
// command and pushes it (one undo step), or reports why it refused.
#include "core/registry.h"
#include "graph/design_io.h"
#include "graph_commands.h"
#include "graph_document.h"
#include "graph_geometry.h"

#include <QClipboard>
#include <QGuiApplication>
#include <algorithm>
#include <cmath>
#include <set>

namespace archscope::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
std::string s(const QString& v) { return v.toStdString(); }

bool reaches(const Graph& g, const std::string& from, const std::string& target) {
    std::set<std::string> seen{from};
    std::vector<std::string> stack{from};
    while (!stack.empty()) {
        std::string cur = stack.back();
        stack.pop_back();
        if (cur == target) return true;
        for (auto& e : g.edgesFrom(cur))
            if (seen.insert(e.to.node).second) stack.push_back(e.to.node);
    }
    return false;
}

const char* portTypeName(PortType t) { return t == PortType::F32 ? "f32" : t == PortType::I64 ? "i64" : "any"; }

// Why from -> to may not be connected in `g`, or "" when it may.
QString connectionProblem(const Graph& g, const Analysis* a, const PortRef& from, const PortRef& to) {
    const OpRegistry& reg = OpRegistry::global();
    const Node* nf = g.node(from.node);
    const Node* nt = g.node(to.node);
    if (!nf || !nt) return QString("no node \"%1\"").arg(q(nf ? to.node : from.node));
    const OpDef* df = reg.find(nf->op);
    const OpDef* dt = reg.find(nt->op);
    if (!df || !dt) return QString("node \"%1\" has an unknown op").arg(q(df ? nt->id : nf->id));
    const PortDef* pf = df->findOutput(from.port);
    const PortDef* pt = dt->findInput(to.port);
    if (!pf) return QString("\"%1\" (%2) has no output \"%3\"").arg(q(nf->id), q(nf->op), q(from.port));
    if (!pt) return QString("\"%1\" (%2) has no input \"%3\"").arg(q(nt->id), q(nt->op), q(to.port));
    if (from.node == to.node) return QString("a node cannot feed itself (\"%1\")").arg(q(from.node));
    if (reaches(g, to.node, from.node))
        return QString("connecting %1:%2 to %3:%4 would make a cycle").arg(q(from.node), q(from.port), q(to.node), q(to.port));
    if (pf->type != PortType::Any && pt->type != PortType::Any && pf->type != pt->type)
        return QString("input \"%1\" of \"%2\" takes %3, output \"%4\" of \"%5\" gives %6")
            .arg(q(to.port), q(to.node), portTypeName(pt->type), q(from.port), q(from.node), portTypeName(pf->type));
    if (const TensorType* t = a ? a->outputType(from) : nullptr; t && pt->type != PortType::Any) {
        DType want = pt->type == PortType::F32 ? DType::F32 : DType::I64;
        if (t->dtype != want)
            return QString("input \"%1\" of \"%2\" takes %3, but \"%4\" produces %5")
                .arg(q(to.port), q(to.node), portTypeName(pt->type), q(from.node), dtypeName(t->dtype));
    }
    if (auto src = g.source(to); src && *src == from) return QString("already connected");
    return {};
}

// Converts a value from QML to the attribute's declared type.
std::optional<AttrValue> toAttr(const AttrDef& d, const QVariant& v, QString* err) {
    bool ok = true;
    auto range = [&](double x) {
        if (x < d.min || x > d.max) {
            *err = QString("\"%1\" must be in [%2, %3], got %4").arg(q(d.name)).arg(d.min).arg(d.max).arg(x);
            return false;
        }
        return true;
    };
    switch (d.type) {
    case AttrType::Int: {
        qint64 x = v.toString().trimmed().toLongLong(&ok);
        if (!ok) { *err = QString("\"%1\" must be an integer, got \"%2\"").arg(q(d.name), v.toString()); return {}; }
        if (!range(double(x))) return {};
        return AttrValue(int64_t(x));
    }
    case AttrType::Float: {
        double x = v.toString().trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(x)) { *err = QString("\"%1\" must be a number, got \"%2\"").arg(q(d.name), v.toString()); return {}; }
        if (!range(x)) return {};
        return AttrValue(x);
    }
    case AttrType::Bool: return AttrValue(v.toBool());
    case AttrType::Enum:
        if (std::find(d.choices.begin(), d.choices.end(), s(v.toString())) == d.choices.end()) {
            *err = QString("\"%1\" is not one of the choices of \"%2\"").arg(v.toString(), q(d.name));
            return {};
        }
        return AttrValue(s(v.toString()));
    case AttrType::Ints: {
        std::vector<int64_t> out;
        for (auto& part : v.toString().split(',', Qt::SkipEmptyParts)) {
            out.push_back(part.trimmed().toLongLong(&ok));
            if (!ok) { *err = QString("\"%1\" takes integers separated by commas, got \"%2\"").arg(q(d.name), v.toString()); return {}; }
        }
        return AttrValue(out);
    }
    case AttrType::String:
    case AttrType::Shape: return AttrValue(s(v.toString()));
    }
    return {};
}

}  // namespace

void GraphDocument::pushStructural(const QString& text, const Graph& after, const QStringList& select) {
    m_undo.push(new SnapshotCommand(this, text, m_graph, after, selection(), select));
}

QString GraphDocument::addNode(const QString& op, double x, double y) {
    const OpDef* def = OpRegistry::global().find(s(op));
    if (!def) {
        setMessage(QString("Unknown op \"%1\"").arg(op));
        return {};
    }
    Graph g = m_graph;
    Node n;
    n.id = g.uniqueId(def->id);
    n.op = def->id;
    n.x = std::round(x / NodeMetrics::gridStep) * NodeMetrics::gridStep;
    n.y = std::round(y / NodeMetrics::gridStep) * NodeMetrics::gridStep;
    for (auto& a : def->attrs)  // required attributes get a starting value the user then edits
        if (a.required) n.attrs[a.name] = AttrValue(int64_t(std::max(1.0, a.min)));
    QString id = q(n.id);
    g.addNode(std::move(n));
    joinScope(g, {s(id)});
    pushStructural(QString("Add %1").arg(q(def->displayName)), g, {id});
    return id;
}

void GraphDocument::removeNodes(const QStringList& ids) {
    Graph g = m_graph;
    int removed = 0;
    for (auto& id : ids) removed += g.removeNode(s(id));
    if (!removed) return;
    std::erase_if(g.groups, [](const Group& gr) { return gr.nodes.empty(); });
    pushStructural(removed == 1 ? QString("Delete %1").arg(ids.first()) : QString("Delete %1 nodes").arg(removed), g, {});
}

int GraphDocument::beginDrag() { return m_nextDrag++; }

void GraphDocument::moveNodes(const QStringList& ids, double dx, double dy, int dragId) {
    std::map<std::string, QPointF> from, to;
    for (auto& id : ids)
        if (const Node* n = m_graph.node(s(id))) {
            from[n->id] = {n->x, n->y};
            to[n->id] = {n->x + dx, n->y + dy};
        }
    if (from.empty() || (dx == 0 && dy == 0)) return;
    m_undo.push(new MoveNodesCommand(this, from.size() == 1 ? "Move node" : "Move nodes", dragId, from, to));
}

void GraphDocument::snapNodes(const QStringList& ids, int dragId) {
    std::map<std::string, QPointF> from, to;
    const double st = NodeMetrics::gridStep;
    for (auto& id : ids)
        if (const Node* n = m_graph.node(s(id))) {
            QPointF snapped(std::round(n->x / st) * st, std::round(n->y / st) * st);
            if (snapped == QPointF(n->x, n->y)) continue;
            from[n->id] = {n->x, n->y};
            to[n->id] = snapped;
        }
    if (!from.empty()) m_undo.push(new MoveNodesCommand(this, "Move nodes", dragId, from, to));
}

// A collapsed group's port stands for the member port(s) behind it (memberPorts).
QString GraphDocument::canConnect(const QString& fn, const QString& fp, const QString& tn, const QString& tp) const {
    const std::vector<PortRef> from = memberPorts(fn, fp, true), to = memberPorts(tn, tp, false);
    if (from.size() != 1) return QString("group \"%1\" has no output \"%2\"").arg(fn, fp);
    if (to.empty()) return QString("group \"%1\" has no input \"%2\"").arg(tn, tp);
    for (auto& t : to)
        if (QString why = connectionProblem(m_graph, &m_analysis, from[0], t); !why.isEmpty()) return why;
    return {};
}

QString GraphDocument::connectPorts(const QString& fn, const QString& fp, const QString& tn, const QString& tp) {
    QString why = canConnect(fn, fp, tn, tp);
    if (!why.isEmpty()) {
        setMessage("Cannot connect: " + why);
        return why;
    }
    Graph g = m_graph;
    const PortRef from = memberPorts(fn, fp, true)[0];
    for (auto& t : memberPorts(tn, tp, false)) g.connect(from, t);  // one undo step for every member behind a group port
    pushStructural(QString("Connect %1:%2 → %3:%4").arg(fn, fp, tn, tp), g, selection());
    return {};
}

bool GraphDocument::disconnectInput(const QString& node, const QString& port) {
    Graph g = m_graph;
    if (!g.disconnect({s(node), s(port)})) return false;
    pushStructural(QString("Disconnect %1:%2").arg(node, port), g, selection());
    return true;
}

QString GraphDocument::setAttribute(const QString& node, const QString& name, const QVariant& value) {
    const Node* n = m_graph.node(s(node));
    const OpDef* def = n ? OpRegistry::global().find(n->op) : nullptr;
    const AttrDef* ad = def ? def->findAttr(s(name)) : nullptr;
    QString err;
    if (!ad) err = QString("node \"%1\" has no attribute \"%2\"").arg(node, name);
    std::optional<AttrValue> v = ad ? toAttr(*ad, value, &err) : std::nullopt;
    if (!v) {
        setMessage(err);
        return err;
    }
    auto it = n->attrs.find(ad->name);
    std::optional<AttrValue> before = it == n->attrs.end() ? std::nullopt : std::optional(it->second);
    if (before == v) return {};
    m_undo.push(new SetAttributeCommand(this, n->id, ad->name, before, v));
    return {};
}

void GraphDocument::resetAttribute(const QString& node, const QString& name) {
    const Node* n = m_graph.node(s(node));
    if (!n || !n->attrs.count(s(name))) return;
    m_undo.push(new SetAttributeCommand(this, n->id, s(name), n->attrs.at(s(name)), std::nullopt));
}

QString GraphDocument::setSymbolValue(const QString& name, qint64 value) {
    for (auto& sym : m_graph.symbols) {
        if (sym.name != s(name)) continue;
        if (value <= 0) {
            setMessage(QString("Size %1 must be positive").arg(name));
            return m_message;
        }
        if (sym.value != value) m_undo.push(new SetSymbolCommand(this, sym.name, sym.value, value));
        return {};
    }
    setMessage(QString("The design declares no size \"%1\"").arg(name));
    return m_message;
}

QString GraphDocument::copySelection() const {
    Graph sub;
    std::set<std::string> ids;
    for (auto& id : selection()) ids.insert(s(id));
    for (auto& n : m_graph.nodes())
        if (ids.count(n.id)) sub.addNode(n);
    for (auto& e : m_graph.edges())
        if (ids.count(e.from.node) && ids.count(e.to.node)) sub.connect(e.from, e.to);
    // Groups inside the level shown whose members are all copied go along (not the open group or its outer ones).
    const int scope = scopeIndex();
    for (size_t i = 0; i < m_graph.groups.size(); ++i) {
        const Group& gr = m_graph.groups[i];
        if (m_groupTree.inside(int(i), scope) && !gr.nodes.empty() &&
            std::all_of(gr.nodes.begin(), gr.nodes.end(), [&](const std::string& n) { return ids.count(n) > 0; }))
            sub.groups.push_back(gr);
    }
    QString text = q(serializeDesign(sub));
    if (auto* cb = QGuiApplication::clipboard(); cb && !ids.empty()) cb->setText(text);
    return text;
}

void GraphDocument::cutSelection() {
    copySelection();
    QStringList sel = selection();
    Graph g = m_graph;
    for (auto& id : sel) g.removeNode(s(id));
    std::erase_if(g.groups, [](const Group& gr) { return gr.nodes.empty(); });
    if (!sel.isEmpty()) pushStructural(QString("Cut %1 nodes").arg(sel.size()), g, {});
}

QStringList GraphDocument::paste(double x, double y, const QString& json) {
    QString text = json;
    if (text.isEmpty())
        if (auto* cb = QGuiApplication::clipboard()) text = cb->text();
    Graph clip;
    if (!parseDesign(s(text), "clipboard", &clip).ok || clip.nodes().empty()) {
        setMessage("The clipboard holds no Archscope nodes");
        return {};
    }
    double minX = 1e300, minY = 1e300;
    for (auto& n : clip.nodes()) { minX = std::min(minX, n.x); minY = std::min(minY, n.y); }
    Graph g = m_graph;
    std::map<std::string, std::string> rename;
    QStringList added;
    for (Node n : clip.nodes()) {
        rename[n.id] = g.uniqueId(n.id);
        n.id = rename[n.id];
        n.x = std::round((n.x - minX + x) / NodeMetrics::gridStep) * NodeMetrics::gridStep;
        n.y = std::round((n.y - minY + y) / NodeMetrics::gridStep) * NodeMetrics::gridStep;
        added << q(n.id);
        g.addNode(std::move(n));
    }
    for (auto& e : clip.edges())
        if (rename.count(e.from.node) && rename.count(e.to.node))
            g.connect({rename[e.from.node], e.from.port}, {rename[e.to.node], e.to.port});
    std::vector<std::string> addedIds;
    for (auto& id : added) addedIds.push_back(s(id));
    joinScope(g, addedIds);  // before the pasted groups: indices follow m_graph
    for (Group gr : clip.groups) {  // copied groups come along under fresh ids, inside the level shown
        std::set<std::string> used;
        for (auto& other : g.groups) used.insert(other.id);
        const std::string base = gr.id;
        for (int i = 1; used.count(gr.id) || g.node(gr.id); ++i) gr.id = base + "_" + std::to_string(i);
        for (auto& m : gr.nodes) m = rename[m];
        g.groups.push_back(std::move(gr));
    }
    pushStructural(QString("Paste %1 nodes").arg(added.size()), g, added);
    return added;
}

QStringList GraphDocument::duplicateSelection() {
    if (m_selection.isEmpty()) return {};
    QRectF box;
    for (auto& id : selection())
        if (const Node* n = m_graph.node(s(id))) box |= QRectF(n->x, n->y, 1, 1);
    return paste(box.x() + 40, box.y() + 40, copySelection());
}

QString GraphDocument::groupSelection(const QString& label) {
    QStringList sel = selection();
    if (sel.isEmpty()) {
        setMessage("Select the nodes to group first");
        return {};
    }
    Graph g = m_graph;
    std::set<std::string> picked;
    for (auto& id : sel) picked.insert(s(id));
    for (auto& gr : g.groups) {  // outer groups keep the nodes, inner ones stay inside; overlapping ones let go
        std::set<std::string> members(gr.nodes.begin(), gr.nodes.end());
        const bool outer = std::includes(members.begin(), members.end(), picked.begin(), picked.end());
        const bool inner = std::includes(picked.begin(), picked.end(), members.begin(), members.end());
        if (!outer && !inner)
            for (auto& id : sel) std::erase(gr.nodes, s(id));
    }
    std::erase_if(g.groups, [](const Group& gr) { return gr.nodes.empty(); });
    std::set<std::string> used;
    for (auto& gr : g.groups) used.insert(gr.id);
    std::string id = "group";
    for (int i = 1; used.count(id); ++i) id = "group_" + std::to_string(i);
    Group gr{id, label.isEmpty() ? id : s(label), {}, false};
    for (auto& n : sel) gr.nodes.push_back(s(n));
    g.groups.push_back(gr);
    pushStructural(QString("Group %1 nodes").arg(sel.size()), g, sel);
    return q(id);
}

// Removes, for each selected node, the innermost group around it at the level
// shown (a collapsed group drawn as a node counts; groups inside it stay).
bool GraphDocument::ungroupSelection() {
    const int scope = scopeIndex();
    std::set<int> drop;
    for (auto& id : m_selection) {
        int best = -1;
        for (size_t i = 0; i < m_graph.groups.size(); ++i) {
            const auto& nodes = m_graph.groups[i].nodes;
            if (!groupAtLevel(int(i), scope) || std::find(nodes.begin(), nodes.end(), s(id)) == nodes.end()) continue;
            if (best < 0 || m_groupTree.inside(int(i), best)) best = int(i);
        }
        if (best >= 0) drop.insert(best);
    }
    Graph g = m_graph;
    for (auto it = drop.rbegin(); it != drop.rend(); ++it) g.groups.erase(g.groups.begin() + *it);
    if (drop.empty()) {
        setMessage("The selection is in no group");
        return false;
    }
    pushStructural("Ungroup", g, selection());
    return true;
}

void GraphDocument::autoLayout() {
    std::map<std::string, QPointF> from, to;
    if (m_scope.isEmpty()) {
        to = layeredLayout(m_graph);
    } else {  // the open group's members only, laid out from where they start
        Graph sub;
        QPointF corner(1e300, 1e300);
        for (auto& n : m_graph.nodes())
            if (!outOfScope(n.id)) {
                sub.addNode(n);
                corner = {std::min(corner.x(), n.x), std::min(corner.y(), n.y)};
            }
        for (auto& e : m_graph.edges())
            if (!outOfScope(e.from.node) && !outOfScope(e.to.node)) sub.connect(e.from, e.to);
        to = layeredLayout(sub);
        for (auto& [id, p] : to) p += corner;
    }
    for (auto& [id, p] : to)
        if (const Node* n = m_graph.node(id)) from[id] = {n->x, n->y};
    if (from != to) m_undo.push(new MoveNodesCommand(this, "Auto layout", 0, from, to));
}

QString GraphDocument::insertProblem(Graph& g, const std::string& node, const PortRef& to) const {
    const Node* n = g.node(node);
    const OpDef* def = n ? OpRegistry::global().find(n->op) : nullptr;
    auto src = g.source(to);
    if (!def || def->inputs.empty() || def->outputs.empty()) return QString("\"%1\" has no input or no output").arg(q(node));
    if (!src || src->node == node || to.node == node) return QString("\"%1\" is already on that edge").arg(q(node));
    PortRef in{node, def->inputs[0].name}, out{node, def->outputs[0].name};
    // Types from the current analysis: the source's dtype must fit the new node's input.
    QString why = connectionProblem(g, &m_analysis, *src, in);
    if (why.isEmpty()) {
        g.disconnect(to);
        g.connect(*src, in);
        why = connectionProblem(g, nullptr, out, to);
    }
    if (why.isEmpty()) g.connect(out, to);
    return why;
}

bool GraphDocument::insertOnEdge(const QString& node, const QString& toNode, const QString& toPort) {
    if (!m_graph.node(s(node)) || !m_graph.source({s(toNode), s(toPort)})) return false;
    Graph g = m_graph;
    QString why = insertProblem(g, s(node), {s(toNode), s(toPort)});
    if (!why.isEmpty()) {
        setMessage("Cannot insert: " + why);
        return false;
    }
    pushStructural(QString("Insert %1 on %2:%3").arg(node, toNode, toPort), g, {node});
    return true;
}

bool GraphDocument::dropOnEdge(const QString& node) {
    const Node* n = m_graph.node(s(node));
    if (!n) return false;
    for (auto& e : m_graph.edges())
        if (e.from.node == n->id || e.to.node == n->id) return false;
    QPointF c = nodeRect(*n, OpRegistry::global().find(n->op)).center();
    QVariantMap e = edgeAt(c.x(), c.y(), 30);
    return !e.isEmpty() && insertOnEdge(node, e["toNode"].toString(), e["toPort"].toString());
}

// ---------- selection ----------

void GraphDocument::select(const QString& id, bool additive) {
    if (id.startsWith("group:")) {  // a collapsed group's node: its members
        QStringList ids = additive ? selection() : QStringList();
        for (auto& gr : m_graph.groups)
            if (q(gr.id) == id.mid(6))
                for (auto& m : gr.nodes) ids << q(m);
        setSelection(ids);
        return;
    }
    if (!additive) m_selection.clear();
    if (additive && m_selection.contains(id)) m_selection.remove(id);
    else if (m_graph.node(s(id))) m_selection.insert(id);
    syncModels();
    emit selectionChanged();
}

void GraphDocument::setSelection(const QStringList& ids) {
    m_selection.clear();
    for (auto& id : ids)
        if (m_graph.node(s(id))) m_selection.insert(id);
    syncModels();
    emit selectionChanged();
}

void GraphDocument::selectAll() {
    QStringList all;  // the level shown: the open group's members, those in its collapsed groups included
    for (auto& n : m_graph.nodes())
        if (!outOfScope(n.id)) all << q(n.id);
    setSelection(all);
}

void GraphDocument::selectInRect(double x, double y, double w, double h, bool additive) {
    QRectF r = QRectF(x, y, w, h).normalized();
    QStringList ids = additive ? selection() : QStringList();
    for (auto& n : m_graph.nodes()) {
        if (outOfScope(n.id) || ids.contains(q(n.id))) continue;
        auto view = m_memberView.find(n.id);  // a hidden member: hit where its collapsed group is drawn
        QRectF box = view != m_memberView.end() ? groupRect(m_groupViews[view->second]) : nodeRect(n, OpRegistry::global().find(n.op));
        if (r.intersects(box)) ids << q(n.id);
    }
    setSelection(ids);
}

}  // namespace archscope::ui
