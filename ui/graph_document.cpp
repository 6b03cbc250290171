// GraphDocument: files, analysis, model sync and queries. The edit
// operations (each pushing a command) are in document_edits.cpp.
#include "graph_document.h"

#include "core/registry.h"
#include "graph/design_io.h"
#include "interop/design_loader.h"
#include "graph_commands.h"
#include "graph_geometry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace archscope::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString human(double v, const char* unit) {
    const char* suffix[] = {"", "K", "M", "G", "T", "P"};
    int i = 0;
    while (std::abs(v) >= 1000 && i < 5) { v /= 1000; ++i; }
    return QString("%1%2%3").arg(i ? QString::number(v, 'f', v < 10 ? 2 : 1) : QString::number(v, 'f', 0), suffix[i], unit);
}

QString humanBytes(double v) {
    const char* suffix[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (v >= 1024 && i < 4) { v /= 1024; ++i; }
    return QString("%1 %2").arg(QString::number(v, 'f', i ? 1 : 0), suffix[i]);
}

// The top-level node a diagnostic belongs to ("blk/inner" -> "blk").
QString topNode(const std::string& id) { return q(id.substr(0, id.find('/'))); }

// The input port a diagnostic is about: its port field, else the
// `node "n" input "p":` prefix every InferCtx message starts with.
std::string diagPort(const Diagnostic& d) {
    if (!d.port.empty()) return d.port;
    const std::string prefix = "node \"" + d.node + "\" input \"";
    if (d.message.rfind(prefix, 0) != 0) return {};
    size_t end = d.message.find('"', prefix.size());
    return end == std::string::npos ? std::string() : d.message.substr(prefix.size(), end - prefix.size());
}

}  // namespace

QString localPath(const QString& pathOrUrl) {
    QUrl u(pathOrUrl);
    return u.isLocalFile() ? u.toLocalFile() : pathOrUrl;
}

GraphDocument::GraphDocument(QObject* parent) : QObject(parent) {
    m_visible.setSourceModel(&m_nodes);
    m_undo.setUndoLimit(500);
    connect(&m_undo, &QUndoStack::cleanChanged, this, &GraphDocument::dirtyChanged);
    connect(&m_undo, &QUndoStack::indexChanged, this, [this] {
        emit undoStateChanged();
        autosave();
    });
    connect(&m_undo, &QUndoStack::canUndoChanged, this, &GraphDocument::undoStateChanged);
    connect(&m_undo, &QUndoStack::canRedoChanged, this, &GraphDocument::undoStateChanged);
    newDocument();
    refreshUserBlocks();
}

GraphDocument::~GraphDocument() {
    // The stack clears itself while being destroyed; that is no edit to autosave.
    disconnect(&m_undo, nullptr, this, nullptr);
}

double GraphDocument::nodeWidth() { return NodeMetrics::width; }
double GraphDocument::headerHeight() { return NodeMetrics::header; }
double GraphDocument::portRow() { return NodeMetrics::row; }
double GraphDocument::gridStep() { return NodeMetrics::gridStep; }

void GraphDocument::setMessage(const QString& m) {
    m_message = m;
    emit messageChanged();
}

// ---------- files ----------

void GraphDocument::resetTo(Graph g, const QString& path) {
    m_resetting = true;  // clearing the stack must not delete a pending recovery file
    m_undo.clear();
    m_resetting = false;
    m_graph = std::move(g);
    m_selection.clear();
    m_scope.clear();  // a new design opens at the top (syncModels announces it)
    m_scopeChain.clear();
    m_path = path;
    reanalyze();
    syncModels();
    emit fileChanged();
    emit dirtyChanged();
    emit selectionChanged();
    emit undoStateChanged();
    emit recoveryChanged();
}

void GraphDocument::newDocument() {
    Graph g;
    g.metadata["name"] = "Untitled";
    g.symbols = {{"B", 1, "batch"}, {"T", 16, "sequence length"}};
    g.addNode({"x", "input", {{"shape", std::string("B, T, 64")}}, 0, 0, "", ""});
    g.addNode({"y", "output", {}, 300, 0, "", ""});
    g.connect({"x", "y"}, {"y", "x"});
    resetTo(std::move(g), QString());
}

