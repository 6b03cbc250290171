#include "graph_commands.h"

#include "graph/design_io.h"
#include "graph_document.h"

#include <stdexcept>

namespace archscope::ui {

QByteArray graphSnapshot(const Graph& g) {
    std::string s = serializeDesign(g);
    return qCompress(QByteArray::fromStdString(s));
}

Graph graphFromSnapshot(const QByteArray& compressed) {
    Graph g;
    LoadResult r = parseDesign(qUncompress(compressed).toStdString(), "<undo snapshot>", &g);
    if (!r.ok) throw std::runtime_error(r.error);
    return g;
}

SnapshotCommand::SnapshotCommand(GraphDocument* doc, const QString& text, const Graph& before, const Graph& after,
                                 QStringList selectBefore, QStringList selectAfter)
    : QUndoCommand(text), m_doc(doc), m_before(graphSnapshot(before)), m_after(graphSnapshot(after)),
      m_selBefore(std::move(selectBefore)), m_selAfter(std::move(selectAfter)) {}

void SnapshotCommand::undo() { m_doc->applyGraph(graphFromSnapshot(m_before), m_selBefore); }
void SnapshotCommand::redo() { m_doc->applyGraph(graphFromSnapshot(m_after), m_selAfter); }

MoveNodesCommand::MoveNodesCommand(GraphDocument* doc, const QString& text, int dragId,
                                   std::map<std::string, QPointF> from, std::map<std::string, QPointF> to)
    : QUndoCommand(text), m_doc(doc), m_dragId(dragId), m_from(std::move(from)), m_to(std::move(to)) {}

void MoveNodesCommand::undo() { m_doc->applyPositions(m_from); }
void MoveNodesCommand::redo() { m_doc->applyPositions(m_to); }

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
    auto* o = static_cast<const MoveNodesCommand*>(other);
    if (o->m_dragId != m_dragId) return false;
    for (auto& [id, p] : o->m_from) m_from.emplace(id, p);  // keeps the earliest position
    for (auto& [id, p] : o->m_to) m_to[id] = p;
    return true;
}

SetAttributeCommand::SetAttributeCommand(GraphDocument* doc, std::string node, std::string name,
                                         std::optional<AttrValue> before, std::optional<AttrValue> after)
    : QUndoCommand(QString("Set %1.%2").arg(QString::fromStdString(node), QString::fromStdString(name))), m_doc(doc),
      m_node(std::move(node)), m_name(std::move(name)), m_before(std::move(before)), m_after(std::move(after)) {}

void SetAttributeCommand::undo() { m_doc->applyAttribute(m_node, m_name, m_before); }
void SetAttributeCommand::redo() { m_doc->applyAttribute(m_node, m_name, m_after); }

SetSymbolCommand::SetSymbolCommand(GraphDocument* doc, std::string name, int64_t before, int64_t after)
    : QUndoCommand(QString("Set size %1 = %2").arg(QString::fromStdString(name)).arg(after)), m_doc(doc),
      m_name(std::move(name)), m_before(before), m_after(after) {}

void SetSymbolCommand::undo() { m_doc->applySymbol(m_name, m_before); }
void SetSymbolCommand::redo() { m_doc->applySymbol(m_name, m_after); }

}  // namespace archscope::ui
