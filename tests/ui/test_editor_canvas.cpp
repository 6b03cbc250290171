// The canvas at scale and groups opened in place: recycled node delegates
// (VisibleNodesModel slots), the tiled edge layer (panning paints no tiles),
// fit-to-view bounds that ignore hidden members of collapsed groups, edges to
// a collapsed group's ports (connected to the members behind them, one undo
// step), and a group opened in place with the breadcrumb back up (document
// and the real window; screenshot $ARCHSCOPE_SCREENSHOT_DIR/editor-breadcrumb.png), and
// the delegates' level of detail (editor-lod.png), kept hidden in the overview.
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtTest>
#include "editor_test_util.h"
#include <memory>

using namespace archscope;
using namespace archscope::ui;

class TestEditorCanvas : public QObject {
    Q_OBJECT

    static QString sample() { return edtest::sample(); }
    static std::string text(const GraphDocument& d) { return serializeDesign(d.graph()); }
    static QQuickItem* find(QQuickItem* root, const QString& name) { return edtest::find(root, name); }
    // fc1, act, fc2 of the sample grouped (and collapsed when asked); returns the group id.
    static QString groupMiddle(GraphDocument& d, bool collapse) {
        d.setSelection({"fc1", "act", "fc2"});
        QString id = d.groupSelection("middle");
        if (collapse && !d.collapseGroup(id)) return {};
        return id;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
    }

    void visibleSlotsAreRecycled() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        QAbstractItemModelTester tester(d.visibleNodes(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        VisibleNodesModel* v = d.visibleNodes();
        v->setViewport(QRectF(0, 0, 300, 200));  // x, fc1
        QCOMPARE(v->visibleCount(), 2);
        const int slotCount = v->rowCount();
        QSignalSpy inserted(v, &QAbstractItemModel::rowsInserted);
        v->setViewport(QRectF(450, 0, 300, 200));  // act, fc2: they take the freed slots
        QCOMPARE(v->visibleCount(), 2);
        QCOMPARE(v->rowCount(), slotCount);
        QCOMPARE(inserted.count(), 0);
        QStringList ids;
        for (int i = 0; i < v->rowCount(); ++i) ids << v->index(i).data(NodeListModel::IdRole).toString();
        QVERIFY2(ids.contains("act") && ids.contains("fc2") && !ids.contains("x"), qPrintable(ids.join(',')));
        // A node moved into view takes a slot; a free slot reads as empty (its delegate hides).
        v->setViewport(QRectF(2000, 2000, 10, 10));
        QCOMPARE(v->visibleCount(), 0);
        QCOMPARE(v->index(0).data(NodeListModel::IdRole).toString(), QString());
        d.moveNodes({"y"}, 900, 2000, 0);
        QCOMPARE(v->visibleCount(), 1);
    }

    void boundsIgnoreHiddenMembersOfCollapsedGroups() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        d.moveNodes({"act"}, 0, 3000, 0);  // far below the rest
        QVERIFY(d.bounds().height() > 3000);
        const QString g = groupMiddle(d, true);
        QVERIFY(!g.isEmpty());
        const QRectF b = d.bounds();
        QVERIFY2(b.height() < 400, qPrintable(QString::number(b.height())));  // act is hidden in the group's node
        QCOMPARE(b.left(), 0.0);
        QCOMPARE(b.right(), 1100.0 + d.nodeWidth());
        QVERIFY(d.expandGroup(g));
        QVERIFY(d.bounds().height() > 3000);  // shown again: counted again
    }

