// EdgeLayer (tiled, cached) and EdgeOverlay: see canvas_items.h.
#include "canvas_items.h"

#include "graph_geometry.h"

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QQuickWindow>
#include <QSGImageNode>
#include <QSGTransformNode>
#include <algorithm>
#include <cmath>

namespace archscope::ui {

namespace {
constexpr int kTile = 512;  // tile side in render-space pixels

// A colour of EdgeLayer::colors (the theme), or the dark theme's.
QColor named(const QVariantMap& colors, const char* name, const char* fallback) {
    const QVariant v = colors.value(QLatin1String(name));
    const QColor c = v.isValid() ? v.value<QColor>() : QColor();
    return c.isValid() ? c : QColor(fallback);
}

quint64 tileKey(int tx, int ty) { return (quint64(quint32(tx)) << 32) | quint32(ty); }

// The root of the layer's scene graph: pan and zoom as one matrix, tiles as children.
struct TileRoot : QSGTransformNode {
    QHash<quint64, QSGImageNode*> tiles;
    void drop(quint64 key) {
        QSGImageNode* n = tiles.take(key);
        removeChildNode(n);
        delete n;
    }
    void clear() {
        for (quint64 k : tiles.keys()) drop(k);
    }
};

QPainterPath edgePath(QPointF a, QPointF b) {
    QPointF c1, c2;
    edgeControlPoints(a, b, &c1, &c2);
    QPainterPath path(a);
    path.cubicTo(c1, c2, b);
    return path;
}
}  // namespace

EdgeLayer::EdgeLayer(QQuickItem* parent) : QQuickItem(parent), m_overlay(new EdgeOverlay(this)) {
    setFlag(ItemHasContents, true);
    m_overlay->setVisible(false);
    m_settle.setSingleShot(true);
    m_settle.setInterval(150);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        m_settled = true;
        update();
    });
}

EdgeLayer::~EdgeLayer() = default;

void EdgeLayer::setDocument(GraphDocument* d) {
    if (m_doc == d) return;
    if (m_doc) disconnect(m_doc, nullptr, this, nullptr);
    m_doc = d;
    m_overlay->doc = d;
    if (d) {
        connect(d, &GraphDocument::geometryChanged, this, [this] { invalidate(); update(); m_overlay->refresh(); });
        connect(d, &GraphDocument::selectionChanged, this, [this] { if (m_nodeBoxes) { invalidate(); update(); } });
    }
    invalidate();
    emit changed();
    update();
}

void EdgeLayer::setZoom(double v) {
    if (m_zoom == v) return;
    m_zoom = v;
    m_settled = false;
    m_settle.start();
    m_overlay->zoom = v;
    m_overlay->refresh();
    emit changed();
    update();
}

void EdgeLayer::setPanX(double v) {
    if (m_panX == v) return;
    m_panDx = v < m_panX ? 1 : -1;  // the view moves right (+1) or left (-1) over the world
    m_panX = m_overlay->panX = v;
    if (m_overlay->isVisible()) m_overlay->update();
    emit changed();
    update();
}

void EdgeLayer::setPanY(double v) {
    if (m_panY == v) return;
    m_panDy = v < m_panY ? 1 : -1;
    m_panY = m_overlay->panY = v;
    if (m_overlay->isVisible()) m_overlay->update();
    emit changed();
    update();
}

void EdgeLayer::invalidate() { m_stale = true; }

void EdgeLayer::setColors(const QVariantMap& v) {
    if (m_colors == v) return;
    m_colors = m_overlay->colors = v;
    invalidate();
    emit changed();
    update();
    m_overlay->update();
}

void EdgeLayer::geometryChange(const QRectF& now, const QRectF& before) {
    QQuickItem::geometryChange(now, before);
    m_overlay->setSize(now.size());
    update();
}

// --- the overlay's state lives in the overlay; the layer forwards it ---
QString EdgeLayer::hoverKey() const { return m_overlay->hoverKey; }
bool EdgeLayer::pending() const { return m_overlay->pending; }
QPointF EdgeLayer::pendingFrom() const { return m_overlay->pendingFrom; }
QPointF EdgeLayer::pendingTo() const { return m_overlay->pendingTo; }
bool EdgeLayer::pendingOk() const { return m_overlay->pendingOk; }
template <class T> static bool assign(T& field, const T& v) {
    if (field == v) return false;
    field = v;
    return true;
}
void EdgeLayer::setHoverKey(const QString& v) { if (assign(m_overlay->hoverKey, v)) { m_overlay->refresh(); emit changed(); } }
void EdgeLayer::setPending(bool v) { if (assign(m_overlay->pending, v)) { m_overlay->refresh(); emit changed(); } }
void EdgeLayer::setPendingFrom(QPointF v) { if (assign(m_overlay->pendingFrom, v)) { m_overlay->refresh(); emit changed(); } }
void EdgeLayer::setPendingTo(QPointF v) { if (assign(m_overlay->pendingTo, v)) { m_overlay->refresh(); emit changed(); } }
void EdgeLayer::setPendingOk(bool v) { if (assign(m_overlay->pendingOk, v)) { m_overlay->refresh(); emit changed(); } }

