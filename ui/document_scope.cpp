// Opening a group in place: the canvas shows only the members of the group
// named by m_scope (see graph_document.h). Groups nest by their node sets
// (group_tree.h), so the scope has a path of outer groups: the breadcrumb.
// The scope is view state; every sync re-checks it, so undoing the edit that
// made the group goes back to the nearest outer group that still exists.
#include "graph_document.h"

namespace archscope::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

bool GraphDocument::enterGroup(const QString& id) {
    if (id.isEmpty()) {  // the breadcrumb's "Design"
        if (m_scope.isEmpty()) return true;
        const QString left = m_scopeChain.isEmpty() ? m_scope : m_scopeChain.first();
        m_scope.clear();
        m_scopeChain.clear();
        syncModels();  // updateScope() announces the change
        select("group:" + left, false);  // where the user came from
        return true;
    }
    const int i = groupIndex(m_graph.groups, id.toStdString());
    if (i < 0) {
        setMessage(QString("No group \"%1\" to open").arg(id));
        return false;
    }
    m_scope = id;
    m_scopeChain.clear();
    for (int p : m_groupTree.chain(i)) m_scopeChain.prepend(q(m_graph.groups[size_t(p)].id));
    m_selection.clear();
    syncModels();
    emit selectionChanged();
    return true;
}

void GraphDocument::exitGroup() {
    if (m_scope.isEmpty()) return;
    const QString left = m_scope;
    const QString up = m_scopeChain.size() >= 2 ? m_scopeChain[m_scopeChain.size() - 2] : QString();
    if (up.isEmpty()) {
        enterGroup({});
        return;
    }
    enterGroup(up);
    select("group:" + left, false);
}

bool GraphDocument::enterSelection() {
    const QStringList sel = selection();
    const int scope = scopeIndex();
    for (size_t i = 0; i < m_graph.groups.size(); ++i) {  // a collapsed group shown as one node, all selected
        const Group& gr = m_graph.groups[i];
        if (!gr.collapsed || !groupAtLevel(int(i), scope) || int(gr.nodes.size()) != sel.size()) continue;
        if (std::all_of(gr.nodes.begin(), gr.nodes.end(), [&](const std::string& n) { return m_selection.contains(q(n)); }))
            return enterGroup(q(gr.id));
    }
    if (sel.size() != 1) {
        setMessage("Select one composite block or a collapsed group to open it in place");
        return false;
    }
    const QString g = openBlock(sel.first());
    return !g.isEmpty() && enterGroup(g);
}

QString GraphDocument::scopeLabel() const {
    for (auto& gr : m_graph.groups)
        if (q(gr.id) == m_scope) return q(gr.label.empty() ? gr.id : gr.label);
    return {};
}

QVariantList GraphDocument::scopePath() const { return m_scopePath; }

bool GraphDocument::groupAtLevel(int i, int scope) const {
    if (!m_groupTree.inside(i, scope)) return false;
    for (int p = m_groupTree.parent(i); p >= 0 && p != scope; p = m_groupTree.parent(p))
        if (m_graph.groups[size_t(p)].collapsed) return false;
    return true;
}

void GraphDocument::joinScope(Graph& g, const std::vector<std::string>& ids) const {
    const int scope = scopeIndex();
    if (scope < 0) return;
    for (int p : m_groupTree.chain(scope)) {
        auto& nodes = g.groups[size_t(p)].nodes;
        for (auto& id : ids)
            if (std::find(nodes.begin(), nodes.end(), id) == nodes.end()) nodes.push_back(id);
    }
}

void GraphDocument::updateScope() {
    m_scopeMembers.clear();
    int i = scopeIndex();
    if (i < 0 && !m_scope.isEmpty()) {  // the group is gone (undone, ungrouped, collapsed into its block)
        m_scope.clear();
        for (auto it = m_scopeChain.rbegin(); it != m_scopeChain.rend() && i < 0; ++it)
            if ((i = groupIndex(m_graph.groups, it->toStdString())) >= 0) m_scope = *it;
    }
    QVariantList path;
    m_scopeChain.clear();
    if (i >= 0) {
        const Group& gr = m_graph.groups[size_t(i)];
        m_scopeMembers.insert(gr.nodes.begin(), gr.nodes.end());
        for (int p : m_groupTree.chain(i)) {
            const Group& pg = m_graph.groups[size_t(p)];
            m_scopeChain.prepend(q(pg.id));
            path.prepend(QVariantMap{{"id", q(pg.id)}, {"label", q(pg.label.empty() ? pg.id : pg.label)}});
        }
    }
    if (path != m_scopePath) {
        m_scopePath = path;
        emit scopeChanged();
    }
}

}  // namespace archscope::ui
