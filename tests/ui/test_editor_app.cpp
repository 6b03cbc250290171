// The editor window's app-level behaviour: the canvas editing shortcuts
// (Ctrl+C/V/D/A/X reach the document while the canvas has focus), F frames
// the selection, copy in one window and paste in another (the clipboard),
// recent files (AppSettings and File > Open Recent), a file dropped on the
// window opens it, and the window layout is saved and restored.
#include "app_settings.h"
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QClipboard>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include "editor_test_util.h"
#include <memory>

using namespace archscope;
using namespace archscope::ui;

namespace {

using edtest::sample;

using edtest::find;

using Editor = edtest::EditorWindow;

}  // namespace

class TestEditorApp : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        edtest::startEditorTests("archscope-app-test");
    }
    void cleanupTestCase() { QSettings().clear(); }

    // Dragging a connection over a port that refuses it shows why, before the button is released.
    // First: QTest's Ctrl+key clicks below leave QGuiApplication's modifiers at Ctrl, and the port drag then does not start.
    void refusalShownWhileDragging() {
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        Editor e;
        QVERIFY(e.open(&doc));
        e.view->setProperty("autoFit", false);
        e.view->setProperty("zoom", 1.0);
        e.view->setProperty("panX", 40.0);
        e.view->setProperty("panY", 200.0);
        QTest::qWait(50);
        auto at = [&](QPointF w) { return e.view->mapToScene(QPointF(w.x() + 40, w.y() + 200)).toPoint(); };
        const QPoint from = at(doc.portPosition("act", "y", true)), to = at(doc.portPosition("fc1", "x", false));
        QQuickItem* tip = find(e.win->contentItem(), "linkReason");
        QVERIFY(tip && !tip->isVisible());
        QTest::mousePress(e.win, Qt::LeftButton, {}, from);
        for (int i = 1; i <= 10; ++i) QTest::mouseMove(e.win, from + (to - from) * i / 10, 5);
        QTRY_VERIFY(tip->isVisible());  // act -> fc1 would close a cycle (fc1 -> act)
        QVERIFY2(tip->property("reason").toString().contains("cycle"), qPrintable(tip->property("reason").toString()));
        QTest::mouseMove(e.win, to + QPoint(0, 200), 5);  // off the port: nothing to refuse
        QTRY_VERIFY(!tip->isVisible());
        QTest::mouseMove(e.win, to, 5);
        QTRY_VERIFY(tip->isVisible());
        QTest::mouseRelease(e.win, Qt::LeftButton, {}, to, 5);
        QTRY_VERIFY(!tip->isVisible());
        QCOMPARE(doc.graph().source({"fc1", "x"})->node, std::string("x"));  // refused
    }

    // The Edit menu's canvas shortcuts were bound to a property named "onCanvas",
    // which QML took for a signal handler: they never fired.
    void canvasShortcutsReachTheDocument() {
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        Editor e;
        QVERIFY(e.open(&doc));
        e.view->forceActiveFocus();
        QTest::keyClick(e.win, Qt::Key_A, Qt::ControlModifier);
        QTRY_COMPARE(doc.selection().size(), 6);
        doc.setSelection({"fc1"});
        QTest::keyClick(e.win, Qt::Key_D, Qt::ControlModifier);
        QTRY_VERIFY(doc.graph().node("fc1_1"));
        doc.setSelection({"act"});
        QTest::keyClick(e.win, Qt::Key_C, Qt::ControlModifier);
        QTest::keyClick(e.win, Qt::Key_V, Qt::ControlModifier);
        QTRY_VERIFY(doc.graph().node("act_1"));
        doc.setSelection({"act_1"});
        QTest::keyClick(e.win, Qt::Key_X, Qt::ControlModifier);
        QTRY_VERIFY(!doc.graph().node("act_1"));
        QVERIFY(QGuiApplication::clipboard()->text().contains("\"act_1\""));
        // Not while a text field has the focus: the palette's search keeps its own Ctrl+A.
        QQuickItem* search = find(e.win->contentItem(), "paletteSearch");
        QVERIFY(search);
        search->forceActiveFocus();
        doc.setSelection({});
        QTest::keyClick(e.win, Qt::Key_A, Qt::ControlModifier);
        QTest::qWait(50);
        QCOMPARE(doc.selection().size(), 0);
    }

    void keyFFramesTheSelection() {
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        QCOMPARE(doc.selectionBounds(), QRectF());
        doc.setSelection({"fc1", "act"});
        const QRectF b = doc.selectionBounds();
        QCOMPARE(b.left(), 220.0);
        QCOMPARE(b.right(), 440.0 + doc.nodeWidth());
        Editor e;
        QVERIFY(e.open(&doc));
        e.view->forceActiveFocus();
        QTest::keyClick(e.win, Qt::Key_F);
        // The selection's centre is at the view's centre, zoomed in past the fit of the whole design.
        const double z = e.view->property("zoom").toDouble();
        const double cx = b.center().x() * z + e.view->property("panX").toDouble();
        const double cy = b.center().y() * z + e.view->property("panY").toDouble();
        QVERIFY2(std::abs(cx - e.view->width() / 2) < 1 && std::abs(cy - e.view->height() / 2) < 1, qPrintable(QString("%1,%2").arg(cx).arg(cy)));
        QCOMPARE(z, 1.25);
    }

    // Two windows share the clipboard: nodes copied in one are pasted into the other.
    void copyInOneWindowPasteInAnother() {
        GraphDocument a, b;
        QVERIFY(a.load(sample()));
        b.newDocument();
        Editor ea, eb;
        QVERIFY(ea.open(&a) && eb.open(&b));
        a.setSelection({"fc1", "act"});
        ea.win->requestActivate();
        ea.view->forceActiveFocus();
        QTest::keyClick(ea.win, Qt::Key_C, Qt::ControlModifier);
        QTRY_VERIFY(QGuiApplication::clipboard()->text().contains("\"fc1\""));
        const std::string before = serializeDesign(b.graph());
        eb.win->requestActivate();
        QTRY_VERIFY(QGuiApplication::focusWindow() == eb.win);
        eb.view->forceActiveFocus();
        QTest::keyClick(eb.win, Qt::Key_V, Qt::ControlModifier);
        QTRY_VERIFY(b.graph().node("fc1") && b.graph().node("act"));
        QCOMPARE(b.graph().source({"act", "x"})->node, std::string("fc1"));  // the edge between them came along
        QCOMPARE(b.undoStack()->count(), 1);
        b.undo();
        QVERIFY(serializeDesign(b.graph()) == before);
    }

    void recentFiles() {
        QTemporaryDir dir;
        AppSettings s;
        s.clearRecent();
        QSignalSpy changed(&s, &AppSettings::recentFilesChanged);
        QStringList paths;
        for (int i = 0; i < AppSettings::kMaxRecent + 2; ++i) {
            paths << dir.filePath(QString("d%1.json").arg(i));
            QFile f(paths.last());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{}");
        }
        for (auto& p : paths) s.addRecent(QUrl::fromLocalFile(p).toString());  // URLs from dialogs too
        QCOMPARE(changed.count(), paths.size());
        QCOMPARE(s.recentFiles().size(), AppSettings::kMaxRecent);
        QCOMPARE(s.recentFiles().first(), paths.last());  // newest first
        s.addRecent(paths[5]);  // again: moved to the front, not doubled
        QCOMPARE(s.recentFiles().first(), paths[5]);
        QCOMPARE(s.recentFiles().count(paths[5]), 1);
        QFile::remove(paths[5]);  // gone since: not offered
        QVERIFY(!s.recentFiles().contains(paths[5]));
        s.addRecent(dir.filePath("missing.json"));
        QVERIFY(!s.recentFiles().contains(dir.filePath("missing.json")));
        s.clearRecent();
        QVERIFY(s.recentFiles().isEmpty());

        // The window adds what it opens and saves; File > Open Recent lists it.
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        Editor e;
        QVERIFY(e.open(&doc));
        QCOMPARE(s.recentFiles(), QStringList{QFileInfo(sample()).absoluteFilePath()});
        QVERIFY(doc.saveAs(dir.filePath("saved.json")));
        QTRY_COMPARE(s.recentFiles().first(), dir.filePath("saved.json"));
        QObject* menu = nullptr;
        for (QObject* o : e.win->findChildren<QObject*>())
            if (o->objectName() == "recentMenu") menu = o;
        QVERIFY(menu);
        QTRY_COMPARE(menu->property("count").toInt(), 2 + 2);  // two files, the separator, Clear
        // Opening a recent file (or a dropped one) goes through the unsaved-changes guard.
        QMetaObject::invokeMethod(e.win, "openPath", Q_ARG(QVariant, QVariant(sample())));
        QTRY_COMPARE(doc.filePath(), QFileInfo(sample()).absoluteFilePath());
        doc.addNode("relu", 0, 300);
        QMetaObject::invokeMethod(e.win, "openPath", Q_ARG(QVariant, QVariant(dir.filePath("saved.json"))));
        QObject* unsaved = nullptr;
        for (QObject* o : e.win->findChildren<QObject*>())
            if (o->objectName() == "unsavedDialog") unsaved = o;
        QVERIFY(unsaved);
        QTRY_VERIFY(unsaved->property("visible").toBool());  // asked first, not opened
        QCOMPARE(doc.filePath(), QFileInfo(sample()).absoluteFilePath());
    }

    void droppedFilesAreOpened() {
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        Editor e;
        QVERIFY(e.open(&doc));
        QVariant picked;
        const QList<QUrl> urls{QUrl("file:///tmp/notes.txt"), QUrl::fromLocalFile("/tmp/model.onnx")};
        QMetaObject::invokeMethod(e.win, "droppable", Q_RETURN_ARG(QVariant, picked), Q_ARG(QVariant, QVariant::fromValue(urls)));
        QCOMPARE(picked.toString(), QString("file:///tmp/model.onnx"));
        QMetaObject::invokeMethod(e.win, "droppable", Q_RETURN_ARG(QVariant, picked),
                                  Q_ARG(QVariant, QVariant::fromValue(QList<QUrl>{QUrl("file:///tmp/a.png")})));
        QCOMPARE(picked.toString(), QString());
        QVERIFY(find(e.win->contentItem(), "fileDrop"));
    }

    void windowLayoutIsRemembered() {
        QSettings().remove("window");
        {
            GraphDocument doc;
            Editor e;
            QVERIFY(e.open(&doc));
            e.win->resize(1200, 760);
            QTRY_COMPARE(QSettings().value("window/geometry").toRectF().size(), QSizeF(1200, 760));
            QQuickItem* split = find(e.win->contentItem(), "mainSplit");
            QVERIFY(split);
            QVariant state;
            QVERIFY(QMetaObject::invokeMethod(split, "saveState", Q_RETURN_ARG(QVariant, state)));
            QVERIFY(!state.toByteArray().isEmpty());
            QMetaObject::invokeMethod(e.win, "saveLayout");
            QCOMPARE(QSettings().value("window/split").toByteArray(), state.toByteArray());
        }
        GraphDocument doc;
        Editor e;
        QVERIFY(e.open(&doc));
        QCOMPARE(e.win->width(), 1200);  // restored at the next start
        QCOMPARE(e.win->height(), 760);
    }
};

QTEST_MAIN(TestEditorApp)
#include "test_editor_app.moc"
