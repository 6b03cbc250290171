// The real editor (Main.qml) in an offscreen window, driven by QTest mouse
// and key events: palette drag creates a node, port drags connect (and bad
// ones are refused with the reason shown), undo, box selection + group /
// ungroup, multi-node drag, drop onto an edge, quick-add, delete. Saves a
// screenshot of the whole window to $ARCHSCOPE_SCREENSHOT_DIR/editor.png.
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtTest>
#include <memory>

using namespace archscope;
using namespace archscope::ui;

class TestEditorQml : public QObject {
    Q_OBJECT
    std::unique_ptr<GraphDocument> m_doc;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_win = nullptr;
    QQuickItem* m_view = nullptr;

    static QQuickItem* find(QQuickItem* root, const QString& name) {
        if (root->objectName() == name) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = find(c, name)) return f;
        return nullptr;
    }
    QPoint toWindow(QPointF world) const {
        double z = m_view->property("zoom").toDouble();
        QPointF local(world.x() * z + m_view->property("panX").toDouble(), world.y() * z + m_view->property("panY").toDouble());
        return m_view->mapToScene(local).toPoint();
    }
    QPoint port(const char* node, const char* port, bool output) const {
        return toWindow(m_doc->portPosition(node, port, output));
    }
    void drag(QPoint a, QPoint b, Qt::KeyboardModifiers mods = {}) {
        QTest::mousePress(m_win, Qt::LeftButton, mods, a);
        for (int i = 1; i <= 12; ++i) QTest::mouseMove(m_win, a + (b - a) * i / 12, 5);
        QTest::mouseRelease(m_win, Qt::LeftButton, mods, b, 5);
        QTest::qWait(20);
    }
    void clickCanvas(QPointF world) {
        QTest::mouseClick(m_win, Qt::LeftButton, {}, toWindow(world));
        QTest::qWait(20);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
    }

    static void clearRecovery() {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
    }

    void init() {
        clearRecovery();  // no restore offer: it would open a modal dialog over the editor
        m_doc = std::make_unique<GraphDocument>();
        QVERIFY(m_doc->load(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"));
        m_engine = std::make_unique<QQmlApplicationEngine>();
        setupEngine(*m_engine);
        m_engine->setInitialProperties({{"document", QVariant::fromValue(m_doc.get())}});
        m_engine->load(QUrl("qrc:/Archscope/App/Main.qml"));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_win = qobject_cast<QQuickWindow*>(m_engine->rootObjects().first());
        QVERIFY(m_win);
        QVERIFY(QTest::qWaitForWindowExposed(m_win));
        m_view = find(m_win->contentItem(), "graphView");
        QVERIFY(m_view);
        // A fixed view so world coordinates map predictably: zoom 1, origin at (40, 200).
        m_view->setProperty("autoFit", false);
        m_view->setProperty("zoom", 1.0);
        m_view->setProperty("panX", 40.0);
        m_view->setProperty("panY", 200.0);
        QTest::qWait(50);
    }

    void cleanup() {
        m_engine.reset();
        m_doc.reset();
        clearRecovery();
    }

    void paletteDragCreatesNode() {
        QQuickItem* entry = find(m_win->contentItem(), "palette_relu");
        QVERIFY(entry);
        QPoint from = entry->mapToScene(QPointF(entry->width() / 2, entry->height() / 2)).toPoint();
        QPoint to = toWindow({400, 300});
        drag(from, to);
        QCOMPARE(int(m_doc->graph().nodes().size()), 7);
        const Node& n = m_doc->graph().nodes().back();
        QCOMPARE(n.op, std::string("relu"));
        QVERIFY2(std::abs(n.x - 300) <= 10 && std::abs(n.y - 280) <= 10, qPrintable(QString("%1,%2").arg(n.x).arg(n.y)));
        QVERIFY(find(m_win->contentItem(), "node_" + QString::fromStdString(n.id)));  // a delegate exists for it
    }

    void portDragConnectsAndBadConnectionIsRefused() {
        QString relu = m_doc->addNode("relu", 440, 240);
        QTest::qWait(30);
        drag(port("act", "y", true), port(relu.toUtf8(), "x", false));
        auto src = m_doc->graph().source({relu.toStdString(), "x"});
        QVERIFY(src.has_value());
        QCOMPARE(src->node + ":" + src->port, std::string("act:y"));
        bool shown = false;
        for (auto& e : m_doc->edges()->rows())
            if (e.toNode == relu) shown = e.shape == "[B, T, 256]";
        QVERIFY(shown);
        // relu -> fc1 would close a cycle (fc1 -> act -> relu): refused, with the reason on screen.
        drag(port(relu.toUtf8(), "y", true), port("fc1", "x", false));
        QCOMPARE(m_doc->graph().source({"fc1", "x"})->node, std::string("x"));
        QQuickItem* toast = find(m_win->contentItem(), "toast");
        QVERIFY(toast);
        QVERIFY2(toast->property("text").toString().contains("cycle"), qPrintable(toast->property("text").toString()));
        QVERIFY(toast->property("shown").toBool());
        // Ctrl+Z on the canvas undoes the connection.
        clickCanvas({300, 400});
        QTest::keyClick(m_win, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!m_doc->graph().source({relu.toStdString(), "x"}).has_value());
        QTest::keyClick(m_win, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(m_doc->graph().source({relu.toStdString(), "x"}).has_value());
    }

    void boxSelectGroupUngroup() {
        drag(toWindow({210, -30}), toWindow({650, 100}));
        QCOMPARE(m_doc->selection(), (QStringList{"fc1", "act"}));
        QTest::keyClick(m_win, Qt::Key_G, Qt::ControlModifier);
        QCOMPARE(int(m_doc->graph().groups.size()), 1);
        QCOMPARE(m_doc->graph().groups[0].nodes, (std::vector<std::string>{"fc1", "act"}));
        QTest::keyClick(m_win, Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(int(m_doc->graph().groups.size()), 0);
        QTest::keyClick(m_win, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(int(m_doc->graph().groups.size()), 1);
    }

    void multiDragIsOneUndoStep() {
        const std::string before = serializeDesign(m_doc->graph());
        drag(toWindow({210, -30}), toWindow({650, 100}));  // select fc1 and act
        int steps = m_doc->undoStack()->count();
        drag(toWindow({300, 10}), toWindow({300, 130}));   // drag fc1 by its header, 120 px down
        QCOMPARE(m_doc->graph().node("fc1")->y, 120.0);
        QCOMPARE(m_doc->graph().node("act")->y, 120.0);
        QCOMPARE(m_doc->graph().node("fc2")->y, 0.0);
        QCOMPARE(m_doc->undoStack()->count(), steps + 1);
        QTest::keyClick(m_win, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(serializeDesign(m_doc->graph()), before);
    }

    void dropNodeOntoEdgeInsertsIt() {
        QString relu = m_doc->addNode("relu", 300, 300);
        QTest::qWait(30);
        // Drag the free node by its header so that its centre (x+100, y+44) lands near the
        // short fc1 -> act edge (x 420..440 at y 53): grab (400, 310), release (430, 9).
        drag(toWindow({400, 310}), toWindow({430, 9}));
        auto src = m_doc->graph().source({"act", "x"});
        QVERIFY(src.has_value());
        QCOMPARE(QString::fromStdString(src->node), relu);
        QCOMPARE(m_doc->graph().source({relu.toStdString(), "x"})->node, std::string("fc1"));
    }

    void quickAddAndDelete() {
        clickCanvas({300, 400});
        QTest::mouseMove(m_win, toWindow({300, 400}));
        QTest::keyClick(m_win, Qt::Key_Tab);
        QTest::qWait(50);
        QQuickItem* field = find(m_win->contentItem(), "quickAddField");
        QVERIFY(field);
        QTRY_VERIFY(field->hasActiveFocus());
        for (char ch : std::string("silu")) QTest::keyClick(m_win, ch);
        QTest::keyClick(m_win, Qt::Key_Return);
        const Node& n = m_doc->graph().nodes().back();
        QCOMPARE(n.op, std::string("silu"));
        QCOMPARE(m_doc->selection(), QStringList{QString::fromStdString(n.id)});
        QTRY_VERIFY(!field->isVisible());  // the popup has closed
        QTest::keyClick(m_win, Qt::Key_Delete);
        QCOMPARE(int(m_doc->graph().nodes().size()), 6);
    }

    void recoveryOfferRestoresUnsavedEdits() {
        m_doc->addNode("silu", 0, 300);  // autosaved to the recovery file
        const std::string edited = serializeDesign(m_doc->graph());
        m_engine.reset();  // the session ends without saving
        m_doc = std::make_unique<GraphDocument>();
        QVERIFY(m_doc->load(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"));
        QVERIFY(serializeDesign(m_doc->graph()) != edited);
        m_engine = std::make_unique<QQmlApplicationEngine>();
        setupEngine(*m_engine);
        m_engine->setInitialProperties({{"document", QVariant::fromValue(m_doc.get())}});
        m_engine->load(QUrl("qrc:/Archscope/App/Main.qml"));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        QObject* dialog = m_engine->rootObjects().first()->findChild<QObject*>("recoveryDialog");
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->property("opened").toBool());
        QVERIFY(QMetaObject::invokeMethod(dialog, "accept"));
        QCOMPARE(serializeDesign(m_doc->graph()), edited);
        QVERIFY(m_doc->dirty());
    }

    void hoveringAnEdgeShowsItsShapeOrError() {
        QQuickItem* edges = find(m_win->contentItem(), "edgeLayer");
        QQuickItem* mouse = find(m_win->contentItem(), "canvasMouse");
        QVERIFY(edges && mouse);
        // A point on the x -> residual:b curve in the open gap between act and fc2 (x = 650): the
        // curve is a cubic from (200, 53) to (880, 75) with handles at x = 540; solve x(t) = 650.
        auto bez = [](double p0, double p1, double p2, double p3, double s) {
            double u = 1 - s;
            return p0 * u * u * u + 3 * p1 * u * u * s + 3 * p2 * u * s * s + p3 * s * s * s;
        };
        double lo = 0, hi = 1;
        for (int i = 0; i < 50; ++i) ((bez(200, 540, 540, 880, (lo + hi) / 2) < 650) ? lo : hi) = (lo + hi) / 2;
        const QPoint onEdge = toWindow({650, bez(53, 53, 75, 75, lo)}), away = toWindow({300, 500});
        QTest::mouseMove(m_win, away - QPoint(5, 5));
        QTest::mouseMove(m_win, onEdge + QPoint(0, 1));
        QTest::mouseMove(m_win, onEdge);
        QTRY_COMPARE(edges->property("hoverKey").toString(), QString("residual:b"));
        QCOMPARE(mouse->property("tip").toString(), QString("[B, T, 64]"));
        QTest::mouseMove(m_win, away);
        QTRY_COMPARE(edges->property("hoverKey").toString(), QString());
        QCOMPARE(m_doc->setAttribute("fc2", "out_features", 32), QString());  // residual:b no longer broadcasts
        QTest::mouseMove(m_win, onEdge);
        QTRY_COMPARE(edges->property("hoverKey").toString(), QString("residual:b"));
        QVERIFY2(mouse->property("tip").toString().contains("cannot broadcast"), qPrintable(mouse->property("tip").toString()));
    }

    void screenshotShowsTheGraph() {
        QMetaObject::invokeMethod(m_view, "fitToView");
        QTest::qWait(100);
        QImage img = m_win->grabWindow();
        QVERIFY(!img.isNull());
        QString dir = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(dir);
        QVERIFY(img.save(dir + "/editor.png"));
        // The body of fc1 (bottom-left inside corner) has the node body colour, not the canvas.
        const Node* fc1 = m_doc->graph().node("fc1");
        QPoint body = toWindow({fc1->x + 8, fc1->y + 80});
        double dpr = img.devicePixelRatio();
        QColor c = img.pixelColor(int(body.x() * dpr), int(body.y() * dpr));
        QVERIFY2(std::abs(c.red() - 0x2b) < 12 && std::abs(c.blue() - 0x38) < 12, qPrintable(c.name()));

        // A shape error: the inspector shows the node, the edge turns red, the status bar counts it.
        QCOMPARE(m_doc->setAttribute("fc2", "out_features", 32), QString());
        m_doc->setSelection({"residual"});
        QTest::qWait(100);
        QImage bad = m_win->grabWindow();
        QVERIFY(bad.save(dir + "/editor-error.png"));
        QQuickItem* badge = find(m_win->contentItem(), "validationBadge");
        QVERIFY(badge);
        QVERIFY(find(m_win->contentItem(), "attr_out_features") == nullptr);  // residual (add) has no such attribute
        m_doc->setSelection({"fc2"});
        QTest::qWait(50);
        QVERIFY(find(m_win->contentItem(), "attr_out_features"));  // the inspector lists fc2's attributes
        QVERIFY(m_win->grabWindow().save(dir + "/editor-inspector.png"));
    }
};

QTEST_MAIN(TestEditorQml)
#include "test_editor_qml.moc"
