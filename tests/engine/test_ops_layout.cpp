// Layout, convolution, pooling, position and mask ops: properties the PyTorch
// fixtures do not cover — symbolic shapes kept through inference, shape errors
// that name node, port and both shapes, closed-form FLOP and parameter counts,
// blocked/threaded conv paths against naive loops written here, exact -inf masks,
// ALiBi slopes in closed form and window partition/reverse round trips.
#include "graph/analysis.h"
#include "runtime/backend.h"

#include <QtTest>

#include <cmath>

using namespace archscope;

namespace {

struct In {
    std::string port;
    std::string shape;
};

// One-op graph: inputs "in_<port>" feeding node "op", outputs "out_<port>".
Graph oneOp(const std::string& op, std::map<std::string, AttrValue> attrs, const std::vector<In>& ins,
            const std::vector<std::string>& outs = {"y"}) {
    Graph g;
    g.symbols = {{"B", 2, ""}, {"T", 6, ""}, {"H", 8, ""}, {"W", 12, ""}};
    g.addNode({"op", op, std::move(attrs)});
    for (auto& i : ins) {
        g.addNode({"in_" + i.port, "input", {{"shape", i.shape}}});
        g.connect({"in_" + i.port, "y"}, {"op", i.port});
    }
    for (auto& o : outs) {
        g.addNode({"out_" + o, "output"});
        g.connect({"op", o}, {"out_" + o, "x"});
    }
    return g;
}

QString shapeOf(const Graph& g, int out = 0, Bindings b = {}) {
    Analysis a = analyze(g, {b});
    if (!a.ok()) return QString::fromStdString("ERROR " + a.errorText());
    return QString::fromStdString(shapeStr(a.nodes.at("op").outputs.at(size_t(out)).shape));
}

QString errorsOf(const Graph& g, Bindings b = {}) { return QString::fromStdString(analyze(g, {b}).errorText()); }

// Runs the graph on the CPU backend with the given inputs and weights; returns the outputs.
std::map<std::string, Tensor> run(const Graph& g, std::map<std::string, Tensor> inputs, WeightStore ws = {}) {
    Analysis a = analyze(g, {});
    std::string err;
    if (!a.ok() || !ws.materialize(a, 1, &err)) qFatal("%s%s", a.errorText().c_str(), err.c_str());
    RunResult r = makeCpuBackend()->run({&g, &a, &ws, std::move(inputs), 3, false});
    if (!r.ok) qFatal("%s", r.error.c_str());
    return r.outputs;
}

Tensor seq(std::vector<int64_t> shape, float phase = 0.2f) {
    Tensor t(DType::F32, shape);
    for (int64_t i = 0; i < t.numel(); ++i) t.f32()[i] = std::sin(float(i) * 1.37f + phase) * float(1 + i % 5) * 0.3f;
    return t;
}

std::string dims(const std::vector<int64_t>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s;
}

// Naive dense conv2d (PyTorch semantics), independent of the engine's im2col path.
std::vector<float> naiveConv2d(const Tensor& x, const Tensor& w, const Tensor* b, int64_t groups, int64_t s, int64_t p, int64_t ho, int64_t wo) {
    int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3), o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
    int64_t cg = c / groups, og = o / groups;
    std::vector<float> y(size_t(n * o * ho * wo));
    for (int64_t in = 0; in < n; ++in)
        for (int64_t oc = 0; oc < o; ++oc)
            for (int64_t i = 0; i < ho; ++i)
                for (int64_t j = 0; j < wo; ++j) {
                    double acc = b ? b->f32()[oc] : 0.0;
                    for (int64_t ci = 0; ci < cg; ++ci)
                        for (int64_t u = 0; u < kh; ++u)
                            for (int64_t v = 0; v < kw; ++v) {
                                int64_t yy = i * s - p + u, xx = j * s - p + v;
                                if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                                acc += double(w.f32()[((oc * cg + ci) * kh + u) * kw + v]) *
                                       x.f32()[((in * c + (oc / og) * cg + ci) * h + yy) * wd + xx];
                            }
                    y[size_t(((in * o + oc) * ho + i) * wo + j)] = float(acc);
                }
    return y;
}

}  // namespace

