// GraphDocument: the editor's model of one design file.
//
// Owns the engine Graph, its QUndoStack and the latest Analysis. It is the
// ONLY thing that edits the graph: every edit from QML is a QUndoCommand
// (graph_commands.h) holding ids and JSON snapshots. After each change it
// re-runs analyze() and syncs the node/edge list models, which announce
// exactly what changed. It also loads/saves through design_io (atomic) and
// autosaves a recovery copy after every edit. Created by the app window, the
// render command and the tests; QML reaches it as a context property.
#pragma once

#include "graph/analysis.h"
#include "graph/graph.h"
#include "group_tree.h"
#include "list_models.h"

#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QSet>
#include <QUndoStack>
#include <QUrl>
#include <QVariant>
#include <optional>
#include <set>

namespace archscope::ui {

QString localPath(const QString& pathOrUrl);  // file:// URLs from dialogs -> paths

struct EdgeGeom {
    QPointF a, b;  // output port, input port (world coordinates)
    QString label, error, toNode, toPort;
};

// A collapsed group as the canvas draws it: one node at the members' top-left
// whose ports are the edges crossing the group boundary (one input per
// outside source, one output per member output used outside).
struct GroupView {
    QString id;
    QPointF pos;
    QStringList inputs, outputs, outputShapes;
    std::map<PortRef, int> inIndex, outIndex;  // member port -> port row of the group node
};

class GraphDocument : public QObject {
    Q_OBJECT
    Q_PROPERTY(NodeListModel* nodes READ nodes CONSTANT)
    Q_PROPERTY(EdgeListModel* edges READ edges CONSTANT)
    Q_PROPERTY(PaletteModel* palette READ palette CONSTANT)
    Q_PROPERTY(VisibleNodesModel* visibleNodes READ visibleNodes CONSTANT)
    Q_PROPERTY(QString filePath READ filePath NOTIFY fileChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY fileChanged)
    Q_PROPERTY(bool dirty READ dirty NOTIFY dirtyChanged)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY undoStateChanged)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY undoStateChanged)
    Q_PROPERTY(QString undoText READ undoText NOTIFY undoStateChanged)
    Q_PROPERTY(QString redoText READ redoText NOTIFY undoStateChanged)
    Q_PROPERTY(QStringList errors READ errors NOTIFY analysisChanged)
    Q_PROPERTY(QVariantMap totals READ totals NOTIFY analysisChanged)
    Q_PROPERTY(QVariantList symbols READ symbols NOTIFY analysisChanged)
    Q_PROPERTY(QVariantList groups READ groups NOTIFY geometryChanged)
    Q_PROPERTY(QStringList selection READ selection NOTIFY selectionChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    // The group the canvas is inside ("" = the whole design) and its title, for the breadcrumb.
    Q_PROPERTY(QString scope READ scope NOTIFY scopeChanged)
    Q_PROPERTY(QString scopeLabel READ scopeLabel NOTIFY scopeChanged)
    // The breadcrumb below "Design": [{id, label}] from the outermost open group to the scope.
    Q_PROPERTY(QVariantList scopePath READ scopePath NOTIFY scopeChanged)
    Q_PROPERTY(bool recoveryAvailable READ recoveryAvailable NOTIFY recoveryChanged)
    Q_PROPERTY(double nodeWidth READ nodeWidth CONSTANT)
    Q_PROPERTY(double headerHeight READ headerHeight CONSTANT)
    Q_PROPERTY(double portRow READ portRow CONSTANT)
    Q_PROPERTY(double gridStep READ gridStep CONSTANT)

public:
    explicit GraphDocument(QObject* parent = nullptr);
    ~GraphDocument() override;

    // --- files ---
    Q_INVOKABLE void newDocument();
    Q_INVOKABLE bool load(const QString& pathOrUrl);
    Q_INVOKABLE bool save();
    Q_INVOKABLE bool saveAs(const QString& pathOrUrl);
    Q_INVOKABLE bool restoreRecovery();
    Q_INVOKABLE void discardRecovery();
    QString recoveryPath() const;  // AppDataLocation/recovery/<name>.json

    // --- edits (each one undo step) ---
    Q_INVOKABLE QString addNode(const QString& op, double x, double y);
    Q_INVOKABLE void removeNodes(const QStringList& ids);
    Q_INVOKABLE void removeSelected() { removeNodes(selection()); }
    Q_INVOKABLE int beginDrag();  // id that merges the moves of one drag
    Q_INVOKABLE void moveNodes(const QStringList& ids, double dx, double dy, int dragId = 0);
    Q_INVOKABLE void snapNodes(const QStringList& ids, int dragId);  // to the grid, merged into the drag
    Q_INVOKABLE QString canConnect(const QString& fromNode, const QString& fromPort, const QString& toNode,
                                   const QString& toPort) const;  // "" when allowed, else the reason
    Q_INVOKABLE QString connectPorts(const QString& fromNode, const QString& fromPort, const QString& toNode,
                                     const QString& toPort);  // "" on success, else the reason
    Q_INVOKABLE bool disconnectInput(const QString& node, const QString& port);
    Q_INVOKABLE QString setAttribute(const QString& node, const QString& name, const QVariant& value);
    Q_INVOKABLE void resetAttribute(const QString& node, const QString& name);
    Q_INVOKABLE QString setSymbolValue(const QString& name, qint64 value);
    Q_INVOKABLE QString copySelection() const;  // JSON, also put on the clipboard
    Q_INVOKABLE void cutSelection();
    Q_INVOKABLE QStringList paste(double x, double y, const QString& json = {});  // clipboard when empty
    Q_INVOKABLE QStringList duplicateSelection();
    Q_INVOKABLE QString groupSelection(const QString& label = {});
    Q_INVOKABLE bool ungroupSelection();
    Q_INVOKABLE void autoLayout();
    Q_INVOKABLE bool insertOnEdge(const QString& node, const QString& toNode, const QString& toPort);
    // A node without edges dropped onto an edge is inserted into it.
    Q_INVOKABLE bool dropOnEdge(const QString& node);
    // Palette drop at world point (x, y): a "user:NAME" entry adds that block from
    // the user library; an op inserted into the edge under the point when its
    // ports fit (one undo step), else added free with the reason as message.
    Q_INVOKABLE QStringList dropFromPalette(const QString& op, double x, double y);

    // --- composite blocks and groups (document_blocks.cpp) ---
    // Opens composite node `node` inline: its body (the op's expand()) replaces
    // it as nodes "<node>.<inner>" in a new group recording the block. Returns the group id.
    Q_INVOKABLE QString openBlock(const QString& node);
    // Collapses group `id`: back into the composite node when it is an unedited
    // opened block holding no group of the user's, else kept as a collapsed group
    // (drawn as one node; it runs as its members).
    Q_INVOKABLE bool collapseGroup(const QString& id);
    Q_INVOKABLE bool expandGroup(const QString& id);  // a collapsed group shows its members again
    Q_INVOKABLE bool isBlockUnedited(const QString& id) const;
    // Open a group in place (document_scope.cpp): the canvas then shows and
    // edits only its members (the "level shown"), with a breadcrumb back up.
    // Groups nest (group_tree.h): a group opened inside an open group extends
    // the breadcrumb. Select all, box select, paste, duplicate, group, ungroup
    // and auto-layout act on the level shown; nodes added there join the open
    // group and its outer groups. View state, not an undo step; an undo or edit
    // that removes the open group goes to the nearest outer group still there.
    Q_INVOKABLE bool enterGroup(const QString& id);  // "" = back to the whole design
    Q_INVOKABLE void exitGroup();                    // up one level
    // Enters the selection (Enter key): a collapsed group (all its members
    // selected), or one composite node, opened into a group first (one undo step).
    Q_INVOKABLE bool enterSelection();
    QString scope() const { return m_scope; }
    QString scopeLabel() const;
    QVariantList scopePath() const;

    // --- templates (gallery) and the user block library ---
    Q_INVOKABLE QVariantList templateList() const;  // {name, title, paper, description, params: [...]}
    Q_INVOKABLE bool newFromTemplate(const QString& name, const QVariantMap& params);
    static QString userLibraryDir();  // <AppDataLocation>/blocks
    Q_INVOKABLE void refreshUserBlocks();  // re-reads the library into the palette
    // Saves the selection (its nodes and the edges among them) as NAME.json in the library.
    Q_INVOKABLE bool saveSelectionAsBlock(const QString& name);
    Q_INVOKABLE QStringList addUserBlock(const QString& name, double x, double y);  // pasted as a group

    Q_INVOKABLE void undo() { m_undo.undo(); }
    Q_INVOKABLE void redo() { m_undo.redo(); }

    // --- selection (not undoable) ---
    Q_INVOKABLE void select(const QString& id, bool additive);
    Q_INVOKABLE void setSelection(const QStringList& ids);
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void selectInRect(double x, double y, double w, double h, bool additive);

    // --- queries for the views ---
    Q_INVOKABLE QVariantMap nodeInfo(const QString& id) const;
    Q_INVOKABLE QVariantList nodeAttributes(const QString& id) const;
    Q_INVOKABLE QVariantMap portAt(double x, double y) const;  // {node, port, output, x, y} or empty
    Q_INVOKABLE QVariantMap edgeAt(double x, double y, double tolerance) const;  // {toNode, toPort, label, error}
    Q_INVOKABLE QPointF portPosition(const QString& node, const QString& port, bool output) const;
    Q_INVOKABLE QRectF bounds() const;
    Q_INVOKABLE QRectF selectionBounds() const;  // the selected nodes as drawn (F: frame selection); empty when none
    Q_INVOKABLE QString nodeAt(double x, double y) const;

    NodeListModel* nodes() { return &m_nodes; }
    EdgeListModel* edges() { return &m_edges; }
    PaletteModel* palette() { return &m_palette; }
    VisibleNodesModel* visibleNodes() { return &m_visible; }
    QString filePath() const { return m_path; }
    QString displayName() const;
    bool dirty() const { return !m_undo.isClean(); }
    bool canUndo() const { return m_undo.canUndo(); }
    bool canRedo() const { return m_undo.canRedo(); }
    QString undoText() const { return m_undo.undoText(); }
    QString redoText() const { return m_undo.redoText(); }
    QStringList errors() const;
    QVariantMap totals() const;
    QVariantList symbols() const;
    QVariantList groups() const;
    QStringList selection() const;
    QString message() const { return m_message; }
    bool recoveryAvailable() const;
    static double nodeWidth();
    static double headerHeight();
    static double portRow();
    static double gridStep();

    const Graph& graph() const { return m_graph; }
    const Analysis& analysis() const { return m_analysis; }
    const std::vector<EdgeGeom>& edgeGeometry() const { return m_edgeGeom; }
    QUndoStack* undoStack() { return &m_undo; }
    void setMessage(const QString& m);

    // For commands only: replace the graph (structural change) or positions.
    void applyGraph(Graph g, const QStringList& select);
    void applyPositions(const std::map<std::string, QPointF>& pos);
    void applyAttribute(const std::string& node, const std::string& name, const std::optional<AttrValue>& v);
    void applySymbol(const std::string& name, int64_t value);

signals:
    void fileChanged();
    void dirtyChanged();
    void undoStateChanged();
    void analysisChanged();
    void geometryChanged();  // node positions or edges moved: repaint edge layer / minimap
    void selectionChanged();
    void messageChanged();
    void recoveryChanged();
    void scopeChanged();

private:
    Graph m_graph;
    Analysis m_analysis;
    QUndoStack m_undo;
    NodeListModel m_nodes;
    EdgeListModel m_edges;
    PaletteModel m_palette;
    VisibleNodesModel m_visible;
    QSet<QString> m_selection;
    std::vector<EdgeGeom> m_edgeGeom;
    QString m_path, m_message;
    bool m_resetting = false;
    int m_nextDrag = 1;

    void reanalyze();
    void syncModels();
    void rebuildEdgeGeometry();
    void autosave();
    void pushStructural(const QString& text, const Graph& after, const QStringList& select);
    void resetTo(Graph g, const QString& path);
    QString m_scope;
    QStringList m_scopeChain;  // ids from the outermost open group to m_scope (fallbacks when it goes)
    QVariantList m_scopePath;
    std::set<std::string> m_scopeMembers;
    GroupTree m_groupTree;  // rebuilt by reanalyze() (every graph change)
    void updateScope();  // leaves a scope whose group is gone; refreshes its members
    int scopeIndex() const { return groupIndex(m_graph.groups, m_scope.toStdString()); }
    // Group i is drawn at the level shown: inside the scope and in no collapsed group there.
    bool groupAtLevel(int i, int scope) const;
    // Adds `ids` (new nodes of `g`, a copy of m_graph) to the open group and its outer groups.
    void joinScope(Graph& g, const std::vector<std::string>& ids) const;
    bool outOfScope(const std::string& node) const { return !m_scope.isEmpty() && !m_scopeMembers.count(node); }
    std::vector<GroupView> m_groupViews;
    std::map<std::string, size_t> m_memberView;  // hidden member -> index in m_groupViews
    void buildGroupViews();
    // Inserts `node` (already in `g`) into the edge feeding `to`, on `g`; "" on success, else why not.
    QString insertProblem(Graph& g, const std::string& node, const PortRef& to) const;
    void appendGroupRows(std::vector<NodeRow>& rows, const std::map<QString, QStringList>& nodeErrors);
    // Where an edge end is drawn: the node's own port, or its collapsed group's.
    QPointF edgeEnd(const Node& n, const PortRef& port, bool output) const;
    // Collapsed groups' ports (document_group_ports.cpp).
    const GroupView* groupView(const QString& node) const;  // for a "group:<id>" node, else null
    std::vector<PortRef> memberPorts(const QString& node, const QString& port, bool output) const;
    static QRectF groupRect(const GroupView& v);
    QVariantMap groupPortAt(double x, double y) const;
    QPointF groupPortPosition(const GroupView& v, const QString& port, bool output) const;
};

}  // namespace archscope::ui
