// ONNX import against PyTorch: models exported by tests/fixtures/gen_onnx.py
// (transformer, ViT, MLP-Mixer, ConvNeXt, MobileNetV2, LLaMA-style), imported
// and run on the CPU and Vulkan backends, outputs within 1e-4 relative of
// PyTorch's. Also: lifting and labels, unsupported ops, and the loader hook.
#include "interop/design_loader.h"
#include "interop/onnx_import.h"
#include "op_case.h"
#include "vulkan_test_util.h"

#include "onnx_test_util.h"

#include <QtTest>

using namespace archscope;

namespace {

const auto fixture = &test::onnxFixture;

struct Imported {
    Graph g;
    TensorMap weights;
    OnnxImportReport rep;
    Analysis a;
    WeightStore store;
    std::map<std::string, Tensor> inputs;    // by design input id
    std::map<std::string, Tensor> expected;  // by design output id
    std::string error;

    bool load(const std::string& name, bool lift) {
        OnnxImportOptions opt;
        opt.lift = lift;
        if (!importOnnxFile(fixture(name + ".onnx"), opt, &g, &weights, &rep, &error)) return false;
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        for (auto& [k, t] : weights) store.all()[k] = t;
        const size_t before = store.all().size();
        if (!store.materialize(a, 0, &error)) return false;
        if (store.all().size() != before) { error = "some parameters were not imported (random init)"; return false; }
        TensorMap io;
        if (!readSafetensors(fixture(name + ".io.safetensors"), &io, &error)) return false;
        for (auto& n : g.nodes()) {
            if (n.op == "input" && io.count("in." + n.label)) inputs[n.id] = io["in." + n.label];
            if (n.op == "output" && io.count("out." + n.label)) expected[n.id] = io["out." + n.label];
        }
        if (inputs.empty() || expected.empty()) { error = "fixture inputs/outputs do not match the design"; return false; }
        return true;
    }

