// Design exports: ONNX export passes the checker and re-imports to the same
// outputs; the PyTorch export, run by Debian's python3-torch, reproduces the
// engine's outputs (QSKIP without /usr/bin/python3 + torch); safetensors of
// the state dict; unsupported ops are named.
#include "core/registry.h"
#include "graph/design_io.h"
#include "interop/export.h"
#include "interop/onnx_import.h"
#include "op_case.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace archscope;

namespace {

std::string fixture(const std::string& name) {
    return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR").toStdString() + "/tests/fixtures/onnx/" + name;
}

// A design with its weights and inputs, run on the CPU.
struct Design {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    RunResult r;
    std::string error;

    bool finish(uint64_t seed = 1) {
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        if (!w.materialize(a, seed, &error)) return false;
        for (auto& id : a.order) {
            const NodeInfo& info = a.nodes.at(id);
            if (info.def->id == "input" && !inputs.count(id)) inputs[id] = generateInput(id, info, seed);
        }
        r = makeCpuBackend()->run({&g, &a, &w, inputs, seed, false});
        if (!r.ok) error = r.error;
        return r.ok;
    }
    bool fromOnnx(const std::string& model) {
        TensorMap weights;
        if (!importOnnxFile(fixture(model + ".onnx"), {}, &g, &weights, nullptr, &error)) return false;
        w.all() = weights;
        TensorMap io;
        if (!readSafetensors(fixture(model + ".io.safetensors"), &io, &error)) return false;
        for (auto& n : g.nodes())
            if (n.op == "input") inputs[n.id] = io.at("in." + n.label);
        return finish();
    }
};

bool sameOutputs(const RunResult& a, const RunResult& b, double rtol, std::string* why) {
    if (a.outputs.size() != b.outputs.size()) { *why = "output count differs"; return false; }
    for (auto& [id, t] : a.outputs) {
        auto it = b.outputs.find(id);
        if (it == b.outputs.end()) { *why = "missing output " + id; return false; }
        std::string where;
        if (test::worstViolation(it->second, t, rtol, 1e-5, &where) > 0) { *why = id + ": " + where; return false; }
    }
    return true;
}

bool havePyTorch() {
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import torch"});
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

const char* kModels[] = {"transformer", "vit", "mixer", "convnext", "mobilenetv2", "llama"};

}  // namespace

class TestInteropExport : public QObject {
    Q_OBJECT
private slots:
    void onnxRoundTrip_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
    }
    void onnxRoundTrip() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QFETCH(QString, model);
        Design d;
        QVERIFY2(d.fromOnnx(model.toStdString()), d.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(d.g, d.a, d.w, &bytes, &err), err.c_str());  // includes onnx::checker
        Design back;
        TensorMap weights;
        OnnxImportReport rep;
        QVERIFY2(importOnnxBytes(bytes, "exported.onnx", ".", {}, &back.g, &weights, &rep, &err), err.c_str());
        back.w.all() = weights;
        back.inputs = d.inputs;  // input node ids survive the round trip
        QVERIFY2(back.finish(), back.error.c_str());
        std::string why;
        QVERIFY2(sameOutputs(d.r, back.r, 1e-5, &why), why.c_str());
        // Lifted ops come back as themselves.
        std::map<std::string, int> before, after;
        for (auto& n : d.g.nodes()) ++before[n.op];
        for (auto& n : back.g.nodes()) ++after[n.op];
        for (const char* op : {"layernorm", "rmsnorm", "gelu", "attn_softmax", "linear", "conv2d", "embedding"})
            QVERIFY2(before[op] == after[op], (std::string(op) + " count changed in the round trip").c_str());
    }

    // A designed (not imported) graph with a composite block, exported and re-imported.
    void onnxExportOfCompositeDesign() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        if (!OpRegistry::global().find("ffn")) QSKIP("no ffn block in this build");
        Design d;
        d.g.addNode({"x", "input", {{"shape", std::string("2, 5, 16")}}});
        d.g.addNode({"mlp", "ffn", {{"d_model", int64_t(16)}, {"hidden", int64_t(32)}, {"act", std::string("gelu")}}});
        d.g.addNode({"y", "output"});
        d.g.connect({"x", "y"}, {"mlp", "x"});
        d.g.connect({"mlp", "y"}, {"y", "x"});
        QVERIFY2(d.finish(), d.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(d.g, d.a, d.w, &bytes, &err), err.c_str());
        Design back;
        TensorMap weights;
        QVERIFY2(importOnnxBytes(bytes, "ffn.onnx", ".", {}, &back.g, &weights, nullptr, &err), err.c_str());
        back.w.all() = weights;
        back.inputs = d.inputs;
        QVERIFY2(back.finish(), back.error.c_str());
        std::string why;
        QVERIFY2(sameOutputs(d.r, back.r, 1e-5, &why), why.c_str());
    }

    void exportNamesUnsupportedOps() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        Design d;
        d.g.addNode({"x", "input", {{"shape", std::string("1, 2, 4, 8")}}});
        d.g.addNode({"r", "moe_route"});  // data-dependent routing: no ONNX or PyTorch form yet
        d.g.addNode({"y", "output"});
        d.g.connect({"x", "y"}, {"r", "probs"});
        d.g.connect({"r", "gates"}, {"y", "x"});
        QVERIFY2(d.finish(), d.error.c_str());
        std::string bytes, err;
        QVERIFY(!exportOnnx(d.g, d.a, d.w, &bytes, &err));
        QVERIFY2(err.find("node \"r\" (op \"moe_route\")") != std::string::npos, err.c_str());
        std::string code;
        TensorMap state;
        QVERIFY(!exportPyTorch(d.g, d.a, d.w, "w.safetensors", &code, &state, &err));
        QVERIFY2(err.find("node \"r\" (op \"moe_route\")") != std::string::npos, err.c_str());
    }

    void pytorchReproducesOutputs_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
        QTest::newRow("ffn-block") << QString("ffn-block");
    }
    void pytorchReproducesOutputs() {
        QFETCH(QString, model);
        Design d;
        if (model == "ffn-block") {
            if (!OpRegistry::global().find("ffn")) QSKIP("no ffn block in this build");
            d.g.metadata["name"] = "tiny mlp";
            d.g.addNode({"x", "input", {{"shape", std::string("2, 5, 16")}}});
            d.g.addNode({"mlp", "ffn", {{"d_model", int64_t(16)}, {"hidden", int64_t(32)}, {"act", std::string("swiglu")}}});
            d.g.addNode({"y", "output"});
            d.g.connect({"x", "y"}, {"mlp", "x"});
            d.g.connect({"mlp", "y"}, {"y", "x"});
            QVERIFY2(d.finish(), d.error.c_str());
        } else {
            if (!onnxAvailable()) QSKIP("built without libonnx-dev");
            QVERIFY2(d.fromOnnx(model.toStdString()), d.error.c_str());
        }
        std::string code, err;
        TensorMap state;
        QVERIFY2(exportPyTorch(d.g, d.a, d.w, "model.safetensors", &code, &state, &err), err.c_str());
        QVERIFY(code.find("(nn.Module):") != std::string::npos);
        if (model == "ffn-block") QVERIFY2(code.find("class Mlp(nn.Module):") != std::string::npos, "no class for the composite block");
        if (!havePyTorch()) QSKIP("/usr/bin/python3 with torch is not available");
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        QVERIFY(writeFileAtomic(base + "/model.py", code, &err));
        QVERIFY(writeSafetensors(base + "/model.safetensors", state, &err));
        QVERIFY(writeSafetensors(base + "/in.safetensors", d.inputs, &err));
        QProcess p;
        p.start("/usr/bin/python3", {QString::fromStdString(base + "/model.py"), "--inputs", QString::fromStdString(base + "/in.safetensors"),
                                     "--outputs", QString::fromStdString(base + "/out.safetensors")});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        TensorMap outs;
        QVERIFY2(readSafetensors(base + "/out.safetensors", &outs, &err), err.c_str());
        QCOMPARE(outs.size(), d.r.outputs.size());
        for (auto& [id, want] : d.r.outputs) {
            std::string where;
            QVERIFY2(outs.count(id), id.c_str());
            QVERIFY2(test::worstViolation(outs.at(id), want, 1e-4, 1e-5, &where) == 0, (id + ": " + where).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestInteropExport)
#include "test_interop_export.moc"
