// Group A ops (elementwise, activations, norms, softmax, embedding, matmul,
// topk, cumsum, scan): properties the PyTorch fixtures do not cover — shape
// errors that name node, port and shapes, run-time errors, invariants checked
// against naive loops written here, and closed-form FLOP and parameter counts.
#include "graph/analysis.h"
#include "runtime/backend.h"

#include <QtTest>

#include <cmath>

using namespace archscope;

namespace {

struct In {
    std::string port;
    std::string shape;
    std::string dtype = "f32";
};

// One-op graph: inputs "in_<port>" feeding node "op", outputs "out_<port>".
Graph oneOp(const std::string& op, std::map<std::string, AttrValue> attrs, const std::vector<In>& ins,
            const std::vector<std::string>& outs = {"y"}) {
    Graph g;
    g.symbols = {{"B", 2, ""}, {"T", 5, ""}};
    g.addNode({"op", op, std::move(attrs)});
    for (auto& i : ins) {
        g.addNode({"in_" + i.port, "input", {{"shape", i.shape}, {"dtype", i.dtype}}});
        g.connect({"in_" + i.port, "y"}, {"op", i.port});
    }
    for (auto& o : outs) {
        g.addNode({"out_" + o, "output"});
        g.connect({"op", o}, {"out_" + o, "x"});
    }
    return g;
}

QString errorsOf(const Graph& g, Bindings b = {}) { return QString::fromStdString(analyze(g, {b}).errorText()); }

struct Ran {
    RunResult res;
    Analysis an;
};

Ran runOne(const Graph& g, std::map<std::string, Tensor> inputs, WeightStore* w = nullptr) {
    Ran r;
    r.an = analyze(g, {});
    if (!r.an.ok()) { r.res.error = r.an.errorText(); return r; }
    WeightStore local;
    WeightStore* ws = w ? w : &local;
    std::string err;
    if (!ws->materialize(r.an, 1, &err)) { r.res.error = err; return r; }
    r.res = makeCpuBackend()->run({&g, &r.an, ws, std::move(inputs), 3, false});
    return r;
}

Tensor seq(std::vector<int64_t> shape, float scale = 0.37f) {
    Tensor t(DType::F32, shape);
    for (int64_t i = 0; i < t.numel(); ++i) t.f32()[i] = std::sin(float(i) * 1.3f + 0.2f) * scale * float(1 + i % 7);
    return t;
}

}  // namespace

class TestOpsMath : public QObject {
    Q_OBJECT
private slots:
    void matmulInnerMismatchNamesShapes() {
        Graph g = oneOp("matmul", {}, {{"a", "B, T, 5"}, {"b", "B, 4, 7"}});
        QString e = errorsOf(g);
        QVERIFY2(e.contains("node \"op\" input \"b\""), qPrintable(e));
        QVERIFY2(e.contains("[B, T, 5]") && e.contains("[B, 4, 7]"), qPrintable(e));
        QVERIFY2(e.contains("from \"in_a\"") && e.contains("from \"in_b\""), qPrintable(e));
        // With transpose_a, a [B, T, 5] is used as [B, 5, T] (K = T): T = 4 fits b [B, 4, 7].
        Graph ok = oneOp("matmul", {{"transpose_a", true}}, {{"a", "B, T, 5"}, {"b", "B, 4, 7"}});
        QVERIFY2(errorsOf(ok, {{"T", 4}}).isEmpty(), qPrintable(errorsOf(ok, {{"T", 4}})));
        Graph bad = oneOp("matmul", {}, {{"a", "3, 2, 5"}, {"b", "4, 5, 7"}});
        e = errorsOf(bad);
        QVERIFY2(e.contains("batch dimensions do not broadcast") && e.contains("[3, 2, 5]") && e.contains("[4, 5, 7]"), qPrintable(e));
        e = errorsOf(oneOp("matmul", {}, {{"a", "5"}, {"b", "5, 7"}}));
        QVERIFY2(e.contains("input \"a\"") && e.contains("rank >= 2"), qPrintable(e));
    }

    void softmaxMaskMustBroadcastToX() {
        QString e = errorsOf(oneOp("softmax", {}, {{"x", "2, 5"}, {"mask", "3, 5"}}));
        QVERIFY2(e.contains("node \"op\" input \"mask\"") && e.contains("[3, 5]") && e.contains("[2, 5]"), qPrintable(e));
        // A mask that would enlarge x is refused too.
        e = errorsOf(oneOp("softmax", {}, {{"x", "1, 5"}, {"mask", "4, 5"}}));
        QVERIFY2(e.contains("must broadcast to x [1, 5]"), qPrintable(e));
        e = errorsOf(oneOp("softmax", {{"axis", int64_t(2)}}, {{"x", "B, T"}}));
        QVERIFY2(e.contains("\"axis\" = 2") && e.contains("[B, T]"), qPrintable(e));
    }