bool GraphDocument::load(const QString& pathOrUrl) {
    QString path = localPath(pathOrUrl);
    Graph g;
    LoadResult r = loadAnyDesign(path.toStdString(), &g);  // an .onnx model is imported
    if (!r.ok) {
        setMessage(q(r.error));
        return false;
    }
    // An imported model has no design file yet: Save asks for one (never overwrite the .onnx).
    resetTo(std::move(g), isOnnxPath(path.toStdString()) ? QString() : QFileInfo(path).absoluteFilePath());
    setMessage(QString("Opened %1").arg(path));
    return true;
}

bool GraphDocument::save() {
    if (m_path.isEmpty()) {
        setMessage("This design has no file yet: use Save As");
        return false;
    }
    return saveAs(m_path);
}

bool GraphDocument::saveAs(const QString& pathOrUrl) {
    QString path = localPath(pathOrUrl);
    if (!path.endsWith(".json")) path += ".json";
    std::string err;
    if (!saveDesign(m_graph, path.toStdString(), &err)) {
        setMessage(q(err));
        return false;
    }
    QFile::remove(recoveryPath());
    bool renamed = QFileInfo(path).absoluteFilePath() != m_path;
    m_path = QFileInfo(path).absoluteFilePath();
    m_undo.setClean();
    if (renamed) emit fileChanged();
    emit dirtyChanged();
    setMessage(QString("Saved %1").arg(path));
    return true;
}

QString GraphDocument::displayName() const { return m_path.isEmpty() ? QString("untitled") : QFileInfo(m_path).fileName(); }

QString GraphDocument::recoveryPath() const {
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery";
    QString name = m_path.isEmpty() ? QString("untitled") : QFileInfo(m_path).completeBaseName();
    return dir + "/" + name + ".json";
}

bool GraphDocument::recoveryAvailable() const {
    if (!QFileInfo::exists(recoveryPath()) || dirty()) return false;
    QFile f(recoveryPath());
    if (!f.open(QIODevice::ReadOnly)) return false;
    return f.readAll().toStdString() != serializeDesign(m_graph);
}

void GraphDocument::autosave() {
    if (m_resetting) return;
    if (!dirty()) {
        QFile::remove(recoveryPath());
        return;
    }
    QDir().mkpath(QFileInfo(recoveryPath()).absolutePath());
    std::string err;
    if (!writeFileAtomic(recoveryPath().toStdString(), serializeDesign(m_graph), &err))
        setMessage(QString("Autosave failed: %1").arg(q(err)));
}

bool GraphDocument::restoreRecovery() {
    Graph g;
    LoadResult r = loadDesign(recoveryPath().toStdString(), &g);
    if (!r.ok) {
        setMessage(QString("Cannot restore: %1").arg(q(r.error)));
        return false;
    }
    m_undo.push(new SnapshotCommand(this, "Restore unsaved changes", m_graph, g, selection(), {}));
    emit recoveryChanged();
    return true;
}

void GraphDocument::discardRecovery() {
    QFile::remove(recoveryPath());
    emit recoveryChanged();
}

// ---------- applying changes (called by commands) ----------

void GraphDocument::applyGraph(Graph g, const QStringList& select) {
    m_graph = std::move(g);
    m_selection.clear();
    for (auto& id : select)
        if (m_graph.node(id.toStdString())) m_selection.insert(id);
    reanalyze();
    syncModels();
    emit selectionChanged();
}

void GraphDocument::applyPositions(const std::map<std::string, QPointF>& pos) {
    for (auto& [id, p] : pos)
        if (Node* n = m_graph.node(id)) {
            n->x = p.x();
            n->y = p.y();
        }
    syncModels();
}

void GraphDocument::applyAttribute(const std::string& node, const std::string& name, const std::optional<AttrValue>& v) {
    if (Node* n = m_graph.node(node)) {
        if (v) n->attrs[name] = *v;
        else n->attrs.erase(name);
    }
    reanalyze();
    syncModels();
}

