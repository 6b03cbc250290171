// "Blocks C" composites: linear_attention, mamba, moe against PyTorch references
// (tests/fixtures/gen_blocks_c.py), the parallel / chunked / recurrent forms of linear
// attention against each other, the S4D-real init, and errors on bad block attributes.
#include "core/registry.h"
#include "graph/analysis.h"
#include "interop/safetensors.h"
#include "runtime/backend.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

using namespace archscope;

namespace {

std::string fixtureDir() { return std::string(qgetenv("ARCHSCOPE_SOURCE_DIR").constData()) + "/tests/fixtures/blocks_c"; }

std::string shapeText(const std::vector<int64_t>& s) {
    std::string t;
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t;
}

struct BlockRun {
    bool ok = false;
    std::string error;
    std::map<std::string, Tensor> outputs;
    size_t weightCount = 0;
};

// One-block graph: input "x" -> node "blk" (op, attrs) -> one output node per listed port.
BlockRun runBlock(const std::string& op, const std::map<std::string, AttrValue>& attrs, const Tensor& x,
                  const std::map<std::string, Tensor>& weights, const std::vector<std::string>& ports, uint64_t seed = 0) {
    Graph g;
    g.addNode({"x", "input", {{"shape", shapeText(x.shape())}}});
    g.addNode({"blk", op, attrs});
    g.connect({"x", "y"}, {"blk", "x"});
    for (auto& p : ports) {
        g.addNode({p, "output"});
        g.connect({"blk", p}, {p, "x"});
    }
    BlockRun r;
    Analysis a = analyze(g, {});
    if (!a.ok()) { r.error = a.errorText(); return r; }
    WeightStore w;
    for (auto& [k, t] : weights) w.all()[k] = t;
    if (!w.materialize(a, seed, &r.error)) return r;
    r.weightCount = w.all().size();
    RunResult res = makeCpuBackend()->run({&g, &a, &w, {{"x", x}}, seed, false});
    if (!res.ok) { r.error = res.error; return r; }
    r.outputs = res.outputs;
    r.ok = true;
    return r;
}

struct Fixture {
    std::string op;
    std::map<std::string, AttrValue> attrs;
    Tensor x;
    std::map<std::string, Tensor> weights, expected;
    double rtol = 1e-4, atol = 1e-5;
};

Fixture loadFixture(const std::string& name) {
    Fixture f;
    TensorMap m;
    std::map<std::string, std::string> meta;
    std::string err;
    if (!readSafetensors(fixtureDir() + "/" + name + ".safetensors", &m, &err, &meta)) qFatal("%s", err.c_str());
    f.op = meta["op"];
    const nlohmann::json attrs = nlohmann::json::parse(meta["attrs"]);
    for (auto& [k, v] : attrs.items()) {
        if (v.is_boolean()) f.attrs[k] = v.get<bool>();
        else if (v.is_number_integer()) f.attrs[k] = v.get<int64_t>();
        else if (v.is_number_float()) f.attrs[k] = v.get<double>();
        else f.attrs[k] = v.get<std::string>();
    }
    f.rtol = std::stod(meta["rtol"]);
    f.atol = std::stod(meta["atol"]);
    for (auto& [k, t] : m) {
        if (k == "in.x") f.x = t;
        else if (k.rfind("out.", 0) == 0) f.expected[k.substr(4)] = t;
        else f.weights[k] = t;
    }
    return f;
}

// Largest |got - want| - (atol + rtol |want|); <= 0 when within tolerance.
double violation(const Tensor& got, const Tensor& want, double rtol, double atol) {
    if (got.shape() != want.shape()) return 1e30;
    double worst = -1;
    for (int64_t i = 0; i < got.numel(); ++i) {
        const double g = got.f32()[i], w = want.f32()[i];
        if (!std::isfinite(g)) return 1e30;
        worst = std::max(worst, std::abs(g - w) - (atol + rtol * std::abs(w)));
    }
    return worst;
}

double maxAbsDiff(const Tensor& a, const Tensor& b) {
    double m = 0;
    for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, double(std::abs(a.f32()[i] - b.f32()[i])));
    return m;
}

// Runs a fixture and checks every expected output; also that the fixture supplied every parameter.
std::map<std::string, Tensor> checkFixture(const Fixture& f, const std::map<std::string, AttrValue>& attrs) {
    std::vector<std::string> ports;
    for (auto& [p, t] : f.expected) ports.push_back(p);
    BlockRun r = runBlock(f.op, attrs, f.x, f.weights, ports);
    if (!r.ok) qFatal("%s", r.error.c_str());
    if (r.weightCount != f.weights.size())
        qFatal("the block has %zu parameters but the fixture provides %zu (a name differs)", r.weightCount, f.weights.size());
    for (auto& [p, want] : f.expected) {
        const double v = violation(r.outputs.at(p), want, f.rtol, f.atol);
        if (v > 0) qFatal("%s output %s off by %g beyond tolerance", f.op.c_str(), p.c_str(), v);
    }
    return r.outputs;
}

