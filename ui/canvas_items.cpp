#include "canvas_items.h"

#include "graph_geometry.h"

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace archscope::ui {

Minimap::Minimap(QQuickItem* parent) : QQuickPaintedItem(parent) { setAntialiasing(true); }

void Minimap::setDocument(GraphDocument* d) {
    if (m_doc == d) return;
    if (m_doc) disconnect(m_doc, nullptr, this, nullptr);
    m_doc = d;
    if (d) connect(d, &GraphDocument::geometryChanged, this, [this] { m_bounds = m_doc->bounds(); m_cacheDirty = true; emit changed(); update(); });
    m_bounds = d ? d->bounds() : QRectF();
    m_cacheDirty = true;
    emit changed();
    update();
}

void Minimap::setViewRect(const QRectF& r) {
    if (r == m_view) return;
    const QRectF before = worldArea();
    m_view = r;
    emit changed();
    if (worldArea() != before) update();  // else only the QML view rectangle moves (viewBox)
}

QRectF Minimap::viewBox() const {
    QRectF w = worldArea();
    double s = scale();
    return {4 + (m_view.x() - w.x()) * s, 4 + (m_view.y() - w.y()) * s, m_view.width() * s, m_view.height() * s};
}

QRectF Minimap::worldArea() const {
    QRectF box = m_bounds;  // the document's bounds, kept per geometry change (not per pan step)
    box |= m_view;
    return box.adjusted(-40, -40, 40, 40);
}

double Minimap::scale() const {
    QRectF w = worldArea();
    return std::min((width() - 8) / std::max(1.0, w.width()), (height() - 8) / std::max(1.0, w.height()));
}

QPointF Minimap::toWorld(double x, double y) const {
    QRectF w = worldArea();
    double s = scale();
    return {w.x() + (x - 4) / s, w.y() + (y - 4) / s};
}

void Minimap::paint(QPainter* p) {
    if (!m_doc) return;
    p->setRenderHint(QPainter::Antialiasing);
    QRectF w = worldArea();
    double s = scale();
    auto map = [&](QRectF r) { return QRectF(4 + (r.x() - w.x()) * s, 4 + (r.y() - w.y()) * s, r.width() * s, r.height() * s); };
    const QSize px = QSize(int(width()), int(height()));
    if (m_cacheDirty || w != m_cacheArea || m_cache.size() != px) {
        m_cache = QImage(px, QImage::Format_ARGB32_Premultiplied);
        m_cache.fill(Qt::transparent);
        QPainter cp(&m_cache);
        cp.setRenderHint(QPainter::Antialiasing);
        cp.setPen(Qt::NoPen);
        for (auto& r : m_doc->nodes()->rows()) {
            cp.setBrush(r.errors.isEmpty() ? r.color : QColor("#e5484d"));
            cp.drawRoundedRect(map({r.x, r.y, NodeMetrics::width, r.height}), 1.5, 1.5);
        }
        m_cacheArea = w;
        m_cacheDirty = false;
    }
    p->drawImage(QPointF(0, 0), m_cache);
}

}  // namespace archscope::ui
