// Reliability through the binary: --max-memory refuses a design before
// anything is allocated, an injected device loss (ARCHSCOPE_FAULT) ends a
// Vulkan run with exit 1 and a clear message, and a hostile ONNX model is
// refused by `archscope import` without writing any output.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Result {
    int code = -1;
    QString out, err;
};

Result runArchscope(const QStringList& args, const QStringList& env = {}) {
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (auto& kv : env) e.insert(kv.section('=', 0, 0), kv.section('=', 1));
    p.setProcessEnvironment(e);
    p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), args);
    Result r;
    if (!p.waitForFinished(180000)) { p.kill(); p.waitForFinished(); return r; }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString tiny() { return qEnvironmentVariable("ARCHSCOPE_TEST_DATA") + "/valid/tiny.json"; }

}  // namespace

class TestReliabilityCli : public QObject {
    Q_OBJECT
private slots:
    void maxMemoryRefusesBeforeRunning() {
        Result r = runArchscope({"run", tiny(), "--max-memory", "1K"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("over the limit of 1.00 KiB (--max-memory)") && r.err.contains("weights"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        r = runArchscope({"run", tiny(), "--max-memory", "lots"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--max-memory") && r.err.contains("512M"), qPrintable(r.err));
        r = runArchscope({"run", tiny(), "--max-memory", "64M"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }

    void injectedDeviceLossExitsCleanly() {
        Result ok = runArchscope({"run", tiny(), "--backend", "vulkan"});
        QVERIFY2(ok.code == 0, qPrintable(ok.err));
        if (!ok.out.contains("on vulkan")) QSKIP("no Vulkan device (the run fell back to the CPU)");
        Result r = runArchscope({"run", tiny(), "--backend", "vulkan"}, {"ARCHSCOPE_FAULT=vk_submit:1"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("VK_ERROR_DEVICE_LOST"), qPrintable(r.err));
        r = runArchscope({"run", tiny(), "--backend", "vulkan"}, {"ARCHSCOPE_FAULT=vk_alloc:1"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("VK_ERROR_OUT_OF_DEVICE_MEMORY"), qPrintable(r.err));
    }

    void hostileImportWritesNothing() {
        QTemporaryDir tmp;
        const QString model = tmp.filePath("m/model.onnx");
        QVERIFY(QDir().mkpath(tmp.filePath("m")));
        QVERIFY(QFile::copy(qEnvironmentVariable("ARCHSCOPE_TEST_DATA") + "/hostile/external_sibling.onnx", model));
        QVERIFY(QFile::copy(qEnvironmentVariable("ARCHSCOPE_TEST_DATA") + "/hostile/weights.bin", tmp.filePath("secret.bin")));
        Result r = runArchscope({"import", model, "-o", tmp.filePath("out.json")});
        if (r.err.contains("ONNX support")) QSKIP("built without ONNX support");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("outside the model's folder"), qPrintable(r.err));
        QVERIFY(!QFile::exists(tmp.filePath("out.json")));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{"secret.bin"});
    }
};

QTEST_GUILESS_MAIN(TestReliabilityCli)
#include "test_reliability_cli.moc"
