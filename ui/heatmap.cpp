#include "heatmap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <thread>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace archscope::ui {

namespace {

// Viridis at ten stops, interpolated linearly into a 256-entry table.
const std::array<QRgb, 256>& lut() {
    static const std::array<QRgb, 256> table = [] {
        const QColor stops[] = {QColor("#440154"), QColor("#482878"), QColor("#3e4989"), QColor("#31688e"),
                                QColor("#26828e"), QColor("#1f9e89"), QColor("#35b779"), QColor("#6ece58"),
                                QColor("#b5de2b"), QColor("#fde725")};
        std::array<QRgb, 256> t{};
        for (int i = 0; i < 256; ++i) {
            double p = i / 255.0 * 9;
            int a = std::min(int(p), 8);
            double f = p - a;
            const QColor &c0 = stops[a], &c1 = stops[a + 1];
            t[size_t(i)] = qRgb(int(c0.red() + (c1.red() - c0.red()) * f + 0.5), int(c0.green() + (c1.green() - c0.green()) * f + 0.5),
                                int(c0.blue() + (c1.blue() - c0.blue()) * f + 0.5));
        }
        return t;
    }();
    return table;
}

// Rows [y0, y1) of the output image.
void renderRows(const float* d, int64_t rows, int64_t cols, QImage& img, int y0, int y1, float scale,
                const std::vector<int64_t>& cx) {
    const auto& t = lut();
    const int w = img.width(), h = img.height();
    if (w == cols && h == rows) {  // one cell per pixel: a straight colour lookup
        for (int y = y0; y < y1; ++y) {
            const float* src = d + int64_t(y) * cols;
            auto* out = reinterpret_cast<QRgb*>(img.scanLine(y));
            for (int x = 0; x < w; ++x) {
                const float v = src[x] * scale;
                out[x] = t[size_t(v >= 255.f ? 255 : v > 0.f ? int(v) : 0)];
            }
        }
        return;
    }
    std::vector<float> acc(static_cast<size_t>(cols));
    for (int y = y0; y < y1; ++y) {
        const int64_t r0 = int64_t(y) * rows / h, r1 = std::max(r0 + 1, int64_t(y + 1) * rows / h);
        const float* src = d + r0 * cols;
        if (r1 - r0 > 1) {  // max over the source rows of this pixel row
            std::copy(src, src + cols, acc.begin());
            for (int64_t r = r0 + 1; r < r1; ++r) {
                const float* s = d + r * cols;
                for (int64_t c = 0; c < cols; ++c) acc[size_t(c)] = std::max(acc[size_t(c)], s[c]);
            }
            src = acc.data();
        }
        auto* out = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < w; ++x) {
            float v = src[cx[size_t(x)]];
            for (int64_t c = cx[size_t(x)] + 1; c < cx[size_t(x) + 1]; ++c) v = std::max(v, src[c]);
            int i = int(v * scale);
            out[x] = t[size_t(std::clamp(i, 0, 255))];
        }
    }
}

// A w x h RGB32 image. Large ones (>= 4 MiB) get 2 MiB-aligned memory marked
// for transparent huge pages: a fresh 4,096² image is 64 MiB, and touching
// it page by page (16,384 faults of 4 KiB) cost more than colouring it
// (docs/PERFORMANCE.md); with huge pages it is 32 faults.
QImage newImage(int w, int h) {
    const size_t bytes = size_t(w) * size_t(h) * 4, huge = size_t(2) << 20;
    if (bytes < (size_t(4) << 20)) return QImage(w, h, QImage::Format_RGB32);
    void* p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
    if (!p) return QImage(w, h, QImage::Format_RGB32);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, (bytes + huge - 1) / huge * huge, MADV_HUGEPAGE);
#endif
    return QImage(static_cast<uchar*>(p), w, h, w * 4, QImage::Format_RGB32, [](void* q) { std::free(q); }, p);
}

}  // namespace

QRgb heatColor(double t) { return lut()[size_t(std::clamp(int(t * 255 + 0.5), 0, 255))]; }

QImage renderHeatmap(const float* data, int64_t rows, int64_t cols, int w, int h, float vmax) {
    QImage img;
    renderHeatmapInto(img, data, rows, cols, w, h, vmax);
    return img;
}

