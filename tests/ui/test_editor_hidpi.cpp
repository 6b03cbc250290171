// The editor at device pixel ratio 2 (QT_SCALE_FACTOR=2, offscreen): the
// C++-painted canvas parts are painted at the device pixel ratio, not painted
// at 1 and scaled up. Asserted on a grab of the whole window: twice the size;
// a grid line of the edge layer's tiles is one device pixel wide (scaled up it
// would be two, or smeared); a straight edge lies where its ports are, about
// 4 device pixels thick (2 logical) with a solid core; the minimap's node
// boxes have at most one blended pixel at each side (a picture painted at
// DPR 1 and scaled has two). In both themes. Tiles meet without seams at DPR 2
// and 1.5 (a child process), at a zoom other than 1 and pans of both parities.
// Screenshot: $ARCHSCOPE_SCREENSHOT_DIR/editor-dpr2.png.
#include "graph_document.h"
#include "qml_types.h"

#include <QDir>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>
#include "editor_test_util.h"

using namespace archscope::ui;

namespace {

// Before QTEST_MAIN creates the application: every window of this test has device pixel ratio 2
// (or $ARCHSCOPE_TEST_SCALE: the child process of fractionalRatioHasNoSeams runs at 1.5).
const bool kScaled = qputenv("QT_SCALE_FACTOR", qEnvironmentVariableIsSet("ARCHSCOPE_TEST_SCALE") ? qgetenv("ARCHSCOPE_TEST_SCALE") : QByteArray("2"));

using edtest::sample;

using edtest::find;

using edtest::dist;

struct Run {
    int start, length;
    QColor color;
};
// Runs of similar colours (each pixel within `tol` of its run's first pixel) along a row of pixels.
QList<Run> runs(const QList<QColor>& px, int tol) {
    QList<Run> out;
    for (int i = 0; i < px.size(); ++i) {
        if (out.isEmpty() || dist(px[i], out.last().color) > tol) out.append({i, 0, px[i]});
        ++out.last().length;
    }
    return out;
}

}  // namespace

class TestEditorHiDpi : public QObject {
    Q_OBJECT

