// GraphDocument: every edit round-trips through undo/redo to the identical
// design text; models announce changes (QSignalSpy, QAbstractItemModelTester);
// connections are refused with reasons; autosave and recovery work.
#include "core/registry.h"
#include "graph/design_io.h"
#include "graph_document.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include "document_test_util.h"

using namespace archscope;
using namespace archscope::ui;

class TestGraphDocument : public QObject {
    Q_OBJECT

    QString sample() const { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"; }
    static std::string text(const GraphDocument& d) { return serializeDesign(d.graph()); }

    template <class F> void roundTrip(GraphDocument& d, const char* what, F edit) { edtest::undoRoundTrip(d, what, edit); }

    const NodeRow* row(GraphDocument& d, const QString& id) {
        int r = d.nodes()->rowOf(id);
        return r < 0 ? nullptr : &d.nodes()->rows()[size_t(r)];
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName("archscope-ui-test");
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
    }

    void loadsSampleWithShapesAndTotals() {
        GraphDocument d;
        QVERIFY2(d.load(sample()), qPrintable(d.message()));
        QCOMPARE(d.nodes()->rowCount(), 6);
        QCOMPARE(d.edges()->rowCount(), 6);
        QVERIFY(d.errors().isEmpty());
        // Closed form: fc1 64*256+256, fc2 256*64+64.
        QCOMPARE(d.totals()["params"].toDouble(), double(64 * 256 + 256 + 256 * 64 + 64));
        QCOMPARE(row(d, "fc1")->outputShapes, QStringList{"[B, T, 256]"});
        QCOMPARE(row(d, "fc1")->inputs, QStringList{"x"});
        QCOMPARE(row(d, "residual")->inputs, (QStringList{"a", "b"}));
        QVERIFY(!d.dirty());
    }

    void modelsPassModelTester() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        QAbstractItemModelTester t1(d.nodes(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(d.edges(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(d.palette(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(d.visibleNodes(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        d.addNode("relu", 100, 300);
        d.removeNodes({"act"});
        d.undo();
        d.palette()->setFilter("norm");
        d.visibleNodes()->setViewport(QRectF(0, 0, 300, 200));
        d.moveNodes({"fc1"}, 40, 0, 0);
        d.selectAll();
        d.palette()->setFilter("");
        QVERIFY(d.palette()->rowCount() > 0);
    }

    void everyCommandRoundTrips() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        roundTrip(d, "add", [&] { QCOMPARE(d.addNode("gelu", 400, 300), QString("gelu")); });
        roundTrip(d, "remove", [&] { d.removeNodes({"act", "fc2"}); });
        d.undo();  // keep them for the edits below
        roundTrip(d, "connect", [&] { QCOMPARE(d.connectPorts("x", "y", "y", "x"), QString()); });
        roundTrip(d, "disconnect", [&] { QVERIFY(d.disconnectInput("residual", "b")); });
        roundTrip(d, "attribute", [&] { QCOMPARE(d.setAttribute("fc1", "out_features", 128), QString()); });
        roundTrip(d, "reset attribute", [&] { d.resetAttribute("fc1", "out_features"); });
        roundTrip(d, "bool attribute", [&] { QCOMPARE(d.setAttribute("fc1", "bias", false), QString()); });
        roundTrip(d, "symbol", [&] { QCOMPARE(d.setSymbolValue("T", 32), QString()); });
        roundTrip(d, "move", [&] {
            int drag = d.beginDrag();
            d.moveNodes({"fc1", "act"}, 10, 5, drag);
            d.moveNodes({"fc1", "act"}, 7, 3, drag);  // merged into the same step
            d.snapNodes({"fc1", "act"}, drag);
        });
        QCOMPARE(d.graph().node("fc1")->x, 240.0);  // 220 + 17, snapped to the 20 grid
        d.setSelection({"fc1", "act"});
        roundTrip(d, "paste", [&] { QCOMPARE(d.paste(0, 400, d.copySelection()), (QStringList{"fc1_1", "act_1"})); });
        QVERIFY(d.graph().source({"act_1", "x"}).has_value());  // the inner edge came along
        QCOMPARE(d.graph().source({"act_1", "x"})->node, std::string("fc1_1"));
        d.setSelection({"fc2"});
        roundTrip(d, "duplicate", [&] { QCOMPARE(d.duplicateSelection().size(), 1); });
        d.setSelection({"fc2"});
        roundTrip(d, "cut", [&] { d.cutSelection(); });
        d.undo();  // keep fc2
        d.setSelection({"fc1", "act"});
        roundTrip(d, "group", [&] { QCOMPARE(d.groupSelection("mlp"), QString("group")); });
        d.setSelection({"act"});
        roundTrip(d, "ungroup", [&] { QVERIFY(d.ungroupSelection()); });
        roundTrip(d, "auto layout", [&] { d.autoLayout(); });
        QString n = d.addNode("relu", 300, 700);
        roundTrip(d, "insert on edge", [&] { QVERIFY(d.insertOnEdge(n, "fc2", "x")); });
        QCOMPARE(d.graph().source({"fc2", "x"})->node, n.toStdString());
        QCOMPARE(d.graph().source({n.toStdString(), "x"})->node, std::string("act"));
    }

    void movesOfOneDragMerge() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        int drag = d.beginDrag();
        for (int i = 0; i < 10; ++i) d.moveNodes({"fc1"}, 3, 0, drag);
        QCOMPARE(d.undoStack()->count(), 1);
        QCOMPARE(d.graph().node("fc1")->x, 250.0);
        d.snapNodes({"fc1"}, drag);
        QCOMPARE(d.graph().node("fc1")->x, 260.0);  // grid 20
        QCOMPARE(d.undoStack()->count(), 1);
        d.undo();
        QCOMPARE(d.graph().node("fc1")->x, 220.0);
        d.moveNodes({"fc1"}, 3, 0, d.beginDrag());  // a new drag is a new step
        d.moveNodes({"fc1"}, 3, 0, d.beginDrag());
        QCOMPARE(d.undoStack()->count(), 2);
    }

    void modelSignalsAnnounceChanges() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        QSignalSpy inserted(d.nodes(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(d.nodes(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(d.nodes(), &QAbstractItemModel::dataChanged);
        QSignalSpy edgeIns(d.edges(), &QAbstractItemModel::rowsInserted);
        QSignalSpy edgeRem(d.edges(), &QAbstractItemModel::rowsRemoved);
        QString id = d.addNode("relu", 0, 200);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(d.nodes()->data(d.nodes()->index(6), NodeListModel::IdRole).toString(), id);
        d.moveNodes({"fc1"}, 20, 0, 0);
        QVERIFY(changed.count() >= 1);
        auto roles = changed.last().at(2).value<QList<int>>();
        QVERIFY(roles.contains(NodeListModel::XRole));
        QVERIFY(!roles.contains(NodeListModel::OutputShapesRole));
        QCOMPARE(d.connectPorts("act", "y", id, "x"), QString());
        QCOMPARE(edgeIns.count(), 1);
        d.removeNodes({id});
        QCOMPARE(removed.count(), 1);
        QCOMPARE(edgeRem.count(), 1);
        changed.clear();
        QCOMPARE(d.setAttribute("fc1", "out_features", 128), QString());  // shapes downstream change
        bool shapeAnnounced = false;
        for (auto& c : changed)
            shapeAnnounced |= c.at(2).value<QList<int>>().contains(NodeListModel::OutputShapesRole);
        QVERIFY(shapeAnnounced);
        QCOMPARE(d.nodes()->rows()[size_t(d.nodes()->rowOf("fc1"))].outputShapes, QStringList{"[B, T, 128]"});
    }

    void refusesBadConnectionsWithReasons() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        int steps = d.undoStack()->count();
        QVERIFY(d.connectPorts("act", "y", "fc1", "x").contains("cycle"));
        QVERIFY(d.connectPorts("fc1", "y", "fc1", "x").contains("itself"));
        QVERIFY(d.connectPorts("fc1", "nope", "act", "x").contains("no output \"nope\""));
        QVERIFY(d.connectPorts("fc1", "y", "act", "q").contains("no input \"q\""));
        QCOMPARE(d.setAttribute("x", "dtype", "i64"), QString());
        QString why = d.canConnect("x", "y", "act", "x");
        QVERIFY2(why.contains("i64") && why.contains("f32"), qPrintable(why));
        QCOMPARE(d.undoStack()->count(), steps + 1);  // only the dtype edit
        QVERIFY(d.message().startsWith("Cannot connect"));
    }

    void shapeErrorsMarkEdgesAndNodes() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        QCOMPARE(d.setAttribute("fc2", "out_features", 32), QString());
        QVERIFY(!d.errors().isEmpty());
        bool redEdge = false;
        for (auto& e : d.edges()->rows())
            if (e.toNode == "residual" && !e.error.isEmpty()) redEdge |= e.error.contains("residual");
        QVERIFY(redEdge);
        QVERIFY(!row(d, "residual")->errors.isEmpty());
        d.undo();
        QVERIFY(d.errors().isEmpty());
        for (auto& e : d.edges()->rows()) QVERIFY(e.error.isEmpty());
    }

    void rejectsInvalidAttributeValues() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        int steps = d.undoStack()->count();
        QVERIFY(d.setAttribute("fc1", "out_features", 0).contains("must be in"));
        QVERIFY(d.setAttribute("fc1", "out_features", "abc").contains("integer"));
        QVERIFY(d.setAttribute("fc1", "nope", 1).contains("no attribute"));
        QVERIFY(d.setSymbolValue("T", 0).contains("positive"));
        QVERIFY(d.setSymbolValue("Q", 3).contains("no size"));
        QCOMPARE(d.undoStack()->count(), steps);
        auto attrs = d.nodeAttributes("fc1");
        QCOMPARE(attrs.size(), 3);
        QCOMPARE(attrs[0].toMap()["type"].toString(), QString("int"));
        QCOMPARE(attrs[0].toMap()["value"].toDouble(), 256.0);
        QCOMPARE(attrs[1].toMap()["type"].toString(), QString("bool"));
    }

    void symbolChangesTotals() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        double flops16 = d.totals()["flops"].toDouble();
        QVERIFY(flops16 > 0);
        QCOMPARE(d.setSymbolValue("T", 32), QString());
        QCOMPARE(d.totals()["flops"].toDouble(), 2 * flops16);  // every op here is per token
        QCOMPARE(d.totals()["params"].toDouble(), double(64 * 256 + 256 + 256 * 64 + 64));
    }

    void saveIsAtomicAndClearsDirty() {
        QTemporaryDir tmp;
        GraphDocument d;
        QVERIFY(d.load(sample()));
        d.addNode("relu", 0, 300);
        QVERIFY(d.dirty());
        QString path = tmp.filePath("out.json");
        QVERIFY(d.saveAs(path));
        QVERIFY(!d.dirty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().toStdString(), text(d));
        GraphDocument e;
        QVERIFY(e.load(path));
        QCOMPARE(text(e), text(d));
        QVERIFY(!e.load(tmp.filePath("missing.json")));
        QVERIFY(e.message().contains("missing.json"));
        QCOMPARE(text(e), text(d));  // a failed load keeps the document
    }

    void autosaveWritesRecoveryAndRestores() {
        QTemporaryDir tmp;
        QString path = tmp.filePath("mlp.json");
        QVERIFY(QFile::copy(sample(), path));
        std::string edited;
        QString recovery;
        {
            GraphDocument d;
            QVERIFY(d.load(path));
            recovery = d.recoveryPath();
            QVERIFY(!QFile::exists(recovery));
            d.addNode("silu", 0, 300);
            edited = text(d);
            QVERIFY(QFile::exists(recovery));
            QFile f(recovery);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll().toStdString(), edited);
        }  // "crash": the document goes away unsaved
        GraphDocument d2;
        QVERIFY(d2.load(path));
        QVERIFY(d2.recoveryAvailable());
        QVERIFY(text(d2) != edited);
        QVERIFY(d2.restoreRecovery());
        QCOMPARE(text(d2), edited);
        QVERIFY(d2.dirty());
        QVERIFY(d2.save());
        QVERIFY(!QFile::exists(recovery));
        QVERIFY(!d2.recoveryAvailable());
        d2.undo();  // back to the file's original content: unsaved again
        QVERIFY(d2.dirty());
    }

    void paletteListsEveryOpByCategory() {
        PaletteModel p;
        auto all = OpRegistry::global().all();
        QCOMPARE(p.rowCount(), int(all.size()));
        QStringList cats;
        for (int i = 0; i < p.rowCount(); ++i) {
            QString c = p.data(p.index(i), PaletteModel::CategoryRole).toString();
            if (cats.isEmpty() || cats.last() != c) {
                QVERIFY2(!cats.contains(c), "categories must be contiguous for the section headers");
                cats << c;
            }
        }
        p.setFilter("linear");
        QVERIFY(p.rowCount() >= 1);
        bool found = false;
        for (int i = 0; i < p.rowCount(); ++i) found |= p.opAt(i) == "linear";
        QVERIFY(found);
        p.setFilter("relu");
        QCOMPARE(p.opAt(p.bestRow()), QString("relu"));  // exact id first, wherever its category sorts
        p.setFilter("no-such-op-xyz");
        QCOMPARE(p.rowCount(), 0);
    }

    void bigGraphInstantiatesOnlyVisibleNodes() {
        // 2000 relu nodes on a 40 x 50 grid (260 x 140 apart), chained left to right.
        QTemporaryDir tmp;
        QString json = R"({"format": "archscope.design", "version": 1, "symbols": [{"name": "B", "value": 1}, {"name": "T", "value": 4}],
                          "nodes": [{"id": "in", "op": "input", "pos": [-300, 0], "attrs": {"shape": "B, T, 8"}})";
        QString edges;
        for (int i = 0; i < 2000; ++i) {
            json += QString(R"(, {"id": "n%1", "op": "relu", "pos": [%2, %3], "attrs": {}})").arg(i).arg((i % 40) * 260).arg((i / 40) * 140);
            edges += QString(R"(%1{"from": "%2:y", "to": "n%3:x"})").arg(i ? ", " : "").arg(i ? QString("n%1").arg(i - 1) : QString("in")).arg(i);
        }
        json += "], \"edges\": [" + edges + "]}";
        QString path = tmp.filePath("big.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(json.toUtf8());
        f.close();
        GraphDocument d;
        QVERIFY2(d.load(path), qPrintable(d.message()));
        QCOMPARE(d.nodes()->rowCount(), 2001);
        QCOMPARE(d.edges()->rowCount(), 2000);
        QVERIFY(d.errors().isEmpty());
        d.visibleNodes()->setViewport(QRectF(0, 0, 1000, 600));
        QCOMPARE(d.visibleNodes()->visibleCount(), 4 * 5);  // columns 0, 260, 520, 780; rows 0 .. 560 (free slots hidden)
        QElapsedTimer t;
        t.start();
        int drag = d.beginDrag();
        for (int i = 0; i < 10; ++i) d.moveNodes({"n0"}, 1, 0, drag);
        qInfo() << "2001 nodes: one drag step takes" << t.elapsed() / 10.0 << "ms";
        t.restart();
        QCOMPARE(d.setAttribute("in", "shape", "B, T, 16"), QString());
        qInfo() << "2001 nodes: one attribute edit (re-analysis) takes" << t.elapsed() << "ms";
        QCOMPARE(d.nodes()->rows()[size_t(d.nodes()->rowOf("n1999"))].outputShapes, QStringList{"[B, T, 16]"});
    }

    void hitTestsUseNodeGeometry() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        // fc1 sits at (220, 0); its input port is on its left edge in the first port row.
        QVariantMap p = d.portAt(220, d.headerHeight() + d.portRow() / 2);
        QCOMPARE(p["node"].toString(), QString("fc1"));
        QCOMPARE(p["output"].toBool(), false);
        QVariantMap o = d.portAt(220 + d.nodeWidth(), d.headerHeight() + d.portRow() / 2);
        QCOMPARE(o["node"].toString(), QString("fc1"));
        QCOMPARE(o["output"].toBool(), true);
        QVERIFY(d.portAt(-500, -500).isEmpty());
        QCOMPARE(d.nodeAt(230, 10), QString("fc1"));
        // The straight edge fc1 -> act runs at the port row height between x=420 and x=440.
        QVariantMap e = d.edgeAt(430, d.headerHeight() + d.portRow() / 2, 4);
        QCOMPARE(e["toNode"].toString(), QString("act"));
        QCOMPARE(e["label"].toString(), QString("[B, T, 256]"));
    }
};

QTEST_MAIN(TestGraphDocument)
#include "test_graph_document.moc"
