// Groups opened in place, nested: a group made inside an open group, and a
// composite block opened inside an opened block, extend the breadcrumb
// (Design › outer › inner); going up lands one level higher. Edits act on the
// level shown (select all, box select, copy/paste, duplicate, delete, group,
// ungroup, auto-layout), each one undo step that round-trips to the identical
// design. The real window: crumbs, Escape, Backspace, Enter, Ctrl+A; screenshot
// $ARCHSCOPE_SCREENSHOT_DIR/editor-breadcrumb-nested.png (and editor-nested-frames.png).
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include "document_test_util.h"
#include "editor_test_util.h"

using namespace archscope;
using namespace archscope::ui;

class TestEditorLevels : public QObject {
    Q_OBJECT

    static QString sample() { return edtest::sample(); }
    static std::string text(const GraphDocument& d) { return serializeDesign(d.graph()); }
    template <class F> void roundTrip(GraphDocument& d, const char* what, F edit) { edtest::undoRoundTrip(d, what, edit); }
    static QStringList pathIds(const GraphDocument& d) {
        QStringList l;
        for (auto& v : d.scopePath()) l << v.toMap()["id"].toString();
        return l;
    }
    static QStringList members(const GraphDocument& d, const QString& group) {
        for (auto& gr : d.graph().groups)
            if (QString::fromStdString(gr.id) == group) {
                QStringList l;
                for (auto& n : gr.nodes) l << QString::fromStdString(n);
                std::sort(l.begin(), l.end());
                return l;
            }
        return {};
    }
    static QStringList frames(const GraphDocument& d) {
        QStringList l;
        for (auto& v : d.groups()) l << v.toMap()["id"].toString();
        return l;
    }
    static QStringList sorted(QStringList l) {
        std::sort(l.begin(), l.end());
        return l;
    }
    // mlp.json with fc1, act, fc2 in group "outer" (label "Outer"), opened in place.
    static void openOuter(GraphDocument& d) {
        QVERIFY(d.load(sample()));
        d.setSelection({"fc1", "act", "fc2"});
        QCOMPARE(d.groupSelection("Outer"), QString("group"));
        QVERIFY(d.enterGroup("group"));
    }
    static QQuickItem* find(QQuickItem* root, const QString& name) {
        if (root->objectName() == name) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = find(c, name)) return f;
        return nullptr;
    }
    static void click(QQuickWindow* win, QQuickItem* item) {
        QTest::mouseClick(win, Qt::LeftButton, {}, item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName("archscope-levels-test");
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
    }

    // Nesting from node sets: smallest superset is the parent; equal sets: the one listed first is outside.
    void groupTreeFromNodeSets() {
        std::vector<Group> gs(5);
        gs[0] = {"all", "", {"a", "b", "c", "d"}};
        gs[1] = {"ab", "", {"b", "a"}};
        gs[2] = {"a", "", {"a"}};
        gs[3] = {"ab2", "", {"a", "b"}};  // same nodes as "ab": inside it
        gs[4] = {"cx", "", {"c", "x"}};   // overlaps "all" without being inside it
        GroupTree t;
        t.build(gs);
        QCOMPARE(t.parent(0), -1);
        QCOMPARE(t.parent(1), 0);
        QCOMPARE(t.parent(3), 1);
        QCOMPARE(t.parent(2), 3);  // the smallest (and, among equals, the innermost) container
        QCOMPARE(t.parent(4), -1);
        QVERIFY(t.inside(2, 0) && t.inside(2, 1) && t.inside(2, -1));
        QVERIFY(!t.inside(0, 2) && !t.inside(1, 1) && !t.inside(4, 0));
        QCOMPARE(t.chain(2), (std::vector<int>{2, 3, 1, 0}));
        QCOMPARE(groupIndex(gs, "ab2"), 3);
        QCOMPARE(groupIndex(gs, "nope"), -1);
    }

    void groupInsideAnOpenGroupNests() {
        GraphDocument d;
        openOuter(d);
        QCOMPARE(pathIds(d), QStringList{"group"});
        QCOMPARE(d.scopePath()[0].toMap()["label"].toString(), QString("Outer"));
        d.setSelection({"fc1", "act"});
        QString inner;
        roundTrip(d, "group inside", [&] { inner = d.groupSelection("Inner"); });
        QCOMPARE(inner, QString("group_1"));
        QCOMPARE(members(d, "group"), (QStringList{"act", "fc1", "fc2"}));  // the outer group keeps its nodes
        QCOMPARE(members(d, inner), (QStringList{"act", "fc1"}));
        QCOMPARE(d.scope(), QString("group"));  // still shown, with the new frame inside
        QCOMPARE(d.nodes()->rowCount(), 3);
        QCOMPARE(frames(d), QStringList{inner});
        d.exitGroup();
        QCOMPARE(frames(d), (QStringList{"group", inner}));  // both frames at the top, nested

        QSignalSpy spy(&d, &GraphDocument::scopeChanged);
        QVERIFY(d.enterGroup(inner));  // straight from the top: the path holds the outer group
        QCOMPARE(pathIds(d), (QStringList{"group", inner}));
        QCOMPARE(d.scopeLabel(), QString("Inner"));
        QCOMPARE(d.nodes()->rowCount(), 2);
        QCOMPARE(spy.count(), 1);
        d.exitGroup();  // up one level, the group left selected
        QCOMPARE(d.scope(), QString("group"));
        QCOMPARE(pathIds(d), QStringList{"group"});
        QCOMPARE(d.selection(), (QStringList{"fc1", "act"}));
        QVERIFY(d.enterGroup(inner));
        QVERIFY(d.enterGroup(""));  // the "Design" crumb: the top
        QCOMPARE(d.scope(), QString());
        QCOMPARE(d.scopePath().size(), 0);
        QCOMPARE(d.selection(), (QStringList{"fc1", "act", "fc2"}));
        QCOMPARE(spy.count(), 4);

        // Undoing the inner grouping while inside it: back in the outer group, not at the top.
        QVERIFY(d.enterGroup(inner));
        d.undo();
        QCOMPARE(d.scope(), QString("group"));
        QCOMPARE(pathIds(d), QStringList{"group"});
        QCOMPARE(d.nodes()->rowCount(), 3);
    }

    void blockOpenedInsideAnOpenedBlockNests() {
        QTemporaryDir dir;
        Graph g;
        g.symbols = {{"B", 2, "batch"}, {"T", 5, "sequence"}};
        g.addNode({"x", "input", {{"shape", std::string("B, T, 32")}}, 0, 0});
        g.addNode({"tl", "transformer_layer", {{"d_model", int64_t(32)}, {"heads", int64_t(4)}, {"hidden", int64_t(64)}}, 300, 0});
        g.addNode({"y", "output", {}, 600, 0});
        g.connect({"x", "y"}, {"tl", "x"});
        g.connect({"tl", "y"}, {"y", "x"});
        std::string err;
        QVERIFY(saveDesign(g, dir.filePath("tl.json").toStdString(), &err));
        GraphDocument d;
        QVERIFY2(d.load(dir.filePath("tl.json")), qPrintable(d.message()));
        const double params = d.totals()["params"].toDouble();
        const Graph closed = d.graph();

        d.setSelection({"tl"});
        QVERIFY(d.enterSelection());  // Enter on the block: opened into a group, then entered
        QCOMPARE(d.scope(), QString("tl"));
        QVERIFY(d.graph().node("tl.attn"));
        QCOMPARE(d.graph().node("tl.attn")->op, std::string("mha"));
        d.setSelection({"tl.attn"});
        const int steps = d.undoStack()->index();
        QVERIFY(d.enterSelection());
        QCOMPARE(d.undoStack()->index(), steps + 1);  // opening is one step, entering none
        QCOMPARE(d.scope(), QString("tl.attn"));
        QCOMPARE(pathIds(d), (QStringList{"tl", "tl.attn"}));
        QVERIFY2(d.scopePath()[1].toMap()["label"].toString().startsWith("tl.attn ("), qPrintable(d.scopePath()[1].toMap()["label"].toString()));
        for (auto& m : members(d, "tl.attn")) {
            QVERIFY2(m.startsWith("tl.attn."), qPrintable(m));
            QVERIFY2(members(d, "tl").contains(m), qPrintable(m));  // inside the outer block's group too
        }
        QCOMPARE(d.nodes()->rowCount(), members(d, "tl.attn").size());
        QVERIFY2(d.errors().isEmpty(), qPrintable(d.errors().join("\n")));
        QCOMPARE(d.totals()["params"].toDouble(), params);

        // Up one level: the outer block with the inner one as a frame; collapse it back into its node.
        d.exitGroup();
        QCOMPARE(d.scope(), QString("tl"));
        QCOMPARE(frames(d), QStringList{"tl.attn"});
        QVERIFY(!d.isBlockUnedited("tl"));
        roundTrip(d, "collapse inner block", [&] { QVERIFY(d.collapseGroup("tl.attn")); });
        QVERIFY(members(d, "tl").contains("tl.attn"));  // the node is back inside the outer group
        QVERIFY(d.isBlockUnedited("tl"));
        QCOMPARE(d.scope(), QString("tl"));
        d.exitGroup();
        QVERIFY(d.collapseGroup("tl"));  // the design as loaded (the node where its body was)
        QVERIFY(d.graph().groups.empty());
        QVERIFY(d.graph().edges() == closed.edges());
        QCOMPARE(d.graph().nodes().size(), closed.nodes().size());
        QVERIFY(d.graph().node("tl") && d.graph().node("tl")->attrs == closed.node("tl")->attrs);
    }

    void editsActOnTheLevelShown() {
        GraphDocument d;
        openOuter(d);
        d.selectAll();  // Ctrl+A: the open group's nodes, not the design's
        QCOMPARE(d.selection(), (QStringList{"fc1", "act", "fc2"}));
        d.setSelection({});
        d.selectInRect(-1e6, -1e6, 2e6, 2e6, false);
        QCOMPARE(d.selection(), (QStringList{"fc1", "act", "fc2"}));

        // Added, pasted and duplicated nodes join the open group: they stay in view.
        QString added;
        roundTrip(d, "add inside", [&] { added = d.addNode("relu", 300, 300); });
        QVERIFY(members(d, "group").contains(added));
        QVERIFY(d.nodes()->rowOf(added) >= 0);
        d.setSelection({"fc1", "act"});
        QStringList pasted;
        roundTrip(d, "paste inside", [&] { pasted = d.paste(200, 400, d.copySelection()); });
        QCOMPARE(pasted, (QStringList{"fc1_1", "act_1"}));
        for (auto& id : pasted) QVERIFY(members(d, "group").contains(id) && d.nodes()->rowOf(id) >= 0);
        d.setSelection({"fc2"});
        QStringList dup;
        roundTrip(d, "duplicate inside", [&] { dup = d.duplicateSelection(); });
        QCOMPARE(dup.size(), 1);
        QVERIFY(members(d, "group").contains(dup[0]));
        d.setSelection(pasted);
        roundTrip(d, "delete inside", [&] { d.removeSelected(); });
        QCOMPARE(d.scope(), QString("group"));
        d.setSelection({dup[0]});
        roundTrip(d, "cut inside", [&] { d.cutSelection(); });

        // Group and ungroup inside: only the inner group goes, the open one stays.
        d.setSelection({"act", "fc2"});
        QString inner;
        roundTrip(d, "group inside", [&] { inner = d.groupSelection("Inner"); });
        d.setSelection({"act"});
        roundTrip(d, "ungroup inside", [&] { QVERIFY(d.ungroupSelection()); });
        QVERIFY(members(d, inner).isEmpty());
        QCOMPARE(members(d, "group"), sorted(QStringList{"fc1", "act", "fc2", added}));
        d.setSelection({"fc1"});
        QVERIFY(!d.ungroupSelection());  // fc1 is in no group below the open one
        QVERIFY(d.message().contains("no group"));

        // Auto-layout moves the open group's nodes only.
        d.moveNodes({"act"}, 0, 900, 0);
        const Node outside = *d.graph().node("residual");
        roundTrip(d, "auto layout inside", [&] { d.autoLayout(); });
        QCOMPARE(d.graph().node("residual")->x, outside.x);
        QCOMPARE(d.graph().node("residual")->y, outside.y);
        QVERIFY(d.graph().node("act")->y < 900);
        QVERIFY(d.graph().node("act")->x > d.graph().node("fc1")->x);  // layered: fc1 -> act -> fc2

        // A group copied inside comes along as a group nested in the open one.
        d.undo();  // the auto layout
        d.setSelection({"act", "fc2"});
        inner = d.groupSelection("Inner");
        d.selectAll();
        const QString clip = d.copySelection();
        Graph parsed;
        QVERIFY(parseDesign(clip.toStdString(), "clip", &parsed).ok);
        QCOMPARE(int(parsed.groups.size()), 1);  // Inner, not the open group
        QCOMPARE(parsed.groups[0].label, std::string("Inner"));
        roundTrip(d, "paste with group", [&] { d.paste(0, 600, clip); });
        QCOMPARE(frames(d).size(), 2);  // Inner and its copy, both inside the open group
        for (auto& gr : d.graph().groups)
            if (gr.label == "Inner")
                for (auto& m : gr.nodes) QVERIFY(members(d, "group").contains(QString::fromStdString(m)));

        // A collapsed group at this level is box-selected where its node is drawn.
        QVERIFY(d.collapseGroup(inner));
        const QPointF at = d.portPosition("group:" + inner, d.nodes()->rows()[size_t(d.nodes()->rowOf("group:" + inner))].inputs[0], false);
        d.selectInRect(at.x() + 10, at.y() - 5, 20, 10, false);
        QCOMPARE(sorted(d.selection()), (QStringList{"act", "fc2"}));
        QCOMPARE(d.nodeAt(d.graph().node("act")->x + 5, d.graph().node("act")->y + 5), QString());  // hidden member: no hit
    }

    void windowBreadcrumbNested() {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
        GraphDocument doc;
        QVERIFY(doc.load(sample()));
        edtest::EditorWindow ed;
        QVERIFY(ed.open(&doc));
        QQuickWindow* win = ed.win;
        QQuickItem* view = find(win->contentItem(), "graphView");
        QVERIFY(view);
        doc.setSelection({"fc1", "act", "fc2"});
        QCOMPARE(doc.groupSelection("Encoder stack"), QString("group"));
        doc.setSelection({"fc1", "act"});
        QCOMPARE(doc.groupSelection("Feed-forward"), QString("group_1"));
        QTest::qWait(50);
        const QString shots = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(shots);
        QVERIFY(win->grabWindow().save(shots + "/editor-nested-frames.png"));  // a frame inside a frame

        // The outer frame's ⤢, then the inner frame's ⤢ inside it: the breadcrumb grows.
        QQuickItem* enter = nullptr;
        QTRY_VERIFY((enter = find(win->contentItem(), "enter_group")) && enter->isVisible());
        QTest::qWait(100);
        click(win, enter);
        QTRY_COMPARE(doc.scope(), QString("group"));
        QTest::qWait(50);
        QQuickItem* enterInner = nullptr;
        QTRY_VERIFY((enterInner = find(win->contentItem(), "enter_group_1")) && enterInner->isVisible());
        QTest::qWait(100);
        click(win, enterInner);
        QTRY_COMPARE(doc.scope(), QString("group_1"));
        QQuickItem* crumbOuter = nullptr;
        QTRY_VERIFY((crumbOuter = find(win->contentItem(), "crumb_group")) != nullptr);
        QVERIFY(find(win->contentItem(), "crumb_group_1"));
        QCOMPARE(find(win->contentItem(), "crumb_group_1")->property("text").toString(), QString("Feed-forward"));
        QVERIFY(crumbOuter->property("link").toBool());
        QVERIFY(!find(win->contentItem(), "crumb_group_1")->property("link").toBool());  // where we are: not a link

        // Ctrl+A on the canvas: the two nodes shown.
        view->forceActiveFocus();
        QTest::keyClick(win, Qt::Key_A, Qt::ControlModifier);
        QTRY_COMPARE(doc.selection(), (QStringList{"fc1", "act"}));
        QTest::qWait(100);
        QVERIFY(win->grabWindow().save(shots + "/editor-breadcrumb-nested.png"));

        // Backspace with a selection deletes (one step, undone); with none it goes up a level.
        QTest::keyClick(win, Qt::Key_Backspace);
        QTRY_VERIFY(!doc.graph().node("act"));
        QCOMPARE(doc.scope(), QString("group"));  // the open group went with its nodes: one level up
        QTest::keyClick(win, Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY(doc.graph().node("act"));
        QVERIFY(doc.enterGroup("group_1"));
        view->forceActiveFocus();
        QTest::keyClick(win, Qt::Key_Backspace);
        QTRY_COMPARE(doc.scope(), QString("group"));
        // The crumb of the outer level is where we are now; Escape goes up to the top.
        QTRY_VERIFY(!find(win->contentItem(), "crumb_group_1"));
        view->forceActiveFocus();
        QTest::keyClick(win, Qt::Key_Escape);
        QTRY_COMPARE(doc.scope(), QString());
        QTRY_VERIFY(!find(win->contentItem(), "breadcrumb")->isVisible());

        // Enter on the selected inner group's nodes after collapsing it: opened in place, two levels deep.
        QVERIFY(doc.collapseGroup("group_1"));
        doc.select("group:group_1", false);
        view->forceActiveFocus();
        QTest::keyClick(win, Qt::Key_Return);
        QTRY_COMPARE(doc.scope(), QString("group_1"));
        QCOMPARE(pathIds(doc), (QStringList{"group", "group_1"}));
        // A crumb goes back to its level; the "‹" goes up one.
        QTest::qWait(50);
        QQuickItem* crumb = find(win->contentItem(), "crumb_group");
        QVERIFY(crumb);
        click(win, crumb);
        QTRY_COMPARE(doc.scope(), QString("group"));
        QQuickItem* back = find(win->contentItem(), "breadcrumbBack");
        QVERIFY(back && back->isVisible());
        click(win, back);
        QTRY_COMPARE(doc.scope(), QString());
    }
};

QTEST_MAIN(TestEditorLevels)
#include "test_editor_levels.moc"