    void checkWindow(const QString& mode) {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();  // no restore offer
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        // x far below; fc2, residual and y further right and apart: act -> fc2 is a long straight edge.
        doc.moveNodes({"x"}, 0, 300);
        doc.moveNodes({"fc2"}, 400, 0);
        doc.moveNodes({"residual"}, 500, 0);
        doc.moveNodes({"y"}, 600, 0);
        edtest::EditorWindow ed;
        QVERIFY(ed.open(&doc));
        QQuickWindow* win = ed.win;
        QMetaObject::invokeMethod(win, "setTheme", Q_ARG(QVariant, QVariant(mode)));
        win->resize(1100, 700);
        QQuickItem* view = find(win->contentItem(), "graphView");
        QVERIFY(view);
        view->setProperty("autoFit", false);
        view->setProperty("zoom", 1.0);
        view->setProperty("panX", -560.0);  // world x 560 at the view's left: act's output, the edge, fc2
        view->setProperty("panY", 150.0);
        QTest::qWait(400);
        const QImage img = win->grabWindow();
        QCOMPARE(win->effectiveDevicePixelRatio(), 2.0);
        QCOMPARE(img.size(), win->size() * 2);
        const QString shots = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(shots);
        QVERIFY(img.save(shots + "/editor-dpr2" + (mode == "light" ? "-light" : "") + ".png"));
        QObject* theme = win->property("theme").value<QObject*>();
        const QColor canvas = theme->property("canvas").value<QColor>(), edge = theme->property("edge").value<QColor>();
        const QColor grid = theme->property("grid").value<QColor>(), gridMajor = theme->property("gridMajor").value<QColor>();
        auto toDevice = [&](QPointF world) { return view->mapToScene(world + QPointF(-560, 150)) * 2; };

        // A grid row above the nodes (world y -31): lines cross it where x is a multiple of 20 (world),
        // each exactly one device pixel of the grid colour between background pixels.
        {
            const QPointF from = toDevice({570, -31}), to = toDevice({900, -31});
            QList<QColor> px;
            for (int x = int(from.x()); x < int(to.x()); ++x) px << img.pixelColor(x, int(from.y()));
            int lines = 0;
            for (const Run& r : runs(px, 0)) {
                if (r.color != grid && r.color != gridMajor) {
                    QVERIFY2(r.color == canvas, qPrintable(mode + ": canvas " + r.color.name() + " want " + canvas.name()));
                    continue;
                }
                QVERIFY2(r.length == 1, qPrintable(QString("%1: grid line %2 device pixels wide at x %3").arg(mode).arg(r.length).arg(r.start)));
                ++lines;
            }
            QVERIFY2(lines >= 15, qPrintable(QString::number(lines)));  // 330 world px, a line every 20
        }

        // The act -> fc2 edge: a column of device pixels through it, between the nodes and away from the label.
        {
            const QPointF from = doc.portPosition("act", "y", true), to = doc.portPosition("fc2", "x", false);
            QCOMPARE(from.y(), to.y());
            const QPointF c = toDevice({from.x() + 60, from.y()});
            int first = -1, last = -1, solid = 0;
            for (int y = int(c.y()) - 24; y <= int(c.y()) + 24; ++y) {
                const QColor p = img.pixelColor(int(c.x()), y);
                if (p == canvas || p == grid || p == gridMajor || dist(p, canvas) < 24) continue;
                if (first < 0) first = y;
                QVERIFY2(y == last + 1 || last < 0, "the edge is one band");
                last = y;
                if (dist(p, edge) <= 24) ++solid;
            }
            QVERIFY2(first >= 0, qPrintable(mode + ": no edge"));
            const int thick = last - first + 1;
            QVERIFY2(thick >= 3 && thick <= 6, qPrintable(QString("%1: edge %2 device pixels thick").arg(mode).arg(thick)));
            QVERIFY2(solid >= 2, qPrintable(QString("%1: %2 solid edge pixels").arg(mode).arg(solid)));
            QVERIFY2(std::abs((first + last + 1) / 2.0 - c.y()) <= 1.5, qPrintable(QString("%1: edge at %2, port at %3").arg(mode).arg((first + last + 1) / 2.0).arg(c.y())));
        }

        // The minimap: a row from inside act through fc2, residual and y (the visible-area outline hidden):
        // 4 boxes and the gaps, 120 world pixels (about 13 logical) or more.
        {
            QQuickItem* map = find(win->contentItem(), "minimap");
            QQuickItem* outline = find(win->contentItem(), "minimapView");
            QVERIFY(map && outline);
            outline->setVisible(false);
            QTest::qWait(50);
            const QImage m = win->grabWindow();
            QPointF w0, w1;
            QMetaObject::invokeMethod(map, "toWorld", Q_RETURN_ARG(QPointF, w0), Q_ARG(double, 0.0), Q_ARG(double, 0.0));
            QMetaObject::invokeMethod(map, "toWorld", Q_RETURN_ARG(QPointF, w1), Q_ARG(double, 1.0), Q_ARG(double, 1.0));
            const double s = 1.0 / (w1.x() - w0.x());  // minimap pixels per world pixel
            auto toMap = [&](QPointF w) { return map->mapToScene((w - w0) * s) * 2; };
            const QPointF from = toMap({500, 40}), to = toMap({1930, 40});
            QList<QColor> px;
            for (int x = int(from.x()); x < int(to.x()); ++x) px << m.pixelColor(x, int(from.y()));
            const QList<Run> rs = runs(px, 12);
            int boxes = 0, blended = 0;
            for (qsizetype i = 0; i < rs.size(); ++i) {
                if (rs[i].length >= 4) { ++boxes; continue; }
                // Short runs between two flat stretches: the blended pixels of one box side.
                qsizetype j = i;
                int n = 0;
                while (j < rs.size() && rs[j].length < 4) n += rs[j++].length;
                blended = std::max(blended, n);
                i = j - 1;
            }
            QVERIFY2(boxes >= 8, qPrintable(QString("%1: %2 flat stretches").arg(mode).arg(boxes)));
            QVERIFY2(blended <= 1, qPrintable(QString("%1: %2 blended pixels at a minimap box side").arg(mode).arg(blended)));
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(kScaled);
        QCOMPARE(qEnvironmentVariable("QT_SCALE_FACTOR"), qEnvironmentVariable("ARCHSCOPE_TEST_SCALE", "2"));
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ArchscopeTest");
        QCoreApplication::setApplicationName("archscope-hidpi-test");
        QSettings().clear();
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
    }
    void cleanupTestCase() { QSettings().clear(); }

    void darkCanvasIsCrispAtDpr2() { checkWindow("dark"); }
    void lightCanvasIsCrispAtDpr2() { checkWindow("light"); }

    // Empty canvas across tile boundaries, at a zoom other than 1 and pans of both parities: every
    // device pixel is background or grid (tiles placed on whole device pixels: no seams, no gaps).
    void tilesMeetWithoutSeams() {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();  // no restore offer
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        edtest::EditorWindow ed;
        QVERIFY(ed.open(&doc));
        QQuickWindow* win = ed.win;
        QMetaObject::invokeMethod(win, "setTheme", Q_ARG(QVariant, QVariant("light")));
        win->resize(1300, 900);
        QQuickItem* view = find(win->contentItem(), "graphView");
        QVERIFY(view);
        view->setProperty("autoFit", false);
        view->setProperty("zoom", 0.8);
        QObject* theme = win->property("theme").value<QObject*>();
        const QColor canvas = theme->property("canvas").value<QColor>();
        const QColor grid = theme->property("grid").value<QColor>(), gridMajor = theme->property("gridMajor").value<QColor>();
        const double dpr = win->effectiveDevicePixelRatio();
        for (double pan : {5001.0, 5002.0, 5001.4}) {  // far from the nodes: nothing but the grid
            view->setProperty("panX", pan);
            view->setProperty("panY", pan);
            QTest::qWait(300);
            const QImage img = win->grabWindow();
            // The upper left of the view (clear of the minimap), more than a tile (512) each way.
            const QRectF r = view->mapRectToScene(QRectF(0, 0, std::min(view->width(), 560.0), std::min(view->height() - 180, 560.0)));
            QVERIFY2(r.height() > 520 && r.width() > 520, qPrintable(QString("%1 x %2").arg(r.width()).arg(r.height())));
            int bad = 0;
            QString first;
            for (int y = int(std::ceil(r.top() * dpr)) + 1; y < int(r.bottom() * dpr) - 1; ++y)
                for (int x = int(std::ceil(r.left() * dpr)) + 1; x < int(r.right() * dpr) - 1; ++x) {
                    const QColor p = img.pixelColor(x, y);
                    if (p == canvas || p == grid || p == gridMajor) continue;
                    if (!bad++) first = QString("%1 at %2,%3").arg(p.name()).arg(x).arg(y);
                }
            QVERIFY2(bad == 0, qPrintable(QString("DPR %1, pan %2: %3 stray pixels, first %4").arg(dpr).arg(pan).arg(bad).arg(first)));
        }
    }

    // The same at device pixel ratio 1.5 (a child process: the ratio is fixed when the application starts).
    void fractionalRatioHasNoSeams() {
        if (qEnvironmentVariableIsSet("ARCHSCOPE_TEST_SCALE")) return;  // the child itself
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ARCHSCOPE_TEST_SCALE", "1.5");
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {"tilesMeetWithoutSeams"});
        QVERIFY(child.waitForFinished(120000));
        const QString out = QString::fromUtf8(child.readAll());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains("PASS   : TestEditorHiDpi::tilesMeetWithoutSeams()"), qPrintable(out));
    }
};

QTEST_MAIN(TestEditorHiDpi)
#include "test_editor_hidpi.moc"
