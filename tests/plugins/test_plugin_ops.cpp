// The example plugins' ops, tested like core ops: every PyTorch fixture of
// tests/fixtures/plugins (gen_plugins.py) on the CPU kernel, then on the Vulkan
// kernel (QSKIP without a device), plus random odd sizes and a grid large
// enough to be split over two dimensions, Vulkan against the CPU kernel.
#include "../engine/vulkan_test_util.h"
#include "plugins/plugin_loader.h"

#include <QDir>

#include <cmath>

using namespace archscope;

namespace {

// Like test::loadOpCase, but a parameter key "param.<inner>.<name>" belongs to
// the flattened node "op/<inner>" (composite ops such as kat_ffn).
bool loadPluginCase(const std::string& path, test::OpCase* c, std::string* err) {
    if (!test::loadOpCase(path, c, err)) return false;
    TensorMap m;
    std::map<std::string, std::string> meta;
    if (!readSafetensors(path, &m, err, &meta)) return false;
    bool composite = false;
    for (auto& [k, t] : m) {
        if (k.rfind("param.", 0) != 0) continue;
        std::string rest = k.substr(6);
        auto dot = rest.rfind('.');
        if (dot == std::string::npos) continue;
        c->weights.all().erase(WeightStore::key("op", rest));  // as loadOpCase stored it
        c->weights.set("op/" + rest.substr(0, dot), rest.substr(dot + 1), t);
        composite = true;
    }
    if (composite && !c->weights.materialize(c->analysis, 0, err)) return false;
    return true;
}

QStringList fixtureFiles() {
    QDir dir(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/tests/fixtures/plugins");
    QStringList v;
    for (auto& f : dir.entryList({"*.safetensors"}, QDir::Files, QDir::Name)) v << dir.filePath(f);
    return v;
}

void addFixtureRows() {
    QTest::addColumn<QString>("path");
    for (auto& f : fixtureFiles()) QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void checkOutputs(const test::OpCase& c, const RunResult& r) {
    QVERIFY2(r.ok, r.error.c_str());
    for (auto& [name, want] : c.expected) {
        std::string where;
        double v = test::worstViolation(r.outputs.at(name), want, c.rtol, c.atol, &where);
        QVERIFY2(v == 0, qPrintable(QString::fromStdString(c.name + " " + name + " " + where)));
    }
}

}  // namespace

class TestPluginOps : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const std::string dir = qEnvironmentVariable("ARCHSCOPE_TEST_PLUGIN_DIR").toStdString();
        PluginOptions opt;
        opt.paths = {dir + "/kat.so", dir + "/polycom.so", qEnvironmentVariable("ARCHSCOPE_TEST_TEMPLATE_PLUGIN").toStdString()};
        opt.defaults = false;
        for (auto& r : loadPlugins(opt)) QVERIFY2(r.ok(), r.error.c_str());
        QVERIFY2(fixtureFiles().size() >= 10, "missing plugin fixtures: run /usr/bin/python3 tests/fixtures/gen_plugins.py");
    }

    void cpuMatchesPyTorch_data() { addFixtureRows(); }
    void cpuMatchesPyTorch() {
        QFETCH(QString, path);
        test::OpCase c;
        std::string err;
        QVERIFY2(loadPluginCase(path.toStdString(), &c, &err), err.c_str());
        checkOutputs(c, makeCpuBackend()->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false}));
    }

    void vulkanMatchesPyTorch_data() { addFixtureRows(); }
    void vulkanMatchesPyTorch() {
        QFETCH(QString, path);
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        test::OpCase c;
        std::string err;
        QVERIFY2(loadPluginCase(path.toStdString(), &c, &err), err.c_str());
        RunResult r = vkb->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false});
        checkOutputs(c, r);
        // Every plugin node ran its own SPIR-V (composites: their kat_rational members).
        int pluginNodes = 0;
        for (auto& t : r.timings) {
            const OpDef* d = OpRegistry::global().find(t.op);
            if (!d || d->plugin.empty()) continue;
            ++pluginNodes;
            QVERIFY2(t.where == "vulkan", qPrintable(QString::fromStdString(t.node + " ran on " + t.where)));
        }
        QVERIFY(pluginNodes >= 1);
    }

    void vulkanMatchesCpuOddSizes_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("attrs");
        QTest::addColumn<QString>("shape");
        QTest::newRow("kat_rational 3x37x12 g4") << "kat_rational" << "groups=4" << "3, 37, 12";
        QTest::newRow("kat_rational 1001 g7") << "kat_rational" << "groups=7" << "1001";
        QTest::newRow("polyrelu 5x333 r4") << "polyrelu" << "order=4" << "5, 333";
        QTest::newRow("polynorm 7x129 r3") << "polynorm" << "order=3" << "7, 129";
        QTest::newRow("polynorm 1000x3 r8") << "polynorm" << "order=8" << "1000, 3";
        QTest::newRow("template 65 cap 0.5") << "template_softcap" << "" << "65";
        // 4.48M elements = 70000 workgroups of 64: more than maxWorkGroupCount.x on many devices.
        QTest::newRow("polyrelu 2D grid") << "polyrelu" << "order=2" << "70000, 64";
    }
    void vulkanMatchesCpuOddSizes() {
        QFETCH(QString, op);
        QFETCH(QString, attrs);
        QFETCH(QString, shape);
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        std::map<std::string, AttrValue> a;
        for (auto& kv : attrs.split(',', Qt::SkipEmptyParts)) a[kv.section('=', 0, 0).toStdString()] = int64_t(kv.section('=', 1).toLongLong());
        if (op == "template_softcap") a["cap"] = 0.5;
        test::OneOp t;
        QVERIFY2(t.build(op.toStdString(), a, {{"x", shape.toStdString(), "f32"}}), t.error.c_str());
        std::string msg, where;
        QVERIFY2(test::sameAsCpu(*vkb, t.g, t.a, t.w, {}, 1e-4, 1e-5, &msg, &where), msg.c_str());
        QCOMPARE(where, std::string("vulkan"));
    }
};

QTEST_GUILESS_MAIN(TestPluginOps)
#include "test_plugin_ops.moc"
