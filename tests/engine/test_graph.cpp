// Graph IR, design-file round trip and whole-graph validation.
#include "graph/analysis.h"
#include "graph/design_io.h"

#include <QtTest>

using namespace archscope;

class TestGraph : public QObject {
    Q_OBJECT
private slots:
    void dimAlgebra() {
        Bindings b{{"B", 2}, {"T", 12}};
        std::string err;
        auto d = Dim::parse("B*T", b, &err);
        QVERIFY(d);
        QCOMPARE(d->value(), 24);
        QCOMPARE(QString::fromStdString(d->str()), QString("B*T"));
        auto q = Dim::parse("T/4", b, &err);
        QCOMPARE(q->value(), 3);
        QCOMPARE(QString::fromStdString(q->str()), QString("T/4"));
        auto c = Dim::parse("2*T+1", b, &err);
        QCOMPARE(c->value(), 25);
        QCOMPARE(QString::fromStdString(c->str()), QString("2*T+1"));
        // (T-1)/2 has no exact form: keeps only its value.
        Dim h = (Dim::symbol("T", 12) - Dim(1)).floorDiv(2);
        QCOMPARE(h.value(), 5);
        QCOMPARE(QString::fromStdString(h.str()), QString("5"));
        QVERIFY(!Dim::parse("X*2", b, &err));
        QVERIFY(QString::fromStdString(err).contains("unknown size symbol \"X\""));
    }

    void sampleRoundTrip() {
        QString path = qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json";
        Graph g;
        LoadResult r = loadDesign(path.toStdString(), &g);
        QVERIFY2(r.ok, r.error.c_str());
        std::string once = serializeDesign(g);
        Graph g2;
        QVERIFY(parseDesign(once, "mem", &g2).ok);
        QVERIFY(g == g2);
        QCOMPARE(serializeDesign(g2), once);
    }

    void sampleShapesAndCounts() {
        QString path = qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json";
        Graph g;
        QVERIFY(loadDesign(path.toStdString(), &g).ok);
        Analysis a = analyze(g, {{{"T", 100}}});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(QString::fromStdString(shapeStr(a.nodes.at("fc1").outputs[0].shape)), QString("[B, T, 256]"));
        QCOMPARE(a.nodes.at("fc1").outputs[0].shape[1].value(), 100);
        // Closed form: 64*256+256 + 256*64+64.
        QCOMPARE(a.totalParams, int64_t(64 * 256 + 256 + 256 * 64 + 64));
        QCOMPARE(a.nodes.at("fc1").flops, int64_t(2 * 2 * 100 * 64 * 256 + 2 * 100 * 256));
    }

    void topoOrderAndCycle() {
        Graph g;
        for (auto id : {"a", "b", "c"}) g.addNode({id, "relu"});
        g.connect({"a", "y"}, {"b", "x"});
        g.connect({"b", "y"}, {"c", "x"});
        std::vector<std::string> order, cycle;
        QVERIFY(g.topoOrder(&order, &cycle));
        QCOMPARE(order, (std::vector<std::string>{"a", "b", "c"}));
        g.connect({"c", "y"}, {"a", "x"});
        QVERIFY(!g.topoOrder(&order, &cycle));
        QCOMPARE(cycle.size(), size_t(3));
        Analysis an = analyze(g, {});
        QVERIFY(!an.ok());
        QVERIFY(QString::fromStdString(an.errorText()).contains("cycle"));
    }

    void mismatchMessageNamesBothShapes() {
        Graph g;
        g.symbols = {{"B", 1, ""}, {"T", 8, ""}};
        g.addNode({"x", "input", {{"shape", std::string("B, T, 64")}}});
        g.addNode({"proj_k", "linear", {{"out_features", int64_t(96)}}});
        g.addNode({"attn1", "add"});
        g.connect({"x", "y"}, {"proj_k", "x"});
        g.connect({"x", "y"}, {"attn1", "a"});
        g.connect({"proj_k", "y"}, {"attn1", "b"});
        Analysis a = analyze(g, {});
        QVERIFY(!a.ok());
        QString msg = QString::fromStdString(a.errors[0].message);
        QVERIFY2(msg.contains("node \"attn1\" input \"b\"") && msg.contains("[B, T, 96]") && msg.contains("[B, T, 64]") &&
                     msg.contains("\"proj_k\""),
                 qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestGraph)
#include "test_graph.moc"
