// C++ items of the graph canvas, registered for QML in qml_types.cpp.
//
// EdgeLayer draws every edge of a GraphDocument (bulk drawing instead of one
// QML object per edge), the background grid and, zoomed far out (nodeBoxes),
// the nodes as plain boxes so that no QML delegates are needed. It is tiled:
// the world is cut into 512-pixel tiles at a "render zoom", each painted once
// into an image and kept; panning only moves one transform node (no
// repainting), and only tiles that scroll into view are painted; a frame that
// paints none of those paints one tile of the margin ahead of the pan. While
// the zoom changes continuously the tiles are shown scaled (render zoom within
// 0.8-1.25 of the zoom, nearest-neighbour sampled: smooth scaling cost 8 ms a
// frame) and repainted at the exact zoom once it settles (150 ms). Tiles are
// repainted when the document's geometry or selection changes. The hovered
// edge and the pending connection (while the user drags from a port) change
// often, so a small child item (EdgeOverlay) draws them on top instead.
// Minimap draws all node rectangles (cached; the visible area is a QML
// rectangle on top, at viewBox; while the view reaches past the design and
// moves, the cached picture is drawn scaled into place).
#pragma once

#include "graph_document.h"

#include <QColor>
#include <QHash>
#include <QImage>
#include <QPointer>
#include <QQuickItem>
#include <QQuickPaintedItem>
#include <QTimer>
#include <QVariantMap>

class QSGImageNode;

namespace archscope::ui {

class EdgeOverlay;

class EdgeLayer : public QQuickItem {
    Q_OBJECT
    Q_PROPERTY(archscope::ui::GraphDocument* document READ document WRITE setDocument NOTIFY changed)
    Q_PROPERTY(double zoom MEMBER m_zoom WRITE setZoom NOTIFY changed)
    Q_PROPERTY(double panX MEMBER m_panX WRITE setPanX NOTIFY changed)
    Q_PROPERTY(double panY MEMBER m_panY WRITE setPanY NOTIFY changed)
    Q_PROPERTY(QString hoverKey READ hoverKey WRITE setHoverKey NOTIFY changed)
    Q_PROPERTY(bool pending READ pending WRITE setPending NOTIFY changed)
    Q_PROPERTY(QPointF pendingFrom READ pendingFrom WRITE setPendingFrom NOTIFY changed)
    Q_PROPERTY(QPointF pendingTo READ pendingTo WRITE setPendingTo NOTIFY changed)
    Q_PROPERTY(bool pendingOk READ pendingOk WRITE setPendingOk NOTIFY changed)
    Q_PROPERTY(double gridStep MEMBER m_grid WRITE setGridStep NOTIFY changed)  // 0: no grid
    Q_PROPERTY(QColor background MEMBER m_background WRITE setBackground NOTIFY changed)
    // The other colours by name (Theme.canvasColors): grid, gridMajor, edge, edgeHover, error, label,
    // labelBorder, labelText, labelErrorText, pending, nodeBody, nodeTitle, selection; headerLighter
    // (bool: overview headers lightened, not darkened). Missing names keep the dark theme's colours.
    Q_PROPERTY(QVariantMap colors MEMBER m_colors WRITE setColors NOTIFY changed)
    // Overview (zoomed far out): nodes drawn here as boxes instead of QML delegates.
    Q_PROPERTY(bool nodeBoxes MEMBER m_nodeBoxes WRITE setNodeBoxes NOTIFY changed)
    // Tiles painted since the layer was created (tests and the benchmark: panning within painted tiles paints none).
    Q_PROPERTY(int tilesPainted READ tilesPainted NOTIFY changed)
public:
    explicit EdgeLayer(QQuickItem* parent = nullptr);
    ~EdgeLayer() override;
    GraphDocument* document() const { return m_doc; }
    void setDocument(GraphDocument* d);
    void setZoom(double v);
    void setPanX(double v);
    void setPanY(double v);
    QString hoverKey() const;
    bool pending() const;
    QPointF pendingFrom() const;
    QPointF pendingTo() const;
    bool pendingOk() const;
    void setHoverKey(const QString& v);
    void setPending(bool v);
    void setPendingFrom(QPointF v);
    void setPendingTo(QPointF v);
    void setPendingOk(bool v);
    void setGridStep(double v) { set(m_grid, v, true); }
    void setBackground(const QColor& v) { set(m_background, v, true); }
    void setColors(const QVariantMap& v);
    void setNodeBoxes(bool v) { set(m_nodeBoxes, v, true); }
    int tilesPainted() const { return m_tilesPainted; }

signals:
    void changed();

protected:
    QSGNode* updatePaintNode(QSGNode* old, UpdatePaintNodeData*) override;
    void geometryChange(const QRectF& now, const QRectF& before) override;

private:
    template <class T> void set(T& field, const T& v, bool repaint = false) {
        if (field == v) return;
        field = v;
        if (repaint) invalidate();
        emit changed();
        update();
    }
    void invalidate();  // every tile is stale: repainted when next shown
    QImage paintTile(int tx, int ty, double rz) const;
    QSGImageNode* tileNode(QSGNode* root, int tx, int ty);
    bool preparedAhead(QSGNode* root, int cx, int cy, int x0, int x1, int y0, int y1);
    // Each paints world * rz - origin (the tile's top-left in render space), clipped to the tile.
    void paintGrid(QPainter* p, QPointF origin, double rz) const;
    void paintEdges(QPainter* p, QPointF origin, double rz) const;
    void paintNodeBoxes(QPainter* p, QPointF origin, double rz) const;