QSGNode* EdgeLayer::updatePaintNode(QSGNode* old, UpdatePaintNodeData*) {
    auto* root = old ? static_cast<TileRoot*>(old) : new TileRoot;
    if (width() <= 0 || height() <= 0 || m_zoom <= 0 || !window()) {
        root->clear();
        return root;
    }
    // Render zoom: exact when settled or when the tiles would be scaled by more than 0.8-1.25.
    const double ratio = m_renderZoom > 0 ? m_zoom / m_renderZoom : 0;
    if ((m_settled || ratio < 0.8 || ratio > 1.25) && m_renderZoom != m_zoom) {
        m_renderZoom = m_zoom;
        m_stale = true;
    }
    if (m_stale) {
        root->clear();
        m_stale = false;
    }
    const double s = m_zoom / m_renderZoom;
    QMatrix4x4 m;
    double ox = m_panX, oy = m_panY;  // where render-space 0,0 is drawn (item coordinates)
    if (s == 1) {
        // Whole device pixels, the item's own position included: tiles are blitted, not resampled, and
        // meet without a seam also at fractional device pixel ratios (at 1.5 a half-pixel offset left a
        // row of unpainted pixels between tiles).
        const double dpr = window()->effectiveDevicePixelRatio();
        const QPointF at = mapToScene(QPointF(0, 0));
        ox = std::round((at.x() + m_panX) * dpr) / dpr - at.x();
        oy = std::round((at.y() + m_panY) * dpr) / dpr - at.y();
        m.translate(ox, oy);
    } else {
        m.translate(m_panX, m_panY);
        m.scale(s, s);
    }
    root->setMatrix(m);
    // Tiles meeting the view (render space = (screen - pan) / s), plus one tile of margin kept.
    const int tx0 = int(std::floor(-ox / s / kTile)), tx1 = int(std::floor((width() - ox) / s / kTile));
    const int ty0 = int(std::floor(-oy / s / kTile)), ty1 = int(std::floor((height() - oy) / s / kTile));
    for (quint64 k : root->tiles.keys()) {
        const int tx = int(qint32(k >> 32)), ty = int(qint32(k & 0xffffffffu));
        if (tx < tx0 - 1 || tx > tx1 + 1 || ty < ty0 - 1 || ty > ty1 + 1) root->drop(k);
    }
    const int paintedBefore = m_tilesPainted;
    for (int ty = ty0; ty <= ty1; ++ty)
        for (int tx = tx0; tx <= tx1; ++tx) tileNode(root, tx, ty);
    // Pre-painting: a frame that painted no tile of the view paints one tile of the margin column and
    // row the view is moving towards (kept by the margin above), so that panning finds the next tiles
    // ready instead of painting a whole row or column in one frame. Not while scaled: those tiles are
    // replaced when the zoom settles. The column ahead spans the view's rows and the row ahead; the
    // row ahead spans the view's columns.
    const int ax0 = m_panDx > 0 ? tx0 : tx0 - 1, ax1 = m_panDx > 0 ? tx1 + 1 : tx1;
    const int ay0 = m_panDy > 0 ? ty0 : ty0 - 1, ay1 = m_panDy > 0 ? ty1 + 1 : ty1;
    if (s == 1 && m_tilesPainted == paintedBefore && preparedAhead(root, m_panDx > 0 ? ax1 : ax0, m_panDy > 0 ? ay1 : ay0, ax0, ax1, ay0, ay1))
        QMetaObject::invokeMethod(this, &QQuickItem::update, Qt::QueuedConnection);  // the next tile ahead
    return root;
}