    void edgesToCollapsedGroupPortsConnectTheMembers() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        const QString g = groupMiddle(d, true);
        QVERIFY(!g.isEmpty());
        const int row = d.nodes()->rowOf("group:" + g);
        QVERIFY(row >= 0);
        QCOMPARE(d.nodes()->rows()[size_t(row)].inputs, QStringList{"fc1.x"});
        QCOMPARE(d.nodes()->rows()[size_t(row)].outputs, QStringList{"fc2.y"});
        // The group's ports are found where they are drawn.
        const QPointF in = d.portPosition("group:" + g, "fc1.x", false);
        QCOMPARE(d.portAt(in.x(), in.y())["node"].toString(), "group:" + g);
        QCOMPARE(d.portAt(in.x(), in.y())["port"].toString(), QString("fc1.x"));
        // Output port -> y:x (was residual:y): the member fc2 feeds y, one undo step.
        const std::string before = text(d);
        QCOMPARE(d.canConnect("group:" + g, "fc2.y", "y", "x"), QString());
        QCOMPARE(d.connectPorts("group:" + g, "fc2.y", "y", "x"), QString());
        QCOMPARE(d.graph().source({"y", "x"})->node, std::string("fc2"));
        d.undo();
        QVERIFY(text(d) == before);
        d.redo();
        QCOMPARE(d.graph().source({"y", "x"})->node, std::string("fc2"));
        d.undo();
        // A new source into the group's input: fc1 (behind it) is fed by the new node.
        const QString n = d.addNode("relu", 100, 400);
        QCOMPARE(d.connectPorts("x", "y", n, "x"), QString());
        QCOMPARE(d.connectPorts(n, "y", "group:" + g, "fc1.x"), QString());
        QCOMPARE(d.graph().source({"fc1", "x"})->node, n.toStdString());
        d.undo();
        QCOMPARE(d.graph().source({"fc1", "x"})->node, std::string("x"));
        // Refused: no such port, or a cycle through the members.
        QVERIFY(d.connectPorts("group:" + g, "nope", "y", "x").contains("no output"));
        QVERIFY(d.canConnect("group:" + g, "fc2.y", "group:" + g, "fc1.x").contains("cycle"));
    }

    void groupOpenedInPlaceShowsOnlyItsMembers() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        const QString g = groupMiddle(d, false);
        QSignalSpy scope(&d, &GraphDocument::scopeChanged);
        QVERIFY(d.enterGroup(g));
        QCOMPARE(d.scope(), g);
        QCOMPARE(d.scopeLabel(), QString("middle"));
        QCOMPARE(d.nodes()->rowCount(), 3);
        QCOMPARE(int(d.edgeGeometry().size()), 2);  // fc1 -> act -> fc2
        QCOMPARE(d.bounds(), QRectF(220, 0, 640, d.bounds().height()));
        d.selectInRect(-1e6, -1e6, 2e6, 2e6, false);
        QCOMPARE(d.selection(), (QStringList{"fc1", "act", "fc2"}));
        QVERIFY(!d.portAt(d.portPosition("x", "y", true).x(), d.portPosition("x", "y", true).y()).contains("node"));
        // Edits inside are ordinary undo steps; undoing the grouping leaves the scope.
        QCOMPARE(d.setAttribute("fc1", "out_features", 128), QString());
        d.undo();
        d.undo();  // the grouping
        QCOMPARE(d.scope(), QString());
        QCOMPARE(d.nodes()->rowCount(), 6);
        QVERIFY(scope.count() >= 2);
        d.redo();
        QVERIFY(d.enterGroup(g));
        d.exitGroup();
        QCOMPARE(d.nodes()->rowCount(), 6);
        QVERIFY(!d.enterGroup("nope"));
    }

    void windowPansWithoutRepaintingTilesAndOpensGroupsInPlace() {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        edtest::EditorWindow ed;
        QVERIFY(ed.open(&doc));
        QQuickWindow* win = ed.win;
        QQuickItem* view = find(win->contentItem(), "graphView");
        QQuickItem* edges = find(win->contentItem(), "edgeLayer");
        QVERIFY(view && edges);
        view->setProperty("autoFit", false);
        view->setProperty("zoom", 1.0);
        view->setProperty("panX", 40.0);
        view->setProperty("panY", 200.0);
        QTest::qWait(300);  // zoom settled, tiles painted
        QVERIFY(win->grabWindow().width() > 0);
        // Frames that paint no tile of the view pre-paint one tile of the margin ahead of the pan, until done.
        int painted = edges->property("tilesPainted").toInt();
        QVERIFY(painted > 0);
        auto finishAhead = [&] {
            for (int frames = 0; frames < 100; ++frames) {
                QCoreApplication::processEvents();  // the layer's queued update() for the next tile ahead
                win->grabWindow();
                const int now = edges->property("tilesPainted").toInt();
                if (now == painted) return true;
                painted = now;
            }
            return false;
        };
        QVERIFY(finishAhead());
        for (int i = 1; i <= 5; ++i) {  // small pans stay within the painted tiles (and their margin)
            view->setProperty("panX", 40.0 - 8 * i);
            win->grabWindow();
            // No tile of the view is painted, at most the next tile ahead of the pan.
            const int now = edges->property("tilesPainted").toInt();
            QVERIFY2(now <= painted + 1, qPrintable(QString("%1 tiles painted in one pan step").arg(now - painted)));
            painted = now;
        }
        QVERIFY(finishAhead());
        view->setProperty("panX", -4.0);  // one more step the same way, same tiles in view: nothing left to paint
        win->grabWindow();
        QCOMPARE(edges->property("tilesPainted").toInt(), painted);
        doc.moveNodes({"act"}, 0, 20, 0);  // geometry changed: repainted
        win->grabWindow();
        QVERIFY(edges->property("tilesPainted").toInt() > painted);

        // Level of detail: at 60 % the delegates drop their small texts; below 50 % there are none.
        QQuickItem* fc1 = find(win->contentItem(), "node_fc1");
        QVERIFY(fc1 && fc1->property("detail").toBool());
        QQuickItem* fc1In = find(fc1, "in_x");
        QVERIFY(fc1In);
        auto labelShown = [](QQuickItem* port) {
            for (QQuickItem* c : port->childItems())
                if (c->inherits("QQuickText")) return c->isVisible();
            return false;
        };
        QVERIFY(labelShown(fc1In));
        const int inView = doc.visibleNodes()->visibleCount();
        QVERIFY(inView > 0 && inView <= 60);
        view->setProperty("zoom", 0.6);
        QTest::qWait(250);
        QVERIFY2(fc1->property("detail").toBool(), "few nodes in view: full detail at 60 %");  // a small design, fitted
        view->setProperty("detailNodes", 0);  // as if many nodes were in view
        view->setProperty("zoom", 0.61);
        QTest::qWait(250);
        QVERIFY(!fc1->property("detail").toBool());
        QVERIFY(!labelShown(fc1In));
        QString shots = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(shots);
        QVERIFY(win->grabWindow().save(shots + "/editor-lod.png"));
        // Below 50 % with nothing selected the delegates are hidden but kept with their nodes: zooming
        // back in creates none.
        QCOMPARE(doc.selection(), QStringList());
        QSignalSpy created(doc.visibleNodes(), &QAbstractItemModel::rowsInserted);
        view->setProperty("zoom", 0.4);
        QTest::qWait(50);
        QTRY_VERIFY(!find(win->contentItem(), "node_fc1") || !find(win->contentItem(), "node_fc1")->isVisible());
        const int kept = doc.visibleNodes()->visibleCount();
        QVERIFY2(kept > 0, "the overview freed the slots");  // hidden, still bound to their nodes
        view->setProperty("zoom", 1.0);
        QTest::qWait(250);
        QTRY_VERIFY(find(win->contentItem(), "node_fc1") && find(win->contentItem(), "node_fc1")->property("detail").toBool());
        QCOMPARE(created.count(), 0);
        // With a selection the overview keeps the selected nodes' delegates shown (draggable), the others hidden.
        doc.setSelection({"fc1"});
        view->setProperty("zoom", 0.4);
        QTest::qWait(50);
        QTRY_VERIFY(find(win->contentItem(), "node_fc1") && find(win->contentItem(), "node_fc1")->isVisible());
        QTRY_VERIFY(!find(win->contentItem(), "node_act") || !find(win->contentItem(), "node_act")->isVisible());
        doc.setSelection({});
        view->setProperty("zoom", 1.0);
        QTest::qWait(250);
        QTRY_VERIFY(find(win->contentItem(), "node_act") && find(win->contentItem(), "node_act")->isVisible());

        // Open a group in place from its frame's button; the breadcrumb goes back up.
        const QString g = groupMiddle(doc, false);
        QTest::qWait(50);
        QQuickItem* enter = find(win->contentItem(), "enter_" + g);
        QVERIFY(enter);
        QTest::mouseClick(win, Qt::LeftButton, {}, enter->mapToScene(QPointF(11, 10)).toPoint());
        QTRY_COMPARE(doc.scope(), g);
        QQuickItem* crumb = find(win->contentItem(), "breadcrumb");
        QVERIFY(crumb && crumb->isVisible());
        QTest::qWait(100);
        QQuickItem* x = find(win->contentItem(), "node_x");
        QVERIFY(!x || !x->isVisible());  // outside the group: no delegate shown
        fc1 = find(win->contentItem(), "node_fc1");
        QVERIFY(fc1 && fc1->isVisible());
        QVERIFY(win->grabWindow().save(shots + "/editor-breadcrumb.png"));
        QQuickItem* root = find(win->contentItem(), "breadcrumbRoot");
        QVERIFY(root);
        QTest::mouseClick(win, Qt::LeftButton, {}, root->mapToScene(QPointF(5, root->height() / 2)).toPoint());
        QTRY_COMPARE(doc.scope(), QString());
        QVERIFY(!crumb->isVisible());
        QTRY_VERIFY(find(win->contentItem(), "node_x") && find(win->contentItem(), "node_x")->isVisible());
    }
};

QTEST_MAIN(TestEditorCanvas)
#include "test_editor_canvas.moc"
