// archscope render FILE --view graph -o OUT.png [--width W] [--height H]
// Loads the design, shows the GUI's GraphView QML in an offscreen window,
// fits the graph to the view and grabs the frame. Exit 0 ok, 2 bad input, 1 failure.
#include "app_window.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTextStream>

namespace archscope::ui {

namespace {

const char* kUsage =
    "usage: archscope render FILE --view graph -o OUT.png [--width W] [--height H]\n\n"
    "Draws the design's graph view (the editor's canvas, fitted to the picture) to a PNG\n"
    "without a display. Default size 1600x900.\n";

struct RenderArgs {
    QString file, view, out;
    int width = 1600, height = 900;
};

// Returns "" or what is wrong with the arguments.
QString parseArgs(const QStringList& a, RenderArgs* r) {
    for (int i = 0; i < a.size(); ++i) {
        const QString& k = a[i];
        auto value = [&](QString* v) {
            if (i + 1 >= a.size()) return false;
            *v = a[++i];
            return true;
        };
        QString v;
        if (k == "--view" || k == "-o" || k == "--width" || k == "--height") {
            if (!value(&v)) return k + " needs a value";
            bool ok = true;
            if (k == "--view") r->view = v;
            else if (k == "-o") r->out = v;
            else if (k == "--width") r->width = v.toInt(&ok);
            else r->height = v.toInt(&ok);
            if (!ok || r->width < 64 || r->height < 64 || r->width > 8192 || r->height > 8192)
                return "--width and --height take whole numbers from 64 to 8192";
        } else if (k.startsWith('-')) {
            return "unknown option " + k;
        } else if (r->file.isEmpty()) {
            r->file = k;
        } else {
            return "expected one FILE, got also \"" + k + "\"";
        }
    }
    if (r->file.isEmpty()) return "expected a design FILE";
    if (r->view.isEmpty()) r->view = "graph";
    if (r->view != "graph") return "unknown view \"" + r->view + "\" (available: graph)";
    if (r->out.isEmpty()) return "-o OUT.png is required";
    if (!r->out.endsWith(".png", Qt::CaseInsensitive))
        return "only PNG output is supported (" + r->out + "); SVG needs Qt SVG, which this build does not use";
    return {};
}

// Waits until the window has rendered at least `frames` frames (or 5 s).
void waitFrames(QQuickWindow* w, int frames) {
    int n = 0;
    auto c = QObject::connect(w, &QQuickWindow::frameSwapped, w, [&] { ++n; });
    QElapsedTimer t;
    t.start();
    while (n < frames && t.elapsed() < 5000) {
        w->update();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    QObject::disconnect(c);
}

}  // namespace

int runRender(QGuiApplication&, const QStringList& args) {
    QTextStream err(stderr), out(stdout);
    if (args.contains("--help") || args.contains("-h")) { out << kUsage; return 0; }
    RenderArgs r;
    if (QString why = parseArgs(args, &r); !why.isEmpty()) {
        err << "archscope render: " << why << "\n" << kUsage;
        return 2;
    }
    registerQmlTypes();
    QQuickStyle::setStyle("Fusion");
    GraphDocument doc;
    if (!doc.load(r.file)) {
        err << "archscope render: " << doc.message() << "\n";
        return 2;
    }
    QQmlEngine engine;
    setupEngine(engine);
    QQmlComponent comp(&engine, QUrl("qrc:/Archscope/Graph/GraphView.qml"));
    if (!comp.isReady()) {
        err << "archscope render: cannot load the graph view: " << comp.errorString() << "\n";
        return 1;
    }
    QQuickWindow window;
    window.setColor(QColor("#1b1e24"));
    window.resize(r.width, r.height);
    QObject* obj = comp.createWithInitialProperties({{"document", QVariant::fromValue(&doc)}, {"showMinimap", false}});
    auto* view = qobject_cast<QQuickItem*>(obj);
    if (!view) {
        err << "archscope render: cannot create the graph view: " << comp.errorString() << "\n";
        return 1;
    }
    view->setParentItem(window.contentItem());
    view->setSize(QSizeF(r.width, r.height));
    window.show();
    QMetaObject::invokeMethod(view, "fitToView");
    waitFrames(&window, 3);
    QImage img = window.grabWindow();
    delete view;
    if (img.isNull() || !img.save(r.out)) {
        err << "archscope render: cannot write " << r.out << "\n";
        return 1;
    }
    out << r.out << ": " << img.width() << "x" << img.height() << " graph view of " << QFileInfo(r.file).fileName() << "\n";
    return 0;
}

}  // namespace archscope::ui
