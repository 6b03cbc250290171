#include "list_models.h"

#include "core/registry.h"

#include <QSet>
#include <map>
#include <set>

namespace archscope::ui {

QColor categoryColor(const QString& category) {
    static const std::vector<QString> cats = [] {
        std::set<std::string> s;
        for (auto* d : OpRegistry::global().all()) s.insert(d->category);
        std::vector<QString> v;
        for (auto& c : s) v.push_back(QString::fromStdString(c));
        return v;
    }();
    static const char* palette[] = {"#4f7fd9", "#d9824f", "#55b07a", "#b063c9", "#c9b04a", "#4ab3c9",
                                    "#d95f76", "#8a9a5b", "#7a6fe0", "#c97a4a", "#5bb0a0", "#a0708a"};
    auto it = std::find(cats.begin(), cats.end(), category);
    size_t i = it == cats.end() ? size_t(qHash(category)) : size_t(it - cats.begin());
    return QColor(palette[i % std::size(palette)]);
}

template <class Row, class Key, class Changed>
void KeyedListModel::syncRows(std::vector<Row>& cur, std::vector<Row> next, Key key, Changed changed) {
    std::map<QString, size_t> nextIndex;
    for (size_t i = 0; i < next.size(); ++i) nextIndex[key(next[i])] = i;
    // Remove vanished rows, contiguous runs at a time, from the back.
    for (int i = int(cur.size()) - 1; i >= 0;) {
        if (nextIndex.count(key(cur[size_t(i)]))) { --i; continue; }
        int last = i;
        while (i >= 0 && !nextIndex.count(key(cur[size_t(i)]))) --i;
        beginRemoveRows({}, i + 1, last);
        cur.erase(cur.begin() + (i + 1), cur.begin() + (last + 1));
        endRemoveRows();
    }
    std::vector<bool> present(next.size(), false);
    for (size_t i = 0; i < cur.size(); ++i) {
        size_t j = nextIndex.at(key(cur[i]));
        present[j] = true;
        if (cur[i] == next[j]) continue;
        QList<int> roles = changed(cur[i], next[j]);
        cur[i] = next[j];
        QModelIndex mi = index(int(i));
        emit dataChanged(mi, mi, roles);
    }
    std::vector<Row> added;
    for (size_t j = 0; j < next.size(); ++j)
        if (!present[j]) added.push_back(std::move(next[j]));
    if (added.empty()) return;
    beginInsertRows({}, int(cur.size()), int(cur.size() + added.size()) - 1);
    for (auto& r : added) cur.push_back(std::move(r));
    endInsertRows();
}

// ---- NodeListModel ----

int NodeListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant NodeListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const NodeRow& r = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case IdRole: return r.id;
    case OpRole: return r.op;
    case TitleRole: return r.title;
    case CategoryRole: return r.category;
    case DocRole: return r.doc;
    case ColorRole: return r.color;
    case XRole: return r.x;
    case YRole: return r.y;
    case HeightRole: return r.height;
    case InputsRole: return r.inputs;
    case OutputsRole: return r.outputs;
    case OutputShapesRole: return r.outputShapes;
    case StatsRole: return r.stats;
    case ErrorsRole: return r.errors;
    case SelectedRole: return r.selected;
    case CompositeRole: return r.composite;
    default: return {};
    }
}

QHash<int, QByteArray> NodeListModel::roleNames() const {
    return {{IdRole, "nodeId"},         {OpRole, "op"},           {TitleRole, "title"},
            {CategoryRole, "category"}, {DocRole, "doc"},         {ColorRole, "nodeColor"},
            {XRole, "posX"},            {YRole, "posY"},          {HeightRole, "nodeHeight"},
            {InputsRole, "inputs"},     {OutputsRole, "outputs"}, {OutputShapesRole, "outputShapes"},
            {StatsRole, "stats"},       {ErrorsRole, "errors"},   {SelectedRole, "selected"},
            {CompositeRole, "composite"}};
}

void NodeListModel::sync(std::vector<NodeRow> rows) {
    syncRows(m_rows, std::move(rows), [](const NodeRow& r) { return r.id; }, [](const NodeRow& a, const NodeRow& b) {
        QList<int> roles;
        auto check = [&](bool differs, int role) { if (differs) roles << role; };
        check(a.op != b.op, OpRole);
        check(a.title != b.title, TitleRole);
        check(a.category != b.category, CategoryRole);
        check(a.doc != b.doc, DocRole);
        check(a.color != b.color, ColorRole);
        check(a.x != b.x, XRole);
        check(a.y != b.y, YRole);
        check(a.height != b.height, HeightRole);
        check(a.inputs != b.inputs, InputsRole);
        check(a.outputs != b.outputs, OutputsRole);
        check(a.outputShapes != b.outputShapes, OutputShapesRole);
        check(a.stats != b.stats, StatsRole);
        check(a.errors != b.errors, ErrorsRole);
        check(a.selected != b.selected, SelectedRole);
        check(a.composite != b.composite, CompositeRole);
        return roles;
    });
}