// The tile (tx, ty) at the render zoom, painted now if missing.
QSGImageNode* EdgeLayer::tileNode(QSGNode* rootNode, int tx, int ty) {
    auto* root = static_cast<TileRoot*>(rootNode);
    const quint64 key = tileKey(tx, ty);
    if (QSGImageNode* node = root->tiles.value(key)) return node;
    const double dpr = window()->effectiveDevicePixelRatio();
    QImage img = paintTile(tx, ty, m_renderZoom * dpr);
    img.setDevicePixelRatio(dpr);
    QSGImageNode* node = window()->createImageNode();
    node->setTexture(window()->createTextureFromImage(img));
    node->setOwnsTexture(true);
    node->setRect(QRectF(tx * kTile, ty * kTile, kTile, kTile));
    // Nearest also while shown scaled (a zoom in progress): smooth scaling of a window of tiles cost
    // the software renderer about 8 ms a frame; the exact repaint follows 150 ms after the zoom settles.
    node->setFiltering(QSGTexture::Nearest);
    root->appendChildNode(node);
    root->tiles.insert(key, node);
    ++m_tilesPainted;
    return node;
}

// Paints the first missing tile of column cx or row cy (within [x0, x1] x [y0, y1]); returns whether
// one was painted (more may be missing: the caller asks for another frame).
bool EdgeLayer::preparedAhead(QSGNode* rootNode, int cx, int cy, int x0, int x1, int y0, int y1) {
    auto* root = static_cast<TileRoot*>(rootNode);
    auto paintMissing = [&](int tx, int ty) {
        if (root->tiles.contains(tileKey(tx, ty))) return false;
        tileNode(root, tx, ty);
        return true;
    };
    for (int ty = y0; ty <= y1; ++ty)
        if (paintMissing(cx, ty)) return true;
    for (int tx = x0; tx <= x1; ++tx)
        if (paintMissing(tx, cy)) return true;
    return false;
}

// One tile: render-space rectangle (tx, ty) * kTile of side kTile, at render zoom rz (device pixels).
QImage EdgeLayer::paintTile(int tx, int ty, double rz) const {
    const double dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    const int side = int(std::ceil(kTile * dpr));
    QImage img(side, side, QImage::Format_RGB32);  // opaque: the renderer can skip what lies below
    img.fill(m_background);
    if (!m_doc) return img;
    QPainter p(&img);
    const QPointF origin(tx * kTile * dpr, ty * kTile * dpr);
    paintGrid(&p, origin, rz);
    paintEdges(&p, origin, rz);
    if (m_nodeBoxes) paintNodeBoxes(&p, origin, rz);
    return img;
}

void EdgeLayer::paintGrid(QPainter* p, QPointF origin, double rz) const {
    if (m_grid <= 0) return;
    double step = m_grid * rz;
    while (step < 12) step *= 5;  // keep lines apart when zoomed out
    const double side = p->device()->width();
    // Lines at whole multiples of the step in render space; 1-pixel fills (no antialiasing) are cheap.
    auto lines = [&](double st, const QColor& c) {
        for (double x = std::ceil(origin.x() / st) * st; x < origin.x() + side; x += st)
            p->fillRect(QRectF(std::floor(x - origin.x()), 0, 1, side), c);
        for (double y = std::ceil(origin.y() / st) * st; y < origin.y() + side; y += st)
            p->fillRect(QRectF(0, std::floor(y - origin.y()), side, 1), c);
    };
    lines(step, named(m_colors, "grid", "#1f2228"));
    lines(step * 5, named(m_colors, "gridMajor", "#252930"));
}

