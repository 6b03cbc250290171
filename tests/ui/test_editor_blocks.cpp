// GraphDocument, headless: composite blocks opened inline, edited and
// collapsed again (an unedited block becomes its node again and computes the
// same outputs; an edited one stays a collapsed group that runs); palette
// drops onto edges; the template gallery's model; the user block library.
// Every edit is one undo step that round-trips to the identical design text.
#include "graph/analysis.h"
#include "graph/design_io.h"
#include "graph_document.h"
#include "runtime/backend.h"
#include "runtime/weights.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include "document_test_util.h"

using namespace archscope;
using namespace archscope::ui;

class TestEditorBlocks : public QObject {
    Q_OBJECT

    static std::string text(const GraphDocument& d) { return serializeDesign(d.graph()); }
    QString sample() const { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"; }

    template <class F> void roundTrip(GraphDocument& d, const char* what, F edit) { edtest::undoRoundTrip(d, what, edit); }

    // x [B, T, 32] -> attn (mha, 4 heads) -> y, saved to `dir` and loaded.
    void loadAttention(GraphDocument& d, const QTemporaryDir& dir) {
        Graph g;
        g.symbols = {{"B", 2, "batch"}, {"T", 5, "sequence"}};
        g.addNode({"x", "input", {{"shape", std::string("B, T, 32")}}, 0, 0});
        g.addNode({"attn", "mha", {{"d_model", int64_t(32)}, {"heads", int64_t(4)}, {"causal", true}}, 300, 0});
        g.addNode({"y", "output", {}, 600, 0});
        g.connect({"x", "y"}, {"attn", "x"});
        g.connect({"attn", "y"}, {"y", "x"});
        std::string err;
        QVERIFY(saveDesign(g, dir.filePath("attn.json").toStdString(), &err));
        QVERIFY2(d.load(dir.filePath("attn.json")), qPrintable(d.message()));
    }

    static Tensor runOnce(const Graph& g, WeightStore* w, const Tensor& x) {
        Analysis a = analyze(g, {});
        std::string err;
        if (!a.errors.empty() || !w->materialize(a, 3, &err)) return {};
        RunResult r = makeCpuBackend()->run({&g, &a, w, {{"x", x}}, 0, false});
        return r.ok ? r.outputs.at("y") : Tensor();
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName("archscope-blocks-test");
        QDir(GraphDocument::userLibraryDir()).removeRecursively();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
    }

    void openedBlockComputesLikeTheNode() {
        QTemporaryDir dir;
        GraphDocument d;
        loadAttention(d, dir);
        const Graph closed = d.graph();
        const double params = d.totals()["params"].toDouble(), flops = d.totals()["flops"].toDouble();
        QString gid;
        roundTrip(d, "open block", [&] { gid = d.openBlock("attn"); });
        QCOMPARE(gid, QString("attn"));
        QVERIFY(!d.graph().node("attn"));
        QCOMPARE(int(d.graph().groups.size()), 1);
        const Group& gr = d.graph().groups[0];
        QCOMPARE(gr.block, std::string("mha"));
        QVERIFY(gr.nodes.size() > 4);
        for (auto& m : gr.nodes) QVERIFY2(m.rfind("attn.", 0) == 0, m.c_str());
        QVERIFY2(d.errors().isEmpty(), qPrintable(d.errors().join("\n")));
        QCOMPARE(d.totals()["params"].toDouble(), params);
        QCOMPARE(d.totals()["flops"].toDouble(), flops);
        QVERIFY(d.isBlockUnedited("attn"));

        // Same weights (attn/<inner> -> attn.<inner>): the same outputs.
        Tensor x = Tensor::f32({2, 5, 32}, std::vector<float>(320, 0.f));
        for (int i = 0; i < 320; ++i) x.f32()[i] = float((i * 37) % 17) / 8.0f - 1.0f;
        WeightStore wClosed, wOpen;
        Tensor yClosed = runOnce(closed, &wClosed, x);
        QVERIFY(yClosed.numel() == 2 * 5 * 32);
        for (auto& [k, t] : wClosed.all()) {
            QVERIFY(k.rfind("attn/", 0) == 0);
            std::string rest = k.substr(5), node = rest.substr(0, rest.rfind('.')), param = rest.substr(rest.rfind('.') + 1);
            wOpen.set("attn." + node, param, t);
        }
        Tensor yOpen = runOnce(d.graph(), &wOpen, x);
        QCOMPARE(yOpen.numel(), yClosed.numel());
        for (int64_t i = 0; i < yOpen.numel(); ++i) QVERIFY(std::abs(yOpen.f32()[i] - yClosed.f32()[i]) <= 1e-5f);

        // Collapsing the unedited block gives the composite node back.
        roundTrip(d, "collapse unedited", [&] { QVERIFY(d.collapseGroup("attn")); });
        const Node* n = d.graph().node("attn");
        QVERIFY(n);
        QCOMPARE(n->op, std::string("mha"));
        QVERIFY(n->attrs == closed.node("attn")->attrs);
        QVERIFY(d.graph().edges() == closed.edges());
        QVERIFY(d.graph().groups.empty());
    }

    void editedBlockStaysAGroupThatRuns() {
        QTemporaryDir dir;
        GraphDocument d;
        loadAttention(d, dir);
        QVERIFY(!d.openBlock("attn").isEmpty());
        std::string inner;
        for (auto& n : d.graph().nodes())
            if (n.op == "linear" && inner.empty()) inner = n.id;
        QVERIFY(!inner.empty());
        roundTrip(d, "edit inside", [&] { QVERIFY(d.setAttribute(QString::fromStdString(inner), "bias", false).isEmpty()); });
        QVERIFY(!d.isBlockUnedited("attn"));
        roundTrip(d, "collapse edited", [&] { QVERIFY(d.collapseGroup("attn")); });
        QVERIFY(d.graph().groups[0].collapsed);
        QVERIFY(!d.graph().node("attn"));
        // Drawn as one node with the boundary ports; members have no rows.
        int row = d.nodes()->rowOf("group:attn");
        QVERIFY(row >= 0);
        const NodeRow& r = d.nodes()->rows()[size_t(row)];
        QCOMPARE(r.inputs, QStringList{"x"});
        QCOMPARE(r.outputs, QStringList{"y"});
        QCOMPARE(r.outputShapes, QStringList{"[B, T, 32]"});
        QCOMPARE(d.nodes()->rowOf(QString::fromStdString(inner)), -1);
        QCOMPARE(d.nodes()->rowCount(), 3);  // x, y, the group
        QCOMPARE(int(d.edgeGeometry().size()), 2);  // x -> group, group -> y; inner edges hidden
        QVERIFY(d.errors().isEmpty());
        // It runs, and saving keeps the block and the collapsed state.
        WeightStore w;
        Tensor x = Tensor::f32({2, 5, 32}, std::vector<float>(320, 0.25f));
        QCOMPARE(runOnce(d.graph(), &w, x).numel(), int64_t(320));
        QVERIFY(d.saveAs(dir.filePath("edited.json")));
        GraphDocument back;
        QVERIFY(back.load(dir.filePath("edited.json")));
        QVERIFY(back.graph() == d.graph());
        QCOMPARE(back.graph().groups[0].block, std::string("mha"));
        // Selecting the group's node selects its members; expanding shows them again.
        d.select("group:attn", false);
        QCOMPARE(d.selection().size(), qsizetype(d.graph().groups[0].nodes.size()));
        roundTrip(d, "expand group", [&] { QVERIFY(d.expandGroup("attn")); });
        QVERIFY(d.nodes()->rowOf(QString::fromStdString(inner)) >= 0);
        QCOMPARE(d.nodes()->rowOf("group:attn"), -1);
    }

    // A group made inside an opened block is the user's structure: collapsing the block
    // must not drop it (it used to vanish with the members), so the block stays a group.
    void groupInsideOpenedBlockSurvivesCollapse() {
        QTemporaryDir dir;
        GraphDocument d;
        loadAttention(d, dir);
        QVERIFY(!d.openBlock("attn").isEmpty());
        QStringList two;
        for (auto& n : d.graph().nodes())
            if (n.op == "linear" && two.size() < 2) two << QString::fromStdString(n.id);
        QCOMPARE(two.size(), 2);
        d.setSelection(two);
        QString mine;
        roundTrip(d, "group inside", [&] { mine = d.groupSelection("Mine"); });
        QVERIFY(!mine.isEmpty());
        QVERIFY(d.isBlockUnedited("attn"));  // same computation: only the grouping is new
        roundTrip(d, "collapse with inner group", [&] { QVERIFY(d.collapseGroup("attn")); });
        QVERIFY(!d.graph().node("attn"));  // not folded back into the composite node
        const Group* kept = nullptr;
        for (auto& gr : d.graph().groups)
            if (gr.id == mine.toStdString()) kept = &gr;
        QVERIFY2(kept, "the user's group was lost");
        QCOMPARE(kept->label, std::string("Mine"));
        QCOMPARE(kept->nodes.size(), size_t(2));
        QVERIFY(d.nodes()->rowOf("group:attn") >= 0);  // drawn as one collapsed node
        QVERIFY(d.errors().isEmpty());
        // Ungrouped again, the unedited block folds back into its node.
        QVERIFY(d.expandGroup("attn"));
        d.setSelection(two);
        QVERIFY(d.ungroupSelection());
        QVERIFY(d.collapseGroup("attn"));
        QCOMPARE(d.graph().node("attn")->op, std::string("mha"));
    }

    void nonCompositeRefusedWithReason() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        QVERIFY(d.openBlock("fc1").isEmpty());
        QVERIFY(d.message().contains("not a composite"));
        QVERIFY(!d.dirty());
    }

