// Dark and light themes (Theme.qml, View > Theme): switching repaints every
// part live, asserted on real pixels of the editor window (the canvas
// background painted by the C++ edge layer, a node's body, the status bar,
// the minimap, the palette panel, the overview's node boxes, a dialog) against the
// theme's own colours; the choice
// is remembered in QSettings (a test-mode location) and restored by the next
// window; "system" follows the platform palette; $ARCHSCOPE_THEME overrides.
// Screenshots: $ARCHSCOPE_SCREENSHOT_DIR/editor-dark.png and editor-light.png.
#include "app_settings.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QDir>
#include <QGuiApplication>
#include <QPalette>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>
#include "editor_test_util.h"
#include <map>
#include <memory>

using namespace archscope::ui;

namespace {

using edtest::sample;

using edtest::find;

using edtest::dist;

// The most frequent colour in `r` (logical window coordinates) of a grab.
QColor dominant(const QImage& img, QRectF r) {
    const double d = img.devicePixelRatio();
    std::map<QRgb, int> count;
    for (int y = int(r.top() * d); y < int(r.bottom() * d); ++y)
        for (int x = int(r.left() * d); x < int(r.right() * d); ++x) ++count[img.pixel(x, y)];
    QRgb best = 0;
    int n = -1;
    for (auto [c, k] : count)
        if (k > n) { best = c; n = k; }
    return QColor(best);
}

QColor at(const QImage& img, QPointF p) { return img.pixelColor(int(p.x() * img.devicePixelRatio()), int(p.y() * img.devicePixelRatio())); }

// One editor window on `doc` (Main.qml), offscreen, the view at zoom 1 with a fixed pan.
struct Editor : edtest::EditorWindow {
    bool open(GraphDocument* doc) {
        if (!EditorWindow::open(doc)) return false;
        win->resize(1280, 800);
        view->setProperty("autoFit", false);
        view->setProperty("zoom", 1.0);
        view->setProperty("panX", 40.0);
        view->setProperty("panY", 120.0);
        QTest::qWait(300);  // the zoom settles: tiles painted at the exact zoom
        return true;
    }
    QObject* theme() const { return win->property("theme").value<QObject*>(); }
    QColor color(const char* name) const { return theme()->property(name).value<QColor>(); }
    QPointF toWindow(QPointF world) const { return view->mapToScene(world * 1.0 + QPointF(40, 120)); }
    QImage grab() {
        QTest::qWait(50);
        return win->grabWindow();
    }
};

}  // namespace

class TestEditorTheme : public QObject {
    Q_OBJECT

    // The pixels that must follow the theme, checked against its colours.
    static void checkPixels(Editor& e, const QImage& img, const QString& what) {
        // Empty canvas below the nodes (grid lines are few: the most frequent colour is the background).
        const QColor canvas = dominant(img, QRectF(e.toWindow({300, 260}), QSizeF(120, 60)));
        QVERIFY2(dist(canvas, e.color("canvas")) <= 6, qPrintable(what + " canvas " + canvas.name() + " want " + e.color("canvas").name()));
        // fc1's body (right of its stats text, above the bottom border), a QML delegate.
        const QColor body = at(img, e.toWindow({220 + 186, 88 - 5}));
        QVERIFY2(dist(body, e.color("nodeBody")) <= 6, qPrintable(what + " node body " + body.name() + " want " + e.color("nodeBody").name()));
        // The status bar (footer) and the palette panel.
        QQuickItem* content = e.win->contentItem();
        const QColor status = dominant(img, QRectF(content->width() * 0.6, e.win->height() - 6, 200, 4));
        QVERIFY2(dist(status, e.color("statusBar")) <= 6, qPrintable(what + " status bar " + status.name()));
    }

private slots:
    void initTestCase() {
        qunsetenv("ARCHSCOPE_THEME");
        edtest::startEditorTests("archscope-theme-test");
    }
    void cleanupTestCase() { QSettings().clear(); }

    void settingsKeepAValidMode() {
        AppSettings s;
        QCOMPARE(s.themeMode(), QString("dark"));  // nothing stored yet
        s.setThemeMode("light");
        QCOMPARE(QSettings().value("theme/mode").toString(), QString("light"));
        s.setThemeMode("purple");  // refused: the stored mode stays
        QCOMPARE(s.themeMode(), QString("light"));
        qputenv("ARCHSCOPE_THEME", "system");
        QCOMPARE(s.themeMode(), QString("system"));
        qunsetenv("ARCHSCOPE_THEME");
        QSettings().remove("theme");
        QCOMPARE(s.themeMode(), QString("dark"));
    }