void EdgeLayer::paintEdges(QPainter* p, QPointF origin, double rz) const {
    const double side = p->device()->width();
    const QRectF tile(0, 0, side, side);
    auto toTile = [&](QPointF w) { return w * rz - origin; };
    const double dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    const double zoom = rz / dpr;  // view zoom (labels and widths are in view pixels times dpr)
    const bool labels = zoom >= 0.55;
    QFont font("DejaVu Sans Mono");
    font.setPixelSize(std::max(9, int(10 * std::min(zoom, 1.4) * dpr)));
    p->setFont(font);
    const QFontMetricsF fm(font);
    const double w = std::max(1.0, 2.0 * zoom) * dpr;
    p->setRenderHint(QPainter::Antialiasing);
    const QColor error = named(m_colors, "error", "#e5484d"), labelBorder = named(m_colors, "labelBorder", "#343a46");
    const QColor labelBg = named(m_colors, "label", "#1d2028"), labelText = named(m_colors, "labelText", "#aeb6c6");
    const QColor labelErrorText = named(m_colors, "labelErrorText", "#ff8a8e");
    const QPen normal(named(m_colors, "edge", "#7d8799"), w, Qt::SolidLine, Qt::RoundCap), bad(error, w, Qt::SolidLine, Qt::RoundCap);
    for (auto& e : m_doc->edgeGeometry()) {
        const QPointF a = toTile(e.a), b = toTile(e.b);
        const double bend = std::max(40.0 * rz, std::abs(b.x() - a.x()) * 0.5);
        const QRectF reach = QRectF(a, b).normalized().adjusted(-bend, -4 * dpr, bend, 4 * dpr);
        const bool err = !e.error.isEmpty();
        const bool label = labels && (!e.label.isEmpty() || err);
        if (!reach.intersects(tile) && !(label && reach.adjusted(-150 * dpr, -20 * dpr, 150 * dpr, 20 * dpr).intersects(tile))) continue;
        const QPainterPath path = edgePath(a, b);
        p->setPen(err ? bad : normal);
        p->setBrush(Qt::NoBrush);
        p->drawPath(path);
        if (!label) continue;
        const QString text = err ? QString("⚠ ") + (e.label.isEmpty() ? QString("?") : e.label) : e.label;
        QRectF box(0, 0, fm.horizontalAdvance(text) + 10 * dpr, fm.height() + 4 * dpr);
        if (QLineF(a, b).length() < box.width() + 30 * dpr) continue;  // no room: the port already shows the shape
        box.moveCenter(path.pointAtPercent(0.5));
        if (!box.intersects(tile)) continue;
        p->setPen(QPen(err ? error : labelBorder, dpr));
        p->setBrush(labelBg);
        p->drawRoundedRect(box, 4 * dpr, 4 * dpr);
        p->setPen(err ? labelErrorText : labelText);
        p->drawText(box, Qt::AlignCenter, text);
    }
}

void EdgeLayer::paintNodeBoxes(QPainter* p, QPointF origin, double rz) const {
    const double side = p->device()->width();
    const QRectF tile(0, 0, side, side);
    const double dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    const double fontPx = std::clamp(40.0 * rz / dpr, 5.0, 12.0) * dpr;
    QFont font;
    font.setPixelSize(int(fontPx));
    font.setBold(true);
    p->setFont(font);
    const QFontMetricsF fm(font);
    p->setRenderHint(QPainter::Antialiasing, false);  // axis-aligned boxes: no need
    const QColor selection = named(m_colors, "selection", "#f0b54a"), body = named(m_colors, "nodeBody", "#2b2f38");
    const QColor error = named(m_colors, "error", "#e5484d"), title = named(m_colors, "nodeTitle", "#f2f4f8");
    const bool lighter = m_colors.value("headerLighter").toBool();
    for (auto& r : m_doc->nodes()->rows()) {
        const QRectF box(r.x * rz - origin.x(), r.y * rz - origin.y(), NodeMetrics::width * rz, r.height * rz);
        if (!box.intersects(tile)) continue;
        p->fillRect(box, r.selected ? selection : body);
        p->fillRect(QRectF(box.x(), box.y(), box.width(), NodeMetrics::header * rz),
                    !r.errors.isEmpty() ? error : lighter ? r.color.lighter(155) : r.color.darker(135));  // as Theme.nodeHeader
        if (fontPx >= 6 * dpr) {
            p->setPen(title);
            p->drawText(box.topLeft() + QPointF(3 * dpr, fontPx + dpr), fm.elidedText(r.title, Qt::ElideRight, box.width() - 5 * dpr));
        }
    }
}

EdgeOverlay::EdgeOverlay(QQuickItem* parent) : QQuickPaintedItem(parent) { setAntialiasing(true); }

void EdgeOverlay::paint(QPainter* p) {
    if (!doc) return;
    p->setRenderHint(QPainter::Antialiasing);
    auto toScreen = [&](QPointF w) { return QPointF(w.x() * zoom + panX, w.y() * zoom + panY); };
    const double w = std::max(1.0, 2.0 * zoom);
    if (!hoverKey.isEmpty()) {
        for (auto& e : doc->edgeGeometry()) {
            if (hoverKey != e.toNode + ':' + e.toPort) continue;
            p->setPen(QPen(e.error.isEmpty() ? named(colors, "edgeHover", "#d8dde8") : named(colors, "error", "#e5484d"), w * 1.8, Qt::SolidLine, Qt::RoundCap));
            p->drawPath(edgePath(toScreen(e.a), toScreen(e.b)));
        }
    }
    if (pending) {
        p->setPen(QPen(pendingOk ? named(colors, "pending", "#e8c547") : named(colors, "error", "#e5484d"), w * 1.5, Qt::DashLine, Qt::RoundCap));
        p->drawPath(edgePath(toScreen(pendingFrom), toScreen(pendingTo)));
    }
}

}  // namespace archscope::ui
