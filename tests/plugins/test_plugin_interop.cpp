// Plugins beyond their ops: ONNX export of plugin ops as custom-domain nodes
// (checked by /usr/bin/python3's onnx checker where installed, re-imported to
// the same ops and outputs), and plugin templates (kat_vit, polycom_gpt)
// instantiated, validated and run on CPU and Vulkan, Vulkan against CPU.
#include "graph/design_io.h"
#include "interop/export.h"
#include "interop/onnx_import.h"
#include "../engine/op_case.h"
#include "plugins/plugin_loader.h"
#include "templates/template_def.h"
#include "../engine/vulkan_test_util.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace archscope;

namespace {

std::string example(const std::string& rel) { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR").toStdString() + "/plugins/" + rel; }

struct Loaded {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    std::string error;
    bool prepare(uint64_t seed) {
        a = analyze(g, {});
        if (!a.ok()) return error = a.errorText(), false;
        if (!w.materialize(a, seed, &error)) return false;
        for (auto& n : g.nodes()) {
            if (n.op != "input") continue;
            const TensorType& t = a.nodes.at(n.id).outputs[0];
            Tensor x(t.dtype, shapeValues(t.shape));
            for (int64_t i = 0; i < x.numel(); ++i) {
                if (t.dtype == DType::F32) x.f32()[i] = float(std::sin(0.37 * double(i) + 0.1 * double(seed)));
                else x.i64()[i] = (i * 7 + 3) % 200;
            }
            inputs[n.id] = x;
        }
        return true;
    }
    RunResult run(Backend& b) { return b.run({&g, &a, &w, inputs, 0, false}); }
};

int countOp(const Graph& g, const std::string& op) {
    int n = 0;
    for (auto& x : g.nodes()) n += x.op == op;
    return n;
}

// Empty when every output of `got` matches `want` (same ids).
std::string sameOutputs(const RunResult& got, const RunResult& want, double rtol, double atol) {
    if (!got.ok) return got.error;
    if (!want.ok) return want.error;
    for (auto& [id, t] : want.outputs) {
        auto it = got.outputs.find(id);
        if (it == got.outputs.end()) return "missing output " + id;
        std::string where;
        if (test::worstViolation(it->second, t, rtol, atol, &where) > 0) return id + ": " + where;
    }
    return "";
}

}  // namespace

class TestPluginInterop : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const std::string dir = qEnvironmentVariable("ARCHSCOPE_TEST_PLUGIN_DIR").toStdString();
        PluginOptions opt;
        opt.defaults = false;
        opt.paths = {dir + "/kat.so", dir + "/polycom.so"};
        for (auto& r : loadPlugins(opt)) QVERIFY2(r.ok(), r.error.c_str());
    }

    // ---- ONNX ---------------------------------------------------------------

    void onnxRoundTrip_data() {
        QTest::addColumn<QString>("design");
        QTest::addColumn<QString>("op");
        QTest::newRow("kat") << "kat/examples/kat_encoder_block.json" << "kat_rational";
        QTest::newRow("polycom") << "polycom/examples/polycom_encoder_block.json" << "polynorm";
    }
    void onnxRoundTrip() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QFETCH(QString, design);
        QFETCH(QString, op);
        Loaded src;
        LoadResult lr = loadDesign(example(design.toStdString()), &src.g);
        QVERIFY2(lr.ok, lr.error.c_str());
        QVERIFY2(src.prepare(1), src.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(src.g, src.a, src.w, &bytes, &err), err.c_str());  // runs onnx::checker::check_model

        Loaded back;
        TensorMap weights;
        OnnxImportReport rep;
        QVERIFY2(importOnnxBytes(bytes, "roundtrip.onnx", ".", {}, &back.g, &weights, &rep, &err), err.c_str());
        for (auto& [k, t] : weights) back.w.all()[k] = t;
        QVERIFY2(back.prepare(1), back.error.c_str());
        QCOMPARE(back.w.all().size(), weights.size());  // every parameter came from the file
        // The plugin ops come back as themselves (kat_ffn is flattened: two rationals per block).
        int flatOps = 0;
        for (auto& id : src.a.order) flatOps += src.a.flat->node(id)->op == op.toStdString();
        QVERIFY(flatOps > 0);
        QCOMPARE(countOp(back.g, op.toStdString()), flatOps);
        // Same outputs on the same inputs (input ids survive the round trip).
        for (auto& [id, t] : src.inputs) {
            QVERIFY2(back.inputs.count(id), id.c_str());
            back.inputs[id] = t;
        }
        auto cpu = makeCpuBackend();
        RunResult a = src.run(*cpu), b = back.run(*cpu);
        std::string bad = sameOutputs(b, a, 1e-5, 1e-6);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    // Attributes other than the defaults survive (polyrelu order 2 -> 2 weights).
    void onnxCarriesAttributes() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        const char* text = R"({"format": "archscope.design", "version": 1,
          "nodes": [{"id": "x", "op": "input", "attrs": {"shape": "2, 12"}},
                    {"id": "p", "op": "polyrelu", "attrs": {"order": 2}},
                    {"id": "n", "op": "polynorm", "attrs": {"order": 5, "eps": 0.001}},
                    {"id": "y", "op": "output"}],
          "edges": [{"from": "x:y", "to": "p:x"}, {"from": "p:y", "to": "n:x"}, {"from": "n:y", "to": "y:x"}]})";
        Loaded src;
        QVERIFY(parseDesign(text, "attrs.json", &src.g).ok);
        QVERIFY2(src.prepare(3), src.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(src.g, src.a, src.w, &bytes, &err), err.c_str());
        QVERIFY(bytes.find("archscope.plugin.polycom") != std::string::npos);
        Graph back;
        TensorMap weights;
        QVERIFY2(importOnnxBytes(bytes, "attrs.onnx", ".", {}, &back, &weights, nullptr, &err), err.c_str());
        int checked = 0;
        for (auto& n : back.nodes()) {
            if (n.op == "polyrelu") {
                QCOMPARE(std::get<int64_t>(n.attrs.at("order")), int64_t(2));
                ++checked;
            }
            if (n.op == "polynorm") {
                QCOMPARE(std::get<int64_t>(n.attrs.at("order")), int64_t(5));
                QVERIFY(std::abs(std::get<double>(n.attrs.at("eps")) - 0.001) < 1e-9);
                ++checked;
            }
        }
        QCOMPARE(checked, 2);
        for (auto& [k, t] : weights)
            if (k.size() > 7 && k.compare(k.size() - 7, 7, ".weight") == 0 && k.rfind("p.", 0) == 0) QCOMPARE(t.numel(), int64_t(2));
    }

    // The ONNX project's own Python checker and the model's opset entries.
    void pythonOnnxCheckerAccepts() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QProcess probe;
        probe.start("/usr/bin/python3", {"-c", "import onnx"});
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0) QSKIP("/usr/bin/python3 has no onnx module");
        Loaded src;
        QVERIFY(loadDesign(example("kat/examples/kat_encoder_block.json"), &src.g).ok);
        QVERIFY2(src.prepare(0), src.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(src.g, src.a, src.w, &bytes, &err), err.c_str());
        QTemporaryDir dir;
        const std::string path = dir.filePath("kat.onnx").toStdString();
        QVERIFY(writeFileAtomic(path, bytes, &err));
        QProcess py;
        py.start("/usr/bin/python3", {"-c",
                                      "import sys, onnx\n"
                                      "m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=False)\n"
                                      "ops = {o.domain: o.version for o in m.opset_import}\n"
                                      "n = [x for x in m.graph.node if x.domain == 'archscope.plugin.kat']\n"
                                      "meta = {p.key: p.value for p in m.metadata_props}\n"
                                      "print(ops['archscope.plugin.kat'], len(n), n[0].op_type, [a.name for a in n[0].attribute],"
                                      " len(n[0].input), meta['archscope.plugin.kat.version'])\n",
                                      QString::fromStdString(path)});
        QVERIFY(py.waitForFinished(120000));
        const QString out = QString::fromUtf8(py.readAllStandardOutput()).trimmed();
        QVERIFY2(py.exitCode() == 0, qPrintable(QString::fromUtf8(py.readAllStandardError())));
        // opset 1 (kat 1.0.0), two rationals, groups attribute, x + numerator + denominator, version text.
        QCOMPARE(out, QString("1 2 kat_rational ['groups'] 3 1.0.0"));
    }

    // ---- templates -----------------------------------------------------------

    void templatesRegistered() {
        const TemplateDef* kat = findTemplate("kat_vit");
        const TemplateDef* poly = findTemplate("polycom_gpt");
        QVERIFY(kat && poly);
        QCOMPARE(QString::fromStdString(kat->plugin), QString("kat"));
        QCOMPARE(QString::fromStdString(poly->plugin), QString("polycom"));
        QVERIFY(!kat->params.empty() && !poly->params.empty());
        QVERIFY(templates().back() == poly || templates().back() == kat);  // listed after the core ones
        QVERIFY(findTemplate("vit")->plugin.empty());
    }

    void templatesRun_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("sets");
        QTest::addColumn<QString>("op");
        QTest::newRow("kat_vit") << "kat_vit" << QStringList{"d_model=48", "heads=3", "groups=4", "image=16", "patch=4"} << "kat_ffn";
        QTest::newRow("kat_vit defaults") << "kat_vit" << QStringList{} << "kat_ffn";
        QTest::newRow("polycom_gpt") << "polycom_gpt" << QStringList{"d_model=32", "layers=2", "seq=7"} << "polynorm";
        QTest::newRow("polycom_gpt polyrelu") << "polycom_gpt" << QStringList{"act=polyrelu", "order=2", "seq=5"} << "polyrelu";
    }
    void templatesRun() {
        QFETCH(QString, name);
        QFETCH(QStringList, sets);
        QFETCH(QString, op);
        std::map<std::string, std::string> over;
        for (auto& s : sets) over[s.section('=', 0, 0).toStdString()] = s.section('=', 1).toStdString();
        Loaded d;
        std::string err;
        QVERIFY2(instantiateTemplate(*findTemplate(name.toStdString()), over, &d.g, &err), err.c_str());
        QCOMPARE(QString::fromStdString(d.g.metadata["template"]), name);
        QCOMPARE(countOp(d.g, op.toStdString()), 2);  // one per layer
        // The design survives its file format (what `archscope new` writes).
        Graph reread;
        QVERIFY(parseDesign(serializeDesign(d.g), "t.json", &reread).ok);
        QVERIFY(reread == d.g);
        QVERIFY2(d.prepare(5), d.error.c_str());
        auto cpu = makeCpuBackend();
        RunResult c = d.run(*cpu);
        QVERIFY2(c.ok, c.error.c_str());
        QVERIFY(!c.outputs.empty());
        for (auto& [id, t] : c.outputs)
            for (int64_t i = 0; i < t.numel(); ++i) QVERIFY2(std::isfinite(t.f32()[i]), id.c_str());
        ARCHSCOPE_VULKAN_OR_SKIP(vk, false);
        RunResult v = d.run(*vk);
        std::string bad = sameOutputs(v, c, 2e-3, 2e-4);
        QVERIFY2(bad.empty(), bad.c_str());
    }

    // Plugin ops have no PyTorch form (the plugin ABI carries no Python): the export names the
    // node, the op and its plugin, and writes nothing; never an internal error.
    void pytorchExportNamesPluginOps_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("plugin");
        QTest::newRow("kat_vit") << "kat_vit" << "kat_rational" << "kat";
        QTest::newRow("polycom_gpt") << "polycom_gpt" << "polynorm" << "polycom";
    }
    void pytorchExportNamesPluginOps() {
        QFETCH(QString, name);
        QFETCH(QString, op);
        QFETCH(QString, plugin);
        Loaded d;
        std::string err, code;
        QVERIFY2(instantiateTemplate(*findTemplate(name.toStdString()), {}, &d.g, &err), err.c_str());
        d.a = analyze(d.g, {});
        QVERIFY2(d.a.ok(), d.a.errorText().c_str());
        QVERIFY2(d.w.materialize(d.a, 1, &err), err.c_str());
        TensorMap state;
        QVERIFY(!exportPyTorch(d.g, d.a, d.w, "w.safetensors", &code, &state, &err));
        QVERIFY2(err.rfind("no PyTorch export for:", 0) == 0, err.c_str());
        const std::string want = "(plugin op \"" + op.toStdString() + "\" of plugin \"" + plugin.toStdString() + "\": plugin ops have no PyTorch form";
        QVERIFY2(err.find(want) != std::string::npos, err.c_str());
        QVERIFY2(err.find("internal") == std::string::npos && err.find("map::at") == std::string::npos, err.c_str());
    }

    void templateErrorsNameTheParameter() {
        Graph g;
        std::string err;
        QVERIFY(!instantiateTemplate(*findTemplate("kat_vit"), {{"d_model", "60"}, {"heads", "4"}, {"groups", "8"}}, &g, &err));
        QVERIFY2(err.find("d_model = 60 is not divisible by groups = 8") != std::string::npos, err.c_str());
        QVERIFY(!instantiateTemplate(*findTemplate("polycom_gpt"), {{"act", "gelu"}}, &g, &err));
        QVERIFY2(err.find("\"act\"") != std::string::npos && err.find("polynorm") != std::string::npos, err.c_str());
        QVERIFY(!instantiateTemplate(*findTemplate("polycom_gpt"), {{"order", "9"}}, &g, &err));
        QVERIFY2(err.find("out of range") != std::string::npos, err.c_str());
    }

    void unknownTemplateNamesThePlugin() {
        const std::string t = unknownTemplateText("foo_vit");
        QVERIFY2(t.find("plugin \"foo\"") != std::string::npos && t.find("not loaded") != std::string::npos, t.c_str());
        QVERIFY(unknownTemplateText("kat_nothing").find("not loaded") == std::string::npos);  // kat is loaded
    }
};

QTEST_GUILESS_MAIN(TestPluginInterop)
#include "test_plugin_interop.moc"