class TestOpsLayout : public QObject {
    Q_OBJECT
private slots:
    void reshapeKeepsSymbols() {
        QCOMPARE(shapeOf(oneOp("reshape", {{"shape", std::string("B, T, 4, 16")}}, {{"x", "B, T, 64"}})), QString("[B, T, 4, 16]"));
        QCOMPARE(shapeOf(oneOp("reshape", {{"shape", std::string("B, -1, 16")}}, {{"x", "B, T, 64"}})), QString("[B, 4*T, 16]"));
        QCOMPARE(shapeOf(oneOp("reshape", {{"shape", std::string("-1, 64")}}, {{"x", "B, T, 64"}})), QString("[B*T, 64]"));
        QCOMPARE(shapeOf(oneOp("reshape", {{"shape", std::string("B*T, 64")}}, {{"x", "B, T, 64"}})), QString("[B*T, 64]"));
        // Values follow the bindings.
        Analysis a = analyze(oneOp("reshape", {{"shape", std::string("B, -1, 16")}}, {{"x", "B, T, 64"}}), {{{"T", 10}}});
        QCOMPARE(a.nodes.at("op").outputs[0].shape[1].value(), int64_t(40));
    }

    void flattenAndFriendsKeepSymbols() {
        QCOMPARE(shapeOf(oneOp("flatten", {{"start_axis", int64_t(0)}, {"end_axis", int64_t(1)}}, {{"x", "B, T, 64"}})), QString("[B*T, 64]"));
        QCOMPARE(shapeOf(oneOp("flatten", {}, {{"x", "B, 3, H, W"}})), QString("[B, 3*H*W]"));
        QCOMPARE(shapeOf(oneOp("permute", {{"perm", std::vector<int64_t>{0, 2, 1, 3}}}, {{"x", "B, T, 4, 16"}})), QString("[B, 4, T, 16]"));
        QCOMPARE(shapeOf(oneOp("concat", {{"axis", int64_t(1)}}, {{"a", "B, T, 8"}, {"b", "B, T, 8"}})), QString("[B, 2*T, 8]"));
        QCOMPARE(shapeOf(oneOp("slice", {{"axis", int64_t(1)}, {"start", int64_t(1)}}, {{"x", "B, T, 8"}})), QString("[B, T-1, 8]"));
        QCOMPARE(shapeOf(oneOp("slice", {{"axis", int64_t(1)}, {"end", int64_t(-2)}}, {{"x", "B, T, 8"}})), QString("[B, T-2, 8]"));
        QCOMPARE(shapeOf(oneOp("slice", {{"axis", int64_t(1)}, {"start", int64_t(-3)}}, {{"x", "B, T, 8"}})), QString("[B, 3, 8]"));
        QCOMPARE(shapeOf(oneOp("split", {{"axis", int64_t(2)}, {"sizes", std::vector<int64_t>{3, 5}}}, {{"x", "B, T, 8"}}, {"y0", "y1"}), 1),
                 QString("[B, T, 5]"));
        QCOMPARE(shapeOf(oneOp("conv1d", {{"out_channels", int64_t(16)}, {"padding", int64_t(1)}}, {{"x", "B, 8, T"}})), QString("[B, 16, T]"));
        QCOMPARE(shapeOf(oneOp("conv1d", {{"out_channels", int64_t(8)}, {"kernel", int64_t(4)}, {"groups", int64_t(8)}, {"causal", true}},
                               {{"x", "B, 8, T"}})),
                 QString("[B, 8, T]"));
        // Stride 2, kernel 3, padding 1 on even H, W halves them exactly.
        QCOMPARE(shapeOf(oneOp("conv2d", {{"out_channels", int64_t(4)}, {"stride", std::vector<int64_t>{2}}, {"padding", std::vector<int64_t>{1}}},
                               {{"x", "B, 3, H, W"}})),
                 QString("[B, 4, H/2, W/2]"));
        QCOMPARE(shapeOf(oneOp("maxpool2d", {}, {{"x", "B, 3, H, W"}})), QString("[B, 3, H/2, W/2]"));
        QCOMPARE(shapeOf(oneOp("window_partition", {{"window", int64_t(4)}}, {{"x", "B, H, W, 8"}})), QString("[B*H*W/16, 16, 8]"));
        QCOMPARE(shapeOf(oneOp("patch_merge", {}, {{"x", "B, H, W, 8"}})), QString("[B, H/2, W/2, 32]"));
        QCOMPARE(shapeOf(oneOp("causal_mask", {}, {{"x", "B, 4, T, T"}})), QString("[1, 1, T, T]"));
        QCOMPARE(shapeOf(oneOp("alibi", {}, {{"x", "B, 4, T, T"}})), QString("[1, 4, T, T]"));
        QCOMPARE(shapeOf(oneOp("globalpool", {}, {{"x", "B, 3, H, W"}})), QString("[B, 3]"));
        Graph wr = oneOp("window_reverse", {{"window", int64_t(4)}}, {{"x", "B*H*W/16, 16, 8"}, {"like", "B, H, W, 1"}});
        QCOMPARE(shapeOf(wr), QString("[B, H, W, 8]"));
    }

