#include "canvas_items.h"

#include "graph_geometry.h"

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace archscope::ui {

namespace {
const QColor kEdge("#7d8799"), kEdgeHover("#d8dde8"), kEdgeError("#e5484d"), kLabelBg("#1d2028"), kLabelText("#aeb6c6");
}

EdgeLayer::EdgeLayer(QQuickItem* parent) : QQuickPaintedItem(parent) { setAntialiasing(true); }

void EdgeLayer::setDocument(GraphDocument* d) {
    if (m_doc == d) return;
    if (m_doc) disconnect(m_doc, nullptr, this, nullptr);
    m_doc = d;
    if (d) connect(d, &GraphDocument::geometryChanged, this, [this] { update(); });
    emit changed();
    update();
}

void EdgeLayer::paintGrid(QPainter* p) {
    double step = m_grid * m_zoom;
    if (m_grid <= 0) return;
    while (step < 12) step *= 5;  // keep lines apart when zoomed out
    const double major = step * 5;
    auto lines = [&](double s, const QColor& c) {
        p->setPen(QPen(c, 1));
        for (double x = std::fmod(m_panX, s); x < width(); x += s) p->drawLine(QPointF(x, 0), QPointF(x, height()));
        for (double y = std::fmod(m_panY, s); y < height(); y += s) p->drawLine(QPointF(0, y), QPointF(width(), y));
    };
    lines(step, QColor("#1f2228"));
    lines(major, QColor("#252930"));
}

void EdgeLayer::paint(QPainter* p) {
    m_painted = 0;
    paintGrid(p);
    if (!m_doc) return;
    p->setRenderHint(QPainter::Antialiasing);
    const QRectF view(0, 0, width(), height());
    auto toScreen = [&](QPointF w) { return QPointF(w.x() * m_zoom + m_panX, w.y() * m_zoom + m_panY); };
    const bool labels = m_zoom >= 0.55;
    QFont font("DejaVu Sans Mono");
    font.setPixelSize(std::max(9, int(10 * std::min(m_zoom, 1.4))));
    p->setFont(font);
    QFontMetricsF fm(font);
    const double w = std::max(1.0, 2.0 * m_zoom);
    for (auto& e : m_doc->edgeGeometry()) {
        QPointF a = toScreen(e.a), b = toScreen(e.b), c1, c2;
        edgeControlPoints(a, b, &c1, &c2);
        double bend = std::max(40.0 * m_zoom, std::abs(b.x() - a.x()) * 0.5);
        if (!QRectF(a, b).normalized().adjusted(-bend, -4, bend, 4).intersects(view)) continue;
        ++m_painted;
        bool hover = !m_hoverKey.isEmpty() && m_hoverKey == e.toNode + ':' + e.toPort;
        bool bad = !e.error.isEmpty();
        QPainterPath path(a);
        path.cubicTo(c1, c2, b);
        p->setPen(QPen(bad ? kEdgeError : hover ? kEdgeHover : kEdge, hover ? w * 1.8 : w, Qt::SolidLine, Qt::RoundCap));
        p->setBrush(Qt::NoBrush);
        p->drawPath(path);
        if (!labels || (e.label.isEmpty() && !bad)) continue;
        QString text = bad ? QString("⚠ ") + (e.label.isEmpty() ? QString("?") : e.label) : e.label;
        QRectF box(0, 0, fm.horizontalAdvance(text) + 10, fm.height() + 4);
        if (QLineF(a, b).length() < box.width() + 30) continue;  // no room: the port already shows the shape
        QPointF mid = path.pointAtPercent(0.5);
        box.moveCenter(mid);
        p->setPen(QPen(bad ? kEdgeError : QColor("#343a46"), 1));
        p->setBrush(kLabelBg);
        p->drawRoundedRect(box, 4, 4);
        p->setPen(bad ? QColor("#ff8a8e") : kLabelText);
        p->drawText(box, Qt::AlignCenter, text);
    }
    if (m_nodeBoxes) paintNodeBoxes(p);
    if (m_pending) {
        QPointF a = toScreen(m_pendingFrom), b = toScreen(m_pendingTo), c1, c2;
        edgeControlPoints(a, b, &c1, &c2);
        QPainterPath path(a);
        path.cubicTo(c1, c2, b);
        p->setPen(QPen(m_pendingOk ? QColor("#e8c547") : kEdgeError, w * 1.5, Qt::DashLine, Qt::RoundCap));
        p->drawPath(path);
    }
}

void EdgeLayer::paintNodeBoxes(QPainter* p) {
    const QRectF view(0, 0, width(), height());
    const double fontPx = std::clamp(40.0 * m_zoom, 5.0, 12.0);
    QFont font;
    font.setPixelSize(int(fontPx));
    font.setBold(true);
    p->setFont(font);
    const QFontMetricsF fm(font);
    p->setRenderHint(QPainter::Antialiasing, false);  // axis-aligned boxes: no need
    for (auto& r : m_doc->nodes()->rows()) {
        QRectF box(r.x * m_zoom + m_panX, r.y * m_zoom + m_panY, NodeMetrics::width * m_zoom, r.height * m_zoom);
        if (!box.intersects(view)) continue;
        p->fillRect(box, r.selected ? QColor("#f0b54a") : QColor("#2b2f38"));
        p->fillRect(QRectF(box.x(), box.y(), box.width(), NodeMetrics::header * m_zoom), r.errors.isEmpty() ? r.color.darker(135) : QColor("#e5484d"));
        if (fontPx >= 6) {
            p->setPen(QColor("#f2f4f8"));
            p->drawText(box.topLeft() + QPointF(3, fontPx + 1), fm.elidedText(r.title, Qt::ElideRight, box.width() - 5));
        }
    }
    p->setRenderHint(QPainter::Antialiasing, true);
}

Minimap::Minimap(QQuickItem* parent) : QQuickPaintedItem(parent) { setAntialiasing(true); }

void Minimap::setDocument(GraphDocument* d) {
    if (m_doc == d) return;
    if (m_doc) disconnect(m_doc, nullptr, this, nullptr);
    m_doc = d;
    if (d) connect(d, &GraphDocument::geometryChanged, this, [this] { m_cacheDirty = true; update(); });
    m_cacheDirty = true;
    emit changed();
    update();
}

void Minimap::setViewRect(const QRectF& r) {
    if (r == m_view) return;
    m_view = r;
    emit changed();
    update();
}

QRectF Minimap::worldArea() const {
    QRectF box = m_doc ? m_doc->bounds() : QRectF();
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
    p->setBrush(QColor(255, 255, 255, 18));
    p->setPen(QPen(QColor("#d8dde8"), 1.2));
    p->drawRect(map(m_view));
}

}  // namespace archscope::ui
