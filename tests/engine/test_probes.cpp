// Probes: statistics on known tensors against closed forms and loops written
// here, attention selection through the op definition, memory lifetimes, and
// an end-to-end profile of the sample design.
#include "core/registry.h"
#include "graph/design_io.h"
#include "probes/probes.h"
#include "probes/profiler.h"
#include "probes/stats.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace archscope;

namespace {

// A registry with the core ops whose softmax output carries the "attention"
// probe hint (the hint lives in the op definition, not in the probes).
OpRegistry& hintedRegistry() {
    static OpRegistry reg = [] {
        OpRegistry r;
        std::string err;
        for (const OpDef* d : OpRegistry::global().all()) {
            auto copy = std::make_shared<OpDef>(*d);
            if (copy->id == "softmax") copy->outputs[0].probe = "attention";
            r.add(copy, &err);
        }
        return r;
    }();
    return reg;
}

// x [B, H, T, T] -> softmax(axis) -> out.
Graph attentionGraph(const std::string& shape, int64_t axis) {
    Graph g;
    g.addNode({"scores", "input", {{"shape", shape}}});
    g.addNode({"probs", "softmax", {{"axis", axis}}});
    g.addNode({"out", "output"});
    g.connect({"scores", "y"}, {"probs", "x"});
    g.connect({"probs", "y"}, {"out", "x"});
    return g;
}

}  // namespace

class TestProbes : public QObject {
    Q_OBJECT
private slots:
    void entropyClosedForms() {
        std::vector<float> uniform(37, 1.0f / 37);
        QVERIFY(std::fabs(probes::rowEntropy(uniform.data(), 37) - std::log(37.0)) < 1e-5);
        std::vector<float> onehot(16, 0.0f);
        onehot[5] = 1.0f;
        QCOMPARE(probes::rowEntropy(onehot.data(), 16), 0.0);
        std::vector<float> half{0.5f, 0.5f, 0.0f};
        QVERIFY(std::fabs(probes::rowEntropy(half.data(), 3) - std::log(2.0)) < 1e-7);
    }

    void attentionMapsAndEntropy() {
        // B=2, H=2, Tq=3, Tk=4: head 0 uniform, head 1 one-hot rows.
        const int64_t B = 2, H = 2, T = 3, K = 4;
        Tensor p(DType::F32, {B, H, T, K});
        for (int64_t b = 0; b < B; ++b)
            for (int64_t q = 0; q < T; ++q)
                for (int64_t k = 0; k < K; ++k) {
                    p.f32()[((b * H + 0) * T + q) * K + k] = 0.25f;
                    p.f32()[((b * H + 1) * T + q) * K + k] = k == q ? 1.0f : 0.0f;
                }
        auto maps = probes::attentionMaps("probs", "y", 7, p, 1024);
        QCOMPARE(maps.size(), size_t(2));
        QCOMPARE(maps[0].layer, 7);
        QCOMPARE(maps[1].head, 1);
        QCOMPARE(maps[0].rows, T);
        QCOMPARE(maps[0].cols, K);
        QCOMPARE(maps[0].pool, 1);
        QVERIFY(std::fabs(maps[0].entropyMean - std::log(4.0)) < 1e-6);
        QVERIFY(std::fabs(maps[0].entropyMin - std::log(4.0)) < 1e-6);
        QCOMPARE(maps[1].entropyMean, 0.0);
        QCOMPARE(maps[1].entropyMin, 0.0);
        QCOMPARE(maps[1].data[1 * K + 1], 1.0f);  // batch 0, query 1 attends key 1
        QCOMPARE(maps[1].data[1 * K + 2], 0.0f);
    }

