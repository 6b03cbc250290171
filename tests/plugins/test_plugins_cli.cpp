// The CLI with plugins, run as a child process (ARCHSCOPE_BIN): the global
// --plugin/--no-plugins options, the app/user/env folders, `archscope plugins
// [--json]`, plugin ops in validate/info/run/profile, bad plugins reported
// with path and reason, failing kernels, and a design whose plugin is missing.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Result {
    int code = -1;
    bool crashed = false;
    QString out, err;
};

// Runs archscope with a private, empty user folder unless `env` says otherwise.
Result archscope(const QStringList& args, const QMap<QString, QString>& env = {}) {
    static QTemporaryDir xdg;
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert("XDG_DATA_HOME", xdg.path());
    e.remove("ARCHSCOPE_PLUGIN_PATH");
    for (auto it = env.begin(); it != env.end(); ++it) e.insert(it.key(), it.value());
    p.setProcessEnvironment(e);
    p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), args);
    Result r;
    if (!p.waitForStarted(30000) || !p.waitForFinished(300000)) p.kill();
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.code = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString why(const Result& r) { return QString("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out.left(3000), r.err.left(3000)); }
#define CHECK_EXIT(r, c) QVERIFY2(!(r).crashed && (r).code == (c), qPrintable(why(r)))

QString plugin(const QString& name) { return qEnvironmentVariable("ARCHSCOPE_TEST_PLUGIN_DIR") + "/" + name + ".so"; }
QString bad(const QString& name) { return qEnvironmentVariable("ARCHSCOPE_TEST_BAD_PLUGIN_DIR") + "/" + name + ".so"; }
QString example(const QString& rel) { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/plugins/" + rel; }

QJsonObject byName(const QJsonArray& plugins, const QString& name) {
    for (auto v : plugins)
        if (v.toObject()["name"].toString() == name) return v.toObject();
    return {};
}

bool writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

}  // namespace

class TestPluginsCli : public QObject {
    Q_OBJECT
private slots:
    void appFolderPluginsLoadByDefault() {
        Result r = archscope({"plugins", "--json"});
        CHECK_EXIT(r, 0);
        const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray plugins = root["plugins"].toArray();
        for (const char* n : {"kat", "polycom"}) {
            QJsonObject p = byName(plugins, n);
            QCOMPARE(p["status"].toString(), QString("loaded"));
            QCOMPARE(p["source"].toString(), QString("app"));
        }
        QJsonArray ops = byName(plugins, "kat")["ops"].toArray();
        QCOMPARE(ops.size(), 2);
        QCOMPARE(ops[0].toObject()["id"].toString(), QString("kat_rational"));
        QVERIFY(ops[0].toObject()["vulkan"].toBool());
        QVERIFY(ops[1].toObject()["composite"].toBool());
        QVERIFY(root["folders"].toObject()["app"].toString().endsWith("lib/archscope/plugins"));
        // The text listing and `archscope ops` show them too.
        Result t = archscope({"plugins"});
        CHECK_EXIT(t, 0);
        QVERIFY2(t.out.contains("kat 1.0.0") && t.out.contains("polynorm") && t.out.contains("[cpu, vulkan]"), qPrintable(t.out));
        Result o = archscope({"ops", "kat_rational"});
        CHECK_EXIT(o, 0);
        QVERIFY(o.out.contains("attr   groups (int, default 8)"));
    }

    void noPluginsAndExplicitPaths() {
        Result r = archscope({"--no-plugins", "plugins", "--json"});
        CHECK_EXIT(r, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["plugins"].toArray().size(), 0);
        Result t = archscope({"plugins", "--json", "--plugin", qEnvironmentVariable("ARCHSCOPE_TEST_TEMPLATE_PLUGIN"), "--no-plugins"});
        CHECK_EXIT(t, 0);
        const QJsonArray ps = QJsonDocument::fromJson(t.out.toUtf8()).object()["plugins"].toArray();
        QCOMPARE(ps.size(), 1);
        QCOMPARE(ps[0].toObject()["source"].toString(), QString("cli"));
        QCOMPARE(ps[0].toObject()["ops"].toArray()[0].toObject()["id"].toString(), QString("template_softcap"));
        Result missing = archscope({"--plugin"});
        CHECK_EXIT(missing, 2);
        QVERIFY(missing.err.contains("--plugin needs a path"));
    }

    void userAndEnvFolders() {
        QTemporaryDir xdg;
        QVERIFY(QDir().mkpath(xdg.filePath("archscope/plugins")));
        QVERIFY(QFile::copy(qEnvironmentVariable("ARCHSCOPE_TEST_TEMPLATE_PLUGIN"), xdg.filePath("archscope/plugins/template.so")));
        Result r = archscope({"plugins", "--json"}, {{"XDG_DATA_HOME", xdg.path()}});
        CHECK_EXIT(r, 0);
        const QJsonArray ps = QJsonDocument::fromJson(r.out.toUtf8()).object()["plugins"].toArray();
        QCOMPARE(byName(ps, "template")["source"].toString(), QString("user"));
        QCOMPARE(byName(ps, "kat")["source"].toString(), QString("app"));
        // A second copy of kat (a development build, say) given by the environment wins over the app's.
        QVERIFY(QFile::copy(plugin("kat"), xdg.filePath("kat.so")));
        Result e = archscope({"plugins", "--json"}, {{"ARCHSCOPE_PLUGIN_PATH", xdg.filePath("kat.so")}});
        CHECK_EXIT(e, 0);
        const QJsonArray pe = QJsonDocument::fromJson(e.out.toUtf8()).object()["plugins"].toArray();
        QCOMPARE(byName(pe, "kat")["source"].toString(), QString("env"));
        bool shadowed = false;  // the app folder's kat is then a second copy
        for (auto v : pe)
            shadowed |= v.toObject()["status"].toString() == "shadowed" && v.toObject()["source"].toString() == "app" &&
                        v.toObject()["error"].toString().contains("plugin \"kat\" is already loaded from " + xdg.filePath("kat.so"));
        QVERIFY2(shadowed, qPrintable(e.out));
    }

    void badPluginsAreReportedOthersLoad() {
        Result r = archscope({"--no-plugins", "--plugin", bad("bad_abi"), "--plugin", plugin("kat"), "plugins", "--json"});
        CHECK_EXIT(r, 2);  // a plugin named on the command line failed
        const QJsonArray ps = QJsonDocument::fromJson(r.out.toUtf8()).object()["plugins"].toArray();
        QCOMPARE(ps.size(), 2);
        QCOMPARE(ps[0].toObject()["status"].toString(), QString("error"));
        QVERIFY(ps[0].toObject()["error"].toString().startsWith(bad("bad_abi") + ": plugin ABI version 999"));
        QCOMPARE(byName(ps, "kat")["status"].toString(), QString("loaded"));
        // Any other command warns on stderr with path and reason and carries on.
        Result o = archscope({"--no-plugins", "--plugin", bad("bad_nosym"), "ops", "--plugin", bad("bad_dup")});
        CHECK_EXIT(o, 0);
        QVERIFY2(o.err.contains("plugin not loaded: " + bad("bad_nosym") + ": missing symbol archscope_plugin_ops"), qPrintable(o.err));
        QVERIFY2(o.err.contains(bad("bad_dup") + ": plugin \"bad_dup\": op id \"relu\" is already defined"), qPrintable(o.err));
        Result n = archscope({"--plugin", "/nonexistent/x.so", "ops"});
        CHECK_EXIT(n, 0);
        QVERIFY(n.err.contains("/nonexistent/x.so: no such file or folder"));
    }

    void pluginOpsInDesignCommands() {
        QTemporaryDir tmp;
        const QString kat = example("kat/examples/kat_encoder_block.json"), poly = example("polycom/examples/polycom_encoder_block.json");
        for (const QString& f : {kat, poly}) {
            CHECK_EXIT(archscope({"validate", f}), 0);
            Result info = archscope({"info", f, "--json"});
            CHECK_EXIT(info, 0);
            QVERIFY(QJsonDocument::fromJson(info.out.toUtf8()).object()["totals"].toObject()["flops"].toDouble() > 0);
            Result run = archscope({"run", f, "--output-dir", tmp.filePath(QFileInfo(f).baseName())});
            CHECK_EXIT(run, 0);
            Result vk = archscope({"run", f, "--backend", "vulkan", "--json"});
            CHECK_EXIT(vk, 0);  // falls back to the CPU with a notice when there is no device
            Result prof = archscope({"profile", f, "--db", tmp.filePath("p.db"), "--repeat", "2", "--warmup", "1", "--probe", "none"});
            CHECK_EXIT(prof, 0);
        }
        Result info = archscope({"info", kat});
        QVERIFY2(info.out.contains("ffn/act1") && info.out.contains("kat_rational"), qPrintable(info.out));
    }

    void missingPluginSaysWhatToInstall() {
        Result r = archscope({"--no-plugins", "validate", example("kat/examples/kat_encoder_block.json")});
        CHECK_EXIT(r, 2);
        QVERIFY2(r.err.contains("node \"ffn\": op \"kat_ffn\" comes from plugin \"kat\" which is not installed; install it into ") &&
                     r.err.contains("archscope/plugins or pass --plugin PATH"),
                 qPrintable(r.err));
        Result run = archscope({"--no-plugins", "run", example("polycom/examples/polycom_encoder_block.json")});
        CHECK_EXIT(run, 2);
        QVERIFY2(run.err.contains("op \"polynorm\" comes from plugin \"polycom\""), qPrintable(run.err));
        Result fixed = archscope({"--no-plugins", "--plugin", plugin("polycom"), "run", example("polycom/examples/polycom_encoder_block.json")});
        CHECK_EXIT(fixed, 0);
    }

    void failingKernelEndsTheRun() {
        QTemporaryDir tmp;
        const QString f = tmp.filePath("bad.json");
        QVERIFY(writeText(f, R"({"format": "archscope.design", "version": 1,
            "nodes": [{"id": "x", "op": "input", "attrs": {"shape": "4"}}, {"id": "boom", "op": "bad_throw"}, {"id": "y", "op": "output"}],
            "edges": [{"from": "x:y", "to": "boom:x"}, {"from": "boom:y", "to": "y:x"}]})"));
        Result r = archscope({"--no-plugins", "--plugin", bad("bad_kernel"), "run", f});
        CHECK_EXIT(r, 1);
        QVERIFY2(r.err.contains("node \"boom\"") && r.err.contains("plugin \"bad_kernel\": CPU kernel threw: deliberate exception"), qPrintable(r.err));
    }

    // Plugin templates appear with their plugin and vanish without it.
    void pluginTemplates() {
        Result list = archscope({"templates"});
        CHECK_EXIT(list, 0);
        QVERIFY2(list.out.contains("kat_vit") && list.out.contains("polycom_gpt") && list.out.contains("plugin: kat"), qPrintable(list.out));
        Result json = archscope({"templates", "--json", "polycom_gpt"});
        CHECK_EXIT(json, 0);
        QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).array()[0].toObject()["plugin"].toString(), QString("polycom"));
        Result plugins = archscope({"plugins"});
        QVERIFY2(plugins.out.contains("kat_vit") && plugins.out.contains("[template]"), qPrintable(plugins.out));

        QTemporaryDir tmp;
        const QString f = tmp.filePath("kat.json");
        Result made = archscope({"new", "kat_vit", "-o", f, "--set", "layers=1"});
        CHECK_EXIT(made, 0);
        Result ok = archscope({"validate", f});
        CHECK_EXIT(ok, 0);
        Result run = archscope({"run", f, "--backend", "cpu"});
        CHECK_EXIT(run, 0);

        Result none = archscope({"--no-plugins", "templates"});
        CHECK_EXIT(none, 0);
        QVERIFY2(!none.out.contains("kat_vit"), qPrintable(none.out));
        Result missing = archscope({"--no-plugins", "new", "kat_vit", "-o", tmp.filePath("x.json")});
        CHECK_EXIT(missing, 2);
        QVERIFY2(missing.err.contains("unknown template \"kat_vit\"") && missing.err.contains("plugin \"kat\", that plugin is not loaded"),
                 qPrintable(missing.err));
        Result back = archscope({"--no-plugins", "validate", f});  // the saved design still names its plugin
        CHECK_EXIT(back, 2);
        QVERIFY2(back.err.contains("comes from plugin \"kat\""), qPrintable(back.err));
    }

    // ONNX: plugin ops export as archscope.plugin.<name> nodes; import needs the plugin.
    void onnxNeedsThePlugin() {
        QTemporaryDir tmp;
        const QString onnx = tmp.filePath("poly.onnx");
        Result ex = archscope({"export", example("polycom/examples/polycom_encoder_block.json"), "--format", "onnx", "-o", onnx});
        if (ex.code == 2 && ex.err.contains("no ONNX support")) QSKIP("built without libonnx-dev");
        CHECK_EXIT(ex, 0);
        Result in = archscope({"import", onnx, "-o", tmp.filePath("back.json")});
        CHECK_EXIT(in, 0);
        Result runBack = archscope({"run", tmp.filePath("back.json")});
        CHECK_EXIT(runBack, 0);
        Result none = archscope({"--no-plugins", "import", onnx, "-o", tmp.filePath("none.json")});
        CHECK_EXIT(none, 2);
        QVERIFY2(none.err.contains("unsupported op \"polynorm\"") && none.err.contains("plugin \"polycom\"") &&
                     !none.err.contains("unsupported op \"polynorm\":") &&  // every node on the line that names the plugin
                     none.err.contains("not loaded"),
                 qPrintable(none.err));
    }
};

QTEST_GUILESS_MAIN(TestPluginsCli)
#include "test_plugins_cli.moc"
