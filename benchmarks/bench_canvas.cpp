// Pan/zoom frame rate of the editor canvas with a generated N-node design
// (default 2,000): the real editor window (Main.qml) offscreen with Qt Quick's
// software renderer. Measures the design's load time (parse + analysis +
// models), then drives the canvas frame by frame: each frameSwapped moves the
// view one step (pan, then zoom in/out at the centre) and the interval between
// swaps is one frame. Prints median / p95 frame time and frames per second
// per phase, against the 60 fps and 1 s targets, with the process CPU time
// per frame and the load average (docs/PERFORMANCE.md).
// usage: archscope_bench_canvas [--nodes N] [--frames F]
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
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
    for (int i = 1; i + 1 < argc; ++i) {
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
    std::function<QQuickItem*(QQuickItem*)> find = [&](QQuickItem* it) -> QQuickItem* {
        if (it->objectName() == "graphView") return it;
        for (QQuickItem* c : it->childItems())
            if (QQuickItem* f = find(c)) return f;
        return nullptr;
    };
    QQuickItem* view = find(win->contentItem());
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
    return 0;
}