    // Empty on success, else the worst mismatch.
    std::string compare(Backend& b) {
        RunResult r = b.run({&g, &a, &store, inputs, 0, false});
        if (!r.ok) return r.error;
        for (auto& [id, want] : expected) {
            std::string where;
            auto it = r.outputs.find(id);
            if (it == r.outputs.end()) return "no output \"" + id + "\" from " + b.name();
            if (test::worstViolation(it->second, want, 1e-4, 1e-5, &where) > 0) return id + ": " + where;
        }
        return "";
    }
};

int countOp(const Graph& g, const std::string& op) {
    int n = 0;
    for (auto& node : g.nodes()) n += node.op == op;
    return n;
}

const char* kModels[] = {"transformer", "vit", "mixer", "convnext", "mobilenetv2", "llama"};

}  // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
    }

    void cpuMatchesPyTorch_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("lift");
        for (const char* m : kModels) {
            QTest::newRow((std::string(m) + " lifted").c_str()) << QString(m) << true;
            QTest::newRow((std::string(m) + " primitives").c_str()) << QString(m) << false;
        }
    }
    void cpuMatchesPyTorch() {
        QFETCH(QString, model);
        QFETCH(bool, lift);
        Imported im;
        QVERIFY2(im.load(model.toStdString(), lift), im.error.c_str());
        auto cpu = makeCpuBackend();
        std::string bad = im.compare(*cpu);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    void vulkanMatchesPyTorch_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
    }
    void vulkanMatchesPyTorch() {
        QFETCH(QString, model);
        ARCHSCOPE_VULKAN_OR_SKIP(vk, false);
        Imported im;
        QVERIFY2(im.load(model.toStdString(), true), im.error.c_str());
        std::string bad = im.compare(*vk);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    // Exported decompositions come back as the core ops, with ONNX names as labels.
    void liftsPatterns() {
        Imported vit, llama, tr;
        QVERIFY2(vit.load("vit", true), vit.error.c_str());
        QVERIFY2(llama.load("llama", true), llama.error.c_str());
        QVERIFY2(tr.load("transformer", true), tr.error.c_str());
        QCOMPARE(vit.rep.opset, int64_t(13));
        QCOMPARE(countOp(vit.g, "layernorm"), 5);  // opset 13: ReduceMean/Sub/Pow/Sqrt/Div decompositions
        QCOMPARE(countOp(vit.g, "gelu"), 2);
        QCOMPARE(countOp(vit.g, "attn_softmax"), 2);
        QCOMPARE(countOp(vit.g, "reduce"), 0);
        QCOMPARE(vit.rep.lifted["layernorm"], 5);  // counted once each, though matched at Div, Mul and Add
        QCOMPARE(countOp(llama.g, "rmsnorm"), 5);
        QCOMPARE(countOp(llama.g, "silu"), 2);
        QCOMPARE(countOp(llama.g, "attn_softmax"), 2);
        QCOMPARE(countOp(llama.g, "embedding"), 1);
        QCOMPARE(countOp(tr.g, "attn_softmax"), 1);
        QCOMPARE(countOp(tr.g, "softmax"), 0);
        QCOMPARE(countOp(tr.g, "where"), 0);  // the causal mask became the softmax's mask input
        bool labelled = false;
        for (auto& n : tr.g.nodes())
            if (n.op == "attn_softmax") labelled = n.label == "/block/attn/Softmax";
        QVERIFY(labelled);
        QVERIFY(!tr.g.groups.empty());
        QVERIFY(tr.rep.foldedNodes > 0);
    }

    void reportsUnsupportedOps() {
        Graph g;
        TensorMap w;
        OnnxImportReport rep;
        std::string err;
        QVERIFY(!importOnnxFile(fixture("unsupported_nonzero.onnx"), {}, &g, &w, &rep, &err));
        QVERIFY2(err.find("1 node of unsupported op \"NonZero\": node \"/NonZero\"") != std::string::npos, err.c_str());
        // Every problem is listed in one pass: the comparison feeding NonZero has no core op either.
        QVERIFY2(err.find("1 node of unsupported op \"Greater\" (only with constant inputs): node \"/Greater\"") != std::string::npos,
                 err.c_str());
        QCOMPARE(rep.unsupported.size(), size_t(2));
        QCOMPARE(rep.unsupported[1].op, std::string("NonZero"));
        QCOMPARE(rep.unsupported[1].nodes, std::vector<std::string>{"/NonZero"});
    }

    void rejectsBadFiles() {
        Graph g;
        TensorMap w;
        std::string err;
        QVERIFY(!importOnnxBytes("this is not protobuf", "junk.onnx", ".", {}, &g, &w, nullptr, &err));
        QVERIFY2(err.find("junk.onnx") != std::string::npos, err.c_str());
        QVERIFY(!importOnnxFile(fixture("missing.onnx"), {}, &g, &w, nullptr, &err));
        // A truncated model fails cleanly.
        std::string bytes;
        QVERIFY(readFile(fixture("transformer.onnx"), &bytes, &err));
        QVERIFY(!importOnnxBytes(bytes.substr(0, bytes.size() / 2), "half.onnx", ".", {}, &g, &w, nullptr, &err));
        QVERIFY(!err.empty());
    }

    // The loader hook: .onnx opens like a design, with weights in a cache sidecar.
    void loadsOnnxAsDesign() {
        qputenv("XDG_CACHE_HOME", QDir::tempPath().toUtf8() + "/archscope-test-cache");
        Graph g;
        LoadResult r = loadAnyDesign(fixture("mixer.onnx"), &g);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(!g.weights.file.empty());
        WeightStore ws;
        std::string err;
        QVERIFY2(ws.loadFile(g.weights.file, &err), err.c_str());
        QVERIFY(ws.all().size() > 10);
    }
};

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "test_onnx_import.moc"