void GraphDocument::applySymbol(const std::string& name, int64_t value) {
    for (auto& s : m_graph.symbols)
        if (s.name == name) s.value = value;
    reanalyze();
    syncModels();
}

void GraphDocument::reanalyze() {
    m_groupTree.build(m_graph.groups);  // every structural change passes here
    m_analysis = analyze(m_graph, {});
    emit analysisChanged();
}

void GraphDocument::syncModels() {
    const OpRegistry& reg = OpRegistry::global();
    std::map<QString, QStringList> nodeErrors;
    for (auto& d : m_analysis.errors)
        if (!d.node.empty()) nodeErrors[topNode(d.node)] << q(d.message);
    updateScope();
    buildGroupViews();
    std::vector<NodeRow> rows;
    rows.reserve(m_graph.nodes().size());
    for (auto& n : m_graph.nodes()) {
        if (m_memberView.count(n.id) || outOfScope(n.id)) continue;  // drawn as its collapsed group / outside the open group
        const OpDef* def = reg.find(n.op);
        NodeRow r;
        r.id = q(n.id);
        r.op = q(n.op);
        r.title = n.label.empty() ? r.id : q(n.label);
        auto plugin = def ? m_graph.plugins.end() : m_graph.plugins.find(n.op);  // a plugin op whose plugin is missing
        const bool missingPlugin = plugin != m_graph.plugins.end();
        r.category = def ? q(def->category) : missingPlugin ? QString("Missing plugin") : QString("Unknown");
        r.doc = def             ? q(def->doc)
                : missingPlugin ? QString("op \"%1\" comes from plugin \"%2\", which is not installed").arg(r.op, q(plugin->second))
                                : QString("unknown op \"%1\"").arg(r.op);
        r.color = def ? categoryColor(r.category) : QColor("#777777");
        r.x = n.x;
        r.y = n.y;
        r.height = nodeHeight(def);
        auto info = m_analysis.nodes.find(n.id);
        if (def) {
            for (auto& p : def->inputs) r.inputs << q(p.name);
            for (size_t i = 0; i < def->outputs.size(); ++i) {
                r.outputs << q(def->outputs[i].name);
                bool known = info != m_analysis.nodes.end() && i < info->second.outputs.size();
                r.outputShapes << (known ? q(shapeStr(info->second.outputs[i].shape)) : QString("?"));
            }
        }
        if (info != m_analysis.nodes.end() && info->second.ok) {
            const NodeInfo& ni = info->second;
            QStringList parts;
            if (ni.paramCount) parts << human(double(ni.paramCount), " params");
            if (ni.flops) parts << human(double(ni.flops), "FLOPs");
            r.stats = parts.join("  ·  ");
            r.composite = ni.composite;
        }
        r.errors = nodeErrors[r.id].join('\n');
        r.selected = m_selection.contains(r.id);
        rows.push_back(std::move(r));
    }
    appendGroupRows(rows, nodeErrors);
    m_nodes.sync(std::move(rows));

    std::vector<EdgeRow> edges;
    for (auto& e : m_graph.edges()) {
        EdgeRow r{q(e.from.node), q(e.from.port), q(e.to.node), q(e.to.port), {}, {}};
        if (const TensorType* t = m_analysis.outputType(e.from)) r.shape = q(shapeStr(t->shape));
        QStringList errs;
        for (auto& d : m_analysis.errors)
            if (d.node == e.to.node && diagPort(d) == e.to.port) errs << q(d.message);
        r.error = errs.join('\n');
        edges.push_back(std::move(r));
    }
    m_edges.sync(std::move(edges));
    rebuildEdgeGeometry();
}