    void scanValidatesPerMode() {
        // diag: dt must match x; message names port, both shapes and the source.
        QString e = errorsOf(oneOp("scan", {}, {{"x", "B, T, 8"}, {"dt", "B, T, 7"}, {"Bm", "B, T, 4"}, {"Cm", "B, T, 4"}}));
        QVERIFY2(e.contains("input \"dt\": expected [B, T, 8], got [B, T, 7] from \"in_dt\""), qPrintable(e));
        e = errorsOf(oneOp("scan", {}, {{"x", "B, T, 8"}, {"dt", "B, T, 8"}, {"Bm", "B, T, 4"}}));
        QVERIFY2(e.contains("input \"Cm\": not connected; mode \"diag\" needs it"), qPrintable(e));
        e = errorsOf(oneOp("scan", {{"mode", std::string("delta")}},
                           {{"q", "B, 2, T, 4"}, {"k", "B, 2, T, 4"}, {"v", "B, 2, T, 3"}, {"beta", "B, 2, T"}, {"g", "B, 2, T, 4"}}));
        QVERIFY2(e.contains("input \"g\": is not used by mode \"delta\""), qPrintable(e));
        e = errorsOf(oneOp("scan", {{"mode", std::string("delta")}},
                           {{"q", "B, 2, T, 4"}, {"k", "B, 2, T, 4"}, {"v", "B, 2, T, 3"}, {"beta", "B, T"}}));
        QVERIFY2(e.contains("input \"beta\": expected [B, 2, T], got [B, T]"), qPrintable(e));
        e = errorsOf(oneOp("scan", {{"mode", std::string("decay")}}, {{"q", "B, 2, T, 4"}, {"k", "B, 2, T, 3"}, {"v", "B, 2, T, 3"}}));
        QVERIFY2(e.contains("input \"k\": expected [B, 2, T, 4], got [B, 2, T, 3]"), qPrintable(e));
    }

    void otherShapeErrors() {
        QString e = errorsOf(oneOp("topk", {{"k", int64_t(9)}}, {{"x", "B, T"}}, {"values", "indices"}));
        QVERIFY2(e.contains("\"k\" = 9 exceeds the size T") && e.contains("[B, T]"), qPrintable(e));
        e = errorsOf(oneOp("embedding", {{"num_embeddings", int64_t(10)}, {"dim", int64_t(4)}}, {{"ids", "B, T"}}));
        QVERIFY2(e.contains("input \"ids\"") && e.contains("i64"), qPrintable(e));
        e = errorsOf(oneOp("clamp", {{"min", 2.0}, {"max", 1.0}}, {{"x", "B"}}));
        QVERIFY2(e.contains("node \"op\": attribute \"min\""), qPrintable(e));
        e = errorsOf(oneOp("mul", {}, {{"a", "B, T, 3"}, {"b", "T, 4"}}));
        QVERIFY2(e.contains("[T, 4]") && e.contains("[B, T, 3]"), qPrintable(e));
        e = errorsOf(oneOp("batchnorm", {}, {{"x", "T"}}));
        QVERIFY2(e.contains("input \"x\": expected rank >= 2"), qPrintable(e));
    }

    void embeddingOutOfRangeThrows() {
        Graph g = oneOp("embedding", {{"num_embeddings", int64_t(33)}, {"dim", int64_t(4)}}, {{"ids", "2, 3", "i64"}});
        Ran r = runOne(g, {{"in_ids", Tensor::i64({2, 3}, {0, 5, 32, 1, 40, 2})}});
        QVERIFY(!r.res.ok);
        QString e = QString::fromStdString(r.res.error);
        QVERIFY2(e.contains("node \"op\"") && e.contains("id 40") && e.contains("num_embeddings = 33"), qPrintable(e));
        r = runOne(g, {{"in_ids", Tensor::i64({2, 3}, {0, 5, -1, 1, 4, 2})}});
        QVERIFY2(!r.res.ok && QString::fromStdString(r.res.error).contains("id -1"), r.res.error.c_str());
        // In range: each row equals the table row (checked against the materialised weight).
        WeightStore w;
        r = runOne(g, {{"in_ids", Tensor::i64({2, 3}, {0, 5, 32, 1, 5, 2})}}, &w);
        QVERIFY2(r.res.ok, r.res.error.c_str());
        const Tensor& y = r.res.outputs.at("out_y");
        const Tensor* table = w.find("op", "weight");
        QVERIFY(table);
        QCOMPARE(y.shape(), (std::vector<int64_t>{2, 3, 4}));
        for (int j = 0; j < 4; ++j) QCOMPARE(y.f32()[2 * 4 + j], table->f32()[32 * 4 + j]);
    }

