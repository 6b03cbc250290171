// archscope render [FILE] --view VIEW -o OUT.png|OUT.svg [options]
// Loads the design (FILE, or the design snapshot of --session in --db), puts
// the GUI's own QML view of VIEW in an offscreen window with a ProfileModel
// on the store, lets it settle and grabs the frame. The graph (and latency)
// view also writes SVG. Exit 0 ok, 2 bad input, 1 failure.
#include "app_window.h"
#include "graph_document.h"
#include "graph_svg.h"
#include "profile_model.h"
#include "qml_types.h"
#include "render_options.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTextStream>

namespace archscope::ui {

namespace {

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

// Opens the store and the sessions a view needs; "" or what is wrong (exit 2).
QString loadProfile(const RenderArgs& r, ProfileModel* p) {
    if (r.db.isEmpty()) return {};
    if (!QFileInfo::exists(r.db)) return "no profile store at " + r.db + " (create one with `archscope profile FILE --db DB`)";
    if (!p->open(r.db)) return p->error();
    if (r.view == "sweep") return p->sweepSeries().isEmpty() ? "the store " + r.db + " has no sweeps (profile with --sweep NAME=V1,V2,...)" : QString();
    if (!p->loadSession(r.session)) return p->error();
    if (r.view == "compare") {
        int b = r.compare;
        if (b <= 0)  // the newest other session
            for (const QVariant& s : p->sessions())
                if (s.toMap()["id"].toInt() != p->sessionId()) { b = s.toMap()["id"].toInt(); break; }
        if (b <= 0) return "--view compare needs two sessions; the store has one";
        if (!p->loadCompare(b)) return p->error();
        p->setOverlayMode("speedup");
    } else if (!r.mode.isEmpty()) {
        p->setOverlayMode(r.mode);
    }
    const QString sid = QString::number(p->sessionId());
    if (r.view == "attention" && r.layer >= 0) {
        bool found = false;
        for (const QVariant& l : p->attentionLayers())
            if (l.toMap()["layer"].toInt() == r.layer) found = l.toMap()["heads"].toList().size() > r.head;
        if (!found) return QString("session %1 has no attention map for --layer %2 --head %3").arg(sid).arg(r.layer).arg(r.head);
    }
    if (r.view == "attention" && p->attentionLayers().isEmpty())
        return "session " + sid + " has no attention maps (profile a design with attention, with --probe attention)";
    if (r.view == "sparsity" && p->tensors().isEmpty()) return "session " + sid + " has no sparsity data (profile with --probe sparsity)";
    if (r.view == "moe" && p->routers().isEmpty())
        return "session " + sid + " has no MoE router loads (profile a design with a MoE router, with --probe sparsity)";
    return {};
}

// The design: FILE, else the loaded session's snapshot. "" or what is wrong.
QString loadDesign(const RenderArgs& r, const ProfileModel& p, GraphDocument* doc, QTemporaryDir* tmp) {
    QString path = r.file;
    if (path.isEmpty()) {
        if (p.designJson().isEmpty()) return "expected a design FILE (or --db DB with a session)";
        path = tmp->filePath("session-design.json");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(p.designJson().toUtf8()) < 0) return "cannot write " + path;
    }
    if (!doc->load(path)) return doc->message();
    if (!r.node.isEmpty()) {
        if (doc->nodeInfo(r.node).isEmpty()) return "--node: the design has no node \"" + r.node + "\"";
        doc->setSelection({r.node});
    }
    return {};
}

QString viewUrl(const QString& view) {
    static const QMap<QString, QString> files{{"graph", "Graph/GraphView"},         {"latency", "Profiling/LatencyView"},
                                              {"timeline", "Profiling/TimelineView"}, {"attention", "Profiling/AttentionView"},
                                              {"sparsity", "Profiling/SparsityView"}, {"moe", "Profiling/RouterView"},
                                              {"compare", "Profiling/CompareView"},
                                              {"sweep", "Profiling/SweepView"}};
    return "qrc:/Archscope/" + files.value(view) + ".qml";
}

int writeSvg(const RenderArgs& r, const GraphDocument& doc, const ProfileModel& p, QTextStream& out, QTextStream& err) {
    QFile f(r.out);
    const bool overlay = r.view != "graph";
    if (!f.open(QIODevice::WriteOnly) || f.write(graphSvg(doc, overlay ? p.overlay() : QVariantMap{}, overlay ? p.legend() : QVariantMap{}).toUtf8()) < 0) {
        err << "archscope render: cannot write " << r.out << "\n";
        return 1;
    }
    out << r.out << ": SVG " << r.view << " view of " << doc.displayName() << "\n";
    return 0;
}

}  // namespace

