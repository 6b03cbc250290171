// Contract tests of the `archscope` command-line tool, run as a child process
// (ARCHSCOPE_BIN): exit codes (0 ok, 2 bad input, 1 runtime failure), messages
// on stderr, --json shapes, .npy/.safetensors in and out. Expected numbers
// come from closed forms and plain loops in this file, and the .npy and
// .safetensors files are written and read by hand here, not by the engine.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

namespace {

struct Result {
    bool finished = false;
    bool crashed = false;
    int code = -1;
    QString out, err;
};

Result archscope(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.setProgram(qEnvironmentVariable("ARCHSCOPE_BIN"));
    p.setArguments(args);
    p.start();
    Result r;
    r.finished = p.waitForStarted(30000) && p.waitForFinished(timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(10000);
    }
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.code = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString describe(const Result& r) { return QString("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out.left(2000), r.err.left(2000)); }

QString sample() { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"; }

bool writeBytes(const QString& path, const QByteArray& b) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(b) == b.size();
}

QByteArray readBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void appendLe(QByteArray* b, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) b->append(char((v >> (8 * i)) & 0xff));
}

// .npy version 1.0, float32, C order, written by hand.
QByteArray npyF32(const QList<qint64>& shape, const std::vector<float>& v) {
    QString dims;
    for (qint64 d : shape) dims += QString::number(d) + ",";
    QByteArray h = QString("{'descr': '<f4', 'fortran_order': False, 'shape': (%1), }").arg(dims).toLatin1();
    while ((10 + h.size() + 1) % 64) h.append(' ');
    h.append('\n');
    QByteArray b("\x93NUMPY\x01\x00", 8);
    appendLe(&b, uint64_t(h.size()), 2);
    b += h;
    b.append(reinterpret_cast<const char*>(v.data()), qsizetype(v.size() * 4));
    return b;
}

// Independent .npy reader (float32, version 1.0 only): shape and values.
bool readNpyF32(const QByteArray& b, QList<qint64>* shape, std::vector<float>* v) {
    if (b.size() < 10 || !b.startsWith("\x93NUMPY")) return false;
    int hlen = uchar(b[8]) | (uchar(b[9]) << 8);
    QString h = QString::fromLatin1(b.mid(10, hlen));
    if (!h.contains("'descr': '<f4'") || !h.contains("'fortran_order': False")) return false;
    auto m = QRegularExpression(R"('shape': \(([^)]*)\))").match(h);
    if (!m.hasMatch()) return false;
    shape->clear();
    qint64 n = 1;
    for (const QString& d : m.captured(1).split(',', Qt::SkipEmptyParts)) {
        shape->append(d.trimmed().toLongLong());
        n *= shape->back();
    }
    if (b.size() - 10 - hlen != n * 4) return false;
    v->resize(size_t(n));
    std::memcpy(v->data(), b.constData() + 10 + hlen, size_t(n) * 4);
    return true;
}

// safetensors written by hand: F32 tensors in the given order.
QByteArray safetensorsF32(const QList<QPair<QString, QPair<QList<qint64>, std::vector<float>>>>& tensors) {
    QJsonObject header;
    QByteArray data;
    for (auto& [name, t] : tensors) {
        QJsonArray shape;
        for (qint64 d : t.first) shape.append(d);
        qint64 begin = data.size();
        data.append(reinterpret_cast<const char*>(t.second.data()), qsizetype(t.second.size() * 4));
        header[name] = QJsonObject{{"dtype", "F32"}, {"shape", shape}, {"data_offsets", QJsonArray{begin, qint64(data.size())}}};
    }
    QByteArray h = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QByteArray b;
    appendLe(&b, uint64_t(h.size()), 8);
    return b + h + data;
}

// One linear layer, N rows of 4 features -> 3; graph output "y".
const char* kLinearDesign = R"({
  "format": "archscope.design", "version": 1,
  "symbols": [{"name": "N", "value": 5}],
  "nodes": [
    {"id": "x", "op": "input", "attrs": {"shape": "N, 4"}},
    {"id": "fc", "op": "linear", "attrs": {"out_features": 3}},
    {"id": "y", "op": "output"}
  ],
  "edges": [{"from": "x:y", "to": "fc:x"}, {"from": "fc:y", "to": "y:x"}]
}
)";

QJsonObject nodeById(const QJsonArray& nodes, const QString& id) {
    for (auto v : nodes)
        if (v.toObject()["id"].toString() == id) return v.toObject();
    return {};
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString tmp(const QString& name) const { return m_tmp.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(qEnvironmentVariable("ARCHSCOPE_BIN")), "ARCHSCOPE_BIN does not name the archscope binary");
        QVERIFY(m_tmp.isValid());
    }

