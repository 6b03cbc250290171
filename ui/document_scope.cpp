// Opening a group in place: the canvas shows only the members of the group
// named by m_scope (see graph_document.h). The scope is view state; every
// sync re-checks it, so undoing the edit that made the group leaves it.
#include "graph_document.h"

namespace archscope::ui {

bool GraphDocument::enterGroup(const QString& id) {
    for (auto& gr : m_graph.groups)
        if (QString::fromStdString(gr.id) == id) {
            m_scope = id;
            setSelection({});
            syncModels();
            emit scopeChanged();
            return true;
        }
    setMessage(QString("No group \"%1\" to open").arg(id));
    return false;
}

void GraphDocument::exitGroup() {
    if (m_scope.isEmpty()) return;
    m_scope.clear();
    m_scopeMembers.clear();
    syncModels();
    emit scopeChanged();
}

QString GraphDocument::scopeLabel() const {
    for (auto& gr : m_graph.groups)
        if (QString::fromStdString(gr.id) == m_scope) return QString::fromStdString(gr.label.empty() ? gr.id : gr.label);
    return {};
}

void GraphDocument::updateScope() {
    m_scopeMembers.clear();
    if (m_scope.isEmpty()) return;
    for (auto& gr : m_graph.groups)
        if (QString::fromStdString(gr.id) == m_scope) {
            m_scopeMembers.insert(gr.nodes.begin(), gr.nodes.end());
            return;
        }
    m_scope.clear();  // the group is gone (undone, ungrouped, collapsed into its block)
    emit scopeChanged();
}

}  // namespace archscope::ui
