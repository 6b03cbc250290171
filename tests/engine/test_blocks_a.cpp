// Composite blocks of group A (mha, ffn, residual, patch_embed, head,
// transformer_layer, loop) against PyTorch references with the same weights
// (tests/fixtures/gen_blocks_a.py), on the CPU and, when a device exists, Vulkan.
#include "core/registry.h"
#include "interop/safetensors.h"
#include "op_case.h"
#include "vulkan_test_util.h"

#include <QDir>
#include <QSet>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <set>

using namespace archscope;

namespace {

struct BlockCase {
    std::string name;
    Graph graph;
    Analysis analysis;
    WeightStore weights;
    std::set<std::string> given;  // parameter keys the fixture provides
    std::map<std::string, Tensor> inputs, expected;
    double rtol = 1e-4, atol = 1e-5;
};

std::map<std::string, AttrValue> attrsFromJson(const std::string& text) {
    std::map<std::string, AttrValue> out;
    const nlohmann::json j = nlohmann::json::parse(text);
    for (auto& [k, v] : j.items()) {
        if (v.is_boolean()) out[k] = v.get<bool>();
        else if (v.is_number_integer()) out[k] = v.get<int64_t>();
        else if (v.is_number_float()) out[k] = v.get<double>();
        else if (v.is_string()) out[k] = v.get<std::string>();
        else out[k] = v.get<std::vector<int64_t>>();
    }
    return out;
}

// Graph: in_<port> -> blk -> out_<port>; parameters "param.<inner>.<name>" become "blk/<inner>.<name>".
bool loadBlockCase(const std::string& path, BlockCase* c, std::string* err) {
    TensorMap m;
    std::map<std::string, std::string> meta;
    if (!readSafetensors(path, &m, err, &meta)) return false;
    c->name = path.substr(path.find_last_of('/') + 1);
    c->graph.addNode({"blk", meta["op"], attrsFromJson(meta["attrs"])});
    c->rtol = std::stod(meta["rtol"]);
    c->atol = std::stod(meta["atol"]);
    for (auto& [k, t] : m) {
        auto dot = k.find('.');
        std::string kind = k.substr(0, dot), rest = k.substr(dot + 1);
        if (kind == "in") {
            std::string shape;
            for (size_t i = 0; i < t.shape().size(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape()[i]);
            c->graph.addNode({"in_" + rest, "input", {{"shape", shape}}});
            c->graph.connect({"in_" + rest, "y"}, {"blk", rest});
            c->inputs["in_" + rest] = t;
        } else if (kind == "param") {
            auto p = rest.find_last_of('.');
            c->weights.set("blk/" + rest.substr(0, p), rest.substr(p + 1), t);
            c->given.insert(WeightStore::key("blk/" + rest.substr(0, p), rest.substr(p + 1)));
        } else {
            c->graph.addNode({"out_" + rest, "output"});
            c->graph.connect({"blk", rest}, {"out_" + rest, "x"});
            c->expected["out_" + rest] = t;
        }
    }
    c->analysis = analyze(c->graph, {});
    if (!c->analysis.ok()) { *err = c->name + ": " + c->analysis.errorText(); return false; }
    // Every parameter the engine needs must come from the fixture (no random init hiding a naming slip).
    std::set<std::string> needed;
    for (auto& [id, info] : c->analysis.nodes)
        if (!info.composite && info.weightNode == id)
            for (auto& p : info.params) needed.insert(WeightStore::key(id, p.name));
    if (needed != c->given) {
        std::string diff;
        for (auto& k : needed) if (!c->given.count(k)) diff += " missing " + k;
        for (auto& k : c->given) if (!needed.count(k)) diff += " unused " + k;
        *err = c->name + ": parameter names differ:" + diff;
        return false;
    }
    return c->weights.materialize(c->analysis, 0, err);
}

QStringList caseFiles() {
    QDir dir(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/tests/fixtures/blocks_a");
    QStringList out;
    for (auto& f : dir.entryList({"*.safetensors"}, QDir::Files, QDir::Name)) out << dir.filePath(f);
    return out;
}

bool compareAll(const RunResult& r, const BlockCase& c, std::string* msg) {
    for (auto& [name, want] : c.expected) {
        std::string where;
        if (test::worstViolation(r.outputs.at(name), want, c.rtol, c.atol, &where) != 0) { *msg = c.name + " " + name + " " + where; return false; }
    }
    return true;
}

Analysis analyzeOne(const std::string& op, std::map<std::string, AttrValue> attrs, const std::string& shape) {
    Graph g;
    g.addNode({"x", "input", {{"shape", shape}}});
    g.addNode({"blk", op, std::move(attrs)});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"blk", "x"});
    g.connect({"blk", "y"}, {"y", "x"});
    return analyze(g, {});
}

}  // namespace

