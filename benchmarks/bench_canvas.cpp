// Pan/zoom frame rate of the editor canvas with a generated N-node design
// (default 2,000): the real editor window (Main.qml) offscreen with Qt Quick's
// software renderer. Measures the design's load time (parse + analysis +
// models), then drives the canvas frame by frame: each frameSwapped moves the
// view one step (pan, then zoom in/out at the centre) and the interval between
// swaps is one frame. Prints median / p95 frame time and frames per second
// per phase, against the 60 fps and 1 s targets, with the process CPU time
// per frame and the load average (docs/PERFORMANCE.md).
// usage: archscope_bench_canvas [--nodes N] [--frames F] [--trace FILE] [--shots DIR]
// (--trace: one line per frame, "phase frame ms zoom tiles-painted delegate-slots", to find the slow frames;
// --shots: after the phases, the settled window at zoom 1.0, 0.6 and 0.3 as DIR/canvas-zoom-*.png, and
// the generated design as DIR/bench-design.json)
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QEventLoop>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <time.h>

using namespace archscope;

namespace {

// Columns of chains: input -> (linear, relu, layernorm, add-residual)... -> output,
// laid out in a grid like an auto-laid-out model.
Graph makeGraph(int count) {
    Graph g;
    g.metadata["name"] = "bench";
    g.symbols = {{"B", 1, "batch"}, {"T", 16, "sequence"}};
    const int perChain = 50;
    int made = 0;
    for (int c = 0; made < count; ++c) {
        std::string prev = "in" + std::to_string(c);
        g.addNode({prev, "input", {{"shape", std::string("B, T, 32")}}, c * 280.0, 0});
        ++made;
        std::string skip = prev;
        for (int i = 1; i < perChain && made < count; ++i, ++made) {
            std::string id = "n" + std::to_string(c) + "_" + std::to_string(i);
            const char* ops[] = {"linear", "relu", "layernorm", "add"};
            std::string op = ops[i % 4];
            Node n{id, op};
            if (op == "linear") n.attrs["out_features"] = AttrValue(int64_t(32));
            n.x = c * 280.0;
            n.y = i * 140.0;
            g.addNode(n);
            if (op == "add") {
                g.connect({prev, "y"}, {id, "a"});
                g.connect({skip, "y"}, {id, "b"});
                skip = id;
            } else {
                g.connect({prev, "y"}, {id, "x"});
            }
            prev = id;
        }
    }
    return g;
}

struct Phase { const char* name; std::vector<double> ms; double cpuMs = 0; };

// CPU time of this process so far (all threads), in ms: unlike the frame
// interval it does not grow when other processes take the cores.
double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// The machine's 1-minute load average (other processes share the cores), or -1.
double loadAverage() {
    double l = -1;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &l) != 1) l = -1;
        std::fclose(f);
    }
    return l;
}