    void reshapeCountMismatchNamesNodePortShapes() {
        QString e = errorsOf(oneOp("reshape", {{"shape", std::string("B, T, 4, 8")}}, {{"x", "B, T, 64"}}));
        QVERIFY2(e.contains("node \"op\" input \"x\""), qPrintable(e));
        QVERIFY2(e.contains("[B, T, 64]") && e.contains("[B, T, 4, 8]") && e.contains("from \"in_x\""), qPrintable(e));
        QVERIFY2(e.contains("768 elements") && e.contains("384 elements"), qPrintable(e));
        e = errorsOf(oneOp("reshape", {{"shape", std::string("-1, 7")}}, {{"x", "B, T, 64"}}));
        QVERIFY2(e.contains("not divisible by 7") && e.contains("[B, T, 64]"), qPrintable(e));
        e = errorsOf(oneOp("reshape", {{"shape", std::string("-1, -1")}}, {{"x", "B, T, 64"}}));
        QVERIFY2(e.contains("only one dimension may be -1"), qPrintable(e));
    }

    void concatMismatchNamesBothShapes() {
        QString e = errorsOf(oneOp("concat", {{"axis", int64_t(1)}}, {{"a", "B, T, 64"}, {"b", "B, T, 32"}}));
        QVERIFY2(e.contains("node \"op\" input \"b\""), qPrintable(e));
        QVERIFY2(e.contains("[B, T, 64]") && e.contains("[B, T, 32]"), qPrintable(e));
        QVERIFY2(e.contains("from \"in_a\"") && e.contains("from \"in_b\""), qPrintable(e));
    }

    void posLearnedTooLongNamesLength() {
        Graph g = oneOp("pos_learned", {{"max_len", int64_t(8)}}, {{"x", "B, T, 16"}});
        QVERIFY2(errorsOf(g).isEmpty(), qPrintable(errorsOf(g)));
        QString e = errorsOf(g, {{"T", 9}});
        QVERIFY2(e.contains("node \"op\" input \"x\""), qPrintable(e));
        QVERIFY2(e.contains("[B, T, 16]") && e.contains("T = 9") && e.contains("max_len = 8") && e.contains("from \"in_x\""), qPrintable(e));
    }

    void otherShapeErrors() {
        QString e = errorsOf(oneOp("split", {{"axis", int64_t(1)}, {"sizes", std::vector<int64_t>{2, 3}}}, {{"x", "B, T, 8"}}, {"y0"}));
        QVERIFY2(e.contains("sum to 5") && e.contains("[B, T, 8]"), qPrintable(e));
        e = errorsOf(oneOp("split", {{"sizes", std::vector<int64_t>{1, 1, 1, 1, 4}}}, {{"x", "B, T, 8"}}, {"y0"}));
        QVERIFY2(e.contains("1 to 4 entries"), qPrintable(e));
        e = errorsOf(oneOp("permute", {{"perm", std::vector<int64_t>{0, 0, 1}}}, {{"x", "B, T, 8"}}));
        QVERIFY2(e.contains("not a permutation") && e.contains("[B, T, 8]"), qPrintable(e));
        e = errorsOf(oneOp("conv2d", {{"out_channels", int64_t(4)}, {"groups", int64_t(2)}}, {{"x", "B, 3, H, W"}}));
        QVERIFY2(e.contains("groups = 2") && e.contains("[B, 3, H, W]"), qPrintable(e));
        e = errorsOf(oneOp("conv1d", {{"out_channels", int64_t(4)}, {"kernel", int64_t(9)}}, {{"x", "B, 3, T"}}));
        QVERIFY2(e.contains("shorter than the dilated kernel 9"), qPrintable(e));
        e = errorsOf(oneOp("window_partition", {{"window", int64_t(5)}}, {{"x", "B, H, W, 8"}}));
        QVERIFY2(e.contains("multiples of the window 5") && e.contains("[B, H, W, 8]"), qPrintable(e));
        e = errorsOf(oneOp("rope", {{"rotary_dim", int64_t(3)}}, {{"x", "B, 4, T, 8"}}));
        QVERIFY2(e.contains("must be even"), qPrintable(e));
        e = errorsOf(oneOp("slice", {{"axis", int64_t(1)}, {"start", int64_t(4)}, {"end", int64_t(2)}}, {{"x", "B, T, 8"}}));
        QVERIFY2(e.contains("is empty"), qPrintable(e));
        e = errorsOf(oneOp("window_reverse", {{"window", int64_t(4)}}, {{"x", "B*H*W/16, 9, 8"}, {"like", "B, H, W, 1"}}));
        QVERIFY2(e.contains("input \"x\"") && e.contains("16"), qPrintable(e));
    }

