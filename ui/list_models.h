// The list models the QML views bind to. GraphDocument owns one of each and
// is the only caller of their sync functions; each sync diffs the new rows
// against the current ones by key and announces exactly what changed
// (rowsInserted / rowsRemoved / dataChanged with the changed roles).
#pragma once

#include <QAbstractListModel>
#include <QColor>
#include <QSortFilterProxyModel>
#include <QRectF>
#include <QStringList>
#include <vector>

namespace archscope::ui {

// Colour of an op category: a fixed palette indexed by the category's place
// among the registry's categories, so new categories get colours without code.
QColor categoryColor(const QString& category);

struct NodeRow {
    QString id, op, title, category, doc;
    QColor color;
    double x = 0, y = 0, height = 0;
    QStringList inputs, outputs, outputShapes;
    QString stats;   // "16.6K params · 1.1M FLOPs"
    QString errors;  // newline-separated diagnostics of this node
    bool selected = false, composite = false;
    bool operator==(const NodeRow&) const = default;
};

// Shared diffing for keyed row lists.
class KeyedListModel : public QAbstractListModel {
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;

protected:
    // Replaces `cur` by `next` (matched by key(row)): removes vanished rows,
    // updates changed ones in place (roles from changed(old, new)), appends new ones.
    template <class Row, class Key, class Changed>
    void syncRows(std::vector<Row>& cur, std::vector<Row> next, Key key, Changed changed);
};

class NodeListModel : public KeyedListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, OpRole, TitleRole, CategoryRole, DocRole, ColorRole, XRole, YRole, HeightRole,
                InputsRole, OutputsRole, OutputShapesRole, StatsRole, ErrorsRole, SelectedRole, CompositeRole };
    using KeyedListModel::KeyedListModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void sync(std::vector<NodeRow> rows);  // rows in any order; keyed by id
    const std::vector<NodeRow>& rows() const { return m_rows; }
    int rowOf(const QString& id) const;

private:
    std::vector<NodeRow> m_rows;
};

struct EdgeRow {
    QString fromNode, fromPort, toNode, toPort, shape, error;
    bool operator==(const EdgeRow&) const = default;
    QString key() const { return toNode + ':' + toPort; }
};

class EdgeListModel : public KeyedListModel {
    Q_OBJECT
public:
    enum Role { FromNodeRole = Qt::UserRole + 1, FromPortRole, ToNodeRole, ToPortRole, ShapeRole, ErrorRole };
    using KeyedListModel::KeyedListModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void sync(std::vector<EdgeRow> rows);  // keyed by the input port fed
    const std::vector<EdgeRow>& rows() const { return m_rows; }

private:
    std::vector<EdgeRow> m_rows;
};

// Every op in the registry, sorted by category then name, filtered by text
// (matched against id, display name, category and doc).
class PaletteModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
public:
    enum Role { OpRole = Qt::UserRole + 1, NameRole, CategoryRole, DocRole, ColorRole };
    explicit PaletteModel(QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    QString filter() const { return m_filter; }
    void setFilter(const QString& f);
    Q_INVOKABLE QString opAt(int row) const;
    // Row that best matches the filter text: exact id or name, else a prefix, else 0.
    Q_INVOKABLE int bestRow() const;
    // Blocks of the user library, listed under "My blocks" as ops "user:NAME".
    void setUserBlocks(const QStringList& names, const QStringList& docs);

signals:
    void filterChanged();

private:
    struct Entry { QString op, name, category, doc; };
    std::vector<Entry> m_all;
    size_t m_registryCount = 0;  // m_all = registry ops, then user blocks
    void refilter();
    std::vector<int> m_visible;
    QString m_filter;
};

// The nodes whose rectangles meet `viewport` (world coordinates), plus the
// selected ones: the canvas instantiates delegates only for these. Rows are
// recycled slots (like a ListView's reusable delegates): a node scrolling out
// of view frees its slot and a node scrolling in takes a free one, announced
// as dataChanged, so panning rebinds existing delegates instead of creating
// and destroying them. A free slot has an empty id (its delegate hides itself).
// Slots are appended as needed; free ones beyond a dozen are removed.
// visibleCount() is the number in use. The document owns it and sets the source once.
class VisibleNodesModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QRectF viewport READ viewport WRITE setViewport NOTIFY viewportChanged)
    Q_PROPERTY(int visibleCount READ visibleCount NOTIFY viewportChanged)
public:
    using QAbstractListModel::QAbstractListModel;
    void setSourceModel(NodeListModel* source);
    QRectF viewport() const { return m_viewport; }
    void setViewport(const QRectF& r);
    int visibleCount() const { return int(m_slotOf.size()); }
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void viewportChanged();

private:
    NodeListModel* m_source = nullptr;
    QRectF m_viewport{-1e9, -1e9, 2e9, 2e9};
    std::vector<QString> m_slots;  // node id per slot, empty when free
    QHash<QString, int> m_slotOf;  // node id -> slot
    QHash<QString, int> m_rowOf;   // node id -> source row
    void reindex();
    void refilter();
    bool wanted(const NodeRow& r) const;
    void place(const NodeRow& r);
    void trim();
};

}  // namespace archscope::ui
