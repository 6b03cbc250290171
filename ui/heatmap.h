// Heat maps of attention probabilities, rendered in C++ to a QImage and
// served to QML by HeatmapProvider ("image://heatmap/<key>"), so a 4,096 x
// 4,096 map costs one colour-mapping pass, not 16M QML items.
//
// HeatmapCache holds the maps the views may show (shared, read-only data);
// ProfileModel puts a session's maps in when it loads the session. The
// provider runs on the QML image thread, so the cache is locked.
#pragma once

#include <QColor>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QQuickImageProvider>
#include <memory>
#include <vector>

namespace archscope::ui {

// Viridis-like colour scale: t in [0, 1] -> colour (256-entry table).
QRgb heatColor(double t);

// Colours a rows x cols row-major map into a w x h image. Each pixel takes
// the MAX of the source cells it covers when shrinking (a one-token spike
// stays visible) and the nearest cell when enlarging. Values are scaled by
// 1 / vmax (vmax <= 0: the map's own maximum) and clamped to [0, 1].
QImage renderHeatmap(const float* data, int64_t rows, int64_t cols, int w, int h, float vmax = 0);
// The same into `img`, reusing its pixels when it already is w x h RGB32
// (a fresh 4,096 x 4,096 image is 64 MiB of first-touch page faults).
void renderHeatmapInto(QImage& img, const float* data, int64_t rows, int64_t cols, int w, int h, float vmax = 0);

struct HeatmapData {
    int64_t rows = 0, cols = 0;
    std::vector<float> values;
    float vmax = 0;  // maximum value (the top of the colour scale)
};

class HeatmapCache {
public:
    static HeatmapCache& global();
    void put(const QString& key, std::shared_ptr<const HeatmapData> map);
    std::shared_ptr<const HeatmapData> get(const QString& key) const;
    void clearPrefix(const QString& prefix);
    // Plain pictures served by the same provider (a session's input image).
    void putImage(const QString& key, const QImage& img);
    QImage image(const QString& key) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, std::shared_ptr<const HeatmapData>> m_maps;
    QHash<QString, QImage> m_images;
};

// "image://heatmap/<key>": the cached map at its own size (capped at 4096),
// or at the requested sourceSize (thumbnails). The last few rendered images
// are kept (implicitly shared, keyed by map and size), so showing a map
// again (switching heads back, re-layout) costs nothing.
class HeatmapProvider : public QQuickImageProvider {
public:
    HeatmapProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}
    QImage requestImage(const QString& id, QSize* size, const QSize& requested) override;

private:
    struct Rendered {
        std::shared_ptr<const HeatmapData> map;
        QSize size;
        QImage image;
    };
    QMutex m_mutex;
    std::vector<Rendered> m_recent;  // most recent last, at most kRecent
    static constexpr size_t kRecent = 4;
    QImage render(const std::shared_ptr<const HeatmapData>& map, int w, int h);
};

}  // namespace archscope::ui
