// `archscope templates` and `archscope new`, run as a child process (ARCHSCOPE_BIN):
// listing with --json, writing designs with --set, exit 2 with the valid names or
// parameters on bad input, and the looped ICL weights sidecar.
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
    QString out, err;
};

Result archscope(const QStringList& args) {
    QProcess p;
    p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), args);
    Result r;
    if (!p.waitForStarted(30000) || !p.waitForFinished(120000)) { p.kill(); p.waitForFinished(); return r; }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString describe(const Result& r) { return QString("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out.left(1500), r.err.left(1500)); }

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

}  // namespace

class TestTemplatesCli : public QObject {
    Q_OBJECT
private slots:
    void listsTemplatesAsJson() {
        Result r = archscope({"templates", "--json"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QJsonArray arr = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QStringList names;
        for (auto v : arr) {
            QJsonObject t = v.toObject();
            names << t["name"].toString();
            QVERIFY(!t["paper"].toString().isEmpty());
            QVERIFY(!t["params"].toArray().isEmpty());
        }
        for (auto n : {"gpt", "vit", "gtrxl", "looped_icl"}) QVERIFY2(names.contains(n), n);
        QJsonObject gpt = arr[names.indexOf("gpt")].toObject();
        bool found = false;
        for (auto p : gpt["params"].toArray())
            if (p.toObject()["name"] == "d_model") found = p.toObject()["default"].toInt() == 64;
        QVERIFY(found);
        r = archscope({"templates"});
        QVERIFY2(r.code == 0 && r.out.contains("gpt") && r.out.contains("d_model = 64"), qPrintable(describe(r)));
    }

    void newWritesAValidDesign() {
        QTemporaryDir dir;
        const QString file = dir.filePath("lm.json");
        Result r = archscope({"new", "gpt", "-o", file, "--set", "d_model=32", "--set", "layers=1", "--set", "preset=gpt2"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QJsonObject meta = readJson(file)["metadata"].toObject();
        QCOMPARE(meta["template"].toString(), QString("gpt"));
        QJsonObject params = QJsonDocument::fromJson(meta["template_params"].toString().toUtf8()).object();
        QCOMPARE(params["d_model"].toInt(), 32);
        QCOMPARE(params["preset"].toString(), QString("gpt2"));
        r = archscope({"validate", file});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        r = archscope({"info", file, "--json"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
    }

    void newWritesHandBuiltWeights() {
        QTemporaryDir dir;
        const QString file = dir.filePath("icl.json");
        Result r = archscope({"new", "looped_icl", "-o", file, "--set", "loops=4"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY(QFile::exists(dir.filePath("icl.safetensors")));
        QCOMPARE(readJson(file)["weights"].toObject()["file"].toString(), QString("icl.safetensors"));
        r = archscope({"run", file});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
    }

    void badInputExitsTwoWithTheChoices() {
        QTemporaryDir dir;
        const QString file = dir.filePath("x.json");
        Result r = archscope({"new", "gtp", "-o", file});
        QVERIFY2(r.code == 2 && r.err.contains("unknown template \"gtp\"") && r.err.contains("gpt, vit"), qPrintable(describe(r)));
        r = archscope({"new", "vit", "-o", file, "--set", "dmodel=3"});
        QVERIFY2(r.code == 2 && r.err.contains("no parameter \"dmodel\"") && r.err.contains("d_model"), qPrintable(describe(r)));
        r = archscope({"new", "vit", "-o", file, "--set", "layers=-1"});
        QVERIFY2(r.code == 2 && r.err.contains("out of range"), qPrintable(describe(r)));
        r = archscope({"new", "vit", "-o", file, "--set", "layers"});
        QVERIFY2(r.code == 2 && r.err.contains("PARAM=VALUE"), qPrintable(describe(r)));
        r = archscope({"new", "vit"});
        QVERIFY2(r.code == 2 && r.err.contains("-o FILE"), qPrintable(describe(r)));
        QVERIFY(!QFile::exists(file));
    }
};

QTEST_GUILESS_MAIN(TestTemplatesCli)
#include "test_templates_cli.moc"