    void softmaxRowsSumToOne() {
        for (int64_t axis : {int64_t(-1), int64_t(0), int64_t(1)}) {
            Graph g = oneOp("softmax", {{"axis", axis}, {"temperature", 0.5}}, {{"x", "37, 9, 5"}});
            Tensor x = seq({37, 9, 5}, 2.0f);
            Ran r = runOne(g, {{"in_x", x}});
            QVERIFY2(r.res.ok, r.res.error.c_str());
            const Tensor& y = r.res.outputs.at("out_y");
            const int64_t dims[3] = {37, 9, 5};
            const int ax = int(axis < 0 ? axis + 3 : axis);
            const int64_t st[3] = {45, 5, 1};
            for (int64_t i = 0; i < y.numel(); ++i) {
                if ((i / st[ax]) % dims[ax] != 0) continue;  // one start per row
                double s = 0;
                for (int64_t j = 0; j < dims[ax]; ++j) s += y.f32()[i + j * st[ax]];
                QVERIFY2(std::abs(s - 1.0) < 1e-5, qPrintable(QString("axis %1 sum %2").arg(axis).arg(s)));
            }
        }
    }

    void softmaxFullyMaskedRowIsZero() {
        const float inf = std::numeric_limits<float>::infinity();
        Graph g = oneOp("softmax", {}, {{"x", "3, 4"}, {"mask", "3, 4"}});
        Tensor m = Tensor::f32({3, 4}, {0, -inf, 0, 0, -inf, -inf, -inf, -inf, -1e9f, -1e9f, -1e9f, -1e9f});
        Ran r = runOne(g, {{"in_x", seq({3, 4})}, {"in_mask", m}});
        QVERIFY2(r.res.ok, r.res.error.c_str());
        const float* y = r.res.outputs.at("out_y").f32();
        QCOMPARE(y[1], 0.0f);
        QVERIFY(std::abs(y[0] + y[2] + y[3] - 1.0f) < 1e-6f);
        for (int j = 4; j < 12; ++j) QCOMPARE(y[j], 0.0f);  // zeros, not NaN
    }

    void matmulMatchesNaiveLoop() {
        // a [5, 33, 17] with b [17, 9] broadcast over the batch; several batches run in parallel.
        Graph g = oneOp("matmul", {{"alpha", 0.5}}, {{"a", "5, 33, 17"}, {"b", "17, 9"}});
        Tensor a = seq({5, 33, 17}), b = seq({17, 9}, 0.11f);
        Ran r = runOne(g, {{"in_a", a}, {"in_b", b}});
        QVERIFY2(r.res.ok, r.res.error.c_str());
        const Tensor& y = r.res.outputs.at("out_y");
        QCOMPARE(y.shape(), (std::vector<int64_t>{5, 33, 9}));
        double worst = 0;
        for (int n = 0; n < 5; ++n)
            for (int i = 0; i < 33; ++i)
                for (int j = 0; j < 9; ++j) {
                    double s = 0;
                    for (int k = 0; k < 17; ++k) s += double(a.f32()[(n * 33 + i) * 17 + k]) * b.f32()[k * 9 + j];
                    worst = std::max(worst, std::abs(0.5 * s - y.f32()[(n * 33 + i) * 9 + j]));
                }
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }

    void flopsClosedForms() {
        Bindings b{{"B", 3}, {"T", 7}};
        // matmul [B, 1, T, 16] x [4, 16, T] -> [B, 4, T, T]: 2*B*4*T*T*16, alpha adds B*4*T*T.
        Graph g = oneOp("matmul", {}, {{"a", "B, 1, T, 16"}, {"b", "4, 16, T"}});
        Analysis a = analyze(g, {b});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(QString::fromStdString(shapeStr(a.nodes.at("op").outputs[0].shape)), QString("[B, 4, T, T]"));
        QCOMPARE(a.nodes.at("op").flops, int64_t(2 * 3 * 4 * 7 * 7 * 16));
        g = oneOp("matmul", {{"alpha", 0.25}, {"transpose_b", true}}, {{"a", "B, T, 16"}, {"b", "B, T, 16"}});
        a = analyze(g, {b});
        QCOMPARE(a.nodes.at("op").flops, int64_t(2 * 3 * 7 * 7 * 16 + 3 * 7 * 7));
        // softmax: 5 per element; +1 mask, +1 temperature, +2 clip.
        g = oneOp("softmax", {}, {{"x", "B, 4, T, T"}});
        QCOMPARE(analyze(g, {b}).nodes.at("op").flops, int64_t(5 * 3 * 4 * 7 * 7));
        g = oneOp("softmax", {{"temperature", 2.0}, {"gamma", -0.01}}, {{"x", "B, 4, T, T"}, {"mask", "T, T"}});
        QCOMPARE(analyze(g, {b}).nodes.at("op").flops, int64_t((5 + 1 + 1 + 2) * 3 * 4 * 7 * 7));
    }