Tensor randomTensor(std::vector<int64_t> shape, uint64_t seed, float scale, float shift = 0) {
    Tensor t(DType::F32, shape);
    fillRandom(t, Init::Normal, scale, seed);
    for (int64_t i = 0; i < t.numel(); ++i) t.f32()[i] += shift;
    return t;
}

// Runs one primitive with the given inputs (ids = port names) and returns output "y".
Tensor runPrimitive(const std::string& op, const std::map<std::string, AttrValue>& attrs, const std::map<std::string, Tensor>& in) {
    Graph g;
    g.addNode({"op", op, attrs});
    for (auto& [p, t] : in) {
        g.addNode({"in_" + p, "input", {{"shape", shapeText(t.shape())}}});
        g.connect({"in_" + p, "y"}, {"op", p});
    }
    g.addNode({"out", "output"});
    g.connect({"op", "y"}, {"out", "x"});
    Analysis a = analyze(g, {});
    if (!a.ok()) qFatal("%s", a.errorText().c_str());
    WeightStore w;
    std::string err;
    if (!w.materialize(a, 0, &err)) qFatal("%s", err.c_str());
    std::map<std::string, Tensor> inputs;
    for (auto& [p, t] : in) inputs["in_" + p] = t;
    RunResult r = makeCpuBackend()->run({&g, &a, &w, inputs, 0, false});
    if (!r.ok) qFatal("%s", r.error.c_str());
    return r.outputs.at("out");
}

}  // namespace

