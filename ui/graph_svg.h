// The graph view as SVG (`archscope render --view graph|latency --format svg`).
// Uses the same geometry as the canvas (graph_geometry.h: node boxes, port
// positions, edge curves), the same category colours and, when given, the
// same profiling overlay entries (ProfileModel::overlay) as the QML view.
#pragma once

#include <QString>
#include <QVariantMap>

namespace archscope::ui {

class GraphDocument;

QString graphSvg(const GraphDocument& doc, const QVariantMap& overlay = {}, const QVariantMap& legend = {});

}  // namespace archscope::ui