    void loopKeepsItsWeightTying() {
        // A weight-tied loop opens into iterations that still share the first one's parameters.
        QTemporaryDir dir;
        GraphDocument d;
        Graph g;
        g.symbols = {{"B", 1, "batch"}, {"T", 4, "sequence"}};
        g.addNode({"x", "input", {{"shape", std::string("B, T, 64")}}, 0, 0});
        g.addNode({"rep", "loop", {{"iterations", int64_t(3)}}, 300, 0});
        g.addNode({"y", "output", {}, 600, 0});
        g.connect({"x", "y"}, {"rep", "x"});
        g.connect({"rep", "y"}, {"y", "x"});
        std::string err;
        QVERIFY(saveDesign(g, dir.filePath("loop.json").toStdString(), &err));
        QVERIFY(d.load(dir.filePath("loop.json")));
        QVERIFY2(d.errors().isEmpty(), qPrintable(d.errors().join("\n")));
        const double params = d.totals()["params"].toDouble(), flops = d.totals()["flops"].toDouble();
        roundTrip(d, "open loop", [&] { QVERIFY(!d.openBlock("rep").isEmpty()); });
        QVERIFY2(d.errors().isEmpty(), qPrintable(d.errors().join("\n")));
        QCOMPARE(d.totals()["params"].toDouble(), params);  // one block's parameters, not three
        QCOMPARE(d.totals()["flops"].toDouble(), flops);
        QVERIFY(d.isBlockUnedited("rep"));
        QVERIFY(d.saveAs(dir.filePath("opened.json")));
        GraphDocument back;
        QVERIFY(back.load(dir.filePath("opened.json")));
        QCOMPARE(back.totals()["params"].toDouble(), params);
        QVERIFY(d.collapseGroup("rep"));
        QCOMPARE(d.graph().node("rep")->op, std::string("loop"));
    }

