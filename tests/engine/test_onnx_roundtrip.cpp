// ONNX round trip of every built-in template: build it small, run it on the
// CPU backend, export to ONNX (the checker runs inside the export), re-import
// the bytes, run the re-imported design with the same inputs (its weights are
// the exported ones) and compare every output within 1e-4 relative. Ops
// written as "archscope.fn" function calls (scan, linear_mix, window layouts)
// must come back as the same ops, one node each. The Vulkan variant runs the
// re-imported design on the Vulkan backend against the same CPU reference
// (QSKIP without a device); ortRunsExports runs every export with ONNX
// Runtime (scripts/ort_run.js, QSKIP without $ARCHSCOPE_ORT_NODE_PATH);
// functionsAreShared checks that two Mamba layers call one function.
#include "interop/export.h"
#include "interop/onnx_import.h"
#include "interop/safetensors.h"
#include "runtime/backend.h"
#include "templates/template_def.h"
#include "vulkan_test_util.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include "onnx_test_util.h"

#include <QtTest>
#include <cmath>

using namespace archscope;

namespace {

using Overrides = std::map<std::string, std::string>;

// Small settings per template (the suite also runs under ASan); a template
// missing here runs with its defaults. Extra rows cover the variants whose
// export differs (presets, recurrence kinds, mixers).
const std::vector<std::pair<std::string, std::pair<std::string, Overrides>>>& rows() {
    static const std::vector<std::pair<std::string, std::pair<std::string, Overrides>>> r = {
        {"block_transformer", {"block_transformer", {{"d_model", "32"}, {"seq", "16"}, {"block_layers", "1"}, {"token_layers", "1"}}}},
        {"convnet", {"convnet", {}}},
        {"convnet-mobilenet_v2", {"convnet", {{"preset", "mobilenet_v2"}}}},
        {"crossvit", {"crossvit", {{"stages", "1"}}}},
        {"gpt", {"gpt", {{"layers", "1"}, {"seq", "8"}}}},
        {"gpt-gpt2", {"gpt", {{"preset", "gpt2"}, {"layers", "1"}, {"seq", "8"}}}},
        {"gtrxl", {"gtrxl", {{"layers", "1"}}}},
        {"linear_lm", {"linear_lm", {{"layers", "2"}, {"hybrid_ratio", "1"}, {"seq", "8"}, {"chunk", "4"}}}},
        {"linear_lm-retnet-recurrent", {"linear_lm", {{"kind", "retnet"}, {"mode", "recurrent"}, {"layers", "1"}, {"hybrid_ratio", "0"}, {"seq", "8"}}}},
        {"linear_lm-deltanet-parallel", {"linear_lm", {{"kind", "deltanet"}, {"mode", "parallel"}, {"layers", "1"}, {"hybrid_ratio", "0"}, {"seq", "8"}}}},
        {"linear_lm-linear", {"linear_lm", {{"kind", "linear"}, {"layers", "1"}, {"hybrid_ratio", "0"}, {"seq", "8"}, {"chunk", "4"}}}},
        {"looped_icl", {"looped_icl", {}}},
        {"mamba_lm", {"mamba_lm", {{"layers", "1"}, {"seq", "8"}}}},
        {"mamba_lm-hybrid", {"mamba_lm", {{"preset", "hybrid"}, {"layers", "2"}, {"attn_every", "2"}, {"seq", "8"}}}},
        {"metaformer", {"metaformer", {{"image", "32"}}}},
        {"metaformer-attention", {"metaformer", {{"mixer", "attention"}, {"image", "32"}}}},
        {"moe_lm", {"moe_lm", {{"layers", "1"}, {"seq", "8"}}}},
        {"swin", {"swin", {{"image", "32"}, {"depths", "2,2"}, {"heads", "2,4"}}}},
        {"vit", {"vit", {{"d_model", "48"}, {"layers", "1"}}}},
    };
    return r;
}

// Ops that the export writes as function calls: each must come back once per node.
const char* const kFnOps[] = {"scan", "linear_mix", "window_partition", "window_reverse", "patch_merge", "elu1", "keep_topk", "moe_route", "moe_experts"};

struct Design {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    std::string error;
    bool prepare(bool materialize) {
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        return !materialize || w.materialize(a, 3, &error);
    }
    int count(const std::string& op) const {
        int c = 0;
        for (auto& id : a.order) c += a.nodes.at(id).def->id == op;
        return c;
    }
};

const auto compare = &test::compareTensors;

std::string compareAll(const std::string& what, const std::map<std::string, Tensor>& ref, const std::map<std::string, Tensor>& got) {
    for (auto& [id, t] : ref) {
        auto it = got.find(id);
        if (it == got.end()) return what + ": no output " + id;
        if (std::string why = compare(what + " " + id, t, it->second, 1e-4); !why.empty()) return why;
    }
    return "";
}

using test::ortNodePath;

// The template of the current row, run on the CPU, exported and re-imported.
struct RoundTrip {
    Design ref, back;
    std::map<std::string, Tensor> refOut;
    std::string bytes;
    std::string error = "no such row";
    bool ok = false;