class TestBlocksA : public QObject {
    Q_OBJECT
private slots:
    void fixturesCoverEveryBlock() {
        QSet<QString> ops;
        for (auto& f : caseFiles()) ops << QFileInfo(f).baseName().section('_', 0, 0);
        for (auto* id : {"mha", "ffn", "residual", "patch", "head", "layer", "loop"})
            QVERIFY2(ops.contains(id), qPrintable(QString("no fixture for ") + id + ": run tests/fixtures/gen_blocks_a.py"));
    }

    void cpuMatchesPyTorch_data() {
        QTest::addColumn<QString>("path");
        for (auto& f : caseFiles()) QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
    }
    void cpuMatchesPyTorch() {
        QFETCH(QString, path);
        BlockCase c;
        std::string err;
        QVERIFY2(loadBlockCase(path.toStdString(), &c, &err), err.c_str());
        RunResult r = makeCpuBackend()->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false});
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY2(compareAll(r, c, &err), err.c_str());
    }

    void vulkanMatchesPyTorch_data() { cpuMatchesPyTorch_data(); }
    void vulkanMatchesPyTorch() {
        QFETCH(QString, path);
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        BlockCase c;
        std::string err;
        QVERIFY2(loadBlockCase(path.toStdString(), &c, &err), err.c_str());
        RunResult r = vkb->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false});
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY2(compareAll(r, c, &err), err.c_str());
    }

    // The loop's parameters are those of one block; FLOPs grow with the iterations.
    void loopTiesWeights() {
        std::string body = R"({"d_model": 16, "heads": 2, "hidden": 32})";
        Analysis one = analyzeOne("transformer_layer", {{"d_model", int64_t(16)}, {"heads", int64_t(2)}, {"hidden", int64_t(32)}}, "2, 5, 16");
        Analysis three = analyzeOne("loop", {{"iterations", int64_t(3)}, {"block_attrs", body}}, "2, 5, 16");
        QVERIFY2(one.ok(), one.errorText().c_str());
        QVERIFY2(three.ok(), three.errorText().c_str());
        // closed form: attention 4 (d^2 + d), ffn 2 d h + h + d, two LayerNorms 4 d
        const int64_t d = 16, h = 32;
        QCOMPARE(one.totalParams, 4 * (d * d + d) + 2 * d * h + h + d + 4 * d);
        QCOMPARE(three.totalParams, one.totalParams);
        QCOMPARE(three.totalFlops, 3 * one.totalFlops);
        QCOMPARE(three.nodes.at("blk/it2/attn/q_proj").weightNode, std::string("blk/it0/attn/q_proj"));
    }

    void badAttributesNameTheBlock() {
        Analysis a = analyzeOne("mha", {{"d_model", int64_t(16)}, {"heads", int64_t(4)}, {"kv_heads", int64_t(3)}}, "1, 4, 16");
        QVERIFY(!a.ok());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("node \"blk\" (mha)"), a.errorText().c_str());
        QVERIFY2(QString::fromStdString(a.errorText()).contains("kv_heads = 3"), a.errorText().c_str());
        a = analyzeOne("loop", {{"block", std::string("transformer_layr")}}, "1, 4, 16");
        QVERIFY2(QString::fromStdString(a.errorText()).contains("did you mean \"transformer_layer\""), a.errorText().c_str());
        a = analyzeOne("loop", {{"block_attrs", std::string("{d_model: 3")}}, "1, 4, 16");
        QVERIFY2(QString::fromStdString(a.errorText()).contains("not a JSON object"), a.errorText().c_str());
        a = analyzeOne("mha", {{"d_model", int64_t(16)}}, "1, 4, 12");  // input width differs from d_model: fine for q,
        QVERIFY2(a.ok(), a.errorText().c_str());                         // output is d_model
        a = analyzeOne("ffn", {{"hidden", int64_t(8)}, {"nested", int64_t(8)}}, "1, 4, 12");
        QVERIFY2(QString::fromStdString(a.errorText()).contains("nested = 8 must be below hidden = 8"), a.errorText().c_str());
    }
};

QTEST_GUILESS_MAIN(TestBlocksA)
#include "test_blocks_a.moc"
