// C++ items of the graph canvas, registered for QML in qml_types.cpp.
//
// EdgeLayer draws every edge of a GraphDocument in one item (bulk drawing
// instead of one QML object per edge), in view coordinates: screen = world *
// zoom + pan. It culls edges outside the view, shows shape labels when zoomed
// in enough, draws edges with shape errors in red, and the pending connection
// while the user drags from a port; zoomed far out (nodeBoxes) it also draws the
// nodes as plain boxes, so no QML delegates are needed. Minimap draws all node rectangles and the
// visible area. Both repaint when the document's geometry changes.
#pragma once

#include "graph_document.h"

#include <QImage>
#include <QPointer>
#include <QQuickPaintedItem>

namespace archscope::ui {

class EdgeLayer : public QQuickPaintedItem {
    Q_OBJECT
    Q_PROPERTY(archscope::ui::GraphDocument* document READ document WRITE setDocument NOTIFY changed)
    Q_PROPERTY(double zoom MEMBER m_zoom WRITE setZoom NOTIFY changed)
    Q_PROPERTY(double panX MEMBER m_panX WRITE setPanX NOTIFY changed)
    Q_PROPERTY(double panY MEMBER m_panY WRITE setPanY NOTIFY changed)
    Q_PROPERTY(QString hoverKey MEMBER m_hoverKey WRITE setHoverKey NOTIFY changed)
    Q_PROPERTY(bool pending MEMBER m_pending WRITE setPending NOTIFY changed)
    Q_PROPERTY(QPointF pendingFrom MEMBER m_pendingFrom WRITE setPendingFrom NOTIFY changed)
    Q_PROPERTY(QPointF pendingTo MEMBER m_pendingTo WRITE setPendingTo NOTIFY changed)
    Q_PROPERTY(bool pendingOk MEMBER m_pendingOk WRITE setPendingOk NOTIFY changed)
    Q_PROPERTY(double gridStep MEMBER m_grid WRITE setGridStep NOTIFY changed)  // 0: no grid
    // Overview (zoomed far out): nodes drawn here as boxes instead of QML delegates.
    Q_PROPERTY(bool nodeBoxes MEMBER m_nodeBoxes WRITE setNodeBoxes NOTIFY changed)
public:
    explicit EdgeLayer(QQuickItem* parent = nullptr);
    void paint(QPainter* p) override;
    GraphDocument* document() const { return m_doc; }
    void setDocument(GraphDocument* d);
    void setZoom(double v) { set(m_zoom, v); }
    void setPanX(double v) { set(m_panX, v); }
    void setPanY(double v) { set(m_panY, v); }
    void setHoverKey(const QString& v) { set(m_hoverKey, v); }
    void setPending(bool v) { set(m_pending, v); }
    void setPendingFrom(QPointF v) { set(m_pendingFrom, v); }
    void setPendingTo(QPointF v) { set(m_pendingTo, v); }
    void setPendingOk(bool v) { set(m_pendingOk, v); }
    void setGridStep(double v) { set(m_grid, v); }
    void setNodeBoxes(bool v) { set(m_nodeBoxes, v); }
    int paintedEdges() const { return m_painted; }

signals:
    void changed();

private:
    template <class T> void set(T& field, const T& v) {
        if (field == v) return;
        field = v;
        emit changed();
        update();
    }
    QPointer<GraphDocument> m_doc;
    double m_zoom = 1, m_panX = 0, m_panY = 0, m_grid = 0;
    void paintGrid(QPainter* p);
    void paintNodeBoxes(QPainter* p);
    bool m_nodeBoxes = false;
    QString m_hoverKey;
    bool m_pending = false, m_pendingOk = true;
    QPointF m_pendingFrom, m_pendingTo;
    int m_painted = 0;
};

class Minimap : public QQuickPaintedItem {
    Q_OBJECT
    Q_PROPERTY(archscope::ui::GraphDocument* document READ document WRITE setDocument NOTIFY changed)
    Q_PROPERTY(QRectF viewRect MEMBER m_view WRITE setViewRect NOTIFY changed)
public:
    explicit Minimap(QQuickItem* parent = nullptr);
    void paint(QPainter* p) override;
    GraphDocument* document() const { return m_doc; }
    void setDocument(GraphDocument* d);
    void setViewRect(const QRectF& r);
    Q_INVOKABLE QPointF toWorld(double x, double y) const;  // minimap point -> world point

signals:
    void changed();

private:
    QPointer<GraphDocument> m_doc;
    QRectF m_view;
    // The node boxes, drawn once per geometry change and area; panning only redraws the view rectangle.
    QImage m_cache;
    QRectF m_cacheArea;
    bool m_cacheDirty = true;
    QRectF worldArea() const;
    double scale() const;
};

}  // namespace archscope::ui
