// The undoable edits of a GraphDocument. Commands hold ids, values and JSON
// snapshots, never pointers into the graph, so they stay valid whatever
// happened in between (QtNodes' DeleteCommand pattern).
//
// - SnapshotCommand: structural edits (add, remove, connect, disconnect,
//   paste, group, ungroup, insert on edge, restore). Holds the compressed
//   design JSON before and after, so undo restores node and edge order exactly.
// - MoveNodesCommand: positions by id; moves of one drag merge (mergeWith),
//   auto-layout is one of these.
// - SetAttributeCommand / SetSymbolCommand: one value by name, old and new.
#pragma once

#include "core/attrs.h"
#include "graph/graph.h"

#include <QByteArray>
#include <QPointF>
#include <QStringList>
#include <QUndoCommand>
#include <map>
#include <optional>

namespace archscope::ui {

class GraphDocument;

class SnapshotCommand : public QUndoCommand {
public:
    SnapshotCommand(GraphDocument* doc, const QString& text, const Graph& before, const Graph& after,
                    QStringList selectBefore, QStringList selectAfter);
    void undo() override;
    void redo() override;

private:
    GraphDocument* m_doc;
    QByteArray m_before, m_after;  // qCompress(serializeDesign(...))
    QStringList m_selBefore, m_selAfter;
};

class MoveNodesCommand : public QUndoCommand {
public:
    enum { Id = 0x4d4f };
    MoveNodesCommand(GraphDocument* doc, const QString& text, int dragId, std::map<std::string, QPointF> from,
                     std::map<std::string, QPointF> to);
    void undo() override;
    void redo() override;
    int id() const override { return m_dragId ? Id : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphDocument* m_doc;
    int m_dragId;
    std::map<std::string, QPointF> m_from, m_to;
};

class SetAttributeCommand : public QUndoCommand {
public:
    SetAttributeCommand(GraphDocument* doc, std::string node, std::string name, std::optional<AttrValue> before,
                        std::optional<AttrValue> after);
    void undo() override;
    void redo() override;

private:
    GraphDocument* m_doc;
    std::string m_node, m_name;
    std::optional<AttrValue> m_before, m_after;  // nullopt: not set (default applies)
};

class SetSymbolCommand : public QUndoCommand {
public:
    SetSymbolCommand(GraphDocument* doc, std::string name, int64_t before, int64_t after);
    void undo() override;
    void redo() override;

private:
    GraphDocument* m_doc;
    std::string m_name;
    int64_t m_before, m_after;
};

// Parses a snapshot written by SnapshotCommand (throws std::runtime_error on corruption).
Graph graphFromSnapshot(const QByteArray& compressed);
QByteArray graphSnapshot(const Graph& g);

}  // namespace archscope::ui
