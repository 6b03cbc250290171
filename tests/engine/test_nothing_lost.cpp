// Nothing lost: a process killed with SIGKILL while saving a design never
// leaves a damaged or half-written file. A child process saves two different
// designs over the same path as fast as it can; the parent kills it at a
// random moment, then the file must load and be exactly one of the two
// designs. (Autosave of the editor uses the same writeFileAtomic; a kill -9
// in the middle of a profile is tests/cli/test_profile_cli.cpp.)
#include "graph/design_io.h"

#include <QTemporaryDir>
#include <QtTest>

#include <random>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace archscope;

namespace {

// A design of about 1 MB, so that a write takes long enough to be interrupted.
Graph bigDesign(const std::string& tag) {
    Graph g;
    g.metadata["name"] = tag;
    for (int i = 0; i < 4000; ++i) {
        Node n;
        n.id = "n" + std::to_string(i);
        n.op = "relu";
        n.label = tag + std::string(200, 'x');
        n.x = i;
        g.addNode(n);
        if (i) g.connect({"n" + std::to_string(i - 1), "y"}, {n.id, "x"});
    }
    return g;
}

}  // namespace

class TestNothingLost : public QObject {
    Q_OBJECT
private slots:
    void killDuringSaveLeavesOldOrNewFile() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("design.json").toStdString();
        const std::string a = serializeDesign(bigDesign("A")), b = serializeDesign(bigDesign("B"));
        QVERIFY(a.size() > 500000 && a != b);
        std::string err;
        QVERIFY(saveDesign(bigDesign("A"), path, &err));
        std::mt19937 rng(42);
        int sawA = 0, sawB = 0;
        const int rounds = 25;
        for (int round = 0; round < rounds; ++round) {
            int done[2];
            QCOMPARE(pipe(done), 0);
            pid_t child = fork();
            QVERIFY(child >= 0);
            if (child == 0) {  // saves B, A, B, ... and reports each completed save
                close(done[0]);
                Graph ga = bigDesign("A"), gb = bigDesign("B");
                std::string e;
                for (long i = 0;; ++i) {
                    saveDesign(i % 2 ? ga : gb, path, &e);
                    if (write(done[1], "s", 1) != 1) _exit(1);
                }
            }
            close(done[1]);
            // Let 1 to 3 saves complete, then kill at a random point of a later one.
            char c;
            for (int k = 1 + int(rng() % 3); k > 0; --k) QCOMPARE(read(done[0], &c, 1), ssize_t(1));
            usleep(useconds_t(rng() % 40000));
            QCOMPARE(::kill(child, SIGKILL), 0);
            close(done[0]);
            int status = 0;
            QCOMPARE(waitpid(child, &status, 0), child);
            QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
            std::string text;
            QVERIFY(readFile(path, &text, &err));
            QVERIFY2(text == a || text == b, qPrintable(QString("round %1: the file is damaged (%2 bytes)").arg(round).arg(text.size())));
            (text == a ? sawA : sawB)++;
            Graph g;
            LoadResult lr = loadDesign(path, &g);
            QVERIFY2(lr.ok, lr.error.c_str());
        }
        qInfo("%d kills: file held design A %d times, B %d times", rounds, sawA, sawB);
        QVERIFY(sawA > 0 && sawB > 0);  // kills landed at different points of the loop
        // Killed writers leave their temporary files; none is ever the design
        // itself, and the next save or load removes them (their writers are dead).
        for (auto& f : QDir(tmp.path()).entryList(QDir::Files))
            QVERIFY2(f == "design.json" || f.startsWith("design.json.tmp-"), qPrintable(f));
        QVERIFY(saveDesign(bigDesign("A"), path, &err));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{"design.json"});
    }

    void staleTemporariesOfDeadWritersAreRemoved() {
        // Only "PATH.tmp-PID" of this exact PATH with a PID that is not running
        // goes: not a live writer's file, not another design's, not other names.
        QTemporaryDir tmp;
        const QString path = tmp.filePath("d.json");
        auto deadPid = [] {
            pid_t p = fork();
            if (p == 0) _exit(0);
            waitpid(p, nullptr, 0);
            return long(p);
        };
        auto touch = [&](const QString& name) {
            QFile f(tmp.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write("partial") == 7;
        };
        const QString dead = QString("d.json.tmp-%1").arg(deadPid()), dead2 = QString("d.json.tmp-%1").arg(deadPid());
        const pid_t sleeper = fork();  // a live writer (this process's own name is the one saveDesign writes)
        if (sleeper == 0) {
            pause();
            _exit(0);
        }
        auto stopSleeper = qScopeGuard([&] {
            ::kill(sleeper, SIGKILL);
            waitpid(sleeper, nullptr, 0);
        });
        const QStringList kept = {QString("d.json.tmp-%1").arg(sleeper), QString("d.json.tmp-%1").arg(getppid()),
                                  QString("e.json.tmp-%1").arg(deadPid()), "d.json.tmp-12ab", "d.json.tmp-", "d.json.bak",
                                  "xd.json.tmp-1"};
        for (auto& f : kept + QStringList{dead, dead2}) QVERIFY(touch(f));
        std::string err;
        QVERIFY(saveDesign(bigDesign("A"), path.toStdString(), &err));
        QVERIFY(!QFileInfo::exists(tmp.filePath(dead)) && !QFileInfo::exists(tmp.filePath(dead2)));
        for (auto& f : kept) QVERIFY2(QFileInfo::exists(tmp.filePath(f)), qPrintable(f));
        // Opening a design cleans too.
        const QString dead3 = QString("d.json.tmp-%1").arg(deadPid());
        QVERIFY(touch(dead3));
        Graph g;
        QVERIFY(loadDesign(path.toStdString(), &g).ok);
        QVERIFY(!QFileInfo::exists(tmp.filePath(dead3)));
        QCOMPARE(removeStaleTemporaries(path.toStdString()), 0);
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files).size(), kept.size() + 1);
    }

    void edgesWithAnEmptyEndAreNotSaved() {
        // Graph::connect takes any PortRef; an edge built in code with an empty
        // node id or port (or a node id holding ':') used to be written as
        // ":y" and made the file unreadable. Such edges are left out.
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("2, 3")}}});
        g.addNode({"y", "output", {}});
        g.connect({"x", "y"}, {"y", "x"});
        g.connect({"", "y"}, {"y", "z"});
        g.connect({"x", ""}, {"y", "w"});
        g.connect({"x", "y"}, {"", "x"});
        g.connect({"a:b", "y"}, {"y", "v"});
        QCOMPARE(g.edges().size(), size_t(5));
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("e.json").toStdString();
        std::string err;
        QVERIFY(saveDesign(g, path, &err));
        Graph back;
        LoadResult r = loadDesign(path, &back);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(back.edges().size(), size_t(1));
        QCOMPARE(back.edges()[0].from.node, std::string("x"));
        QCOMPARE(back.edges()[0].to.node, std::string("y"));
    }

    void failedSaveKeepsTheOldFile() {
        // A save that runs out of space (here: a 64 KiB file-size limit in a
        // child process) fails with a message and leaves the old file as it was.
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("d.json").toStdString();
        std::string err;
        QVERIFY(saveDesign(bigDesign("A"), path, &err));
        pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            signal(SIGXFSZ, SIG_IGN);
            rlimit lim{64 * 1024, 64 * 1024};
            setrlimit(RLIMIT_FSIZE, &lim);
            std::string e;
            bool ok = saveDesign(bigDesign("B"), path, &e);
            _exit(!ok && e.find("unchanged") != std::string::npos ? 0 : 1);
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the failed save must report that the previous file is unchanged");
        std::string text;
        QVERIFY(readFile(path, &text, &err));
        QCOMPARE(text, serializeDesign(bigDesign("A")));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{"d.json"});  // the partial temporary file is removed
    }
};

QTEST_GUILESS_MAIN(TestNothingLost)
#include "test_nothing_lost.moc"