int runRender(QGuiApplication&, const QStringList& args) {
    QTextStream err(stderr), out(stdout);
    if (args.contains("--help") || args.contains("-h")) { out << renderUsage(); return 0; }
    RenderArgs r;
    if (QString why = parseRenderArgs(args, &r); !why.isEmpty()) {
        err << "archscope render: " << why << "\n" << renderUsage();
        return 2;
    }
    registerQmlTypes();
    QQuickStyle::setStyle("Fusion");
    // Still pictures are reproducible: the dark theme unless $ARCHSCOPE_THEME asks for another
    // (not the theme last chosen in the editor).
    if (!qEnvironmentVariableIsSet("ARCHSCOPE_THEME")) qputenv("ARCHSCOPE_THEME", "dark");
    ProfileModel profile;
    GraphDocument doc;
    QTemporaryDir tmp;
    QString why = loadProfile(r, &profile);
    if (why.isEmpty() && r.view != "sweep") why = loadDesign(r, profile, &doc, &tmp);
    if (!why.isEmpty()) {
        err << "archscope render: " << why << "\n";
        return 2;
    }
    if (r.format == "svg") return writeSvg(r, doc, profile, out, err);
    QQmlEngine engine;
    setupEngine(engine);
    QQmlComponent comp(&engine, QUrl(viewUrl(r.view)));
    if (!comp.isReady()) {
        err << "archscope render: cannot load the " << r.view << " view: " << comp.errorString() << "\n";
        return 1;
    }
    QQuickWindow window;
    window.setColor(QColor("#1b1e24"));
    window.resize(r.width, r.height);
    QVariantMap props{{"document", QVariant::fromValue(&doc)}};
    if (r.view == "graph") {
        props["showMinimap"] = false;
        props["detailZoom"] = 0.0;  // a still picture keeps every label (the canvas drops them below 75 % for speed)
    }
    else props["profile"] = QVariant::fromValue(&profile);
    if (r.view == "attention") {
        if (r.layer >= 0) props["layerIndex"] = r.layer;
        props["headIndex"] = std::max(r.head, 0);
    }
    QObject* obj = comp.createWithInitialProperties(props);
    auto* view = qobject_cast<QQuickItem*>(obj);
    if (!view) {
        err << "archscope render: cannot create the " << r.view << " view: " << comp.errorString() << "\n";
        return 1;
    }
    view->setParentItem(window.contentItem());
    view->setSize(QSizeF(r.width, r.height));
    window.show();
    if (view->metaObject()->indexOfMethod("fitToView()") >= 0) QMetaObject::invokeMethod(view, "fitToView");
    waitFrames(&window, 3);
    QImage img = window.grabWindow();
    delete view;
    if (img.isNull() || !img.save(r.out)) {
        err << "archscope render: cannot write " << r.out << "\n";
        return 1;
    }
    out << r.out << ": " << img.width() << "x" << img.height() << " " << r.view << " view of "
        << (r.file.isEmpty() ? "session " + QString::number(profile.sessionId()) : QFileInfo(r.file).fileName()) << "\n";
    return 0;
}

}  // namespace archscope::ui