    void paletteDropOntoEdgeInserts() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        QPointF mid;
        for (auto& e : d.edgeGeometry())
            if (e.toNode == "act" && e.toPort == "x") mid = (e.a + e.b) / 2;  // the curve's midpoint
        QVERIFY(!mid.isNull());
        QStringList added;
        roundTrip(d, "drop on edge", [&] { added = d.dropFromPalette("relu", mid.x(), mid.y()); });
        QCOMPARE(added.size(), 1);
        QCOMPARE(d.graph().source({added[0].toStdString(), "x"})->node, std::string("fc1"));
        QCOMPARE(d.graph().source({"act", "x"})->node, added[0].toStdString());
        d.undo();
        // An op whose input takes i64 ids does not fit an f32 edge: added free, with the reason.
        roundTrip(d, "drop misfit", [&] { added = d.dropFromPalette("embedding", mid.x(), mid.y()); });
        QCOMPARE(d.graph().source({"act", "x"})->node, std::string("fc1"));
        QVERIFY2(d.message().contains("without inserting") && d.message().contains("i64"), qPrintable(d.message()));
        // Away from any edge: a plain add.
        roundTrip(d, "drop free", [&] { added = d.dropFromPalette("relu", 5000, 5000); });
        QVERIFY(d.graph().edgesFrom(added[0].toStdString()).empty());
    }

    void templateGalleryModelAndCreate() {
        GraphDocument d;
        QVariantList list = d.templateList();
        QVERIFY(list.size() >= 12);
        QStringList names;
        for (auto& t : list) {
            QVariantMap m = t.toMap();
            names << m["name"].toString();
            QVERIFY(!m["description"].toString().isEmpty());
            QVERIFY(!m["params"].toList().isEmpty());
        }
        QVERIFY(names.contains("gpt") && names.contains("vit") && names.contains("mamba_lm"));
        QVERIFY(d.newFromTemplate("gpt", {{"d_model", 32.0}, {"layers", 1.0}, {"preset", "gpt2"}}));
        QCOMPARE(d.graph().metadata.at("template"), std::string("gpt"));
        QVERIFY(!d.dirty());
        QVERIFY(d.filePath().isEmpty());
        QVERIFY2(d.errors().isEmpty(), qPrintable(d.errors().join("\n")));
        bool has32 = false;
        for (auto& n : d.graph().nodes())
            if (auto it = n.attrs.find("d_model"); it != n.attrs.end()) has32 |= it->second == AttrValue(int64_t(32));
        QVERIFY(has32);
        QVERIFY(!d.newFromTemplate("gpt", {{"layers", 0.0}}));  // out of range: refused, named
        QVERIFY(d.message().contains("layers"));
        QVERIFY(!d.newFromTemplate("nope", {}));
    }

    void userLibraryBlock() {
        GraphDocument d;
        QVERIFY(d.load(sample()));
        d.setSelection({"fc1", "act"});
        QVERIFY(!d.saveSelectionAsBlock("../evil"));
        QVERIFY(d.saveSelectionAsBlock("my mlp"));
        QVERIFY(QFile::exists(GraphDocument::userLibraryDir() + "/my mlp.json"));
        Graph saved;
        QVERIFY(loadDesign((GraphDocument::userLibraryDir() + "/my mlp.json").toStdString(), &saved).ok);
        QCOMPARE(int(saved.nodes().size()), 2);
        QCOMPARE(int(saved.edges().size()), 1);
        // In the palette under "My blocks"; a new document sees it too.
        GraphDocument other;
        PaletteModel* p = other.palette();
        int row = -1;
        for (int i = 0; i < p->rowCount(); ++i)
            if (p->opAt(i) == "user:my mlp") row = i;
        QVERIFY(row >= 0);
        QCOMPARE(p->index(row).data(PaletteModel::CategoryRole).toString(), QString("My blocks"));
        p->setFilter("my mlp");
        QCOMPARE(p->opAt(p->bestRow()), QString("user:my mlp"));
        QStringList added;
        const size_t groupsBefore = d.graph().groups.size();
        roundTrip(d, "drop user block", [&] { added = d.dropFromPalette("user:my mlp", 900, 600); });
        QCOMPARE(added.size(), 2);
        QCOMPARE(d.graph().groups.size(), groupsBefore + 1);
        QCOMPARE(d.graph().groups.back().label, std::string("my mlp"));
        QVERIFY(d.dropFromPalette("user:missing", 0, 0).isEmpty());
        QVERIFY(d.message().contains("missing"));
    }
};

QTEST_MAIN(TestEditorBlocks)
#include "test_editor_blocks.moc"