void renderHeatmapInto(QImage& img, const float* data, int64_t rows, int64_t cols, int w, int h, float vmax) {
    if (!data || rows <= 0 || cols <= 0 || w <= 0 || h <= 0) { img = QImage(); return; }
    if (vmax <= 0) vmax = *std::max_element(data, data + rows * cols);
    if (img.size() != QSize(w, h) || img.format() != QImage::Format_RGB32 || !img.isDetached()) img = newImage(w, h);
    const float scale = vmax > 0 ? 255.999f / vmax : 0.f;
    // Pixel column x covers source columns [cx[x], max(cx[x] + 1, cx[x + 1])).
    std::vector<int64_t> cx(size_t(w) + 1);
    for (int x = 0; x <= w; ++x) cx[size_t(x)] = std::min<int64_t>(int64_t(x) * cols / w, cols);
    const int threads = std::clamp(int(std::thread::hardware_concurrency()), 1, 8);
    if (threads == 1 || int64_t(w) * h < 65536) {
        renderRows(data, rows, cols, img, 0, h, scale, cx);
        return;
    }
    std::vector<std::thread> pool;
    for (int k = 0; k < threads; ++k)
        pool.emplace_back([&, k] { renderRows(data, rows, cols, img, h * k / threads, h * (k + 1) / threads, scale, cx); });
    for (auto& th : pool) th.join();
}

HeatmapCache& HeatmapCache::global() {
    static HeatmapCache cache;
    return cache;
}

void HeatmapCache::put(const QString& key, std::shared_ptr<const HeatmapData> map) {
    QMutexLocker lock(&m_mutex);
    m_maps.insert(key, std::move(map));
}

std::shared_ptr<const HeatmapData> HeatmapCache::get(const QString& key) const {
    QMutexLocker lock(&m_mutex);
    return m_maps.value(key);
}

void HeatmapCache::clearPrefix(const QString& prefix) {
    QMutexLocker lock(&m_mutex);
    for (auto it = m_maps.begin(); it != m_maps.end();)
        it = it.key().startsWith(prefix) ? m_maps.erase(it) : std::next(it);
    for (auto it = m_images.begin(); it != m_images.end();)
        it = it.key().startsWith(prefix) ? m_images.erase(it) : std::next(it);
}

void HeatmapCache::putImage(const QString& key, const QImage& img) {
    QMutexLocker lock(&m_mutex);
    m_images.insert(key, img);
}

QImage HeatmapCache::image(const QString& key) const {
    QMutexLocker lock(&m_mutex);
    return m_images.value(key);
}

QImage HeatmapProvider::render(const std::shared_ptr<const HeatmapData>& map, int w, int h) {
    QMutexLocker lock(&m_mutex);
    for (size_t i = 0; i < m_recent.size(); ++i)
        if (m_recent[i].map == map && m_recent[i].size == QSize(w, h)) {
            Rendered r = m_recent[i];
            m_recent.erase(m_recent.begin() + long(i));
            m_recent.push_back(r);
            return r.image;
        }
    lock.unlock();
    QImage img = renderHeatmap(map->values.data(), map->rows, map->cols, w, h, map->vmax);
    lock.relock();
    if (m_recent.size() >= kRecent) m_recent.erase(m_recent.begin());
    m_recent.push_back({map, QSize(w, h), img});
    return img;
}

QImage HeatmapProvider::requestImage(const QString& id, QSize* size, const QSize& requested) {
    auto map = HeatmapCache::global().get(id.section('?', 0, 0));
    QImage img = map ? QImage() : HeatmapCache::global().image(id);
    if (!img.isNull() && requested.isValid() && !requested.isEmpty()) img = img.scaled(requested);
    if (map && id.contains("?row=")) {
        // One query row laid out on the g x g patch grid (a leading CLS column is skipped).
        const int64_t row = id.section("?row=", 1).toLongLong();
        const int64_t g = int64_t(std::lround(std::sqrt(double(map->cols))));
        const int64_t skip = map->cols - g * g;
        if (row >= 0 && row < map->rows && (skip == 0 || skip == 1) && g > 1)
            img = renderHeatmap(map->values.data() + row * map->cols + skip, g, g, int(g), int(g), 0);
    } else if (map) {
        int w = int(std::min<int64_t>(map->cols, 4096)), h = int(std::min<int64_t>(map->rows, 4096));
        if (requested.width() > 0) w = requested.width();
        if (requested.height() > 0) h = requested.height();
        img = render(map, w, h);
    }
    if (img.isNull()) {
        img = QImage(1, 1, QImage::Format_RGB32);
        img.fill(Qt::black);
    }
    if (size) *size = img.size();
    return img;
}

}  // namespace archscope::ui
