// Composite blocks: expansion into primitives, aggregation, weight tying, errors.
#include "core/registry.h"
#include "graph/analysis.h"
#include "runtime/backend.h"

#include <QtTest>

using namespace archscope;

namespace {

// A residual MLP block used only by this test: y = x + W2 relu(W1 x); `tied`
// applies the first layer twice with shared weights.
std::shared_ptr<OpDef> testBlock() {
    auto d = std::make_shared<OpDef>();
    d->id = "test_block";
    d->displayName = "Test block";
    d->category = "Blocks";
    d->inputs = {{"x", PortType::F32, "[..., d]"}};
    d->outputs = {{"y", PortType::F32, "[..., d]"}};
    d->attrs = {attrInt("d", 8, 1, 4096, "width"), attrInt("hidden", 16, 1, 4096, "hidden width"), attrBool("tied", false, "apply fc1 twice")};
    d->expand = [](const Attrs& a, Graph* b, std::string*) {
        b->addNode({"x", "input"});
        b->addNode({"fc1", "linear", {{"out_features", a.i("hidden")}}});
        b->addNode({"act", "relu"});
        b->addNode({"fc2", "linear", {{"out_features", a.i("d")}}});
        b->addNode({"res", "add"});
        b->addNode({"y", "output"});
        b->connect({"x", "y"}, {"fc1", "x"});
        b->connect({"fc1", "y"}, {"act", "x"});
        std::string last = "act";
        if (a.b("tied")) {
            b->addNode({"fc1b", "linear", {{"out_features", a.i("hidden")}}});
            b->node("fc1b")->weightsOf = "fc1";
            b->connect({"act", "y"}, {"fc1b", "x"});
            last = "fc1b";
        }
        b->connect({last, "y"}, {"fc2", "x"});
        b->connect({"fc2", "y"}, {"res", "a"});
        b->connect({"x", "y"}, {"res", "b"});
        b->connect({"res", "y"}, {"y", "x"});
        return true;
    };
    return d;
}

OpRegistry& registry() {
    static OpRegistry r = [] {
        OpRegistry reg;
        registerCoreOps(reg);
        std::string err;
        reg.add(testBlock(), &err);
        return reg;
    }();
    return r;
}

Graph design(bool tied, int hidden = 16) {
    Graph g;
    g.symbols = {{"T", 5, ""}};
    g.addNode({"x", "input", {{"shape", std::string("T, 8")}}});
    g.addNode({"blk", "test_block", {{"tied", tied}, {"hidden", int64_t(hidden)}}});
    g.addNode({"out", "output"});
    g.connect({"x", "y"}, {"blk", "x"});
    g.connect({"blk", "y"}, {"out", "x"});
    return g;
}

}  // namespace

class TestComposite : public QObject {
    Q_OBJECT
private slots:
    void flattensWithPathIds() {
        Analysis a = analyze(design(false), {}, registry());
        QVERIFY2(a.ok(), a.errorText().c_str());
        QVERIFY(a.graph().node("blk/fc1"));
        QVERIFY(!a.graph().node("blk"));
        QCOMPARE(a.composites.at("blk").members.size(), size_t(4));
        const NodeInfo& blk = a.nodes.at("blk");
        QVERIFY(blk.composite);
        QCOMPARE(QString::fromStdString(shapeStr(blk.outputs.at(0).shape)), QString("[T, 8]"));
        QCOMPARE(blk.paramCount, int64_t(8 * 16 + 16 + 16 * 8 + 8));
        QCOMPARE(a.totalParams, blk.paramCount);
    }

    void runsLikeHandWiredGraph() {
        Graph g = design(false);
        Analysis a = analyze(g, {}, registry());
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 7, &err));
        Tensor x = Tensor::f32({5, 8}, std::vector<float>(40, 0.5f));
        for (int i = 0; i < 40; ++i) x.f32()[i] = float(i % 7) - 3.0f;
        RunResult r = makeCpuBackend()->run({&g, &a, &w, {{"x", x}}, 0, false});
        QVERIFY2(r.ok, r.error.c_str());
        // Independent reference with plain loops over the same weights.
        const Tensor& w1 = *w.find("blk/fc1", "weight");
        const Tensor& b1 = *w.find("blk/fc1", "bias");
        const Tensor& w2 = *w.find("blk/fc2", "weight");
        const Tensor& b2 = *w.find("blk/fc2", "bias");
        const Tensor& y = r.outputs.at("out");
        for (int t = 0; t < 5; ++t) {
            float h[16];
            for (int j = 0; j < 16; ++j) {
                double s = b1.f32()[j];
                for (int i = 0; i < 8; ++i) s += double(w1.f32()[j * 8 + i]) * x.f32()[t * 8 + i];
                h[j] = s > 0 ? float(s) : 0.0f;
            }
            for (int o = 0; o < 8; ++o) {
                double s = b2.f32()[o] + x.f32()[t * 8 + o];
                for (int j = 0; j < 16; ++j) s += double(w2.f32()[o * 16 + j]) * h[j];
                QVERIFY(std::abs(y.f32()[t * 8 + o] - s) < 1e-4 * (1 + std::abs(s)));
            }
        }
    }

    void weightTyingSharesParameters() {
        Analysis a = analyze(design(true, 8), {}, registry());
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.nodes.at("blk/fc1b").weightNode, std::string("blk/fc1"));
        QCOMPARE(a.totalParams, int64_t(8 * 8 + 8 + 8 * 8 + 8));
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 1, &err));
        QVERIFY(!w.find("blk/fc1b", "weight"));
    }

    void badPortOnBlockIsReported() {
        Graph g = design(false);
        g.connect({"x", "y"}, {"blk", "nope"});
        Analysis a = analyze(g, {}, registry());
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("node \"blk\" has no input \"nope\""), a.errorText().c_str());
    }

    void errorsInsideBlockNameInnerNode() {
        Graph g = design(false);
        g.node("x")->attrs["shape"] = std::string("T, 9");  // block residual needs d == 9
        Analysis a = analyze(g, {}, registry());
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("node \"blk/res\""), a.errorText().c_str());
    }
};

QTEST_GUILESS_MAIN(TestComposite)
#include "test_composite.moc"