    QPointer<GraphDocument> m_doc;
    EdgeOverlay* m_overlay = nullptr;
    double m_zoom = 1, m_panX = 0, m_panY = 0, m_grid = 0;
    int m_panDx = 1, m_panDy = 1;  // the direction of the last pan step (tiles are pre-painted ahead)
    QColor m_background{"#1b1e24"};
    QVariantMap m_colors;
    bool m_nodeBoxes = false;
    // Tile cache: render-space tiles (world * m_renderZoom), keyed by tile column/row.
    double m_renderZoom = 0;  // 0: choose at the next paint
    bool m_stale = true, m_settled = true;
    QTimer m_settle;
    int m_tilesPainted = 0;
};

// The hovered edge (highlighted) and the pending connection, in view
// coordinates; visible only while there is something to draw.
class EdgeOverlay : public QQuickPaintedItem {
    Q_OBJECT
public:
    explicit EdgeOverlay(QQuickItem* parent = nullptr);
    void paint(QPainter* p) override;
    QPointer<GraphDocument> doc;
    double zoom = 1, panX = 0, panY = 0;
    QString hoverKey;
    bool pending = false, pendingOk = true;
    QPointF pendingFrom, pendingTo;
    QVariantMap colors;  // EdgeLayer::colors
    void refresh() {
        setVisible(pending || !hoverKey.isEmpty());
        update();
    }
};

class Minimap : public QQuickPaintedItem {
    Q_OBJECT
    Q_PROPERTY(archscope::ui::GraphDocument* document READ document WRITE setDocument NOTIFY changed)
    Q_PROPERTY(QRectF viewRect MEMBER m_view WRITE setViewRect NOTIFY changed)
    // viewRect in minimap coordinates: the QML outline drawn on top, so panning repaints nothing here.
    Q_PROPERTY(QRectF viewBox READ viewBox NOTIFY changed)
public:
    explicit Minimap(QQuickItem* parent = nullptr);
    void paint(QPainter* p) override;
    GraphDocument* document() const { return m_doc; }
    void setDocument(GraphDocument* d);
    void setViewRect(const QRectF& r);
    Q_INVOKABLE QPointF toWorld(double x, double y) const;  // minimap point -> world point
    QRectF viewBox() const;

signals:
    void changed();

private:
    QPointer<GraphDocument> m_doc;
    QRectF m_view, m_bounds;
    // The node boxes, drawn once per geometry change and area; panning only redraws the view rectangle.
    // When only the area changes (the view reaches past the design while zooming), the old picture is
    // drawn mapped into the new area and redrawn once the view has settled (m_settle, 150 ms).
    QImage m_cache;
    QRectF m_cacheArea;
    bool m_cacheDirty = true;
    QTimer m_settle;
    QRectF worldArea() const;
    double scale() const;
};

}  // namespace archscope::ui
