// GraphDocument: the template gallery (engine/templates) and the user block
// library (design-format JSON files under <AppDataLocation>/blocks, listed in
// the palette under "My blocks").
#include "graph/design_io.h"
#include "graph_commands.h"
#include "graph_document.h"
#include "templates/template_def.h"

#include <QDir>
#include <cmath>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace archscope::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
std::string s(const QString& v) { return v.toStdString(); }

QVariant paramDefault(const AttrValue& v) {
    if (auto* i = std::get_if<int64_t>(&v)) return double(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* str = std::get_if<std::string>(&v)) return q(*str);
    return q(attrValueStr(v));
}

bool validBlockName(const QString& name) {
    static const QRegularExpression re("^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,63}$");
    return re.match(name).hasMatch();
}

}  // namespace

// ---------- templates ----------

QVariantList GraphDocument::templateList() const {
    QVariantList l;
    for (const TemplateDef* t : templates()) {
        QVariantList params;
        for (auto& p : t->params) {
            QStringList choices;
            for (auto& c : p.choices) choices << q(c);
            params << QVariantMap{{"name", q(p.name)}, {"type", attrTypeName(p.type)}, {"value", paramDefault(p.def)},
                                  {"min", p.min},      {"max", p.max},                 {"choices", choices},
                                  {"doc", q(p.doc)}};
        }
        l << QVariantMap{{"name", q(t->name)},   {"title", q(t->title)},   {"paper", q(t->paper)},
                         {"description", q(t->description)}, {"params", params}};
    }
    return l;
}

bool GraphDocument::newFromTemplate(const QString& name, const QVariantMap& params) {
    const TemplateDef* t = findTemplate(s(name));
    if (!t) {
        setMessage(QString("No template \"%1\"; templates: %2").arg(name, q(templateNames())));
        return false;
    }
    std::map<std::string, std::string> overrides;
    for (auto it = params.begin(); it != params.end(); ++it) {
        QVariant v = it.value();
        QString text = v.typeId() == QMetaType::Double && v.toDouble() == std::floor(v.toDouble()) ? QString::number(qint64(v.toDouble()))
                       : v.typeId() == QMetaType::Bool ? (v.toBool() ? "true" : "false")
                                                       : v.toString();
        overrides[s(it.key())] = s(text);
    }
    Graph g;
    std::string err;
    if (!instantiateTemplate(*t, overrides, &g, &err)) {
        setMessage(QString("Template %1: %2").arg(name, q(err)));
        return false;
    }
    resetTo(std::move(g), QString());  // untitled: Save asks for a file
    setMessage(QString("New design from template %1").arg(q(t->title)));
    return true;
}

// ---------- user block library ----------

QString GraphDocument::userLibraryDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/blocks";
}

void GraphDocument::refreshUserBlocks() {
    QStringList names, docs;
    for (const QFileInfo& f : QDir(userLibraryDir()).entryInfoList({"*.json"}, QDir::Files, QDir::Name)) {
        Graph g;
        if (!loadDesign(s(f.absoluteFilePath()), &g).ok) continue;  // a broken file is skipped, not fatal
        names << f.completeBaseName();
        docs << QString("%1 nodes · %2").arg(g.nodes().size()).arg(q(g.metadata["description"]));
    }
    m_palette.setUserBlocks(names, docs);
}

bool GraphDocument::saveSelectionAsBlock(const QString& name) {
    const QString n = name.trimmed();
    if (!validBlockName(n)) {
        setMessage(QString("Block name \"%1\" is not valid: use letters, digits, space, _ . - (at most 64)").arg(name));
        return false;
    }
    if (m_selection.isEmpty()) {
        setMessage("Select the nodes (or a group) to save as a block first");
        return false;
    }
    Graph block;
    std::string err;
    if (!parseDesign(s(copySelection()), "selection", &block).ok) return false;
    block.metadata["name"] = s(n);
    block.metadata["description"] = "saved from " + s(displayName());
    block.symbols = m_graph.symbols;  // shapes in the block may name the design's sizes
    QDir().mkpath(userLibraryDir());
    const QString path = userLibraryDir() + "/" + n + ".json";
    if (!saveDesign(block, s(path), &err)) {
        setMessage(QString("Cannot save block: %1").arg(q(err)));
        return false;
    }
    refreshUserBlocks();
    setMessage(QString("Saved block \"%1\" to %2").arg(n, path));
    return true;
}

QStringList GraphDocument::addUserBlock(const QString& name, double x, double y) {
    const QString path = userLibraryDir() + "/" + name + ".json";
    Graph block;
    LoadResult r = loadDesign(s(path), &block);
    if (!r.ok) {
        setMessage(QString("Cannot add block \"%1\": %2").arg(name, q(r.error)));
        return {};
    }
    // One undo step: paste the nodes (and the groups saved inside the block) and group them under the block's name.
    m_undo.beginMacro(QString("Add block %1").arg(name));
    QStringList added = paste(x, y, q(serializeDesign(block)));
    if (!added.isEmpty()) {
        setSelection(added);
        groupSelection(name);
    }
    m_undo.endMacro();
    return added;
}

}  // namespace archscope::ui