    void attentionDownsampledBeyondLimit() {
        // Tq = Tk = 10 with a limit of 4 tokens: pool = ceil(10/4) = 3 -> 4x4 map.
        const int64_t T = 10;
        Tensor p(DType::F32, {1, 1, T, T});
        for (int64_t i = 0; i < T * T; ++i) p.f32()[i] = float(i);
        auto maps = probes::attentionMaps("a", "y", 0, p, 4);
        QCOMPARE(maps[0].pool, 3);
        QCOMPARE(maps[0].rows, int64_t(4));
        QCOMPARE(maps[0].cols, int64_t(4));
        for (int64_t bi = 0; bi < 4; ++bi)
            for (int64_t bj = 0; bj < 4; ++bj) {
                double sum = 0;
                int n = 0;
                for (int64_t r = bi * 3; r < std::min<int64_t>(T, bi * 3 + 3); ++r)
                    for (int64_t c = bj * 3; c < std::min<int64_t>(T, bj * 3 + 3); ++c) { sum += double(r * T + c); ++n; }
                QVERIFY(std::fabs(maps[0].data[size_t(bi * 4 + bj)] - sum / n) < 1e-4);
            }
    }

    void attentionSelectedByOpDefinition() {
        Graph g = attentionGraph("1, 2, 5, 5", -1);
        Analysis hinted = analyze(g, {}, hintedRegistry());
        QVERIFY2(hinted.ok(), hinted.errorText().c_str());
        const NodeInfo& n = hinted.nodes.at("probs");
        QVERIFY(probes::isAttentionOutput(*n.def, 0, n.outputs[0], n.attrs));
        // The core softmax carries the hint itself: its [B, H, T, S] output is an attention map.
        Analysis core = analyze(g, {});
        const NodeInfo& m = core.nodes.at("probs");
        QVERIFY(probes::isAttentionOutput(*m.def, 0, m.outputs[0], m.attrs));
        // An op without the hint is never attention, whatever its shape.
        QVERIFY(!probes::isAttentionOutput(*core.nodes.at("scores").def, 0, core.nodes.at("scores").outputs[0], core.nodes.at("scores").attrs));
        // Softmax over a non-last axis, or rank 3: not attention.
        Analysis other = analyze(attentionGraph("1, 2, 5, 5", 2), {}, hintedRegistry());
        QVERIFY(!probes::isAttentionOutput(*other.nodes.at("probs").def, 0, other.nodes.at("probs").outputs[0], other.nodes.at("probs").attrs));
        Analysis rank3 = analyze(attentionGraph("2, 5, 5", -1), {}, hintedRegistry());
        QVERIFY(!probes::isAttentionOutput(*rank3.nodes.at("probs").def, 0, rank3.nodes.at("probs").outputs[0], rank3.nodes.at("probs").attrs));
    }

    void sparsityOfReluCountedByLoop() {
        std::mt19937 rng(3);
        std::normal_distribution<float> nd;
        Tensor x(DType::F32, {7, 33});
        for (int64_t i = 0; i < x.numel(); ++i) {
            float v = nd(rng);
            x.f32()[i] = v > 0 ? v : 0.0f;                 // ReLU output
            if (i % 17 == 0) x.f32()[i] = 0.0004f;         // a few near-zeros
        }
        int64_t zeros = 0, near = 0;
        double absmax = 0;
        for (int64_t i = 0; i < x.numel(); ++i) {
            if (x.f32()[i] == 0.0f) ++zeros;
            if (std::fabs(x.f32()[i]) < 1e-3) ++near;
            absmax = std::max(absmax, double(std::fabs(x.f32()[i])));
        }
        ProbeOptions o;
        o.probes.sparsity = true;
        TensorStats t = probes::tensorStats("act", "y", x, o);
        QVERIFY(t.hasSparsity);
        QCOMPARE(t.zeroFrac, double(zeros) / double(x.numel()));
        QCOMPARE(t.nearZeroFrac, double(near) / double(x.numel()));
        QCOMPARE(t.absmax, absmax);
        QVERIFY(zeros > 50 && near > zeros);
        // Histogram: 64 bins over [-absmax, absmax], counted by a loop.
        std::vector<int64_t> h(64, 0);
        for (int64_t i = 0; i < x.numel(); ++i) {
            int b = int(std::floor((x.f32()[i] + absmax) / (2 * absmax) * 64));
            ++h[size_t(std::clamp(b, 0, 63))];
        }
        QCOMPARE(t.histogram, h);
        // eps is an option.
        o.eps = 0.5;
        TensorStats wide = probes::tensorStats("act", "y", x, o);
        QVERIFY(wide.nearZeroFrac > t.nearZeroFrac);
        QCOMPARE(wide.eps, 0.5);
    }