int NodeListModel::rowOf(const QString& id) const {
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id) return int(i);
    return -1;
}

// ---- EdgeListModel ----

int EdgeListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant EdgeListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const EdgeRow& r = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return r.fromNode + ':' + r.fromPort + " -> " + r.key();
    case FromNodeRole: return r.fromNode;
    case FromPortRole: return r.fromPort;
    case ToNodeRole: return r.toNode;
    case ToPortRole: return r.toPort;
    case ShapeRole: return r.shape;
    case ErrorRole: return r.error;
    default: return {};
    }
}

QHash<int, QByteArray> EdgeListModel::roleNames() const {
    return {{FromNodeRole, "fromNode"}, {FromPortRole, "fromPort"}, {ToNodeRole, "toNode"},
            {ToPortRole, "toPort"},     {ShapeRole, "shape"},       {ErrorRole, "error"}};
}

void EdgeListModel::sync(std::vector<EdgeRow> rows) {
    syncRows(m_rows, std::move(rows), [](const EdgeRow& r) { return r.key(); }, [](const EdgeRow& a, const EdgeRow& b) {
        QList<int> roles;
        if (a.fromNode != b.fromNode) roles << FromNodeRole;
        if (a.fromPort != b.fromPort) roles << FromPortRole;
        if (a.shape != b.shape) roles << ShapeRole;
        if (a.error != b.error) roles << ErrorRole;
        return roles;
    });
}

// ---- PaletteModel ----

PaletteModel::PaletteModel(QObject* parent) : QAbstractListModel(parent) {
    for (auto* d : OpRegistry::global().all())
        m_all.push_back({QString::fromStdString(d->id), QString::fromStdString(d->displayName),
                         QString::fromStdString(d->category), QString::fromStdString(d->doc)});
    m_registryCount = m_all.size();
    for (size_t i = 0; i < m_all.size(); ++i) m_visible.push_back(int(i));
}

void PaletteModel::setUserBlocks(const QStringList& names, const QStringList& docs) {
    beginResetModel();
    m_all.resize(m_registryCount);
    for (qsizetype i = 0; i < names.size(); ++i)
        m_all.push_back({"user:" + names[i], names[i], "My blocks", i < docs.size() ? docs[i] : QString()});
    refilter();
    endResetModel();
}

int PaletteModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_visible.size()); }

QVariant PaletteModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Entry& e = m_all[size_t(m_visible[size_t(index.row())])];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return e.name;
    case OpRole: return e.op;
    case CategoryRole: return e.category;
    case DocRole: return e.doc;
    case ColorRole: return e.op.startsWith("user:") ? QColor("#c9a467") : categoryColor(e.category);
    default: return {};
    }
}

QHash<int, QByteArray> PaletteModel::roleNames() const {
    return {{OpRole, "op"}, {NameRole, "name"}, {CategoryRole, "category"}, {DocRole, "doc"}, {ColorRole, "opColor"}};
}

void PaletteModel::setFilter(const QString& f) {
    if (f == m_filter) return;
    m_filter = f;
    beginResetModel();
    refilter();
    endResetModel();
    emit filterChanged();
}

void PaletteModel::refilter() {
    m_visible.clear();
    QString t = m_filter.trimmed();
    for (size_t i = 0; i < m_all.size(); ++i) {
        const Entry& e = m_all[i];
        if (t.isEmpty() || e.op.contains(t, Qt::CaseInsensitive) || e.name.contains(t, Qt::CaseInsensitive) ||
            e.category.contains(t, Qt::CaseInsensitive) || e.doc.contains(t, Qt::CaseInsensitive))
            m_visible.push_back(int(i));
    }
}

QString PaletteModel::opAt(int row) const {
    return row >= 0 && row < int(m_visible.size()) ? m_all[size_t(m_visible[size_t(row)])].op : QString();
}

int PaletteModel::bestRow() const {
    QString t = m_filter.trimmed();
    for (int pass = 0; pass < 2; ++pass)
        for (size_t r = 0; r < m_visible.size(); ++r) {
            const Entry& e = m_all[size_t(m_visible[r])];
            bool hit = pass == 0 ? (e.op.compare(t, Qt::CaseInsensitive) == 0 || e.name.compare(t, Qt::CaseInsensitive) == 0)
                                 : (e.op.startsWith(t, Qt::CaseInsensitive) || e.name.startsWith(t, Qt::CaseInsensitive));
            if (hit) return int(r);
        }
    return 0;
}

}  // namespace archscope::ui
