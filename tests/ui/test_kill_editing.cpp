// Nothing lost, kill -9 during editing: the real app (offscreen) opens a
// design and performs scripted edits through its GraphDocument
// (ARCHSCOPE_EDIT_SCRIPT, ui/edit_script.h); the test SIGKILLs it after a
// chosen edit, starts it again on the same design, answers "yes" to the
// recovery dialog and saves. The saved design must equal the design after
// all the edits the killed app reported, or after one more (the edit being
// made when the kill landed): at most the last edit is lost. The design file
// itself is never touched, and PATH.tmp-PID files of dead writers are cleaned.
#include "edit_script.h"
#include "graph/design_io.h"
#include "graph_document.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <random>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace archscope;
using namespace archscope::ui;

namespace {

// Fifteen edits of the sample: attributes, sizes, moves, new nodes, a connection, a removal.
const QStringList kEdits = {
    "set fc1 out_features 128", "move act 20 40",          "size B 4",          "add gelu 440 200",
    "set fc1 out_features 96",  "move fc2 -20 20",         "add relu 600 300",  "connect act y relu x",
    "size T 32",                "set fc1 out_features 80", "remove gelu",       "move relu 40 0",
    "add scale 800 300",        "connect relu y scale x",  "size B 8",
};

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool writeText(const QString& path, const QString& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) == text.toUtf8().size();
}

pid_t deadPid() {  // a process that has exited and been reaped
    pid_t p = fork();
    if (p == 0) _exit(0);
    waitpid(p, nullptr, 0);
    return p;
}

}  // namespace

class TestKillEditing : public QObject {
    Q_OBJECT

    std::vector<std::string> m_expected;  // design text after 0..N edits
    QString m_sample;