void GraphDocument::rebuildEdgeGeometry() {
    m_edgeGeom.clear();
    for (auto& r : m_edges.rows()) {
        const Node* a = m_graph.node(r.fromNode.toStdString());
        const Node* b = m_graph.node(r.toNode.toStdString());
        if (!a || !b || outOfScope(a->id) || outOfScope(b->id)) continue;
        auto ga = m_memberView.find(a->id), gb = m_memberView.find(b->id);
        if (ga != m_memberView.end() && gb != m_memberView.end() && ga->second == gb->second) continue;  // inside a collapsed group
        PortRef from{a->id, r.fromPort.toStdString()}, to{b->id, r.toPort.toStdString()};
        EdgeGeom e{edgeEnd(*a, from, true), edgeEnd(*b, to, false), r.shape, r.error, r.toNode, r.toPort};
        // One source feeding several members of a collapsed group: one edge to the group's port.
        if (gb != m_memberView.end() && std::any_of(m_edgeGeom.begin(), m_edgeGeom.end(), [&](const EdgeGeom& o) { return o.a == e.a && o.b == e.b; }))
            continue;
        m_edgeGeom.push_back(std::move(e));
    }
    emit geometryChanged();
}

// ---------- read-only views ----------

QStringList GraphDocument::errors() const {
    QStringList l;
    for (auto& d : m_analysis.errors) l << q(d.message);
    return l;
}

QVariantMap GraphDocument::totals() const {
    const Analysis& a = m_analysis;
    return {{"params", double(a.totalParams)},
            {"flops", double(a.totalFlops)},
            {"bytes", double(a.totalBytes)},
            {"activationBytes", double(a.totalActivationBytes)},
            {"paramsText", human(double(a.totalParams), "")},
            {"flopsText", human(double(a.totalFlops), "")},
            {"weightsText", humanBytes(double(a.totalParams) * 4)},
            {"activationsText", humanBytes(double(a.totalActivationBytes))},
            {"nodes", int(m_graph.nodes().size())},
            {"edges", int(m_graph.edges().size())}};
}

QVariantList GraphDocument::symbols() const {
    QVariantList l;
    for (auto& s : m_graph.symbols) l << QVariantMap{{"name", q(s.name)}, {"value", double(s.value)}, {"doc", q(s.doc)}};
    return l;
}

QVariantList GraphDocument::groups() const {
    const OpRegistry& reg = OpRegistry::global();
    QVariantList l;
    const int scope = scopeIndex();
    std::vector<int> levels(m_graph.groups.size(), 0);  // frames nested inside: outer frames get wider margins
    for (size_t gi = 0; gi < m_graph.groups.size(); ++gi) {
        if (m_graph.groups[gi].collapsed || !groupAtLevel(int(gi), scope)) continue;
        int d = 1;
        for (int p = m_groupTree.parent(int(gi)); p >= 0 && p != scope; p = m_groupTree.parent(p), ++d)
            levels[size_t(p)] = std::max(levels[size_t(p)], d);
    }
    for (size_t gi = 0; gi < m_graph.groups.size(); ++gi) {
        const Group& gr = m_graph.groups[gi];
        // Collapsed: drawn as a node (appendGroupRows). The open group itself: the breadcrumb shows it.
        if (gr.collapsed || !groupAtLevel(int(gi), scope)) continue;
        QRectF box;
        for (auto& id : gr.nodes) {
            auto view = m_memberView.find(id);  // inside a collapsed group: where its node is drawn
            if (view != m_memberView.end()) box |= groupRect(m_groupViews[view->second]);
            else if (const Node* n = m_graph.node(id)) box |= nodeRect(*n, reg.find(n->op));
        }
        if (box.isNull()) continue;
        const double level = levels[gi];
        box.adjust(-16 - 8 * level, -34 - 30 * level, 16 + 8 * level, 16 + 8 * level);
        l << QVariantMap{{"id", q(gr.id)}, {"label", q(gr.label.empty() ? gr.id : gr.label)}, {"block", q(gr.block)}, {"x", box.x()},
                         {"y", box.y()},   {"width", box.width()},  {"height", box.height()}, {"count", int(gr.nodes.size())}};
    }
    return l;
}

QStringList GraphDocument::selection() const {
    QStringList l;
    for (auto& n : m_graph.nodes())  // document order: deterministic
        if (m_selection.contains(q(n.id))) l << q(n.id);
    return l;
}

}  // namespace archscope::ui