    void convFlopsAndParamsClosedForm() {
        Graph g = oneOp("conv2d", {{"out_channels", int64_t(8)}, {"stride", std::vector<int64_t>{2}}, {"padding", std::vector<int64_t>{1}}},
                        {{"x", "2, 3, 9, 9"}});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        // Ho = Wo = floor((9 + 2 - 3) / 2) + 1 = 5; 2*N*O*Ho*Wo*(C*kh*kw) + N*O*Ho*Wo for the bias.
        QCOMPARE(a.nodes.at("op").flops, int64_t(2 * 2 * 8 * 5 * 5 * 3 * 9 + 2 * 8 * 5 * 5));
        QCOMPARE(a.nodes.at("op").paramCount, int64_t(8 * 3 * 9 + 8));
        Graph d = oneOp("conv1d", {{"out_channels", int64_t(12)}, {"kernel", int64_t(4)}, {"groups", int64_t(6)}, {"bias", false}, {"causal", true}},
                        {{"x", "B, 6, T"}});
        a = analyze(d, {{{"T", 100}}});
        QVERIFY2(a.ok(), a.errorText().c_str());
        // Each output sees C/groups = 1 channel x 4 taps; L_out = T.
        QCOMPARE(a.nodes.at("op").flops, int64_t(2 * 2 * 12 * 100 * 1 * 4));
        QCOMPARE(a.nodes.at("op").paramCount, int64_t(12 * 1 * 4));
    }

    void convLargeMatchesNaive_data() {
        QTest::addColumn<QString>("xshape");
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("pad");
        QTest::addColumn<int>("groups");
        // 128*3*3 = 1152 rows of im2col: the output plane of 64*64 is split into column blocks.
        QTest::newRow("blocked_im2col") << "1, 128, 64, 64" << 4 << 3 << 1 << 1 << 1;
        QTest::newRow("blocked_pointwise_batched") << "3, 1100, 63, 65" << 2 << 1 << 1 << 0 << 1;
        QTest::newRow("depthwise_threads") << "2, 16, 33, 31" << 32 << 3 << 2 << 1 << 16;
        QTest::newRow("grouped_strided") << "2, 12, 21, 19" << 9 << 5 << 3 << 2 << 3;
    }
    void convLargeMatchesNaive() {
        QFETCH(QString, xshape);
        QFETCH(int, out);
        QFETCH(int, k);
        QFETCH(int, stride);
        QFETCH(int, pad);
        QFETCH(int, groups);
        Graph g = oneOp("conv2d", {{"out_channels", int64_t(out)}, {"kernel", std::vector<int64_t>{k}}, {"stride", std::vector<int64_t>{stride}},
                                   {"padding", std::vector<int64_t>{pad}}, {"groups", int64_t(groups)}},
                        {{"x", xshape.toStdString()}});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        const auto& ys = a.nodes.at("op").outputs[0].shape;
        Tensor x = seq(shapeValues(a.nodes.at("in_x").outputs[0].shape));
        int64_t cg = x.dim(1) / groups;
        Tensor w = seq({out, cg, k, k}, 1.1f), b = seq({out}, 0.5f);
        WeightStore ws;
        ws.set("op", "weight", w);
        ws.set("op", "bias", b);
        auto outs = run(g, {{"in_x", x}}, ws);
        std::vector<float> want = naiveConv2d(x, w, &b, groups, stride, pad, ys[2].value(), ys[3].value());
        const Tensor& y = outs.at("out_y");
        QCOMPARE(y.numel(), int64_t(want.size()));
        double worst = 0;
        for (int64_t i = 0; i < y.numel(); ++i)
            worst = std::max(worst, std::abs(double(y.f32()[i]) - want[size_t(i)]) / (1.0 + std::abs(want[size_t(i)])));
        QVERIFY2(worst < 1e-4, qPrintable(QString("worst relative error %1").arg(worst)));
    }

