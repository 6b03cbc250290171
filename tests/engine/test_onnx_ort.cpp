// ONNX import against ONNX Runtime: the six models of tests/fixtures/onnx
// (exported from PyTorch by gen_onnx.py), imported and run on the CPU and
// Vulkan backends, compared with ONNX Runtime's CPU outputs on the same inputs
// (NAME.ort.safetensors, written by tests/fixtures/gen_ort.js with the
// onnxruntime-node package; committed, so this test needs neither npm nor ORT).
#include "interop/onnx_import.h"
#include "op_case.h"
#include "vulkan_test_util.h"

#include "onnx_test_util.h"

#include <QtTest>

using namespace archscope;

namespace {

const auto fixture = &test::onnxFixture;

const char* kModels[] = {"transformer", "vit", "mixer", "convnext", "mobilenetv2", "llama"};

struct Case {
    Graph g;
    Analysis a;
    WeightStore store;
    std::map<std::string, Tensor> inputs, expected;  // by design node id
    std::string ortVersion, error;

    bool load(const std::string& name) {
        TensorMap weights, io, ort;
        OnnxImportReport rep;
        if (!importOnnxFile(fixture(name + ".onnx"), {}, &g, &weights, &rep, &error)) return false;
        a = analyze(g, {});
        if (!a.ok()) return error = a.errorText(), false;
        for (auto& [k, t] : weights) store.all()[k] = t;
        if (!store.materialize(a, 0, &error)) return false;
        std::map<std::string, std::string> meta;
        if (!readSafetensors(fixture(name + ".io.safetensors"), &io, &error)) return false;
        if (!readSafetensors(fixture(name + ".ort.safetensors"), &ort, &error, &meta)) return false;
        ortVersion = meta["onnxruntime"];
        for (auto& n : g.nodes()) {
            if (n.op == "input" && io.count("in." + n.label)) inputs[n.id] = io["in." + n.label];
            if (n.op == "output" && ort.count("out." + n.label)) expected[n.id] = ort["out." + n.label];
        }
        if (inputs.empty() || expected.empty()) return error = "fixture inputs/outputs do not match the design", false;
        return true;
    }

    // Empty on success, else the worst mismatch (1e-4 relative, 1e-5 absolute floor).
    std::string compare(Backend& b) {
        RunResult r = b.run({&g, &a, &store, inputs, 0, false});
        if (!r.ok) return r.error;
        for (auto& [id, want] : expected) {
            auto it = r.outputs.find(id);
            if (it == r.outputs.end()) return "no output \"" + id + "\" from " + b.name();
            if (it->second.shape() != want.shape()) return id + ": shape differs from ONNX Runtime's";
            std::string where;
            if (test::worstViolation(it->second, want, 1e-4, 1e-5, &where) > 0) return id + ": " + where;
        }
        return "";
    }
};

}  // namespace

class TestOnnxOrt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
    }

    void cpuMatchesOnnxRuntime_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
    }
    void cpuMatchesOnnxRuntime() {
        QFETCH(QString, model);
        Case c;
        QVERIFY2(c.load(model.toStdString()), c.error.c_str());
        QVERIFY2(!c.ortVersion.empty(), "the fixture does not name its ONNX Runtime version");
        auto cpu = makeCpuBackend();
        std::string bad = c.compare(*cpu);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    void vulkanMatchesOnnxRuntime_data() { cpuMatchesOnnxRuntime_data(); }
    void vulkanMatchesOnnxRuntime() {
        QFETCH(QString, model);
        ARCHSCOPE_VULKAN_OR_SKIP(vk, false);
        Case c;
        QVERIFY2(c.load(model.toStdString()), c.error.c_str());
        std::string bad = c.compare(*vk);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    // The comparison can fail: a perturbed reference is caught.
    void detectsMismatch() {
        Case c;
        QVERIFY2(c.load("vit"), c.error.c_str());
        c.expected.begin()->second.f32()[0] += 0.01f;
        auto cpu = makeCpuBackend();
        QVERIFY(!c.compare(*cpu).empty());
    }
};

QTEST_GUILESS_MAIN(TestOnnxOrt)
#include "test_onnx_ort.moc"
