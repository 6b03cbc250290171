// The "blocks B" composite blocks (window_attention, cross_scale_fusion, block_aggregate,
// block_broadcast, token_mixer, inverted_residual, convnext_block) against PyTorch
// reference modules with the same weights (tests/fixtures/gen_blocks_b.py), on the CPU and,
// when a device exists, on Vulkan; plus their helper ops, parameter counts and errors.
#include "vulkan_test_util.h"

#include <QDir>
#include <QtTest>

using namespace archscope;

namespace {

// A fixture: one block node "op", inputs "in_<port>", outputs "out_<port>", weights
// "w.<inner>.<param>" stored as the engine's "op/<inner>.<param>".
struct BlockCase {
    std::string name;
    Graph graph;
    Analysis analysis;
    WeightStore weights;
    std::map<std::string, Tensor> inputs, expected;
    double rtol = 1e-4, atol = 1e-5;
    int fixtureWeights = 0;
};

bool loadBlockCase(const std::string& path, BlockCase* c, std::string* err) {
    TensorMap m;
    std::map<std::string, std::string> meta;
    if (!readSafetensors(path, &m, err, &meta)) return false;
    c->name = path.substr(path.find_last_of('/') + 1);
    Node op{"op", meta["op"]};
    const nlohmann::json attrs = nlohmann::json::parse(meta["attrs"]);
    for (auto& [k, v] : attrs.items()) {
        if (v.is_boolean()) op.attrs[k] = v.get<bool>();
        else if (v.is_number_integer()) op.attrs[k] = v.get<int64_t>();
        else if (v.is_number_float()) op.attrs[k] = v.get<double>();
        else op.attrs[k] = v.get<std::string>();
    }
    c->rtol = std::stod(meta["rtol"]);
    c->atol = std::stod(meta["atol"]);
    c->graph.addNode(op);
    for (auto& [k, t] : m) {
        const auto dot = k.find('.');
        const std::string kind = k.substr(0, dot), rest = k.substr(dot + 1);
        if (kind == "in") {
            std::string shape;
            for (size_t i = 0; i < t.shape().size(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape()[i]);
            c->graph.addNode({"in_" + rest, "input", {{"shape", shape}}});
            c->graph.connect({"in_" + rest, "y"}, {"op", rest});
            c->inputs["in_" + rest] = t;
        } else if (kind == "out") {
            c->graph.addNode({"out_" + rest, "output"});
            c->graph.connect({"op", rest}, {"out_" + rest, "x"});
            c->expected["out_" + rest] = t;
        } else {
            const auto last = rest.rfind('.');
            c->weights.set("op/" + rest.substr(0, last), rest.substr(last + 1), t);
            ++c->fixtureWeights;
        }
    }
    c->analysis = analyze(c->graph, {});
    if (!c->analysis.ok()) { *err = c->name + ": " + c->analysis.errorText(); return false; }
    // Every fixture weight must name a parameter of the expanded block, and every
    // parameter must come from the fixture (no silent random initialisation).
    int params = 0;
    for (auto& [id, info] : c->analysis.nodes) {
        if (info.composite || info.weightNode != id) continue;
        for (auto& p : info.params) {
            ++params;
            if (!c->weights.find(id, p.name)) { *err = c->name + ": fixture lacks " + id + "." + p.name; return false; }
        }
    }
    if (params != c->fixtureWeights) {
        *err = c->name + ": fixture has " + std::to_string(c->fixtureWeights) + " weights, the block " + std::to_string(params) + " parameters";
        return false;
    }
    return c->weights.materialize(c->analysis, 0, err);
}

QStringList fixtureFiles(QDir* dir) {
    *dir = QDir(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/tests/fixtures/blocks_b");
    return dir->entryList({"*.safetensors"}, QDir::Files, QDir::Name);
}

bool checkOutputs(const BlockCase& c, const RunResult& r, std::string* msg) {
    for (auto& [name, want] : c.expected) {
        std::string at;
        if (test::worstViolation(r.outputs.at(name), want, c.rtol, c.atol, &at) != 0) {
            *msg = c.name + " " + name + " " + at;
            return false;
        }
    }
    return true;
}

// One block node with a single input; returns the analysis.
Analysis analyzeBlock(const std::string& op, std::map<std::string, AttrValue> attrs, const std::string& shape,
                      const std::string& port = "x") {
    Graph g;
    g.addNode({"blk", op, std::move(attrs)});
    g.addNode({"in", "input", {{"shape", shape}}});
    g.connect({"in", "y"}, {"blk", port});
    for (auto& o : OpRegistry::global().find(op)->outputs) {
        g.addNode({"out_" + o.name, "output"});
        g.connect({"blk", o.name}, {"out_" + o.name, "x"});
    }
    return analyze(g, {});
}

}  // namespace

class TestBlocksB : public QObject {
    Q_OBJECT
private slots:
    void fixturesCoverEveryBlock() {
        QDir dir;
        QStringList files = fixtureFiles(&dir);
        QVERIFY2(files.size() >= 20, "missing fixtures: run /usr/bin/python3 tests/fixtures/gen_blocks_b.py");
        for (const char* prefix : {"window_", "fusion_", "aggregate_", "broadcast_", "mixer_", "mbconv_", "convnext_"})
            QVERIFY2(!files.filter(prefix).isEmpty(), prefix);
    }

    void cpuMatchesPyTorch_data() {
        QTest::addColumn<QString>("path");
        QDir dir;
        for (auto& f : fixtureFiles(&dir)) QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void cpuMatchesPyTorch() {
        QFETCH(QString, path);
        BlockCase c;
        std::string err;
        QVERIFY2(loadBlockCase(path.toStdString(), &c, &err), err.c_str());
        RunResult r = makeCpuBackend()->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false});
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY2(checkOutputs(c, r, &err), err.c_str());
    }

    void vulkanMatchesPyTorch() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        // The helper ops with Vulkan kernels must run on the device, not as CPU fallbacks.
        std::map<std::string, int> gpuOps{{"unflatten", 0}, {"window_mask", 0}, {"layer_scale", 0}};
        QDir dir;
        for (auto& f : fixtureFiles(&dir)) {
            BlockCase c;
            std::string err;
            QVERIFY2(loadBlockCase(dir.filePath(f).toStdString(), &c, &err), err.c_str());
            RunResult r = vkb->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false});
            QVERIFY2(r.ok, qPrintable(QString::fromStdString(c.name + ": " + r.error)));
            QVERIFY2(checkOutputs(c, r, &err), err.c_str());
            for (auto& t : r.timings)
                if (gpuOps.count(t.op)) {
                    QVERIFY2(t.where == "vulkan", qPrintable(QString::fromStdString(c.name + ": " + t.node + " ran on " + t.where)));
                    ++gpuOps[t.op];
                }
        }
        for (auto& [op, n] : gpuOps) QVERIFY2(n > 0, op.c_str());
    }

    // Parameter counts in closed form.
    void parameterCounts() {
        const int64_t c = 32, h = 4, m = 7;
        Analysis a = analyzeBlock("window_attention", {{"dim", c}, {"heads", h}, {"window", m}, {"shift", int64_t(3)}}, "2, 14, 14, 32");
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.nodes.at("blk").paramCount, 3 * c * c + 3 * c + c * c + c + (2 * m - 1) * (2 * m - 1) * h);

        a = analyzeBlock("convnext_block", {{"dim", int64_t(16)}}, "1, 16, 8, 8");
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.nodes.at("blk").paramCount, int64_t(16 * 49 + 16 + 2 * 16 + (16 * 64 + 64) + (64 * 16 + 16) + 16));

        a = analyzeBlock("inverted_residual", {{"in_channels", int64_t(8)}, {"out_channels", int64_t(8)}}, "1, 8, 6, 6");
        QVERIFY2(a.ok(), a.errorText().c_str());
        const int64_t e = 48;  // 8 * 6; each BatchNorm holds 4 vectors
        QCOMPARE(a.nodes.at("blk").paramCount, int64_t(8 * e + 4 * e + 9 * e + 4 * e + e * 8 + 4 * 8));
        QVERIFY(a.graph().node("blk/residual"));

        a = analyzeBlock("token_mixer", {{"mode", std::string("mlp")}, {"height", int64_t(4)}, {"width", int64_t(5)}, {"hidden", int64_t(7)}},
                         "2, 4, 5, 3");
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.nodes.at("blk").paramCount, int64_t(20 * 7 + 7 + 7 * 20 + 20));
        QCOMPARE(QString::fromStdString(shapeStr(a.nodes.at("blk").outputs.at(0).shape)), QString("[2, 4, 5, 3]"));
    }

    // Symbolic sizes pass through the blocks (no reshape needs the batch or sequence size).
    void symbolicShapes() {
        Graph g;
        g.symbols = {{"B", 2, ""}, {"T", 12, ""}};
        g.addNode({"x", "input", {{"shape", std::string("B, T, 8")}}});
        g.addNode({"agg", "block_aggregate", {{"block_len", int64_t(4)}, {"out_dim", int64_t(16)}}});
        g.addNode({"bc", "block_broadcast", {{"block_len", int64_t(4)}, {"prefix", int64_t(2)}, {"dim", int64_t(8)}}});
        g.addNode({"out", "output"});
        g.connect({"x", "y"}, {"agg", "x"});
        g.connect({"agg", "y"}, {"bc", "ctx"});
        g.connect({"x", "y"}, {"bc", "x"});
        g.connect({"bc", "y"}, {"out", "x"});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(QString::fromStdString(shapeStr(a.nodes.at("agg").outputs.at(0).shape)), QString("[B, T/4, 16]"));
        const Shape& y = a.nodes.at("bc").outputs.at(0).shape;
        QCOMPARE(y[0].value(), int64_t(6));
        QCOMPARE(y[1].value(), int64_t(6));
        QVERIFY(y[0].isSymbolic());
    }

    void windowMaskSeparatesRegions() {
        // 1 x 4 x 4 map, window 2, shift 1: the last window (rows 2-3, cols 2-3 of the shifted map)
        // mixes three regions along each axis boundary; the first window is one region.
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("1, 4, 4, 1")}}});
        g.addNode({"m", "window_mask", {{"window", int64_t(2)}, {"shift", int64_t(1)}}});
        g.addNode({"o", "output"});
        g.connect({"x", "y"}, {"m", "like"});
        g.connect({"m", "y"}, {"o", "x"});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 0, &err));
        RunResult r = makeCpuBackend()->run({&g, &a, &w, {}, 0, false});
        QVERIFY2(r.ok, r.error.c_str());
        const Tensor& y = r.outputs.at("o");
        QCOMPARE(y.shape(), (std::vector<int64_t>{4, 1, 4, 4}));
        for (int i = 0; i < 16; ++i) QCOMPARE(y.f32()[i], 0.0f);  // window 0: rows 0-1, cols 0-1, one region
        // window 3: positions (2,2) (2,3) (3,2) (3,3); labels row {1, 2}, col {1, 2} -> 4 regions, only the diagonal visible.
        const float* w3 = y.f32() + 3 * 16;
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) QCOMPARE(std::isinf(w3[i * 4 + j]), i != j);
    }

    void badAttributesAreReported() {
        Analysis a = analyzeBlock("window_attention", {{"dim", int64_t(30)}, {"heads", int64_t(4)}}, "1, 14, 14, 30");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("blk"), a.errorText().c_str());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("not divisible by heads"), a.errorText().c_str());

        a = analyzeBlock("window_attention", {{"dim", int64_t(32)}, {"mode", std::string("grid")}}, "1, 14, 14, 32");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("height and width"), a.errorText().c_str());

        a = analyzeBlock("window_attention", {{"dim", int64_t(32)}, {"window", int64_t(5)}}, "1, 14, 14, 32");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("multiples of the window 5"), a.errorText().c_str());

        a = analyzeBlock("token_mixer", {{"mode", std::string("gmlp")}, {"height", int64_t(4)}, {"width", int64_t(4)}}, "1, 4, 4, 8");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("set dim"), a.errorText().c_str());

        a = analyzeBlock("block_aggregate", {{"block_len", int64_t(4)}}, "1, 10, 8");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("not divisible by 4"), a.errorText().c_str());

        a = analyzeBlock("unflatten", {{"axis", int64_t(1)}, {"sizes", std::vector<int64_t>{-1, -1}}}, "2, 6");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("at most one -1"), a.errorText().c_str());
    }
};

QTEST_GUILESS_MAIN(TestBlocksB)
#include "test_blocks_b.moc"
