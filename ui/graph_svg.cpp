#include "graph_svg.h"

#include "core/registry.h"
#include "graph_document.h"
#include "graph_geometry.h"
#include "list_models.h"

#include <QColor>
#include <QTextStream>

namespace archscope::ui {

namespace {

QString esc(QString s) { return s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;"); }
QString num(double v) { return QString::number(v, 'f', 1); }

void writeNode(QTextStream& o, const Node& n, const OpDef* def, const GraphDocument& doc, const QVariantMap& overlay) {
    QRectF r = nodeRect(n, def);
    QColor c = def ? categoryColor(QString::fromStdString(def->category)) : QColor("#777777");
    const QString id = QString::fromStdString(n.id);
    const bool sel = doc.selection().contains(id);
    o << "<g id=\"node-" << esc(id) << "\">\n";
    o << "  <rect x=\"" << num(r.x()) << "\" y=\"" << num(r.y()) << "\" width=\"" << num(r.width()) << "\" height=\"" << num(r.height())
      << "\" rx=\"6\" fill=\"#2b2f38\" stroke=\"" << (sel ? "#f0b54a" : "#414754") << "\" stroke-width=\"" << (sel ? 2 : 1) << "\"/>\n";
    o << "  <rect x=\"" << num(r.x() + 1) << "\" y=\"" << num(r.y() + 1) << "\" width=\"" << num(r.width() - 2) << "\" height=\""
      << num(NodeMetrics::header - 4) << "\" rx=\"5\" fill=\"" << c.darker(135).name() << "\"/>\n";
    o << "  <rect x=\"" << num(r.x() + 1) << "\" y=\"" << num(r.y() + 1) << "\" width=\"4\" height=\"" << num(NodeMetrics::header - 4)
      << "\" fill=\"" << c.name() << "\"/>\n";
    const QString title = n.label.empty() ? id : QString::fromStdString(n.label);
    o << "  <text x=\"" << num(r.x() + 12) << "\" y=\"" << num(r.y() + 18) << "\" fill=\"#f2f4f8\" font-size=\"13\" font-weight=\"bold\">"
      << esc(title) << "</text>\n";
    o << "  <text x=\"" << num(r.x() + 12) << "\" y=\"" << num(r.y() + 33) << "\" fill=\"" << c.lighter(150).name()
      << "\" font-size=\"10\">" << esc(QString::fromStdString(n.op)) << "</text>\n";
    if (def)
        for (int out = 0; out < 2; ++out) {
            const auto& ports = out ? def->outputs : def->inputs;
            for (size_t i = 0; i < ports.size(); ++i) {
                QPointF p = portPos(n, int(i), out);
                o << "  <circle cx=\"" << num(p.x()) << "\" cy=\"" << num(p.y()) << "\" r=\"5\" fill=\"#8b93a3\"/>\n";
                o << "  <text x=\"" << num(p.x() + (out ? -10 : 10)) << "\" y=\"" << num(p.y() + 4) << "\" fill=\"#d7dce5\" font-size=\"11\""
                  << (out ? " text-anchor=\"end\"" : "") << ">" << esc(QString::fromStdString(ports[i].name)) << "</text>\n";
            }
        }
    QVariantMap ov = overlay.value(id).toMap();
    if (!ov.isEmpty()) {
        QColor band = ov["color"].value<QColor>();
        o << "  <rect x=\"" << num(r.x() + 1) << "\" y=\"" << num(r.bottom() - 23) << "\" width=\"" << num(r.width() - 2)
          << "\" height=\"22\" rx=\"5\" fill=\"" << band.name() << "\"/>\n";
        o << "  <text x=\"" << num(r.x() + 9) << "\" y=\"" << num(r.bottom() - 8) << "\" fill=\"" << ov["ink"].value<QColor>().name()
          << "\" font-size=\"12\" font-weight=\"bold\">" << esc(ov["label"].toString()) << "</text>\n";
        QString badge = ov["badge"].toString();
        if (!badge.isEmpty())
            o << "  <rect x=\"" << num(r.right() - 45) << "\" y=\"" << num(r.bottom() - 20) << "\" width=\"40\" height=\"16\" rx=\"8\" fill=\""
              << (badge == "memory" ? "#1f6feb" : "#a371f7") << "\"/><text x=\"" << num(r.right() - 25) << "\" y=\"" << num(r.bottom() - 8.5)
              << "\" fill=\"white\" font-size=\"9\" font-weight=\"bold\" text-anchor=\"middle\">" << (badge == "memory" ? "MEM" : "COMP")
              << "</text>\n";
    }
    o << "</g>\n";
}

}  // namespace

QString graphSvg(const GraphDocument& doc, const QVariantMap& overlay, const QVariantMap& legend) {
    QRectF box = doc.bounds().adjusted(-40, -60, 40, 40);
    if (!legend.isEmpty()) box.adjust(0, -70, 0, 0);
    QString s;
    QTextStream o(&s);
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" << num(box.x()) << " " << num(box.y()) << " " << num(box.width()) << " "
      << num(box.height()) << "\" width=\"" << num(box.width()) << "\" height=\"" << num(box.height())
      << "\" font-family=\"DejaVu Sans, sans-serif\">\n";
    o << "<rect x=\"" << num(box.x()) << "\" y=\"" << num(box.y()) << "\" width=\"100%\" height=\"100%\" fill=\"#1b1e24\"/>\n";
    for (const QVariant& g : doc.groups()) {
        QVariantMap m = g.toMap();
        o << "<rect x=\"" << num(m["x"].toDouble()) << "\" y=\"" << num(m["y"].toDouble()) << "\" width=\"" << num(m["width"].toDouble())
          << "\" height=\"" << num(m["height"].toDouble()) << "\" rx=\"10\" fill=\"#e8a33d\" fill-opacity=\"0.06\" stroke=\"#e8a33d\" stroke-opacity=\"0.33\"/>\n";
        QString extra = overlay.value("group:" + m["id"].toString()).toMap().value("label").toString();
        o << "<text x=\"" << num(m["x"].toDouble() + 12) << "\" y=\"" << num(m["y"].toDouble() + 22)
          << "\" fill=\"#c9a467\" font-size=\"13\" font-weight=\"bold\">" << esc(m["label"].toString()) << (extra.isEmpty() ? "" : "   " + esc(extra))
          << "</text>\n";
    }
    for (auto& e : doc.edgeGeometry()) {
        QPointF c1, c2;
        edgeControlPoints(e.a, e.b, &c1, &c2);
        o << "<path d=\"M" << num(e.a.x()) << "," << num(e.a.y()) << " C" << num(c1.x()) << "," << num(c1.y()) << " " << num(c2.x()) << ","
          << num(c2.y()) << " " << num(e.b.x()) << "," << num(e.b.y()) << "\" fill=\"none\" stroke=\"" << (e.error.isEmpty() ? "#6c7a96" : "#e5484d")
          << "\" stroke-width=\"2\"/>\n";
        if (!e.label.isEmpty())
            o << "<text x=\"" << num((e.a.x() + e.b.x()) / 2) << "\" y=\"" << num((e.a.y() + e.b.y()) / 2 - 6)
              << "\" fill=\"#8b93a3\" font-size=\"10\" text-anchor=\"middle\">" << esc(e.label) << "</text>\n";
    }
    for (auto& n : doc.graph().nodes()) writeNode(o, n, OpRegistry::global().find(n.op), doc, overlay);
    if (!legend.isEmpty())
        o << "<text x=\"" << num(box.x() + 20) << "\" y=\"" << num(box.y() + 30) << "\" fill=\"#d7dce5\" font-size=\"14\" font-weight=\"bold\">"
          << esc(legend["title"].toString()) << ": " << esc(legend["min"].toString()) << " … " << esc(legend["max"].toString()) << "</text>\n";
    o << "</svg>\n";
    return s;
}

}  // namespace archscope::ui