    QProcess* startApp(const QString& dir, const QString& design, const QString& script) {
        auto* p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_DATA_HOME", dir + "/data");  // the recovery folder lives here
        env.insert("XDG_CONFIG_HOME", dir + "/config");
        env.insert("ARCHSCOPE_EDIT_SCRIPT", script);
        env.insert("ARCHSCOPE_EDIT_INTERVAL_MS", "30");
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::SeparateChannels);
        p->start(qEnvironmentVariable("ARCHSCOPE_BIN"), {"--no-plugins", design});
        return p;
    }

    // Reads "done N" lines until N >= target; returns the last N seen (-1 on timeout or exit).
    static int waitForDone(QProcess* p, int target) {
        int last = 0;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 120000) {
            while (p->canReadLine()) {
                QString line = QString::fromUtf8(p->readLine()).trimmed();
                if (line.startsWith("error")) qWarning("app: %s", qPrintable(line));
                if (line.startsWith("done ")) last = line.mid(5).toInt();
            }
            if (last >= target) return last;
            if (p->state() == QProcess::NotRunning) return -1;
            p->waitForReadyRead(200);
        }
        return -1;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // the in-process document autosaves elsewhere
        QCoreApplication::setApplicationName("archscope-kill-editing-test");
        if (qEnvironmentVariableIsEmpty("ARCHSCOPE_BIN")) QSKIP("ARCHSCOPE_BIN is not set (run through ctest)");
        m_sample = qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json";
        // The expected design after each edit, from the same edits applied in this process.
        GraphDocument d;
        QVERIFY2(d.load(m_sample), qPrintable(d.message()));
        m_expected.push_back(serializeDesign(d.graph()));
        for (auto& e : kEdits) {
            QString err;
            QVERIFY2(applyEditLine(d, e, &err), qPrintable(e + ": " + err));
            m_expected.push_back(serializeDesign(d.graph()));
            QVERIFY2(m_expected.back() != m_expected[m_expected.size() - 2], qPrintable(e));
        }
        d.discardRecovery();
    }

    void killDuringEditingLosesAtMostTheLastEdit_data() {
        QTest::addColumn<int>("killAfter");
        QTest::newRow("after 1 edit") << 1;
        QTest::newRow("after 7 edits") << 7;
        QTest::newRow("after 13 edits") << 13;
    }
    void killDuringEditingLosesAtMostTheLastEdit() {
        QFETCH(int, killAfter);
        QTemporaryDir tmp;
        const QString design = tmp.filePath("d.json"), script = tmp.filePath("edits.txt");
        QVERIFY(QFile::copy(m_sample, design));
        const QString original = readAll(design);
        QVERIFY(writeText(script, kEdits.join('\n') + "\n"));

        QProcess* app = startApp(tmp.path(), design, script);
        QVERIFY2(app->waitForStarted(30000), qPrintable(app->errorString()));
        int done = waitForDone(app, killAfter);
        QVERIFY2(done >= killAfter, qPrintable("the app did not report its edits: " + QString::fromUtf8(app->readAllStandardError().right(3000))));
        std::mt19937 rng{unsigned(killAfter)};
        usleep(useconds_t(rng() % 30000));  // land anywhere in the next edit
        QCOMPARE(::kill(pid_t(app->processId()), SIGKILL), 0);
        QVERIFY(app->waitForFinished(30000));
        QCOMPARE(app->exitStatus(), QProcess::CrashExit);
        // On a busy machine the app may have finished more edits between our last read
        // and the kill: its last "done" line still sits in the pipe.
        while (app->canReadLine()) {
            const QString line = QString::fromUtf8(app->readLine()).trimmed();
            if (line.startsWith("done ")) done = std::max(done, line.mid(5).toInt());
        }
        QCOMPARE(readAll(design), original);  // never saved: the design file is as it was

        // What the killed app left, plus planted temporaries: of a dead writer of the
        // recovery file (removed on the next write), of a live process and of another file (kept).
        const QString recoveryDir = tmp.filePath("data/Archscope/Archscope/recovery");
        QVERIFY2(QFileInfo::exists(recoveryDir + "/d.json"), "no recovery file was autosaved");
        const QString stale = recoveryDir + QString("/d.json.tmp-%1").arg(deadPid());
        const QString live = recoveryDir + QString("/d.json.tmp-%1").arg(getpid());
        const QString other = recoveryDir + QString("/e.json.tmp-%1").arg(deadPid());
        for (auto& f : {stale, live, other}) QVERIFY(writeText(f, "partial"));

        // Restart on the same design: the recovery dialog is open; accept it and save.
        const QString out = tmp.filePath("restored.json"), script2 = tmp.filePath("restore.txt");
        QVERIFY(writeText(script2, "recovery yes\nsaveas " + out + "\nquit\n"));
        QProcess* again = startApp(tmp.path(), design, script2);
        QVERIFY(again->waitForStarted(30000));
        QVERIFY2(again->waitForFinished(120000), "the restarted app did not finish its script");
        const QString log = QString::fromUtf8(again->readAllStandardOutput() + again->readAllStandardError());
        QVERIFY2(again->exitStatus() == QProcess::NormalExit && again->exitCode() == 0, qPrintable(log.right(4000)));

        Graph restored;
        LoadResult r = loadDesign(out.toStdString(), &restored);
        QVERIFY2(r.ok, r.error.c_str());
        const std::string text = serializeDesign(restored);
        const bool all = text == m_expected[size_t(done)];
        const bool oneMore = size_t(done) + 1 < m_expected.size() && text == m_expected[size_t(done) + 1];
        QVERIFY2(all || oneMore, qPrintable(QString("the restored design is not the design after %1 (or %2) edits").arg(done).arg(done + 1)));
        qInfo("killed after %d reported edits; restored %d", done, all ? done : done + 1);

        QVERIFY2(!QFileInfo::exists(stale), "a dead writer's temporary file was left");
        QVERIFY(QFileInfo::exists(live) && QFileInfo::exists(other));
        QCOMPARE(readAll(design), original);
    }
};

QTEST_MAIN(TestKillEditing)
#include "test_kill_editing.moc"
