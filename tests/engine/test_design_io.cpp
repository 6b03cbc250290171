// Design files on disk: canonical saving (load -> save -> load -> save is
// byte-identical for every design shipped under resources/) and atomic
// saving (no temporary left behind; a failed save leaves the old file).
#include "graph/analysis.h"
#include "graph/design_io.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace archscope;

namespace {

std::string slurp(const std::string& path) {
    std::string data, err;
    return readFile(path, &data, &err) ? data : std::string("<unreadable: " + err + ">");
}

QStringList entries(const QString& dir) { return QDir(dir).entryList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name); }

Graph sampleGraph() {
    Graph g;
    std::string path = (qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json").toStdString();
    if (!loadDesign(path, &g).ok) qFatal("cannot load the sample");
    return g;
}

}  // namespace

class TestDesignIo : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<QString>("path");
        const QString root = qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources";
        QDirIterator it(root, {"*.json"}, QDir::Files, QDirIterator::Subdirectories);
        int n = 0;
        while (it.hasNext()) {
            QString p = it.next();
            QFile f(p);
            if (!f.open(QIODevice::ReadOnly) || !f.readAll().contains("\"archscope.design\"")) continue;  // not a design
            QTest::newRow(qPrintable(p.mid(root.size() + 1))) << p;
            ++n;
        }
        QTest::newRow("tests/data/valid/tiny.json") << qEnvironmentVariable("ARCHSCOPE_TEST_DATA") + "/valid/tiny.json";
        if (n == 0) qFatal("no designs under resources/");
    }

    void roundTrip() {
        QFETCH(QString, path);
        QTemporaryDir tmp;
        Graph g1, g2, g3;
        LoadResult r = loadDesign(path.toStdString(), &g1);
        QVERIFY2(r.ok, r.error.c_str());
        const std::string a = tmp.filePath("a.json").toStdString(), b = tmp.filePath("b.json").toStdString();
        std::string err;
        QVERIFY2(saveDesign(g1, a, &err), err.c_str());
        r = loadDesign(a, &g2);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(g1 == g2);
        QVERIFY2(saveDesign(g2, b, &err), err.c_str());
        QCOMPARE(QString::fromStdString(slurp(b)), QString::fromStdString(slurp(a)));
        // Nothing but the two saved files: no temporaries.
        QCOMPARE(entries(tmp.path()), (QStringList{"a.json", "b.json"}));
        // Still the same design for the engine.
        QVERIFY(loadDesign(b, &g3).ok);
        Analysis before = analyze(g1, {}), after = analyze(g3, {});
        QCOMPARE(after.ok(), before.ok());
        QCOMPARE(after.totalParams, before.totalParams);
        QCOMPARE(after.totalFlops, before.totalFlops);
    }

    // Everything a design can hold survives a save and a load.
    void everyFieldRoundTrips() {
        Graph g = sampleGraph();
        g.metadata["author"] = "tests \"quoted\" \xc3\xa9";
        g.symbols.push_back({"H", 4, "heads"});
        g.node("fc1")->label = "first layer";
        g.node("fc1")->x = -12.5;
        g.node("fc1")->y = 1e6;
        g.node("fc2")->attrs["bias"] = false;
        g.groups.push_back({"blk", "Block 1", {"fc1", "act"}, true});
        g.weights = {"mlp.safetensors", 123456789012345ull};
        Graph back;
        LoadResult r = parseDesign(serializeDesign(g), "mem.json", &back);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(back == g);
        QCOMPARE(back.metadata["author"], g.metadata["author"]);
        QCOMPARE(back.node("fc1")->label, std::string("first layer"));
        QCOMPARE(back.node("fc1")->x, -12.5);
        QCOMPARE(back.groups.at(0).nodes, (std::vector<std::string>{"fc1", "act"}));
        QVERIFY(back.groups.at(0).collapsed);
        QCOMPARE(back.weights.seed, uint64_t(123456789012345ull));
        QCOMPARE(back.symbols.at(2).doc, std::string("heads"));
        QVERIFY(std::get<bool>(back.node("fc2")->attrs.at("bias")) == false);
        QCOMPARE(serializeDesign(back), serializeDesign(g));
    }

    void saveReplacesAtomically() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("d.json").toStdString();
        std::string err;
        Graph g = sampleGraph();
        QVERIFY2(saveDesign(g, path, &err), err.c_str());
        g.metadata["name"] = "changed";
        QVERIFY2(saveDesign(g, path, &err), err.c_str());
        QCOMPARE(slurp(path), serializeDesign(g));
        QCOMPARE(entries(tmp.path()), QStringList{"d.json"});
    }

    // The temporary cannot be created (its name is too long for the file
    // system, which stops root too): the save fails naming the path, and the
    // old file is untouched.
    void failedSaveKeepsOldFile() {
        QTemporaryDir tmp;
        const std::string path = (tmp.path() + "/" + QString(250, 'd') + ".json").toStdString();
        {
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old contents");
        }
        std::string err;
        QVERIFY(!saveDesign(sampleGraph(), path, &err));
        QVERIFY2(err.rfind(path + ": ", 0) == 0, err.c_str());
        QCOMPARE(slurp(path), std::string("old contents"));
        QCOMPARE(entries(tmp.path()).size(), 1);
    }

    void saveIntoUnwritableDirectoryFails() {
        if (::geteuid() == 0) QSKIP("running as root: directory permissions do not stop root (see failedSaveKeepsOldFile)");
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("ro");
        QVERIFY(QDir().mkdir(dir));
        const std::string path = (dir + "/d.json").toStdString();
        std::string err;
        QVERIFY(writeFileAtomic(path, "old contents", &err));
        QVERIFY(::chmod(dir.toLocal8Bit().constData(), 0555) == 0);
        bool ok = saveDesign(sampleGraph(), path, &err);
        ::chmod(dir.toLocal8Bit().constData(), 0755);
        QVERIFY(!ok);
        QVERIFY2(err.rfind(path + ": cannot write", 0) == 0, err.c_str());
        QCOMPARE(slurp(path), std::string("old contents"));
        QCOMPARE(entries(dir), QStringList{"d.json"});
    }

    // The rename fails (a non-empty directory is in the way): the temporary is removed.
    void failedRenameLeavesNoTemporary() {
        QTemporaryDir tmp;
        const QString target = tmp.filePath("design.json");
        QVERIFY(QDir().mkpath(target + "/inside"));
        std::string err;
        QVERIFY(!saveDesign(sampleGraph(), target.toStdString(), &err));
        QVERIFY2(err.rfind(target.toStdString() + ": cannot replace", 0) == 0, err.c_str());
        QCOMPARE(entries(tmp.path()), QStringList{"design.json"});
        QVERIFY(QFileInfo(target).isDir());
    }

    void missingDirectoryFails() {
        std::string err;
        QVERIFY(!saveDesign(sampleGraph(), "/nonexistent-dir/x/design.json", &err));
        QVERIFY2(err.rfind("/nonexistent-dir/x/design.json: cannot write", 0) == 0, err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDesignIo)
#include "test_design_io.moc"