void report(const Phase& p) {
    std::vector<double> v = p.ms;
    std::sort(v.begin(), v.end());
    double med = v[v.size() / 2], p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
    double sum = 0;
    for (double x : v) sum += x;
    std::printf("%-22s frames %4zu  median %6.2f ms  p95 %6.2f ms  mean fps %6.1f  %s  cpu %5.2f ms/frame  load %.2f\n", p.name,
                v.size(), med, p95, 1000.0 * double(v.size()) / sum, 1000.0 / med >= 60 ? "(>= 60 fps)" : "(below 60 fps)",
                p.cpuMs / double(v.size()), loadAverage());
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND")) qputenv("QT_QUICK_BACKEND", "software");
    int count = 2000, frames = 240;
    FILE* trace = nullptr;
    QString shots;
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--trace")) trace = std::fopen(argv[++i], "w");
        else if (!std::strcmp(argv[i], "--shots")) shots = QString::fromLocal8Bit(argv[++i]);
        else
        if (!std::strcmp(argv[i], "--nodes")) count = std::max(10, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--frames")) frames = std::max(10, std::atoi(argv[++i]));
    }
    QApplication app(argc, argv);
    ui::registerQmlTypes();
    QQuickStyle::setStyle("Fusion");
    QTemporaryDir dir;
    const QString path = dir.filePath("bench.json");
    std::string err;
    if (!saveDesign(makeGraph(count), path.toStdString(), &err)) { std::fprintf(stderr, "%s\n", err.c_str()); return 1; }

    ui::GraphDocument doc;
    QElapsedTimer t;
    t.start();
    if (!doc.load(path)) { std::fprintf(stderr, "%s\n", qPrintable(doc.message())); return 1; }
    const double loadMs = double(t.nsecsElapsed()) / 1e6;
    QQmlApplicationEngine engine;
    ui::setupEngine(engine);
    engine.setInitialProperties({{"document", QVariant::fromValue(&doc)}});
    t.restart();
    engine.load(QUrl("qrc:/Archscope/App/Main.qml"));
    if (engine.rootObjects().isEmpty()) return 1;
    auto* win = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    std::function<QQuickItem*(QQuickItem*, const QString&)> find = [&](QQuickItem* it, const QString& name) -> QQuickItem* {
        if (it->objectName() == name) return it;
        for (QQuickItem* c : it->childItems())
            if (QQuickItem* f = find(c, name)) return f;
        return nullptr;
    };
    QQuickItem* view = find(win->contentItem(), "graphView");
    QQuickItem* edges = find(win->contentItem(), "edgeLayer");
    if (!view) { std::fprintf(stderr, "no graphView in Main.qml\n"); return 1; }
    QEventLoop firstFrame;
    QObject::connect(win, &QQuickWindow::frameSwapped, &firstFrame, &QEventLoop::quit);
    firstFrame.exec();
    const double windowMs = double(t.nsecsElapsed()) / 1e6;
    std::printf("design: %d nodes, %d edges; load %.0f ms (target < 1000), window to first frame %.0f ms\n",
                int(doc.graph().nodes().size()), int(doc.graph().edges().size()), loadMs, windowMs);

    view->setProperty("autoFit", false);
    view->setProperty("zoom", 1.0);
    auto run = [&](Phase& phase, const std::function<void(int)>& step) {
        QEventLoop loop;
        QElapsedTimer clock;
        int i = 0;
        auto conn = QObject::connect(win, &QQuickWindow::frameSwapped, &loop, [&] {
            if (i > 0) phase.ms.push_back(double(clock.nsecsElapsed()) / 1e6);
            if (i > 0 && trace)  // tiles painted so far and delegate slots: what a slow frame did
                std::fprintf(trace, "%s\t%d\t%.2f\t%.3f\t%d\t%d\n", phase.name, i, phase.ms.back(), view->property("zoom").toDouble(),
                             edges ? edges->property("tilesPainted").toInt() : -1, doc.visibleNodes()->rowCount());
            clock.restart();
            if (++i > frames) { loop.quit(); return; }
            step(i);
            win->update();
        });
        step(0);
        win->update();
        const double cpu0 = cpuMs();
        loop.exec();
        phase.cpuMs = cpuMs() - cpu0;
        QObject::disconnect(conn);
        report(phase);
    };
    Phase pan{"pan (zoom 1.0)", {}}, panFar{"pan (zoom 0.35)", {}}, zoom{"zoom 1.0 <-> 0.1", {}};
    run(pan, [&](int i) { view->setProperty("panX", 60.0 - 12.0 * i); view->setProperty("panY", 60.0 - 9.0 * i); });
    view->setProperty("zoom", 0.35);
    run(panFar, [&](int i) { view->setProperty("panX", 60.0 - 12.0 * i); view->setProperty("panY", 60.0 - 9.0 * i); });
    run(zoom, [&](int i) {
        double f = std::pow(0.1, 0.5 - 0.5 * std::cos(2 * M_PI * i / double(frames)));  // 1 -> 0.1 -> 1
        QMetaObject::invokeMethod(view, "zoomAt", Q_ARG(QVariant, f / view->property("zoom").toDouble()),
                                  Q_ARG(QVariant, 800.0), Q_ARG(QVariant, 450.0));
    });
    if (trace) std::fclose(trace);
    if (!shots.isEmpty()) {  // settled pictures (tiles repainted at the exact zoom) at the same centre
        QDir().mkpath(shots);
        QFile::copy(path, shots + "/bench-design.json");
        for (double z : {1.0, 0.6, 0.3}) {
            view->setProperty("zoom", z);
            view->setProperty("panX", view->width() / 2 - 2900.0 * z);
            view->setProperty("panY", view->height() / 2 - 1800.0 * z);
            QElapsedTimer wait;
            wait.start();
            while (wait.elapsed() < 400) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            const QString file = shots + QString("/canvas-zoom-%1.png").arg(z, 0, 'f', 1);
            if (!win->grabWindow().save(file)) { std::fprintf(stderr, "cannot write %s\n", qPrintable(file)); return 1; }
            std::printf("wrote %s\n", qPrintable(file));
        }
        // And one frame of a zoom in progress (1.0 -> 0.85, not settled: the tiles shown scaled).
        view->setProperty("zoom", 1.0);
        QElapsedTimer wait;
        wait.start();
        while (wait.elapsed() < 400) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QMetaObject::invokeMethod(view, "zoomAt", Q_ARG(QVariant, 0.85), Q_ARG(QVariant, 800.0), Q_ARG(QVariant, 450.0));
        if (!win->grabWindow().save(shots + "/canvas-zooming-0.85.png")) return 1;
        std::printf("wrote %s\n", qPrintable(shots + "/canvas-zooming-0.85.png"));
    }
    return 0;
}