    void kurtosisAndOutlierChannels() {
        // Channel 0: 1..5 -> excess kurtosis (m4/m2^2 - 3) = 6.8/4 - 3 = -1.3.
        // Channel 1: constant -> 0. Channel 2: spike of 100 -> outlier.
        // Channel 3: {0,0,0,0,10}: m2 = 16, m4 = 2048+... computed below by formula.
        const float rows[5][4] = {{1, 2, 1, 0}, {2, 2, -1, 0}, {3, 2, 1, 0}, {4, 2, 100, 0}, {5, 2, 1, 10}};
        Tensor x(DType::F32, {5, 4});
        for (int r = 0; r < 5; ++r)
            for (int c = 0; c < 4; ++c) x.f32()[r * 4 + c] = rows[r][c];
        ProbeOptions o;
        o.probes.outliers = true;
        TensorStats t = probes::tensorStats("h", "y", x, o);
        QVERIFY(t.hasChannels && !t.hasSparsity);
        QVERIFY(std::fabs(t.channelKurtosis[0] - (-1.3f)) < 1e-5);
        QCOMPARE(t.channelKurtosis[1], 0.0f);
        // {0,0,0,0,10}: mean 2, deviations -2 x4 and 8: m2 = (4*4+64)/5 = 16, m4 = (4*16+4096)/5 = 832 -> 832/256 - 3 = 0.25.
        QVERIFY(std::fabs(t.channelKurtosis[3] - 0.25f) < 1e-5);
        QCOMPARE(t.channelAbsmax, (std::vector<float>{5, 2, 100, 10}));
        // Median absmax = (5 + 10) / 2 = 7.5; 100 > 45 is the only outlier.
        QCOMPARE(t.outlierChannels, (std::vector<int64_t>{2}));
    }

    void medianAndP95() {
        std::vector<double> v{5, 1, 4, 2, 3};
        QCOMPARE(probes::median(v), 3.0);
        QCOMPARE(probes::median({4, 1, 3, 2}), 2.5);
        std::vector<double> w;
        for (int i = 1; i <= 20; ++i) w.push_back(double(21 - i));
        QCOMPARE(probes::percentile95(w), 19.0);  // ceil(0.95*20) = 19th smallest
        QCOMPARE(probes::percentile95({7}), 7.0);
    }

    void boundVerdict() {
        Ceilings c{100, 10, ""};  // ridge at 10 FLOP/byte
        QCOMPARE(QString::fromStdString(probes::boundVerdict(1000, 10, c)), QString("compute"));
        QCOMPARE(QString::fromStdString(probes::boundVerdict(1000, 1000, c)), QString("memory"));
        QCOMPARE(QString::fromStdString(probes::boundVerdict(0, 1000, c)), QString("memory"));
        QCOMPARE(QString::fromStdString(probes::boundVerdict(1000, 10, Ceilings{})), QString(""));
    }