    void masksAreExactlyZeroOrMinusInf() {
        Graph c = oneOp("causal_mask", {{"offset", int64_t(2)}}, {{"x", "1, 2, 3, 6"}});
        Graph s = oneOp("sliding_window_mask", {{"offset", int64_t(2)}, {"window", int64_t(2)}}, {{"x", "1, 2, 3, 6"}});
        Tensor yc = run(c, {}).at("out_y"), ys = run(s, {}).at("out_y");
        QCOMPARE(yc.shape(), (std::vector<int64_t>{1, 1, 3, 6}));
        for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 6; ++j) {
                int64_t q = 2 + i;
                float vc = yc.f32()[i * 6 + j], vs = ys.f32()[i * 6 + j];
                QVERIFY2(j <= q ? vc == 0.0f : (std::isinf(vc) && vc < 0), qPrintable(QString("causal %1,%2 = %3").arg(i).arg(j).arg(vc)));
                bool vis = j <= q && j >= q - 1;
                QVERIFY2(vis ? vs == 0.0f : (std::isinf(vs) && vs < 0), qPrintable(QString("window %1,%2 = %3").arg(i).arg(j).arg(vs)));
            }
    }

    void alibiSlopesClosedForm() {
        // 8 heads: m_h = 2^-(h+1). 6 heads: the 4-head slopes 2^-2, 2^-4, 2^-6, 2^-8, then 2^-1, 2^-3 from 8 heads.
        const std::map<int, std::vector<double>> want = {{8, {0.5, 0.25, 0.125, 0.0625, 1.0 / 32, 1.0 / 64, 1.0 / 128, 1.0 / 256}},
                                                         {6, {0.25, 1.0 / 16, 1.0 / 64, 1.0 / 256, 0.5, 0.125}}};
        for (auto& [heads, slopes] : want) {
            Graph g = oneOp("alibi", {}, {{"x", "1, " + std::to_string(heads) + ", 2, 3"}});
            Tensor y = run(g, {}).at("out_y");
            for (int h = 0; h < heads; ++h) {
                // y[h, i=1, j=0] = m_h * (0 - 1); y[h, 0, 2] = 2 m_h.
                QCOMPARE(double(y.f32()[h * 6 + 3]), -slopes[size_t(h)]);
                QCOMPARE(double(y.f32()[h * 6 + 2]), 2 * slopes[size_t(h)]);
            }
        }
    }

    void windowPartitionReverseRoundTrip() {
        for (int64_t shift : {0, 1, 3}) {
            Graph g;
            g.addNode({"x", "input", {{"shape", std::string("2, 8, 12, 3")}}});
            g.addNode({"part", "window_partition", {{"window", int64_t(4)}, {"shift", shift}}});
            g.addNode({"op", "window_reverse", {{"window", int64_t(4)}, {"shift", shift}}});
            g.addNode({"out", "output"});
            g.addNode({"out_part", "output"});
            g.connect({"x", "y"}, {"part", "x"});
            g.connect({"part", "y"}, {"op", "x"});
            g.connect({"x", "y"}, {"op", "like"});
            g.connect({"op", "y"}, {"out", "x"});
            g.connect({"part", "y"}, {"out_part", "x"});
            Tensor x = seq({2, 8, 12, 3});
            auto outs = run(g, {{"x", x}});
            const Tensor& y = outs.at("out");
            for (int64_t i = 0; i < x.numel(); ++i) QCOMPARE(y.f32()[i], x.f32()[i]);
            // Window 0, element (i, j) comes from x[0, (i + shift) % 8, (j + shift) % 12].
            const Tensor& p = outs.at("out_part");
            for (int64_t i = 0; i < 4; ++i)
                for (int64_t j = 0; j < 4; ++j)
                    QCOMPARE(p.f32()[(i * 4 + j) * 3], x.f32()[(((i + shift) % 8) * 12 + (j + shift) % 12) * 3]);
        }
    }

    void layoutOpsMoveI64() {
        Graph g;
        g.addNode({"ids", "input", {{"shape", std::string("2, 5")}, {"dtype", std::string("i64")}}});
        g.addNode({"op", "slice", {{"axis", int64_t(1)}, {"start", int64_t(-2)}}});
        g.addNode({"out", "output"});
        g.connect({"ids", "y"}, {"op", "x"});
        g.connect({"op", "y"}, {"out", "x"});
        Tensor ids = Tensor::i64({2, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        Tensor y = run(g, {{"ids", ids}}).at("out");
        QCOMPARE(y.dtype(), DType::I64);
        QCOMPARE(y.shape(), (std::vector<int64_t>{2, 2}));
        QCOMPARE(y.i64()[0], int64_t(3));
        QCOMPARE(y.i64()[3], int64_t(9));
    }
};

QTEST_GUILESS_MAIN(TestOpsLayout)
#include "test_ops_layout.moc"
