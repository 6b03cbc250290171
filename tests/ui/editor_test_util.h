// Shared by the editor window tests: the sample design, finding a QML item by
// objectName, colour distance, and one offscreen editor window (Main.qml) on a
// GraphDocument.
#pragma once

#include "graph_document.h"
#include "qml_types.h"

#include <QColor>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>
#include <cstdlib>

namespace edtest {

inline QString sample() { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"; }

// The visual descendant of `root` named `name` (Repeater delegates have no QObject parent to search).
inline QQuickItem* find(QQuickItem* root, const QString& name) {
    if (root->objectName() == name) return root;
    for (QQuickItem* c : root->childItems())
        if (QQuickItem* f = find(c, name)) return f;
    return nullptr;
}

// initTestCase of a test that opens editor windows: its own settings (cleared) and an
// empty recovery folder, so that no earlier run's autosave opens a restore dialog.
inline void startEditorTests(const char* appName) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("ArchscopeTest");
    QCoreApplication::setApplicationName(appName);
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
    archscope::ui::registerQmlTypes();
    QQuickStyle::setStyle("Fusion");
}

inline int dist(QColor a, QColor b) {
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

// One editor window on `doc` (Main.qml), shown offscreen; `view` is its canvas ("graphView").
struct EditorWindow {
    QQmlApplicationEngine engine;
    QQuickWindow* win = nullptr;
    QQuickItem* view = nullptr;
    bool open(archscope::ui::GraphDocument* doc) {
        archscope::ui::setupEngine(engine);
        engine.setInitialProperties({{"document", QVariant::fromValue(doc)}});
        engine.load(QUrl("qrc:/Archscope/App/Main.qml"));
        if (engine.rootObjects().size() != 1) return false;
        win = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        if (!win || !QTest::qWaitForWindowExposed(win)) return false;
        view = find(win->contentItem(), "graphView");
        return view != nullptr;
    }
};

}  // namespace edtest