    void memoryLifetimes() {
        // x[4,8] -> a(relu) -> b(relu) -> out; x also feeds c(add with b) -> out2.
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("4, 8")}}});
        g.addNode({"a", "relu"});
        g.addNode({"b", "relu"});
        g.addNode({"c", "add"});
        g.addNode({"out", "output"});
        g.connect({"x", "y"}, {"a", "x"});
        g.connect({"a", "y"}, {"b", "x"});
        g.connect({"b", "y"}, {"c", "a"});
        g.connect({"x", "y"}, {"c", "b"});
        g.connect({"c", "y"}, {"out", "x"});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        // Each tensor is 128 bytes. Order x, a, b, c, out:
        // x:128; a: 256 -> free? (a's consumer is b) ; b: x+a+b = 384, free a -> 256;
        // c: x+b+c = 384, free b and x -> 128; out keeps c. Peak = 384.
        MemoryStats m = probes::memoryStats(a);
        QCOMPARE(m.peakActivationBytes, int64_t(384));
        QCOMPARE(m.weightsBytes, int64_t(0));
        QCOMPARE(m.kvCacheBytes, int64_t(0));
        // A linear adds its weights: 8*16 + 16 floats.
        Graph h;
        h.addNode({"x", "input", {{"shape", std::string("4, 8")}}});
        h.addNode({"fc", "linear", {{"out_features", int64_t(16)}}});
        h.connect({"x", "y"}, {"fc", "x"});
        Analysis b = analyze(h, {});
        QCOMPARE(probes::memoryStats(b).weightsBytes, int64_t((8 * 16 + 16) * 4));
    }

    void profileAttentionDesign() {
        Graph g = attentionGraph("2, 3, 6, 6", -1);
        Analysis a = analyze(g, {}, hintedRegistry());
        QVERIFY(a.ok());
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 0, &err));
        auto backend = makeCpuBackend();
        ProfileRequest req{&g, &a, &w, backend.get(), 5, {}, Ceilings{50, 5, "test"}};
        req.options.probes = ProbeSet::all();
        req.options.repeat = 3;
        req.options.warmup = 1;
        ProfileData d;
        QVERIFY2(runProfile(req, &d, &err), err.c_str());
        QCOMPARE(d.nodes.size(), a.order.size());
        QCOMPARE(d.attention.size(), size_t(3));  // one map per head
        // Recompute head 2 entropy independently from the real softmax output.
        RunResult r = backend->run({&g, &a, &w, {}, 5, true});
        const Tensor& p = r.intermediates.at("probs.y");
        double sum = 0, lo = 1e9;
        for (int b = 0; b < 2; ++b)
            for (int q = 0; q < 6; ++q) {
                double h = 0;
                for (int k = 0; k < 6; ++k) {
                    double v = p.f32()[((b * 3 + 2) * 6 + q) * 6 + k];
                    if (v > 0) h -= v * std::log(v);
                }
                sum += h;
                lo = std::min(lo, h);
            }
        QVERIFY(std::fabs(d.attention[2].entropyMean - sum / 12) < 1e-6);
        QVERIFY(std::fabs(d.attention[2].entropyMin - lo) < 1e-6);
        QVERIFY(!d.tensors.empty());
        QVERIFY(d.memory.measured);
    }

    void profileSampleTimestampsOnly() {
        Graph g;
        QVERIFY(loadDesign((qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json").toStdString(), &g).ok);
        Analysis a = analyze(g, {});
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 0, &err));
        auto backend = makeCpuBackend();
        ProfileRequest req{&g, &a, &w, backend.get(), 0, {}, {}};
        req.options.repeat = 2;
        ProfileData d;
        QVERIFY2(runProfile(req, &d, &err), err.c_str());
        QCOMPARE(d.nodes.size(), a.order.size());
        for (auto& n : d.nodes) {
            QCOMPARE(n.flops, a.nodes.at(n.node).flops);
            QVERIFY(n.medianMs >= 0 && n.p95Ms >= n.medianMs);
            QVERIFY(n.bound.empty() && n.gflops == 0);  // latency probe off
        }
        QVERIFY(d.attention.empty() && d.tensors.empty() && !d.memory.measured);
    }

    void probeSetParsing() {
        ProbeSet p;
        std::string err;
        QVERIFY(ProbeSet::parse("latency,memory", &p, &err));
        QVERIFY(p.latency && p.memory && !p.attention);
        QCOMPARE(QString::fromStdString(p.str()), QString("latency,memory"));
        QVERIFY(!ProbeSet::parse("latency,bogus", &p, &err));
        QVERIFY(QString::fromStdString(err).contains("bogus"));
        QVERIFY(ProbeSet::parse("none", &p, &err) && !p.any());
    }
};

QTEST_GUILESS_MAIN(TestProbes)
#include "test_probes.moc"
