// The plugin loader: the example plugins load into a registry with the right
// schema; each deliberately broken plugin (tests/plugins/bad) is refused with
// its path and reason while the others still load; failing kernels end a run
// with a message naming node and plugin; a design whose plugin is missing
// still loads, saves without losing the node, and says what to install.
#include "core/registry.h"
#include "graph/analysis.h"
#include "graph/design_io.h"
#include "plugins/plugin_loader.h"
#include "runtime/backend.h"
#include "runtime/weights.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace archscope;

namespace {

std::string pluginDir() { return qEnvironmentVariable("ARCHSCOPE_TEST_PLUGIN_DIR").toStdString(); }
std::string badDir() { return qEnvironmentVariable("ARCHSCOPE_TEST_BAD_PLUGIN_DIR").toStdString(); }
std::string kat() { return pluginDir() + "/kat.so"; }
std::string polycom() { return pluginDir() + "/polycom.so"; }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
#define VERIFY_CONTAINS(s, part) QVERIFY2(contains(s, part), qPrintable(QString::fromStdString("\"" + std::string(part) + "\" not in: " + (s))))

// A registry with the core ops and the given plugins (each must load).
std::unique_ptr<OpRegistry> registryWith(const std::vector<std::string>& libs) {
    auto reg = std::make_unique<OpRegistry>();
    registerCoreOps(*reg);
    for (auto& l : libs) {
        PluginRecord r = loadPlugin(l, "cli", *reg);
        if (!r.ok()) qWarning("%s", r.error.c_str());
    }
    return reg;
}

// input x [shape] -> op(attrs) -> output y
Graph oneOp(const std::string& op, std::map<std::string, AttrValue> attrs, const std::string& shape) {
    Graph g;
    g.symbols = {{"B", 2, ""}, {"T", 5, ""}};
    g.addNode({"x", "input", {{"shape", shape}}});
    g.addNode({"n", op, std::move(attrs)});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"n", "x"});
    g.connect({"n", "y"}, {"y", "x"});
    return g;
}

RunResult runCpu(const Graph& g, const Analysis& a) {
    WeightStore w;
    std::string err;
    if (!w.materialize(a, 1, &err)) return {false, err};
    return makeCpuBackend()->run({&g, &a, &w, {}, 7, false});
}

}  // namespace

class TestPlugins : public QObject {
    Q_OBJECT
private slots:
    void examplePluginsLoad() {
        OpRegistry reg;
        registerCoreOps(reg);
        PluginRecord k = loadPlugin(kat(), "cli", reg);
        QVERIFY2(k.ok(), k.error.c_str());
        QCOMPARE(k.name, std::string("kat"));
        QCOMPARE(k.ops.size(), size_t(2));
        const OpDef* r = reg.find("kat_rational");
        QVERIFY(r && r->plugin == "kat" && r->category == "Activation");
        QCOMPARE(r->attrs.size(), size_t(1));
        QCOMPARE(r->attrs[0].name, std::string("groups"));
        QCOMPARE(std::get<int64_t>(r->attrs[0].def), int64_t(8));
        QCOMPARE(r->attrs[0].min, 1.0);
        QVERIFY(k.ops[0].vulkan && !k.ops[0].composite);
        QVERIFY(reg.find("kat_ffn")->isComposite() && k.ops[1].composite);
        PluginRecord p = loadPlugin(polycom(), "cli", reg);
        QVERIFY2(p.ok(), p.error.c_str());
        QVERIFY(reg.find("polyrelu") && reg.find("polynorm") && reg.find("polynorm")->findAttr("eps"));
    }