    void switchingRepaintsLiveAndIsRemembered() {
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        const QString shots = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(shots);
        QImage dark, light;
        {
            Editor e;
            QVERIFY(e.open(&doc));
            QCOMPARE(e.win->property("themeMode").toString(), QString("dark"));
            QVERIFY(e.win->property("darkTheme").toBool());
            dark = e.grab();
            checkPixels(e, dark, "dark");
            QVERIFY(dark.save(shots + "/editor-dark.png"));

            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("light")));
            QVERIFY(!e.win->property("darkTheme").toBool());
            QCOMPARE(e.color("canvas"), QColor("#f6f7f9"));
            light = e.grab();
            checkPixels(e, light, "light");
            QVERIFY(light.save(shots + "/editor-light.png"));
            // Light means light: the canvas, a node and the panels are bright, the text dark.
            QVERIFY(e.color("canvas").lightnessF() > 0.8 && e.color("panel").lightnessF() > 0.8);
            QVERIFY(e.color("text").lightnessF() < 0.3);
            // The minimap panel and the palette (left) changed with it.
            QQuickItem* minimap = find(e.win->contentItem(), "minimap");
            QVERIFY(minimap);
            {
                const QRectF m = minimap->mapRectToScene(QRectF(0, 0, minimap->width(), minimap->height()));
                QVERIFY(dist(dominant(dark, m), dominant(light, m)) > 200);
            }
            const QRectF pal(4, 200, 150, 300);
            QVERIFY2(dist(dominant(dark, pal), dominant(light, pal)) > 300,
                     qPrintable(dominant(dark, pal).name() + " vs " + dominant(light, pal).name()));
            QCOMPARE(QSettings().value("theme/mode").toString(), QString("light"));
            // Dialogs take the palette: the template gallery is light, its text dark; dark again after switching.
            QObject* gallery = e.engine.rootObjects().first()->findChild<QObject*>("templateGallery");
            QVERIFY(gallery);
            QMetaObject::invokeMethod(gallery, "open");
            QTRY_VERIFY(gallery->property("opened").toBool());
            auto* bg = gallery->property("background").value<QQuickItem*>();
            QVERIFY(bg);
            const QRectF g = bg->mapRectToScene(QRectF(0, 0, bg->width(), bg->height())).adjusted(8, 60, -8, -60);
            const QColor lightDialog = dominant(e.grab(), g);
            QVERIFY2(lightDialog.lightnessF() > 0.8, qPrintable("light dialog " + lightDialog.name()));
            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("dark")));
            const QColor darkDialog = dominant(e.grab(), g);
            QVERIFY2(darkDialog.lightnessF() < 0.25, qPrintable("dark dialog " + darkDialog.name()));
            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("light")));
            QVERIFY(e.grab().save(shots + "/editor-light-gallery.png"));
            QMetaObject::invokeMethod(gallery, "close");
            QTRY_VERIFY(!gallery->property("visible").toBool());
            // Zoomed out, the nodes are boxes painted by the edge layer (C++): light bodies, tinted headers.
            e.view->setProperty("zoom", 0.4);
            QTest::qWait(300);
            const QImage boxes = e.grab();
            auto boxAt = [&](QPointF w) { return at(boxes, e.view->mapToScene(w * 0.4 + QPointF(40, 120))); };
            const QColor boxBody = boxAt({220 + 100, 75}), boxHeader = boxAt({220 + 100, 20});
            QVERIFY2(dist(boxBody, e.color("nodeBody")) <= 6, qPrintable("overview body " + boxBody.name()));
            QVERIFY2(boxHeader.lightnessF() > 0.6 && dist(boxHeader, e.color("nodeBody")) > 30, qPrintable("overview header " + boxHeader.name()));
            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("dark")));
            const QImage darkBoxes = e.grab();
            const QColor darkBody = at(darkBoxes, e.view->mapToScene(QPointF(320, 75) * 0.4 + QPointF(40, 120)));
            QVERIFY2(dist(darkBody, e.color("nodeBody")) <= 6, qPrintable("dark overview body " + darkBody.name()));
            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("light")));
        }
        {
            Editor e;  // the next window starts light
            QVERIFY(e.open(&doc));
            QCOMPARE(e.win->property("themeMode").toString(), QString("light"));
            checkPixels(e, e.grab(), "light (restored)");
            // View > Theme > System (the menu's third action): the platform palette's window colour decides.
            QObject* menu = e.engine.rootObjects().first()->findChild<QObject*>("themeMenu");
            QVERIFY(menu);
            QQuickItem* systemItem = nullptr;
            QMetaObject::invokeMethod(menu, "itemAt", Q_RETURN_ARG(QQuickItem*, systemItem), Q_ARG(int, 2));
            QVERIFY(systemItem);
            QObject* system = systemItem->property("action").value<QObject*>();
            QVERIFY(system);
            QCOMPARE(system->property("text").toString(), QString("&System"));
            QVERIFY(!system->property("checked").toBool());
            QMetaObject::invokeMethod(system, "trigger");
            QCOMPARE(e.win->property("themeMode").toString(), QString("system"));
            QVERIFY(system->property("checked").toBool());
            const bool platformDark = QGuiApplication::palette().color(QPalette::Window).lightnessF() < 0.5;
            QCOMPARE(e.win->property("darkTheme").toBool(), platformDark);
            // An unknown mode is ignored.
            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("purple")));
            QCOMPARE(e.win->property("themeMode").toString(), QString("system"));
            QMetaObject::invokeMethod(e.win, "setTheme", Q_ARG(QVariant, QVariant("dark")));
            checkPixels(e, e.grab(), "dark again");
        }
        QCOMPARE(QSettings().value("theme/mode").toString(), QString("dark"));
    }
};

QTEST_MAIN(TestEditorTheme)
#include "test_editor_theme.moc"
