// ONNX export of the ops outside the core table (onnx_export_more.cpp): rope,
// alibi, T5 relative bias, causal / sliding-window / shifted-window masks,
// window partition/reverse and patch merging (Swin), cumsum, topk, keep_topk,
// cls_token, learned positions, layer scale, GELU-tanh, ELU+1, and the linear
// recurrences (scan diag/decay/delta, linear_mix) as ONNX Scan. Each design is
// run on the CPU, exported (onnx::checker inside the export; python3-onnx's
// full checker too where installed), then
//   - re-imported and run again, when the importer reads every emitted op;
//   - run by ONNX Runtime's CPU provider (scripts/ort_run.js with the npm
//     package onnxruntime-node, found through $ARCHSCOPE_ORT_NODE_PATH or
//     $NODE_PATH; QSKIP of that part without it),
// and both must match the explorer's outputs within 1e-4 relative. The MoE
// router still has no ONNX form: the error names the node and op.
#include "interop/export.h"
#include "interop/onnx_import.h"
#include "interop/safetensors.h"
#include "runtime/backend.h"
#include "templates/template_def.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace archscope;

namespace {

struct Run {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    RunResult r;
    std::string error;
    bool go(bool generate = true) {
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        if (!w.materialize(a, 3, &error)) return false;
        for (auto& id : a.order)
            if (generate && a.nodes.at(id).def->id == "input" && !inputs.count(id)) inputs[id] = generateInput(id, a.nodes.at(id), 5);
        r = makeCpuBackend()->run({&g, &a, &w, inputs, 5, false});
        if (!r.ok) error = r.error;
        return r.ok;
    }
};

// Worst |a - b| / (|a| + 1e-2) over all elements (infinities must agree); "" when within rtol.
std::string compare(const std::string& what, const Tensor& ref, const Tensor& got, double rtol) {
    if (ref.shape() != got.shape()) return what + ": shape differs";
    for (int64_t i = 0; i < ref.numel(); ++i) {
        double a = ref.dtype() == DType::F32 ? ref.f32()[i] : double(ref.i64()[i]);
        double b = got.dtype() == DType::F32 ? got.f32()[i] : double(got.i64()[i]);
        if (std::isinf(a) || std::isinf(b)) {
            if (a != b) return what + ": element " + std::to_string(i) + " " + std::to_string(a) + " vs " + std::to_string(b);
            continue;
        }
        if (std::abs(a - b) > rtol * std::abs(a) + 1e-5)
            return what + ": element " + std::to_string(i) + " " + std::to_string(a) + " vs " + std::to_string(b);
    }
    return "";
}

QString ortNodePath() {
    for (const char* v : {"ARCHSCOPE_ORT_NODE_PATH", "NODE_PATH"}) {
        QString p = qEnvironmentVariable(v);
        if (!p.isEmpty() && QDir(p + "/onnxruntime-node").exists()) return p;
    }
    return {};
}

Graph fromTemplate(const std::string& name, const std::map<std::string, std::string>& over) {
    Graph g;
    std::string err;
    if (!findTemplate(name) || !instantiateTemplate(*findTemplate(name), over, &g, &err)) qWarning("%s: %s", name.c_str(), err.c_str());
    return g;
}

// x [2, 6, 16] through the element-wise and selection ops, several outputs.
Graph opsChain() {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 6, 16")}}});
    auto chain = [&](const std::string& id, const std::string& op, std::map<std::string, AttrValue> attrs, const std::string& from) {
        g.addNode({id, op, attrs});
        g.connect({from, "y"}, {id, "x"});
    };
    chain("gt", "gelu_tanh", {}, "x");
    chain("e1", "elu1", {}, "gt");
    chain("ls", "layer_scale", {{"init", 0.5}}, "e1");
    chain("cs", "cumsum", {{"axis", int64_t(1)}, {"reverse", true}}, "ls");
    chain("kt", "keep_topk", {{"k", int64_t(5)}}, "cs");
    chain("cls", "cls_token", {{"count", int64_t(2)}}, "kt");
    chain("pl", "pos_learned", {{"max_len", int64_t(16)}}, "cls");
    chain("ps", "pos_sinusoidal", {{"offset", int64_t(3)}}, "pl");
    g.addNode({"tk", "topk", {{"k", int64_t(3)}, {"axis", int64_t(-1)}}});
    g.connect({"ps", "y"}, {"tk", "x"});
    g.addNode({"values", "output"});
    g.addNode({"indices", "output"});
    g.addNode({"y", "output"});
    g.connect({"tk", "values"}, {"values", "x"});
    g.connect({"tk", "indices"}, {"indices", "x"});
    g.connect({"ps", "y"}, {"y", "x"});
    return g;
}

// Self-attention block with an attention position scheme ("alibi", "relative") or a sliding window.
Graph attention(const std::string& pos, int64_t window) {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 7, 32")}}});
    std::map<std::string, AttrValue> a{{"d_model", int64_t(32)}, {"heads", int64_t(4)}, {"causal", true}, {"pos", pos}};
    if (window) a["window"] = window;
    g.addNode({"attn", "mha", a});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"attn", "x"});
    g.connect({"attn", "y"}, {"y", "x"});
    return g;
}

}  // namespace

