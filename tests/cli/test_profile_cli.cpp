// archscope profile / sessions / show / export, end to end through the
// binary, including a kill -9 in the middle of a sweep.
#include "store/profile_store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

using namespace archscope;

namespace {

struct Result {
    int code = -1;
    QString out, err;
};

Result runArchscope(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) { p.kill(); p.waitForFinished(); return r; }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString sample() { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"; }

QJsonDocument parse(const QString& text) { return QJsonDocument::fromJson(text.toUtf8()); }

}  // namespace

class TestProfileCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void profileShowExport() {
        QString db = m_dir.filePath("p.db");
        Result r = runArchscope({"profile", sample(), "--db", db, "--repeat", "3", "--warmup", "1", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonArray sessions = parse(r.out).object()["sessions"].toArray();
        QCOMPARE(sessions.size(), 1);
        const int id = sessions[0].toObject()["id"].toInt();

        Result info = runArchscope({"info", sample(), "--json"});
        QCOMPARE(info.code, 0);
        QJsonArray infoNodes = parse(info.out).object()["nodes"].toArray();

        Result show = runArchscope({"show", "--db", db, QString::number(id), "--json"});
        QVERIFY2(show.code == 0, qPrintable(show.err));
        QJsonObject s = parse(show.out).object();
        QCOMPARE(s["status"].toString(), QString("ok"));
        QCOMPARE(s["repeat"].toInt(), 3);
        QCOMPARE(s["app_version"].toString(), QString(ARCHSCOPE_VERSION));
        QCOMPARE(s["design_hash"].toString().size(), 64);
        QJsonArray nodes = s["nodes"].toArray();
        QCOMPARE(nodes.size(), infoNodes.size());
        for (int k = 0; k < nodes.size(); ++k) {
            QCOMPARE(nodes[k].toObject()["node"].toString(), infoNodes[k].toObject()["id"].toString());
            QCOMPARE(nodes[k].toObject()["flops"].toInteger(), infoNodes[k].toObject()["flops"].toInteger());
        }
        // The ReLU output's zero fraction is between 0 and 1 and the memory probe ran.
        bool sawAct = false;
        for (auto t : s["tensors"].toArray())
            if (t.toObject()["node"].toString() == "act") {
                double z = t.toObject()["zero_frac"].toDouble();
                QVERIFY(z > 0.2 && z < 0.8);
                sawAct = true;
            }
        QVERIFY(sawAct);
        QVERIFY(s["memory"].toObject()["peak_activation_bytes"].toInteger() > 0);
        QVERIFY(s["ceilings"].toObject()["gflops"].toDouble() > 0);

        // Trace: one complete event per node.
        QString trace = m_dir.filePath("t.json");
        Result ex = runArchscope({"export", "--db", db, QString::number(id), "--format", "trace", "-o", trace});
        QVERIFY2(ex.code == 0, qPrintable(ex.err));
        QFile tf(trace);
        QVERIFY(tf.open(QIODevice::ReadOnly));
        QJsonParseError pe;
        QJsonDocument td = QJsonDocument::fromJson(tf.readAll(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
        int complete = 0;
        double lastEnd = 0;
        for (auto e : td.object()["traceEvents"].toArray()) {
            QJsonObject o = e.toObject();
            if (o["ph"].toString() != "X") continue;
            QCOMPARE(o["name"].toString(), nodes[complete].toObject()["node"].toString());
            QVERIFY(o["ts"].toDouble() >= lastEnd - 1e-6 && o["dur"].toDouble() >= 0);
            QCOMPARE(o["args"].toObject()["op"].toString(), nodes[complete].toObject()["op"].toString());
            QVERIFY(o["args"].toObject().contains("flops") && o["args"].toObject().contains("shape"));
            lastEnd = o["ts"].toDouble() + o["dur"].toDouble();
            ++complete;
        }
        QCOMPARE(complete, nodes.size());

        // CSV: header + one row per node.
        QString csv = m_dir.filePath("n.csv");
        QCOMPARE(runArchscope({"export", "--db", db, "last", "--format", "csv", "-o", csv}).code, 0);
        QFile cf(csv);
        QVERIFY(cf.open(QIODevice::ReadOnly));
        QStringList lines = QString::fromUtf8(cf.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), nodes.size() + 1);
        QVERIFY(lines[0].startsWith("idx,node,op,"));
        QVERIFY(lines[1].startsWith("0," + nodes[0].toObject()["node"].toString() + ","));
    }

    void sweepLinksSessions() {
        QString db = m_dir.filePath("sweep.db");
        Result r = runArchscope({"profile", sample(), "--db", db, "--repeat", "2", "--warmup", "0", "--probe", "none", "--sweep",
                              "T=8,16,32"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.count("session "), 3);
        Result list = runArchscope({"sessions", "--db", db, "--json"});
        QCOMPARE(list.code, 0);
        QJsonArray all = parse(list.out).array();
        QCOMPARE(all.size(), 3);
        QSet<int> values;
        const int sweep = all[0].toObject()["sweep_id"].toInt();
        QVERIFY(sweep > 0);
        for (auto v : all) {
            QJsonObject o = v.toObject();
            QCOMPARE(o["sweep_id"].toInt(), sweep);
            QCOMPARE(o["bindings"].toObject()["T"].toInt(), o["sweep_value"].toInt());
            QCOMPARE(o["probes"].toString(), QString(""));
            values.insert(o["sweep_value"].toInt());
        }
        QCOMPARE(values, (QSet<int>{8, 16, 32}));
        Result show = runArchscope({"show", "--db", db, "last", "--json"});
        QJsonObject s = parse(show.out).object();
        QVERIFY(s["tensors"].toArray().isEmpty() && s["attention"].toArray().isEmpty() && !s.contains("memory"));
        QCOMPARE(s["nodes"].toArray()[1].toObject()["bound"].toString(), QString(""));
        QCOMPARE(s["nodes"].toArray()[1].toObject()["shape"].toString(), QString("[2, 32, 256]"));
    }

    void badInputIsReported() {
        QString db = m_dir.filePath("bad.db");
        Result noDb = runArchscope({"profile", sample()});
        QCOMPARE(noDb.code, 2);
        QVERIFY(noDb.err.contains("--db"));
        Result sym = runArchscope({"profile", sample(), "--db", db, "--sweep", "Q=1,2"});
        QCOMPARE(sym.code, 2);
        QVERIFY2(sym.err.contains("\"Q\""), qPrintable(sym.err));
        Result probe = runArchscope({"profile", sample(), "--db", db, "--probe", "latency,speed"});
        QCOMPARE(probe.code, 2);
        QVERIFY(probe.err.contains("speed"));
        QVERIFY(runArchscope({"profile", sample(), "--db", db, "--probe", "none", "--repeat", "1"}).code == 0);
        Result missing = runArchscope({"show", "--db", db, "99"});
        QCOMPARE(missing.code, 2);
        QVERIFY(missing.err.contains("no session 99"));
        Result fmt = runArchscope({"export", "--db", db, "1", "--format", "xml", "-o", m_dir.filePath("x")});
        QCOMPARE(fmt.code, 2);
        QVERIFY(fmt.err.contains("trace or csv"));
        // A file that is not a database is refused and left unchanged.
        QString notes = m_dir.filePath("notes.txt");
        QFile f(notes);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("my notes\n");
        f.close();
        Result corrupt = runArchscope({"sessions", "--db", notes});
        QCOMPARE(corrupt.code, 2);
        QVERIFY(corrupt.err.contains("not an SQLite database"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("my notes\n"));
    }

    void killMidSweepKeepsCompletedSessions() {
        QString db = m_dir.filePath("kill.db");
        QProcess p;
        p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), {"profile", sample(), "--db", db, "--repeat", "1000", "--warmup", "0",
                                                         "--sweep", "T=16,17,18,19,20,21,22,23"});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains("written") && timer.elapsed() < 120000) {
            p.waitForReadyRead(100);
            out += p.readAllStandardOutput();
        }
        QVERIFY2(out.contains("session 1 written"), out.constData());
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        Database d;
        std::string err;
        QVERIFY2(d.open(db.toStdString(), &err), err.c_str());
        Stmt check(d, "PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(QString::fromStdString(check.text(0)), QString("ok"));
        ProfileStore store(d);
        std::vector<SessionInfo> list;
        QVERIFY(store.listSessions(&list, &err));
        QVERIFY(list.size() >= 1 && list.size() < 8);  // killed before the sweep finished
        for (auto& s : list) {
            SessionRecord r;
            QVERIFY2(store.loadSession(s.id, &r, &err), err.c_str());
            QCOMPARE(r.info.status, std::string("ok"));
            QCOMPARE(r.data.nodes.size(), size_t(6));
            QVERIFY(r.info.sweepId > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestProfileCli)
#include "test_profile_cli.moc"