    bool run(const std::string& name, const Overrides& over) {
        const TemplateDef* t = findTemplate(name);
        if (!t) return error = "no template " + name, false;
        if (!instantiateTemplate(*t, over, &ref.g, &error)) return false;
        if (!ref.prepare(true)) return error = "template: " + ref.error, false;
        for (auto& id : ref.a.order)
            if (ref.a.nodes.at(id).def->id == "input") ref.inputs[id] = generateInput(id, ref.a.nodes.at(id), 5);
        RunResult r = makeCpuBackend()->run({&ref.g, &ref.a, &ref.w, ref.inputs, 5, false});
        if (!r.ok) return error = "CPU run: " + r.error, false;
        refOut = r.outputs;
        if (!exportOnnx(ref.g, ref.a, ref.w, &bytes, &error)) return false;
        TensorMap weights;
        if (!importOnnxBytes(bytes, name + ".onnx", ".", {}, &back.g, &weights, nullptr, &error)) return false;
        if (!back.prepare(false)) return error = "re-imported: " + back.error, false;
        back.w.all() = weights;
        back.inputs = ref.inputs;
        return true;
    }
};

}  // namespace

class TestOnnxRoundTrip : public QObject {
    Q_OBJECT

    void addRows() {
        QTest::addColumn<QString>("row");
        for (auto& [row, spec] : rows()) QTest::newRow(row.c_str()) << QString::fromStdString(row);
    }

    // Runs the row's round trip up to the re-imported design; rt->ok false after QFAIL.
    void load(RoundTrip* rt) {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QFETCH(QString, row);
        for (auto& [name, spec] : rows())
            if (name == row.toStdString()) rt->ok = rt->run(spec.first, spec.second);
        if (!rt->ok) QFAIL(rt->error.c_str());
    }

private slots:
    // Every core template has a row.
    void everyTemplateCovered() {
        for (const TemplateDef* t : templates()) {
            if (!t->plugin.empty()) continue;
            bool found = false;
            for (auto& [row, spec] : rows()) found = found || spec.first == t->name;
            QVERIFY2(found, ("no round-trip row for template " + t->name).c_str());
        }
    }

    // Nodes of the same variant share one function (read back with python3-onnx, which
    // also runs its full checker); the calls are "archscope.fn" nodes.
    void functionsAreShared() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        RoundTrip rt;
        QVERIFY2(rt.run("mamba_lm", {{"layers", "2"}, {"seq", "8"}}), rt.error.c_str());
        QCOMPARE(rt.ref.count("scan"), 2);
        QTemporaryDir tmp;
        const QString model = tmp.filePath("m.onnx");
        {
            QFile f(model);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(rt.bytes.data(), qint64(rt.bytes.size()));
        }
        QProcess py;
        py.start("/usr/bin/python3", {"-c",
                                      "import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                                      "print(' '.join(f.name for f in m.functions), sum(n.domain == 'archscope.fn' for n in m.graph.node))",
                                      model});
        QVERIFY(py.waitForFinished(120000));
        if (py.exitCode() != 0 && py.readAllStandardError().contains("No module named")) QSKIP("python3-onnx is not installed");
        QCOMPARE(py.readAllStandardOutput().trimmed(), QByteArray("scan.diag 2"));
    }

    void cpu_data() { addRows(); }
    void cpu() {
        RoundTrip rt;
        load(&rt);
        if (!rt.ok) return;
        for (const char* op : kFnOps) {
            QCOMPARE(rt.back.count(op), rt.ref.count(op));
        }
        RunResult r = makeCpuBackend()->run({&rt.back.g, &rt.back.a, &rt.back.w, rt.back.inputs, 5, false});
        QVERIFY2(r.ok, r.error.c_str());
        const std::string why = compareAll("re-imported (CPU)", rt.refOut, r.outputs);
        QVERIFY2(why.empty(), why.c_str());
    }

    void vulkan_data() { addRows(); }
    void vulkan() {
        ARCHSCOPE_VULKAN_OR_SKIP(vk, false);
        RoundTrip rt;
        load(&rt);
        if (!rt.ok) return;
        RunResult r = vk->run({&rt.back.g, &rt.back.a, &rt.back.w, rt.back.inputs, 5, false});
        QVERIFY2(r.ok, r.error.c_str());
        const std::string why = compareAll("re-imported (Vulkan)", rt.refOut, r.outputs);
        QVERIFY2(why.empty(), why.c_str());
    }

    void ortRunsExports_data() { addRows(); }
    void ortRunsExports() {
        const QString nodePath = ortNodePath();
        if (nodePath.isEmpty()) QSKIP("set ARCHSCOPE_ORT_NODE_PATH to a node_modules with onnxruntime-node");
        RoundTrip rt;
        load(&rt);
        if (!rt.ok) return;
        QTemporaryDir tmp;
        const QString model = tmp.filePath("m.onnx");
        {
            QFile f(model);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(rt.bytes.data(), qint64(rt.bytes.size()));
        }
        std::string err;
        TensorMap out, got;
        QVERIFY2(test::runOrt(nodePath, model, rt.ref.inputs, tmp.path(), &out, &err), err.c_str());
        for (auto& [k, t] : out)
            if (k.rfind("out.", 0) == 0) got[k.substr(4)] = t;
        const std::string why = compareAll("onnxruntime", rt.refOut, got);
        QVERIFY2(why.empty(), why.c_str());
    }
};

QTEST_MAIN(TestOnnxRoundTrip)
#include "test_onnx_roundtrip.moc"