class TestOnnxExportOps : public QObject {
    Q_OBJECT

    void roundTrip(Graph g, bool reimport) {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QVERIFY2(!g.nodes().empty(), "the design was not built (see the warning)");
        Run ref;
        ref.g = std::move(g);
        QVERIFY2(ref.go(), ref.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(ref.g, ref.a, ref.w, &bytes, &err), err.c_str());
        QTemporaryDir tmp;
        const QString model = tmp.filePath("m.onnx");
        {
            QFile f(model);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.data(), qint64(bytes.size()));
        }
        QProcess py;
        py.start("/usr/bin/python3", {"-c", "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", model});
        QVERIFY(py.waitForFinished(120000));
        const QByteArray pyErr = py.readAllStandardError();
        if (py.exitCode() != 0 && !pyErr.contains("No module named")) QFAIL(qPrintable("onnx.checker: " + pyErr));
        if (reimport) {
            Run back;
            TensorMap weights;
            QVERIFY2(importOnnxBytes(bytes, "m.onnx", ".", {}, &back.g, &weights, nullptr, &err), err.c_str());
            back.w.all() = weights;
            back.inputs = ref.inputs;
            QVERIFY2(back.go(false), back.error.c_str());
            for (auto& [id, t] : ref.r.outputs) {
                QVERIFY2(back.r.outputs.count(id), id.c_str());
                const std::string why = compare("re-import " + id, t, back.r.outputs.at(id), 1e-4);
                QVERIFY2(why.empty(), why.c_str());
            }
        }
        const QString nodePath = ortNodePath();
        if (nodePath.isEmpty()) QSKIP("ONNX Runtime part skipped: set ARCHSCOPE_ORT_NODE_PATH to a node_modules with onnxruntime-node");
        TensorMap in;
        for (auto& [id, t] : ref.inputs) in["in." + id] = t;
        QVERIFY2(writeSafetensors(tmp.filePath("in.safetensors").toStdString(), in, &err), err.c_str());
        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("NODE_PATH", nodePath);
        node.setProcessEnvironment(env);
        node.start("node", {qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/scripts/ort_run.js", model, tmp.filePath("in.safetensors"),
                            tmp.filePath("out.safetensors")});
        QVERIFY(node.waitForFinished(120000));
        QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
        TensorMap out;
        QVERIFY2(readSafetensors(tmp.filePath("out.safetensors").toStdString(), &out, &err), err.c_str());
        for (auto& [id, t] : ref.r.outputs) {
            QVERIFY2(out.count("out." + id), id.c_str());
            const std::string why = compare("onnxruntime " + id, t, out.at("out." + id), 1e-4);
            QVERIFY2(why.empty(), why.c_str());
        }
    }

private slots:
    void gptRope() { roundTrip(fromTemplate("gpt", {{"layers", "1"}, {"seq", "12"}}), true); }
    void gpt2LearnedPositions() { roundTrip(fromTemplate("gpt", {{"preset", "gpt2"}, {"layers", "1"}, {"seq", "12"}}), true); }
    void alibi() { roundTrip(attention("alibi", 0), true); }
    void t5RelativeBias() { roundTrip(attention("relative", 0), true); }
    void slidingWindow() { roundTrip(attention("rope", 3), true); }
    // The window ops' Gather with a constant index map has no design op to import into: ONNX Runtime checks them.
    void swinWindows() { roundTrip(fromTemplate("swin", {{"image", "32"}, {"depths", "2,2"}, {"heads", "2,4"}}), false); }
    // CumSum, TopK, ScatterElements and Elu are not imported: ONNX Runtime checks these.
    void elementwiseAndSelection() { roundTrip(opsChain(), false); }

    // Linear recurrences as ONNX Scan nodes (not imported: ONNX Runtime checks them).
    void mambaSelectiveScan() { roundTrip(fromTemplate("mamba_lm", {{"layers", "1"}, {"seq", "8"}}), false); }
    void linearRecurrences_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mode");
        for (const char* k : {"gla", "retnet", "deltanet"})
            for (const char* m : {"recurrent", "chunked"}) QTest::newRow((std::string(k) + "-" + m).c_str()) << QString(k) << QString(m);
    }
    void linearRecurrences() {
        QFETCH(QString, kind);
        QFETCH(QString, mode);
        roundTrip(fromTemplate("linear_lm", {{"kind", kind.toStdString()}, {"mode", mode.toStdString()}, {"layers", "1"}, {"seq", "12"},
                                             {"chunk", "4"}, {"hybrid_ratio", "0"}}),
                  false);
    }

    // Data-dependent routing has no ONNX form yet: the error names the node and op.
    void moeRouterIsNamed() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        Run ref;
        ref.g = fromTemplate("moe_lm", {{"layers", "1"}, {"seq", "8"}});
        QVERIFY2(ref.go(), ref.error.c_str());
        std::string bytes, err;
        QVERIFY(!exportOnnx(ref.g, ref.a, ref.w, &bytes, &err));
        QVERIFY2(err.find("(op \"moe_route\")") != std::string::npos && err.find("node \"") != std::string::npos, err.c_str());
    }
};

QTEST_MAIN(TestOnnxExportOps)
#include "test_onnx_export_ops.moc"