    void templatePluginRuns() {
        auto reg = registryWith({qEnvironmentVariable("ARCHSCOPE_TEST_TEMPLATE_PLUGIN").toStdString()});
        QVERIFY(reg->find("template_softcap"));
        Graph g = oneOp("template_softcap", {{"cap", 2.0}}, "B, 7");
        Analysis a = analyze(g, {}, *reg);
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.nodes.at("n").flops, int64_t(3 * 14));
        RunResult r = runCpu(g, a);
        QVERIFY2(r.ok, r.error.c_str());
        // Reference: the closed form on the same generated input (re-run the input node alone).
        Tensor x = generateInput("x", a.nodes.at("x"), 7);
        const Tensor& y = r.outputs.at("y");
        for (int64_t i = 0; i < y.numel(); ++i) QVERIFY(std::abs(y.f32()[i] - 2.0f * std::tanh(x.f32()[i] / 2.0f)) < 1e-6f);
    }

    void badPluginsAreRefused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong ABI") << "bad_abi.so" << "plugin ABI version 999, but this Archscope reads version 1";
        QTest::newRow("missing symbol") << "bad_nosym.so" << "missing symbol archscope_plugin_ops";
        QTest::newRow("duplicate op id") << "bad_dup.so" << "op id \"relu\" is already defined by the core ops";
        QTest::newRow("no CPU kernel") << "bad_def.so" << "a primitive op needs both infer and cpu";
        QTest::newRow("not SPIR-V") << "bad_spirv.so" << "vulkan.spirv is not SPIR-V";
        QTest::newRow("template name") << "bad_tmpl.so" << "template 0 \"mlp\": the name must be \"bad_tmpl_<name>\"";
        QTest::newRow("template table version") << "bad_tmpl_version.so" << "template table version 99, but this Archscope reads version 1";
    }
    void badPluginsAreRefused() {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        auto reg = registryWith({});
        const size_t before = reg->all().size();
        const std::string path = badDir() + "/" + file.toStdString();
        PluginRecord r = loadPlugin(path, "cli", *reg);
        QCOMPARE(r.status, std::string("error"));
        VERIFY_CONTAINS(r.error, path);
        VERIFY_CONTAINS(r.error, reason.toStdString());
        QCOMPARE(reg->all().size(), before);  // all or nothing: bad_dup's fine op is not registered either
        QVERIFY(!reg->find("bad_dup_fine"));
        QVERIFY(!reg->find("bad_tmpl_fine"));
    }

    void notALibrary() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("junk.so").toStdString();
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not an ELF file") > 0);
        f.close();
        auto reg = registryWith({});
        PluginRecord r = loadPlugin(path, "user", *reg);
        QCOMPARE(r.status, std::string("error"));
        VERIFY_CONTAINS(r.error, path + ": cannot load the library");
    }

    void otherPluginsStillLoad() {
        auto reg = registryWith({});
        int ok = 0, bad = 0;
        for (auto& f : QDir(QString::fromStdString(badDir())).entryList({"*.so"}, QDir::Files, QDir::Name)) {
            PluginRecord r = loadPlugin(badDir() + "/" + f.toStdString(), "user", *reg);
            (r.ok() ? ok : bad)++;
        }
        PluginRecord k = loadPlugin(kat(), "app", *reg);
        QVERIFY2(k.ok(), k.error.c_str());
        QCOMPARE(ok, 1);  // bad_kernel loads: its kernels fail only when run
        QCOMPARE(bad, 7);
        QVERIFY(reg->find("kat_rational") && reg->find("bad_fail"));
    }

    void secondCopyIsShadowed() {
        QTemporaryDir dir;
        const QString copy = dir.filePath("kat.so");
        QVERIFY(QFile::copy(QString::fromStdString(kat()), copy));
        auto reg = registryWith({kat()});
        PluginRecord r = loadPlugin(copy.toStdString(), "user", *reg);
        QCOMPARE(r.status, std::string("shadowed"));
        VERIFY_CONTAINS(r.error, "a plugin named \"kat\" is already loaded");
    }

    void failingKernelsNameNodeAndPlugin_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("message");
        QTest::newRow("error return") << "bad_fail" << "plugin \"bad_kernel\": CPU kernel failed: deliberate failure for the test";
        QTest::newRow("exception") << "bad_throw" << "plugin \"bad_kernel\": CPU kernel threw: deliberate exception for the test";
    }
    void failingKernelsNameNodeAndPlugin() {
        QFETCH(QString, op);
        QFETCH(QString, message);
        auto reg = registryWith({badDir() + "/bad_kernel.so"});
        Graph g = oneOp(op.toStdString(), {}, "B, 3");
        Analysis a = analyze(g, {}, *reg);
        QVERIFY2(a.ok(), a.errorText().c_str());
        RunResult r = runCpu(g, a);
        QVERIFY(!r.ok);
        VERIFY_CONTAINS(r.error, "node \"n\"");
        VERIFY_CONTAINS(r.error, message.toStdString());
    }

    void buggyShapeFunctionIsReported() {
        auto reg = registryWith({badDir() + "/bad_kernel.so"});
        Analysis a = analyze(oneOp("bad_shape", {}, "B, 3"), {}, *reg);
        QVERIFY(!a.ok());
        VERIFY_CONTAINS(a.errorText(), "node \"n\": plugin \"bad_kernel\" (op \"bad_shape\") copied a dimension of input 5");
    }

    void shapesStaySymbolicAndCostsAdd() {
        auto reg = registryWith({kat(), polycom()});
        Analysis a = analyze(oneOp("polyrelu", {{"order", int64_t(4)}}, "B, T, 8"), {}, *reg);
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(shapeStr(a.nodes.at("n").outputs[0].shape), std::string("[B, T, 8]"));
        QCOMPARE(a.nodes.at("n").paramCount, int64_t(5));  // weight [4] + bias [1]
        QCOMPARE(a.nodes.at("n").flops, int64_t(3 * 4 * 2 * 5 * 8));
        QCOMPARE(a.nodes.at("n").bytes, int64_t((80 + 80 + 5) * 4));  // default: inputs + outputs + params
        // kat_ffn 16 -> 32 -> 16, groups 4: rationals 2 x 4 x 10, fc1 32x16 + 32, fc2 16x32 + 16.
        Analysis f = analyze(oneOp("kat_ffn", {{"d_model", int64_t(16)}, {"hidden", int64_t(32)}, {"groups", int64_t(4)}}, "B, T, 16"), {}, *reg);
        QVERIFY2(f.ok(), f.errorText().c_str());
        QCOMPARE(f.totalParams, int64_t(80 + 544 + 528));
        QCOMPARE(shapeStr(f.nodes.at("n").outputs[0].shape), std::string("[B, T, 16]"));
        QCOMPARE(f.nodes.at("n/act1").flops, int64_t(19 * 2 * 5 * 16));
        RunResult r = runCpu(*f.flat, f);
        QVERIFY2(r.ok, r.error.c_str());
    }

    void badAttributesAreNamed() {
        auto reg = registryWith({kat()});
        Analysis a = analyze(oneOp("kat_rational", {{"groups", int64_t(3)}}, "B, 8"), {}, *reg);
        VERIFY_CONTAINS(a.errorText(), "node \"n\" input \"x\": last dimension 8 is not divisible by groups = 3");
        Analysis b = analyze(oneOp("kat_rational", {{"groups", int64_t(0)}}, "B, 8"), {}, *reg);
        VERIFY_CONTAINS(b.errorText(), "attribute \"groups\" = 0 is out of range");
        Analysis c = analyze(oneOp("kat_ffn", {{"d_model", int64_t(8)}, {"hidden", int64_t(30)}, {"groups", int64_t(4)}}, "B, 8"), {}, *reg);
        VERIFY_CONTAINS(c.errorText(), "node \"n\" (kat_ffn): cannot build the block: plugin \"kat\": expand failed: hidden = 30 is not divisible by groups = 4");
    }

    void missingPluginDesignStillOpens() {
        // The global registry of this process has no plugins loaded.
        const std::string text = R"({"format": "archscope.design", "version": 1, "plugins": {"kat_ffn": "kat"},
            "nodes": [{"id": "x", "op": "input", "attrs": {"shape": "2, 16"}},
                      {"id": "ffn", "op": "kat_ffn", "attrs": {"d_model": 16, "hidden": 32}},
                      {"id": "y", "op": "output"}],
            "edges": [{"from": "x:y", "to": "ffn:x"}, {"from": "ffn:y", "to": "y:x"}]})";
        Graph g;
        LoadResult lr = parseDesign(text, "kat.json", &g);
        QVERIFY2(lr.ok, lr.error.c_str());
        QCOMPARE(g.plugins.at("kat_ffn"), std::string("kat"));
        Analysis a = analyze(g, {});
        QVERIFY(!a.ok());
        VERIFY_CONTAINS(a.errorText(), "node \"ffn\": op \"kat_ffn\" comes from plugin \"kat\" which is not installed; install it into " +
                                           userPluginDir() + " or pass --plugin PATH");
        const std::string saved = serializeDesign(g);
        Graph back;
        QVERIFY(parseDesign(saved, "saved.json", &back).ok);
        QVERIFY(back == g);
        QCOMPARE(back.node("ffn")->op, std::string("kat_ffn"));
        QCOMPARE(std::get<int64_t>(back.node("ffn")->attrs.at("hidden")), int64_t(32));
        QCOMPARE(back.plugins, g.plugins);
        QCOMPARE(serializeDesign(back), saved);  // canonical
        // A design without plugin ops gets no "plugins" field.
        Graph plain;
        plain.addNode({"x", "input"});
        QVERIFY(!contains(serializeDesign(plain), "\"plugins\""));
    }

    void savingRecordsThePlugin() {
        // Loads polycom into the global registry (process-wide, as the app does).
        auto recs = loadPlugins({{polycom()}, false});
        QCOMPARE(recs.size(), size_t(1));
        QVERIFY2(recs[0].ok(), recs[0].error.c_str());
        QCOMPARE(recs[0].source, std::string("cli"));
        QVERIFY(loadPlugins({{polycom()}, false}).empty());  // each path once
        Graph g = oneOp("polynorm", {}, "B, 8");
        QVERIFY(g.plugins.empty());
        Graph back;
        QVERIFY(parseDesign(serializeDesign(g), "x.json", &back).ok);
        QCOMPARE(back.plugins, (std::map<std::string, std::string>{{"polynorm", "polycom"}}));
        QVERIFY(analyze(back, {}).ok());
    }

    void envPathsSplit() {
        qputenv("ARCHSCOPE_PLUGIN_PATH", "/a/x.so::/b");
        QCOMPARE(envPluginPaths(), (std::vector<std::string>{"/a/x.so", "/b"}));
        qunsetenv("ARCHSCOPE_PLUGIN_PATH");
        qputenv("XDG_DATA_HOME", "/tmp/xdg");
        QCOMPARE(userPluginDir(), std::string("/tmp/xdg/archscope/plugins"));
        QVERIFY(contains(appPluginDir(), "/lib/archscope/plugins"));
    }
};

QTEST_GUILESS_MAIN(TestPlugins)
#include "test_plugins.moc"