    void paramShapesAndCounts() {
        Analysis a = analyze(oneOp("batchnorm", {}, {{"x", "B, 6, T, T"}}), {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.nodes.at("op").params.size(), size_t(4));
        QCOMPARE(a.nodes.at("op").params[2].name, std::string("running_mean"));
        QCOMPARE(a.nodes.at("op").params[3].init, Init::Ones);
        a = analyze(oneOp("scan", {}, {{"x", "B, T, 8"}, {"dt", "B, T, 8"}, {"Bm", "B, T, 4"}, {"Cm", "B, T, 4"}}), {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.totalParams, int64_t(8 * 4 + 8));
        a = analyze(oneOp("layernorm", {{"affine", false}}, {{"x", "B, T, 8"}}), {});
        QCOMPARE(a.totalParams, int64_t(0));
    }

    void topkTiesKeepLowerIndex() {
        Graph g = oneOp("topk", {{"k", int64_t(3)}}, {{"x", "1, 5"}}, {"values", "indices"});
        Ran r = runOne(g, {{"in_x", Tensor::f32({1, 5}, {1, 3, 3, 2, 3})}});
        QVERIFY2(r.res.ok, r.res.error.c_str());
        const int64_t* idx = r.res.outputs.at("out_indices").i64();
        QCOMPARE(std::vector<int64_t>(idx, idx + 3), (std::vector<int64_t>{1, 2, 4}));
        QCOMPARE(r.res.outputs.at("out_values").f32()[2], 3.0f);
    }

    void deltaRuleOverwritesAKey() {
        // Unit key, beta = 1: step 1 stores v1 (q = k reads it back); step 2 with the same key
        // replaces it, so the read returns v2 exactly, not v1 + v2 as plain linear attention would.
        Graph g = oneOp("scan", {{"mode", std::string("delta")}},
                        {{"q", "1, 1, 2, 2"}, {"k", "1, 1, 2, 2"}, {"v", "1, 1, 2, 3"}, {"beta", "1, 1, 2"}});
        const float c = 0.6f, s = 0.8f;
        Tensor kq = Tensor::f32({1, 1, 2, 2}, {c, s, c, s});
        Tensor v = Tensor::f32({1, 1, 2, 3}, {1, 2, 3, -4, 5, 0.5f});
        Ran r = runOne(g, {{"in_q", kq}, {"in_k", kq}, {"in_v", v}, {"in_beta", Tensor::f32({1, 1, 2}, {1, 1})}});
        QVERIFY2(r.res.ok, r.res.error.c_str());
        const float* o = r.res.outputs.at("out_y").f32();
        for (int j = 0; j < 6; ++j) QVERIFY2(std::abs(o[j] - v.f32()[j]) < 1e-5f, qPrintable(QString::number(o[j])));
    }

    void decayWithGammaOneIsCausalLinearAttention() {
        // o_t = q_t * sum_{s <= t} k_s^T v_s, computed here directly.
        Graph g = oneOp("scan", {{"mode", std::string("decay")}, {"gamma", 1.0}},
                        {{"q", "2, 3, 9, 4"}, {"k", "2, 3, 9, 4"}, {"v", "2, 3, 9, 5"}});
        Tensor q = seq({2, 3, 9, 4}), k = seq({2, 3, 9, 4}, 0.21f), v = seq({2, 3, 9, 5}, 0.5f);
        Ran r = runOne(g, {{"in_q", q}, {"in_k", k}, {"in_v", v}});
        QVERIFY2(r.res.ok, r.res.error.c_str());
        const float* o = r.res.outputs.at("out_y").f32();
        double worst = 0;
        for (int bh = 0; bh < 6; ++bh)
            for (int t = 0; t < 9; ++t)
                for (int j = 0; j < 5; ++j) {
                    double acc = 0;
                    for (int s = 0; s <= t; ++s) {
                        double qk = 0;
                        for (int i = 0; i < 4; ++i) qk += double(q.f32()[(bh * 9 + t) * 4 + i]) * k.f32()[(bh * 9 + s) * 4 + i];
                        acc += qk * v.f32()[(bh * 9 + s) * 5 + j];
                    }
                    worst = std::max(worst, std::abs(acc - o[(bh * 9 + t) * 5 + j]));
                }
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }
};

QTEST_GUILESS_MAIN(TestOpsMath)
#include "test_ops_math.moc"
