// Fuzz regressions: every input a fuzz target in tests/fuzz/ once crashed on
// is kept in tests/fuzz/regressions/<target>/ and fed here to the normal
// loaders, which must refuse it (or accept it) with a clean result: no crash,
// no exception, an error that names the file. The seed corpora are checked
// too: seeds named "refused_*" must be refused, every other seed must load.
#include "graph/analysis.h"
#include "graph/design_io.h"
#include "interop/npy.h"
#include "interop/onnx_import.h"
#include "interop/safetensors.h"

#include <QDir>
#include <QtTest>

using namespace archscope;

namespace {

QString fuzzDir() { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/tests/fuzz"; }

QStringList filesIn(const QString& dir) {
    QStringList out;
    for (auto& f : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) out << f.absoluteFilePath();
    return out;
}

// Loads `path` with the loader of `target`; returns the error ("" when accepted).
std::string load(const QString& target, const std::string& path) {
    std::string err;
    if (target == "npy") {
        Tensor t;
        return readNpy(path, &t, &err) ? "" : err;
    }
    if (target == "safetensors") {
        TensorMap m;
        return readSafetensors(path, &m, &err) ? "" : err;
    }
    if (target == "onnx") {
        Graph g;
        TensorMap w;
        return importOnnxFile(path, {}, &g, &w, nullptr, &err) ? "" : err;
    }
    Graph g;  // design, analyze
    LoadResult r = loadDesign(path, &g);
    if (!r.ok) return r.error;
    if (target == "analyze") {
        AnalyzeOptions opt;
        opt.maxElements = int64_t(1) << 20;
        Analysis a = analyze(g, opt);
        return a.ok() ? "" : a.errorText();
    }
    return "";
}

}  // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void regressions_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        int n = 0;
        for (auto target : {"design", "analyze", "npy", "safetensors", "onnx"})
            for (auto& f : filesIn(fuzzDir() + "/regressions/" + target)) {
                QTest::newRow(qPrintable(QString(target) + "/" + QFileInfo(f).fileName())) << QString(target) << f;
                ++n;
            }
        if (n == 0) QTest::newRow("none") << QString() << QString();
    }
    void regressions() {
        QFETCH(QString, target);
        QFETCH(QString, path);
        if (target.isEmpty()) QFAIL("no regression inputs found under tests/fuzz/regressions (ARCHSCOPE_SOURCE_DIR unset?)");
        if (target == "onnx" && !onnxAvailable()) QSKIP("built without ONNX support");
        std::string err = load(target, path.toStdString());
        // Regressions are hostile inputs: each must be refused with a message
        // naming the file (the fuzzers' crash inputs are never valid files).
        QVERIFY2(!err.empty(), qPrintable(path + " was accepted"));
        QVERIFY2(err.find(path.toStdString()) != std::string::npos || target == "analyze", err.c_str());
    }

    void seeds_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        for (auto target : {"npy", "safetensors"})
            for (auto& f : filesIn(fuzzDir() + "/corpus/" + target))
                QTest::newRow(qPrintable(QString(target) + "/" + QFileInfo(f).fileName())) << QString(target) << f;
    }
    void seeds() {
        QFETCH(QString, target);
        QFETCH(QString, path);
        std::string err = load(target, path.toStdString());
        if (QFileInfo(path).fileName().startsWith("refused_")) QVERIFY2(!err.empty(), qPrintable(path + " was accepted"));
        else QVERIFY2(err.empty(), err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