class TestBlocksC : public QObject {
    Q_OBJECT
private slots:
    void linearAttentionMatchesPyTorchInEveryMode_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"la_none_elu1_denominator", "la_retnet_fixed", "la_gla", "la_deltanet"}) QTest::newRow(n) << n;
    }
    void linearAttentionMatchesPyTorchInEveryMode() {
        QFETCH(QString, name);
        Fixture f = loadFixture(name.toStdString());
        std::map<std::string, Tensor> byMode;
        for (const char* mode : {"parallel", "chunked", "recurrent"}) {
            auto attrs = f.attrs;
            attrs["mode"] = std::string(mode);
            byMode[mode] = checkFixture(f, attrs).at("y");
        }
        // The three forms agree with each other far tighter than with the float64 reference.
        QVERIFY(maxAbsDiff(byMode["parallel"], byMode["recurrent"]) < 2e-5);
        QVERIFY(maxAbsDiff(byMode["chunked"], byMode["recurrent"]) < 2e-5);
    }

    void mambaMatchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"mamba_d8_n4", "mamba_d16_default_rank"}) QTest::newRow(n) << n;
    }
    void mambaMatchesPyTorch() {
        QFETCH(QString, name);
        Fixture f = loadFixture(name.toStdString());
        checkFixture(f, f.attrs);
    }

    void moeMatchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("drops");
        QTest::newRow("switch top-1") << "moe_switch_top1" << false;
        QTest::newRow("top-2 capacity shared") << "moe_top2_capacity_shared" << true;
        QTest::newRow("top-1 capacity") << "moe_top1_capacity" << true;
    }
    void moeMatchesPyTorch() {
        QFETCH(QString, name);
        QFETCH(bool, drops);
        Fixture f = loadFixture(name.toStdString());
        auto out = checkFixture(f, f.attrs);
        double load = 0, kept = 0;
        for (int64_t e = 0; e < out.at("load").numel(); ++e) { load += out.at("load").f32()[e]; kept += out.at("kept").f32()[e]; }
        QVERIFY(std::abs(load - double(std::get<int64_t>(f.attrs.at("k")))) < 1e-5);  // every token chooses k experts
        // Capacity cases must actually drop assignments, or they test nothing.
        QCOMPARE(kept < load - 1e-6, drops);
    }

    // linear_mix (parallel, chunked with odd chunk sizes) equals the sequential scan, on a longer
    // sequence than the fixtures and with strong decays.
    void linearMixEqualsScan_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<double>("gamma");
        QTest::addColumn<bool>("gated");
        QTest::newRow("plain") << "decay" << 1.0 << false;
        QTest::newRow("retnet") << "decay" << 0.8 << false;
        QTest::newRow("gamma 0") << "decay" << 0.0 << false;
        QTest::newRow("gla") << "decay" << 1.0 << true;
        QTest::newRow("delta") << "delta" << 1.0 << false;
    }
    void linearMixEqualsScan() {
        QFETCH(QString, kind);
        QFETCH(double, gamma);
        QFETCH(bool, gated);
        const int64_t B = 2, H = 3, T = 37, dk = 5, dv = 4;
        std::map<std::string, Tensor> in{{"q", randomTensor({B, H, T, dk}, 1, 0.5f)}, {"k", randomTensor({B, H, T, dk}, 2, 0.5f)},
                                         {"v", randomTensor({B, H, T, dv}, 3, 1.0f)}};
        if (gated) in["g"] = randomTensor({B, H, T, dk}, 4, 0.5f, -1.0f);  // decays around e^-1
        if (kind == "delta") {
            Tensor beta = randomTensor({B, H, T}, 5, 1.0f);
            for (int64_t i = 0; i < beta.numel(); ++i) beta.f32()[i] = 1.0f / (1.0f + std::exp(-beta.f32()[i]));
            in["beta"] = beta;
        }
        const std::string k = kind.toStdString();
        Tensor ref = runPrimitive("scan", {{"mode", k}, {"gamma", gamma}}, in);
        double scaleRef = 0;
        for (int64_t i = 0; i < ref.numel(); ++i) scaleRef = std::max(scaleRef, double(std::abs(ref.f32()[i])));
        QVERIFY(scaleRef > 0.1);
        Tensor par = runPrimitive("linear_mix", {{"kind", k}, {"form", std::string("parallel")}, {"gamma", gamma}}, in);
        QVERIFY2(maxAbsDiff(par, ref) < 1e-4 * (1 + scaleRef), std::to_string(maxAbsDiff(par, ref)).c_str());
        for (int64_t chunk : {1, 4, 7, 64}) {
            Tensor ch = runPrimitive("linear_mix", {{"kind", k}, {"form", std::string("chunked")}, {"chunk", chunk}, {"gamma", gamma}}, in);
            QVERIFY2(maxAbsDiff(ch, ref) < 1e-4 * (1 + scaleRef), (std::to_string(chunk) + ": " + std::to_string(maxAbsDiff(ch, ref))).c_str());
        }
    }

    void mambaDefaultInitIsS4DReal() {
        Tensor x = randomTensor({1, 4, 8}, 9, 1.0f);
        BlockRun r = runBlock("mamba", {{"d_model", int64_t(8)}, {"d_state", int64_t(5)}}, x, {}, {"y"});
        QVERIFY2(r.ok, r.error.c_str());
        // Re-materialise to read the generated parameters.
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("1, 4, 8")}}});
        g.addNode({"blk", "mamba", {{"d_model", int64_t(8)}, {"d_state", int64_t(5)}}});
        g.addNode({"y", "output"});
        g.connect({"x", "y"}, {"blk", "x"});
        g.connect({"blk", "y"}, {"y", "x"});
        Analysis a = analyze(g, {});
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 3, &err));
        const Tensor* alog = w.find("blk/scan", "A_log");
        QVERIFY(alog);
        QCOMPARE(alog->shape(), (std::vector<int64_t>{16, 5}));
        for (int64_t d = 0; d < 16; ++d)
            for (int64_t n = 0; n < 5; ++n) QCOMPARE(alog->f32()[d * 5 + n], float(std::log(double(n + 1))));
        // dt_rank defaults to ceil(d_model / 16) = 1: x_proj is [1 + 2 N, E].
        QCOMPARE(w.find("blk/x_proj", "weight")->shape(), (std::vector<int64_t>{11, 16}));
    }

    void badAttributesAreReported() {
        Tensor x = randomTensor({1, 4, 8}, 1, 1.0f);
        BlockRun r = runBlock("linear_attention", {{"d_model", int64_t(8)}, {"decay", std::string("delta")}, {"norm", std::string("denominator")}},
                              x, {}, {"y"});
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains("node \"blk\"") && QString::fromStdString(r.error).contains("denominator"),
                 r.error.c_str());
        r = runBlock("moe", {{"d_model", int64_t(8)}, {"experts", int64_t(2)}, {"k", int64_t(3)}}, x, {}, {"y"});
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains("exceeds experts"), r.error.c_str());
        r = runBlock("linear_attention", {{"d_model", int64_t(8)}, {"heads", int64_t(3)}}, x, {}, {"y"});
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains("not divisible by heads"), r.error.c_str());
    }

    void moeCostCountsOnlyRoutedExperts() {
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("2, 8, 16")}}});
        g.addNode({"blk", "moe", {{"d_model", int64_t(16)}, {"experts", int64_t(8)}, {"k", int64_t(2)}, {"hidden", int64_t(32)}}});
        g.addNode({"y", "output"});
        g.connect({"x", "y"}, {"blk", "x"});
        g.connect({"blk", "y"}, {"y", "x"});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        const int64_t N = 16, D = 16, E = 8, H = 32, K = 2;
        QCOMPARE(a.nodes.at("blk/experts").flops, N * K * (4 * D * H + 5 * H + 3 * D));
        QCOMPARE(a.nodes.at("blk").paramCount, E * D + E * (H * D + H + D * H + D));
    }
};

QTEST_GUILESS_MAIN(TestBlocksC)
#include "test_blocks_c.moc"
