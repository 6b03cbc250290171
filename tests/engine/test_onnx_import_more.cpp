// ONNX import of single constructs against PyTorch (fixtures from
// tests/fixtures/gen_onnx_pieces.py): a Gather with constant indices that are
// not one range (slices of the runs, concatenated), TopK, CumSum, Elu, and Conv
// with asymmetric pads (1-d [k-1, 0] becomes a causal conv1d; other pads keep
// their symmetric part and concatenate zero blocks), each on the CPU and
// Vulkan backends within 1e-4 relative; files with "archscope.fn" function
// calls written by `archscope export` (gen_onnx_fn.sh) import into the same
// ops and match ONNX Runtime's outputs; a call of a model-local function of a
// domain other than "archscope.fn" is reported by op, domain, node and count.
#include "interop/onnx_import.h"
#include "interop/safetensors.h"
#include "op_case.h"
#include "vulkan_test_util.h"

#include "onnx_test_util.h"

#include <QtTest>

using namespace archscope;

namespace {

const auto fixture = &test::onnxFixture;

struct Imported {
    Graph g;
    Analysis a;
    WeightStore store;
    std::map<std::string, Tensor> inputs, expected;  // by design node id
    std::string error;

    bool load(const std::string& name) {
        TensorMap weights;
        OnnxImportReport rep;
        if (!importOnnxFile(fixture(name + ".onnx"), {}, &g, &weights, &rep, &error)) return false;
        a = analyze(g, {});
        if (!a.ok()) return error = a.errorText(), false;
        store.all() = weights;
        TensorMap io;
        if (!readSafetensors(fixture(name + ".io.safetensors"), &io, &error)) return false;
        for (auto& n : g.nodes()) {
            if (n.op == "input" && io.count("in." + n.label)) inputs[n.id] = io["in." + n.label];
            if (n.op == "output" && io.count("out." + n.label)) expected[n.id] = io["out." + n.label];
        }
        if (expected.empty()) return error = "fixture outputs do not match the design", false;
        return true;
    }
    std::string compare(Backend& b) {
        RunResult r = b.run({&g, &a, &store, inputs, 0, false});
        if (!r.ok) return r.error;
        for (auto& [id, want] : expected) {
            std::string where;
            auto it = r.outputs.find(id);
            if (it == r.outputs.end()) return "no output \"" + id + "\"";
            if (test::worstViolation(it->second, want, 1e-4, 1e-5, &where) > 0) return id + ": " + where;
        }
        return "";
    }
    int count(const std::string& op, const std::string& attr = "", bool value = false) const {
        int c = 0;
        for (auto& n : g.nodes()) {
            if (n.op != op) continue;
            auto it = n.attrs.find(attr);
            c += attr.empty() || (it != n.attrs.end() && std::get_if<bool>(&it->second) && *std::get_if<bool>(&it->second) == value);
        }
        return c;
    }
};

}  // namespace

class TestOnnxImportMore : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
    }

    void pieces() {
        Imported im;
        QVERIFY2(im.load("pieces"), im.error.c_str());
        QCOMPARE(im.count("topk"), 1);
        QCOMPARE(im.count("cumsum"), 1);
        QCOMPARE(im.count("elu1"), 1);
        QCOMPARE(im.count("slice"), 3);  // runs [4], [0, 3), [5]
        QCOMPARE(im.count("concat"), 1);
        auto cpu = makeCpuBackend();
        const std::string bad = im.compare(*cpu);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    void asymmetricConv() {
        Imported im;
        QVERIFY2(im.load("asym_conv"), im.error.c_str());
        QCOMPARE(im.count("conv1d", "causal", true), 1);   // pads [2, 0], kernel 3
        QCOMPARE(im.count("conv1d", "causal", false), 1);  // pads [1, 3]: padding 1 + 2 zeros after
        QCOMPARE(im.count("conv2d"), 1);
        QCOMPARE(im.count("concat"), 3);  // uneven 1-d: end of L; 2-d: top of H, end of W
        auto cpu = makeCpuBackend();
        const std::string bad = im.compare(*cpu);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    // Files written by `archscope export` with "archscope.fn" calls (gen_onnx_fn.sh):
    // each call is one op again; outputs match ONNX Runtime's run of the function bodies.
    void fnCalls_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("op");
        QTest::addColumn<int>("count");
        QTest::newRow("mamba") << QString("fn_mamba") << QString("scan") << 1;
        QTest::newRow("gla") << QString("fn_gla") << QString("linear_mix") << 1;
        QTest::newRow("swin-partition") << QString("fn_swin") << QString("window_partition") << 3;
        QTest::newRow("swin-reverse") << QString("fn_swin") << QString("window_reverse") << 3;
        QTest::newRow("swin-merge") << QString("fn_swin") << QString("patch_merge") << 1;
    }
    void fnCalls() {
        QFETCH(QString, model);
        QFETCH(QString, op);
        QFETCH(int, count);
        Imported im;
        QVERIFY2(im.load(model.toStdString()), im.error.c_str());
        QCOMPARE(im.count(op.toStdString()), count);
        auto cpu = makeCpuBackend();
        const std::string bad = im.compare(*cpu);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    void vulkan_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : {"pieces", "asym_conv", "fn_mamba", "fn_gla", "fn_swin"}) QTest::newRow(m) << QString(m);
    }
    void vulkan() {
        QFETCH(QString, model);
        ARCHSCOPE_VULKAN_OR_SKIP(vk, false);
        Imported im;
        QVERIFY2(im.load(model.toStdString()), im.error.c_str());
        const std::string bad = im.compare(*vk);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    void foreignFunctionIsReported() {
        Graph g;
        TensorMap w;
        std::string err;
        QVERIFY(!importOnnxFile(fixture("local_function.onnx"), {}, &g, &w, nullptr, &err));
        QVERIFY2(err.find("1 node of unsupported op \"MyBlock\" (model-local function of domain \"my.fns\"") != std::string::npos, err.c_str());
        QVERIFY2(err.find("node \"/m/b0\"") != std::string::npos, err.c_str());
    }
};

QTEST_MAIN(TestOnnxImportMore)
#include "test_onnx_import_more.moc"