    void helpForEveryCommand() {
        Result top = archscope({"--help"});
        QVERIFY2(top.finished && top.code == 0, qPrintable(describe(top)));
        // Commands listed by --help: two-space indent, name, spaces, summary.
        QStringList listed;
        bool inList = false;
        for (const QString& line : top.out.split('\n')) {
            if (line.startsWith("commands:")) { inList = true; continue; }
            auto m = QRegularExpression(R"(^  ([a-z][a-z0-9_-]*)\s)").match(line);
            if (inList && m.hasMatch()) listed << m.captured(1);
        }
        for (const char* c : {"ops", "validate", "info", "run"}) QVERIFY2(listed.contains(c), qPrintable(top.out));
        for (const QString& c : listed) {
            Result r = archscope({c, "--help"});
            QVERIFY2(r.finished && !r.crashed && r.code == 0, qPrintable(c + ": " + describe(r)));
            QVERIFY2(r.out.startsWith("usage: archscope " + c), qPrintable(c + ": " + r.out));
        }
    }

    void opsJsonListsLinear() {
        Result r = archscope({"ops", "--json"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QJsonParseError pe;
        QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError && doc.isArray(), qPrintable(pe.errorString()));
        QJsonObject lin = nodeById(doc.array(), "linear");
        QVERIFY(!lin.isEmpty());
        QCOMPARE(lin["inputs"].toArray()[0].toObject()["name"].toString(), QString("x"));
        QCOMPARE(lin["outputs"].toArray()[0].toObject()["name"].toString(), QString("y"));
        QMap<QString, QJsonObject> attrs;
        for (auto a : lin["attrs"].toArray()) attrs[a.toObject()["name"].toString()] = a.toObject();
        QVERIFY(attrs.contains("out_features") && attrs.contains("bias") && attrs.contains("rank"));
        QCOMPARE(attrs["out_features"]["type"].toString(), QString("int"));
        QCOMPARE(attrs["out_features"]["required"].toBool(), true);
        QCOMPARE(attrs["bias"]["type"].toString(), QString("bool"));
        QCOMPARE(attrs["bias"]["default"].toBool(), true);
        for (const char* op : {"input", "output", "add", "relu"}) QVERIFY2(!nodeById(doc.array(), op).isEmpty(), op);

        Result one = archscope({"ops", "linear"});
        QVERIFY2(one.code == 0 && one.out.contains("out_features"), qPrintable(describe(one)));
        Result bad = archscope({"ops", "linaer"});
        QVERIFY2(bad.code == 2 && bad.err.contains("unknown op \"linaer\""), qPrintable(describe(bad)));
    }

    void validateSample() {
        Result r = archscope({"validate", sample()});
        QVERIFY2(r.code == 0 && r.out.contains("valid (6 nodes, 6 edges)"), qPrintable(describe(r)));
        QVERIFY(r.err.isEmpty());
        Result j = archscope({"validate", sample(), "--json"});
        QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
        QVERIFY2(j.code == 0 && o["valid"].toBool() && o["errors"].toArray().isEmpty(), qPrintable(describe(j)));
    }

    // Every file of the malformed corpus: exit 2, the expected message on stderr, no crash.
    void validateMalformedCorpus() {
        const QString dir = qEnvironmentVariable("ARCHSCOPE_TEST_DATA") + "/malformed/";
        QJsonObject exp = QJsonDocument::fromJson(readBytes(dir + "expected.json")).object();
        QVERIFY(exp.size() >= 35);
        for (auto it = exp.begin(); it != exp.end(); ++it) {
            Result r = archscope({"validate", dir + it.key()});
            QVERIFY2(r.finished && !r.crashed, qPrintable(it.key() + ": " + describe(r)));
            QVERIFY2(r.code == 2, qPrintable(it.key() + ": " + describe(r)));
            QVERIFY2(r.err.contains(it.value().toString()), qPrintable(it.key() + ": " + describe(r)));
            QVERIFY2(r.err.contains(it.key()), qPrintable(it.key() + ": message does not name the file: " + r.err));
        }
        Result j = archscope({"validate", dir + "shape_mismatch.json", "--json"});
        QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
        QVERIFY2(j.code == 2 && !o["valid"].toBool(), qPrintable(describe(j)));
        QCOMPARE(o["errors"].toArray()[0].toObject()["node"].toString(), QString("attn1"));
    }

    void infoTotalsMatchClosedForm() {
        Result r = archscope({"info", sample(), "--json"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        // mlp.json: 64 -> 256 -> 64 with biases; B=2, T=16.
        const qint64 params = (64 * 256 + 256) + (256 * 64 + 64);
        QCOMPARE(o["totals"].toObject()["params"].toInteger(), params);
        qint64 sum = 0;
        for (auto n : o["nodes"].toArray()) sum += n.toObject()["params"].toInteger();
        QCOMPARE(sum, params);
        QJsonObject fc1 = nodeById(o["nodes"].toArray(), "fc1");
        QCOMPARE(fc1["outputs"].toArray()[0].toObject()["dims"].toArray(), (QJsonArray{2, 16, 256}));
        QCOMPARE(fc1["outputs"].toArray()[0].toObject()["shape"].toString(), QString("[B, T, 256]"));
        // Multiply-adds of x W^T count 2 FLOPs each, plus one add per output for the bias.
        QCOMPARE(fc1["flops"].toInteger(), qint64(2 * (2 * 16) * 64 * 256 + (2 * 16) * 256));
        QCOMPARE(o["bindings"].toObject()["T"].toInteger(), qint64(16));

        Result s = archscope({"info", sample(), "--json", "--set", "T=100"});
        QJsonObject os = QJsonDocument::fromJson(s.out.toUtf8()).object();
        QCOMPARE(nodeById(os["nodes"].toArray(), "y")["outputs"].toArray().size(), 0);
        QCOMPARE(nodeById(os["nodes"].toArray(), "fc2")["outputs"].toArray()[0].toObject()["dims"].toArray(), (QJsonArray{2, 100, 64}));
        QCOMPARE(os["totals"].toObject()["params"].toInteger(), params);  // sizes do not change parameters

        Result bad = archscope({"info", sample(), "--set", "Q=4"});
        QVERIFY2(bad.code == 2 && bad.err.contains("unknown size \"Q\""), qPrintable(describe(bad)));
        Result zero = archscope({"info", sample(), "--set", "T=0"});
        QVERIFY2(zero.code == 2 && zero.err.contains("T"), qPrintable(describe(zero)));
    }

    // y = x W^T + b with weights from a safetensors file, checked against plain loops.
    void runLinearWithWeightsAndInput() {
        const int N = 5, IN = 4, OUT = 3;
        std::vector<float> x(N * IN), w(OUT * IN), b(OUT);
        for (int i = 0; i < N * IN; ++i) x[size_t(i)] = float(i % 7) * 0.5f - 1.25f;
        for (int i = 0; i < OUT * IN; ++i) w[size_t(i)] = float((i * 5) % 11) * 0.1f - 0.5f;
        for (int i = 0; i < OUT; ++i) b[size_t(i)] = 0.25f * float(i + 1);
        QVERIFY(writeBytes(tmp("linear.json"), kLinearDesign));
        QVERIFY(writeBytes(tmp("x.npy"), npyF32({N, IN}, x)));
        QVERIFY(writeBytes(tmp("w.safetensors"), safetensorsF32({{"fc.weight", {{OUT, IN}, w}}, {"fc.bias", {{OUT}, b}}})));

        Result r = archscope({"run", tmp("linear.json"), "--input", "x=" + tmp("x.npy"), "--weights", tmp("w.safetensors"),
                              "--output", tmp("y.npy"), "--output-dir", tmp("outdir")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QList<qint64> shape;
        std::vector<float> y;
        QVERIFY(readNpyF32(readBytes(tmp("y.npy")), &shape, &y));
        QCOMPARE(shape, (QList<qint64>{N, OUT}));
        for (int i = 0; i < N; ++i)
            for (int o = 0; o < OUT; ++o) {
                double ref = b[size_t(o)];
                for (int k = 0; k < IN; ++k) ref += double(x[size_t(i * IN + k)]) * double(w[size_t(o * IN + k)]);
                QVERIFY2(std::abs(double(y[size_t(i * OUT + o)]) - ref) < 1e-5, qPrintable(QString("y[%1][%2]").arg(i).arg(o)));
            }
        // An input file whose shape does not match the bound sizes is bad input (exit 2), naming both shapes.
        QVERIFY(writeBytes(tmp("x6.npy"), npyF32({6, IN}, std::vector<float>(6 * IN, 1.0f))));
        Result mis = archscope({"run", tmp("linear.json"), "--input", "x=" + tmp("x6.npy")});
        QVERIFY2(mis.code == 2 && mis.err.contains("[N, 4]") && mis.err.contains("[6, 4]") && mis.err.contains("--set"), qPrintable(describe(mis)));
        // --output-dir writes one NAME.npy per output node, same bytes.
        QCOMPARE(readBytes(tmp("outdir/y.npy")), readBytes(tmp("y.npy")));

        Result j = archscope({"run", tmp("linear.json"), "--input", "x=" + tmp("x.npy"), "--json"});
        QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
        QVERIFY2(j.code == 0, qPrintable(describe(j)));
        QCOMPARE(o["outputs"].toObject()["y"].toObject()["shape"].toArray(), (QJsonArray{N, OUT}));
        QCOMPARE(o["backend"].toString(), QString("cpu"));
    }

    void runRejectsBadWeightsAndInputs() {
        QVERIFY(writeBytes(tmp("linear.json"), kLinearDesign));
        // Weight of the wrong shape: exit 2 naming "fc.weight" and both shapes.
        QVERIFY(writeBytes(tmp("wbad.safetensors"), safetensorsF32({{"fc.weight", {{2, 4}, std::vector<float>(8, 1.0f)}}})));
        Result r = archscope({"run", tmp("linear.json"), "--weights", tmp("wbad.safetensors")});
        QVERIFY2(r.code == 2 && r.err.contains("\"fc.weight\"") && r.err.contains("[3, 4]") && r.err.contains("[2, 4]"), qPrintable(describe(r)));
        // Truncated weights file: exit 2 naming the file.
        QByteArray good = safetensorsF32({{"fc.weight", {{3, 4}, std::vector<float>(12, 1.0f)}}});
        QVERIFY(writeBytes(tmp("wtrunc.safetensors"), good.left(good.size() - 5)));
        r = archscope({"run", tmp("linear.json"), "--weights", tmp("wtrunc.safetensors")});
        QVERIFY2(r.code == 2 && r.err.contains("wtrunc.safetensors"), qPrintable(describe(r)));
        // --input naming a node that is not an input.
        QVERIFY(writeBytes(tmp("x.npy"), npyF32({5, 4}, std::vector<float>(20, 0.0f))));
        r = archscope({"run", tmp("linear.json"), "--input", "fc=" + tmp("x.npy")});
        QVERIFY2(r.code == 2 && r.err.contains("no input node \"fc\""), qPrintable(describe(r)));
        // Input file that is not .npy: exit 2 naming the file.
        QVERIFY(writeBytes(tmp("notnpy.npy"), "hello"));
        r = archscope({"run", tmp("linear.json"), "--input", "x=" + tmp("notnpy.npy")});
        QVERIFY2(r.code == 2 && r.err.contains("notnpy.npy"), qPrintable(describe(r)));
        // Input of the wrong shape: refused with both shapes, no crash.
        QVERIFY(writeBytes(tmp("x_wrong.npy"), npyF32({5, 7}, std::vector<float>(35, 0.0f))));
        r = archscope({"run", tmp("linear.json"), "--input", "x=" + tmp("x_wrong.npy"), "--output", tmp("never.npy")});
        QVERIFY2(r.finished && !r.crashed && r.code != 0 && r.err.contains("input \"x\"") && r.err.contains("[5, 7]"), qPrintable(describe(r)));
        QVERIFY(!QFile::exists(tmp("never.npy")));
    }

    void runSetChangesOutputShape() {
        Result r = archscope({"run", sample(), "--set", "T=5", "--set", "B=3", "--output", tmp("t5.npy")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QList<qint64> shape;
        std::vector<float> y;
        QVERIFY(readNpyF32(readBytes(tmp("t5.npy")), &shape, &y));
        QCOMPARE(shape, (QList<qint64>{3, 5, 64}));
        r = archscope({"run", sample(), "--set", "T=9", "--output", tmp("t9.npy")});
        QVERIFY(readNpyF32(readBytes(tmp("t9.npy")), &shape, &y));
        QCOMPARE(shape, (QList<qint64>{2, 9, 64}));
    }

    // Generated inputs and weights depend only on the seed.
    void runSeedIsDeterministic() {
        auto runSeed = [&](const QString& seed, const QString& out) {
            Result r = archscope({"run", sample(), "--seed", seed, "--output", tmp(out)});
            return r.code == 0 ? readBytes(tmp(out)) : QByteArray();
        };
        QByteArray a = runSeed("7", "s7a.npy"), b = runSeed("7", "s7b.npy"), c = runSeed("8", "s8.npy");
        QVERIFY(!a.isEmpty() && !c.isEmpty());
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QList<qint64> shape;
        std::vector<float> y;
        QVERIFY(readNpyF32(a, &shape, &y));
        bool finite = true;
        for (float v : y) finite &= std::isfinite(v);
        QVERIFY(finite);
        Result bad = archscope({"run", sample(), "--seed", "minus-one"});
        QVERIFY2(bad.code == 2 && bad.err.contains("--seed"), qPrintable(describe(bad)));
    }

    void runOutputNeedsSingleOutput() {
        QByteArray two = QByteArray(kLinearDesign)
                             .replace(R"({"id": "y", "op": "output"})", R"({"id": "y", "op": "output"}, {"id": "y2", "op": "output"})")
                             .replace(R"({"from": "fc:y", "to": "y:x"})", R"({"from": "fc:y", "to": "y:x"}, {"from": "x:y", "to": "y2:x"})");
        QVERIFY(writeBytes(tmp("two.json"), two));
        Result r = archscope({"run", tmp("two.json"), "--output", tmp("one.npy")});
        QVERIFY2(r.code == 2 && r.err.contains("--output-dir"), qPrintable(describe(r)));
        r = archscope({"run", tmp("two.json"), "--output-dir", tmp("two_out")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QList<qint64> shape;
        std::vector<float> y;
        QVERIFY(readNpyF32(readBytes(tmp("two_out/y.npy")), &shape, &y));
        QCOMPARE(shape, (QList<qint64>{5, 3}));
        QVERIFY(readNpyF32(readBytes(tmp("two_out/y2.npy")), &shape, &y));
        QCOMPARE(shape, (QList<qint64>{5, 4}));
    }

    void unknownOptionsAndMissingFiles() {
        for (const QString& cmd : {"validate", "info", "run"}) {
            Result r = archscope({cmd, sample(), "--frobnicate"});
            QVERIFY2(r.code == 2 && r.err.contains("unknown option --frobnicate"), qPrintable(cmd + ": " + describe(r)));
            const QString missing = tmp("does_not_exist.json");
            r = archscope({cmd, missing});
            QVERIFY2(r.code == 2 && r.err.contains(missing) && r.err.contains("cannot open"), qPrintable(cmd + ": " + describe(r)));
            r = archscope({cmd});
            QVERIFY2(r.code == 2 && r.err.contains("expected one FILE"), qPrintable(cmd + ": " + describe(r)));
        }
        Result r = archscope({"ops", "--frobnicate"});
        QVERIFY2(r.code == 2 && r.err.contains("unknown option"), qPrintable(describe(r)));
        r = archscope({"run", sample(), "--backend", "tpu"});
        QVERIFY2(r.code == 2 && r.err.contains("tpu"), qPrintable(describe(r)));
        r = archscope({"run", sample(), "--set"});
        QVERIFY2(r.code == 2 && r.err.contains("--set needs a value"), qPrintable(describe(r)));
        r = archscope({"info", sample(), "--set", "T=abc"});
        QVERIFY2(r.code == 2 && r.err.contains("positive integer"), qPrintable(describe(r)));
    }

    // `archscope export` never overwrites the design it exports: not the design file, and
    // not its weights file. A PyTorch export beside the design (m.py next to m.json whose
    // weights are m.safetensors) puts the state dict in m.torch.safetensors; the design's
    // weights and outputs stay as they were.
    void exportKeepsTheDesignAndItsWeights() {
        QDir().mkpath(tmp("keep"));
        const QString design = tmp("keep/m.json"), weights = tmp("keep/m.safetensors");
        QByteArray text = readBytes(sample());
        QVERIFY(text.contains("\"weights\": {\"file\": \"\", \"seed\": 0}"));
        text.replace("\"weights\": {\"file\": \"\", \"seed\": 0}", "\"weights\": {\"file\": \"m.safetensors\", \"seed\": 0}");
        QVERIFY(writeBytes(design, text));
        Result init = archscope({"export", sample(), "--format", "safetensors", "--seed", "7", "-o", weights});
        QVERIFY2(init.code == 0, qPrintable(describe(init)));
        const QByteArray designBytes = readBytes(design), weightBytes = readBytes(weights);
        QVERIFY(weightBytes.size() > 1000);
        Result before = archscope({"run", design, "--seed", "3", "--output", tmp("keep/before.npy")});
        QVERIFY2(before.code == 0, qPrintable(describe(before)));

        Result py = archscope({"export", design, "--format", "pytorch", "-o", tmp("keep/m.py")});
        QVERIFY2(py.code == 0 && py.out.contains("m.torch.safetensors"), qPrintable(describe(py)));
        QVERIFY2(py.err.contains("warning") && py.err.contains("own weights file"), qPrintable(describe(py)));
        QVERIFY(readBytes(tmp("keep/m.py")).contains("m.torch.safetensors"));
        QVERIFY(QFile::exists(tmp("keep/m.torch.safetensors")));
        QCOMPARE(readBytes(weights), weightBytes);

        Result self = archscope({"export", design, "--format", "onnx", "-o", design});
        QVERIFY2(self.code == 2 && self.err.contains("is the design file itself") && self.err.contains("fix:"), qPrintable(describe(self)));
        Result overW = archscope({"export", design, "--format", "svg", "-o", weights});
        QVERIFY2(overW.code == 2 && overW.err.contains("weights file"), qPrintable(describe(overW)));
        QCOMPARE(readBytes(design), designBytes);
        QCOMPARE(readBytes(weights), weightBytes);

        // Elsewhere, the state dict is named after the .py file as usual.
        QDir().mkpath(tmp("keep/out"));
        Result other = archscope({"export", design, "--format", "pytorch", "-o", tmp("keep/out/m")});
        QVERIFY2(other.code == 0 && QFile::exists(tmp("keep/out/m.py")) && QFile::exists(tmp("keep/out/m.safetensors")), qPrintable(describe(other)));
        QVERIFY(!other.err.contains("warning"));

        Result after = archscope({"run", design, "--seed", "3", "--output", tmp("keep/after.npy")});
        QVERIFY2(after.code == 0, qPrintable(describe(after)));
        QVERIFY(readBytes(tmp("keep/before.npy")).size() > 1000);
        QCOMPARE(readBytes(tmp("keep/after.npy")), readBytes(tmp("keep/before.npy")));  // same weights, same outputs
    }

    void unknownCommand() {
        // A first argument that is no command, no file and has no extension is
        // a misspelt command: exit 2 with a suggestion, never the GUI.
        Result r = archscope({"frobnicate"}, 15000);
        QVERIFY2(r.finished && !r.crashed && r.code == 2 && r.err.contains("unknown command \"frobnicate\""), qPrintable(describe(r)));
        r = archscope({"valdate"}, 15000);
        QVERIFY2(r.finished && r.code == 2 && r.err.contains("did you mean \"validate\""), qPrintable(describe(r)));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
