// VisibleNodesModel: the recycled delegate slots of the canvas (list_models.h).
#include "graph_geometry.h"
#include "list_models.h"

#include <QSet>

namespace archscope::ui {

void VisibleNodesModel::setSourceModel(NodeListModel* source) {
    beginResetModel();
    if (m_source) disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_slots.clear();
    m_slotOf.clear();
    endResetModel();
    if (!source) return;
    auto structural = [this] { reindex(); refilter(); };
    connect(source, &QAbstractItemModel::rowsInserted, this, structural);
    connect(source, &QAbstractItemModel::rowsRemoved, this, structural);
    connect(source, &QAbstractItemModel::modelReset, this, structural);
    connect(source, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& a, const QModelIndex& b, const QList<int>& roles) {
        for (int r = a.row(); r <= b.row(); ++r) {
            const NodeRow& row = m_source->rows()[size_t(r)];
            const int slot = m_slotOf.value(row.id, -1);
            if (slot >= 0) emit dataChanged(index(slot), index(slot), roles);
            place(row);  // it may have moved into or out of view, or been (de)selected
        }
    });
    reindex();
    refilter();
}

void VisibleNodesModel::setViewport(const QRectF& r) {
    if (r == m_viewport) return;
    m_viewport = r;
    refilter();
    emit viewportChanged();
}

void VisibleNodesModel::reindex() {
    m_rowOf.clear();
    if (!m_source) return;
    const auto& rows = m_source->rows();
    for (size_t i = 0; i < rows.size(); ++i) m_rowOf.insert(rows[i].id, int(i));
}

bool VisibleNodesModel::wanted(const NodeRow& r) const {
    return r.selected || QRectF(r.x, r.y, NodeMetrics::width, r.height).intersects(m_viewport);
}

// One node: takes a slot (the lowest free one, else a new one) or frees its slot.
void VisibleNodesModel::place(const NodeRow& r) {
    const int slot = m_slotOf.value(r.id, -1);
    const bool want = wanted(r);
    if (want == (slot >= 0)) return;
    if (!want) {
        m_slotOf.remove(r.id);
        m_slots[size_t(slot)].clear();
        emit dataChanged(index(slot), index(slot));
        trim();
        return;
    }
    for (size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i].isEmpty()) {
            m_slots[i] = r.id;
            m_slotOf.insert(r.id, int(i));
            emit dataChanged(index(int(i)), index(int(i)));
            return;
        }
    beginInsertRows({}, int(m_slots.size()), int(m_slots.size()));
    m_slotOf.insert(r.id, int(m_slots.size()));
    m_slots.push_back(r.id);
    endInsertRows();
}

// Frees the slots of nodes no longer wanted, then gives each newly wanted node
// a free slot (lowest first) or a new one at the end.
void VisibleNodesModel::refilter() {
    if (!m_source) return;
    QSet<QString> want;
    std::vector<QString> order;  // wanted ids in document order: deterministic slot assignment
    for (const NodeRow& r : m_source->rows())
        if (wanted(r)) {
            want.insert(r.id);
            order.push_back(r.id);
        }
    std::vector<int> changed, freeSlots;
    for (size_t i = 0; i < m_slots.size(); ++i) {
        if (!m_slots[i].isEmpty() && !want.contains(m_slots[i])) {
            m_slotOf.remove(m_slots[i]);
            m_slots[i].clear();
            changed.push_back(int(i));
        }
        if (m_slots[i].isEmpty()) freeSlots.push_back(int(i));
    }
    std::vector<QString> appended;
    size_t nextFree = 0;
    for (const QString& id : order) {
        if (m_slotOf.contains(id)) continue;
        if (nextFree < freeSlots.size()) {
            const int slot = freeSlots[nextFree++];
            m_slots[size_t(slot)] = id;
            m_slotOf.insert(id, slot);
            changed.push_back(slot);
        } else {
            appended.push_back(id);
        }
    }
    for (int slot : changed) emit dataChanged(index(slot), index(slot));
    trim();
    if (appended.empty()) return;
    const int first = int(m_slots.size());
    beginInsertRows({}, first, first + int(appended.size()) - 1);
    for (size_t k = 0; k < appended.size(); ++k) {
        m_slots.push_back(appended[k]);
        m_slotOf.insert(appended[k], first + int(k));
    }
    endInsertRows();
}

// Keeps at most kSpareSlots free slots (hidden delegates still cost the canvas
// transform updates); the others are removed, from the back.
void VisibleNodesModel::trim() {
    constexpr int kSpareSlots = 12;
    int spare = int(m_slots.size()) - int(m_slotOf.size());
    if (spare <= kSpareSlots) return;
    for (int i = int(m_slots.size()) - 1; i >= 0 && spare > kSpareSlots;) {
        if (!m_slots[size_t(i)].isEmpty()) { --i; continue; }
        int last = i;
        while (i >= 0 && m_slots[size_t(i)].isEmpty() && last - i < spare - kSpareSlots) --i;
        beginRemoveRows({}, i + 1, last);
        m_slots.erase(m_slots.begin() + (i + 1), m_slots.begin() + (last + 1));
        endRemoveRows();
        spare -= last - i;
    }
    m_slotOf.clear();
    for (size_t k = 0; k < m_slots.size(); ++k)
        if (!m_slots[k].isEmpty()) m_slotOf.insert(m_slots[k], int(k));
}

int VisibleNodesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_slots.size()); }

QHash<int, QByteArray> VisibleNodesModel::roleNames() const { return m_source ? m_source->roleNames() : QHash<int, QByteArray>{}; }

QVariant VisibleNodesModel::data(const QModelIndex& index, int role) const {
    if (!m_source || !index.isValid() || index.row() >= int(m_slots.size())) return {};
    const int row = m_rowOf.value(m_slots[size_t(index.row())], -1);
    if (row >= 0) return m_source->data(m_source->index(row), role);
    if (role <= Qt::UserRole) return {};
    // A free slot: typed empty values, so that the delegate's required properties accept them.
    switch (role) {
    case NodeListModel::ColorRole: return QColor(Qt::transparent);
    case NodeListModel::XRole: case NodeListModel::YRole: case NodeListModel::HeightRole: return 0.0;
    case NodeListModel::InputsRole: case NodeListModel::OutputsRole: case NodeListModel::OutputShapesRole: return QStringList();
    case NodeListModel::SelectedRole: case NodeListModel::CompositeRole: return false;
    default: return QString();
    }
}

}  // namespace archscope::ui
