#include "canvas_items.h"

#include "graph_geometry.h"

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QQuickWindow>
#include <algorithm>
#include <cmath>

namespace archscope::ui {

Minimap::Minimap(QQuickItem* parent) : QQuickPaintedItem(parent) {
    setAntialiasing(true);
    m_settle.setSingleShot(true);
    m_settle.setInterval(150);
    connect(&m_settle, &QTimer::timeout, this, [this] { if (worldArea() != m_cacheArea) update(); });
}

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
    if (worldArea() != before) {  // else only the QML view rectangle moves (viewBox)
        m_settle.start();
        update();
    }
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
    // The cache is painted at the device pixel ratio (crisp on HiDPI screens), drawn 1:1.
    const double dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    const QSize px = QSize(int(std::ceil(width() * dpr)), int(std::ceil(height() * dpr)));
    if (!m_cacheDirty && w != m_cacheArea && m_cache.size() == px && m_settle.isActive()) {
        // Still moving: the cached picture mapped from its area into the current one (no redraw).
        const QRectF src = m_cacheArea;
        const double cs = std::min((width() - 8) / std::max(1.0, src.width()), (height() - 8) / std::max(1.0, src.height()));
        const QRectF from(4 * dpr, 4 * dpr, src.width() * cs * dpr, src.height() * cs * dpr);  // in the cache's pixels
        p->setRenderHint(QPainter::SmoothPixmapTransform);
        p->drawImage(map(src), m_cache, from);
        return;
    }
    if (m_cacheDirty || w != m_cacheArea || m_cache.size() != px) {
        m_cache = QImage(px, QImage::Format_ARGB32_Premultiplied);
        m_cache.setDevicePixelRatio(dpr);
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
