// Heat-map rendering of a 4,096 x 4,096 attention map (ui/heatmap.cpp, the
// code behind the attention view's image provider). Prints the median of
// --repeats runs for the full-resolution image, the view-sized image and a
// thumbnail, and whether the full render is under the 100 ms target.
// usage: archscope_bench_heatmap [--tokens N] [--repeats R]
#include "heatmap.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

// A causal attention-like map: each row decays away from the diagonal, plus
// a few "sink" columns, normalised to sum 1.
std::vector<float> makeMap(int n) {
    std::vector<float> m(size_t(n) * n, 0.f);
    for (int q = 0; q < n; ++q) {
        float* row = m.data() + size_t(q) * n;
        double sum = 0;
        for (int k = 0; k <= q; ++k) {
            row[k] = float(std::exp(-0.05 * (q - k)) + (k < 4 ? 0.5 : 0.0));
            sum += row[k];
        }
        for (int k = 0; k <= q; ++k) row[k] = float(row[k] / sum);
    }
    return m;
}

double medianMs(int repeats, const std::function<void()>& f) {
    std::vector<double> t;
    for (int i = 0; i < repeats; ++i) {
        auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int n = 4096, repeats = 11;
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--tokens")) n = std::max(16, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--repeats")) repeats = std::max(1, std::atoi(argv[++i]));
    }
    const std::vector<float> map = makeMap(n);
    const float vmax = *std::max_element(map.begin(), map.end());
    using archscope::ui::renderHeatmap;
    QImage img;
    double full = medianMs(repeats, [&] { img = renderHeatmap(map.data(), n, n, n, n, vmax); });
    QImage reused;
    double fullReused = medianMs(repeats, [&] { archscope::ui::renderHeatmapInto(reused, map.data(), n, n, n, n, vmax); });
    double view = medianMs(repeats, [&] { img = renderHeatmap(map.data(), n, n, 1024, 1024, vmax); });
    double thumb = medianMs(repeats, [&] { img = renderHeatmap(map.data(), n, n, 48, 48, vmax); });
    // Through the QML image provider: first request renders, later ones reuse the kept image.
    auto data = std::make_shared<archscope::ui::HeatmapData>();
    data->rows = data->cols = n;
    data->values = map;
    data->vmax = vmax;
    archscope::ui::HeatmapCache::global().put("bench/map", data);
    archscope::ui::HeatmapProvider provider;
    QSize got;
    double providerFirst = medianMs(1, [&] { img = provider.requestImage("bench/map", &got, QSize()); });
    double providerAgain = medianMs(repeats, [&] { img = provider.requestImage("bench/map", &got, QSize()); });
    double scan = medianMs(repeats, [&] { volatile float m = *std::max_element(map.begin(), map.end()); (void)m; });
    std::printf("heat map %dx%d, median of %d runs\n", n, n, repeats);
    std::printf("  full resolution (%dx%d image): %8.2f ms\n", n, n, full);
    std::printf("  full resolution, image reused:  %8.2f ms\n", fullReused);
    std::printf("  view size (1024x1024 image):    %8.2f ms\n", view);
    std::printf("  thumbnail (48x48 image):        %8.2f ms\n", thumb);
    std::printf("  image provider, first request:  %8.2f ms\n", providerFirst);
    std::printf("  image provider, shown again:    %8.2f ms\n", providerAgain);
    std::printf("  max scan of the map (vmax):     %8.2f ms\n", scan);
    std::printf("target: full resolution under 100 ms: %s (fresh image), %s (reused image)\n", full < 100 ? "met" : "NOT met",
                fullReused < 100 ? "met" : "NOT met");
    return 0;
}
