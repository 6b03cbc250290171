// Malformed design files: every file in tests/data/malformed/ has exactly one
// problem, and tests/data/malformed/expected.json names the message it must
// produce. Each is loaded and analysed the way `archscope validate` does; the
// message must contain the expected text and nothing may crash.
#include "graph/analysis.h"
#include "graph/design_io.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace archscope;

namespace {

QString dataDir() { return qEnvironmentVariable("ARCHSCOPE_TEST_DATA"); }

QJsonObject expectations() {
    QFile f(dataDir() + "/malformed/expected.json");
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// What `archscope validate` reports: the load error, or one line per diagnostic.
struct Outcome {
    bool loaded = false;
    bool valid = false;
    std::string text;
};

Outcome validate(const std::string& path) {
    Outcome o;
    Graph g;
    LoadResult r = loadDesign(path, &g);
    if (!r.ok) { o.text = r.error; return o; }
    o.loaded = true;
    Analysis a = analyze(g, {});
    o.valid = a.ok();
    o.text = a.errorText();
    return o;
}

Outcome validateText(const std::string& text) {
    Outcome o;
    Graph g;
    LoadResult r = parseDesign(text, "mem.json", &g);
    if (!r.ok) { o.text = r.error; return o; }
    o.loaded = true;
    Analysis a = analyze(g, {});
    o.valid = a.ok();
    o.text = a.errorText();
    return o;
}

std::string nest(const std::string& open, const std::string& core, const std::string& close, int depth) {
    std::string s;
    s.reserve((open.size() + close.size()) * size_t(depth) + core.size());
    for (int i = 0; i < depth; ++i) s += open;
    s += core;
    for (int i = 0; i < depth; ++i) s += close;
    return s;
}

}  // namespace

class TestMalformed : public QObject {
    Q_OBJECT
private slots:
    // The undamaged design the corpus was derived from is valid, so each
    // malformed file fails only because of its one change.
    void referenceDesignIsValid() {
        Outcome o = validate((dataDir() + "/valid/tiny.json").toStdString());
        QVERIFY2(o.loaded && o.valid, o.text.c_str());
    }

    void corpusIsComplete() {
        QJsonObject exp = expectations();
        QVERIFY2(!exp.isEmpty(), "tests/data/malformed/expected.json is missing or empty");
        QStringList files = QDir(dataDir() + "/malformed").entryList(QDir::Files, QDir::Name);
        files.removeAll("expected.json");
        QVERIFY2(files.size() >= 35, qPrintable(QString("only %1 malformed files").arg(files.size())));
        for (const QString& f : files) QVERIFY2(exp.contains(f), qPrintable(f + " has no entry in expected.json"));
        for (const QString& k : exp.keys()) QVERIFY2(files.contains(k), qPrintable("expected.json names missing file " + k));
    }

    void malformed_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QJsonObject exp = expectations();
        if (exp.isEmpty()) QTest::newRow("expected.json") << "expected.json" << "";  // fails below
        for (auto it = exp.begin(); it != exp.end(); ++it)
            QTest::newRow(qPrintable(it.key())) << it.key() << it.value().toString();
    }

    void malformed() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QVERIFY(!expected.isEmpty());
        const std::string path = (dataDir() + "/malformed/" + file).toStdString();
        Outcome o = validate(path);
        QVERIFY2(!o.valid, qPrintable(file + " was accepted"));
        const QString text = QString::fromStdString(o.text);
        QVERIFY2(text.contains(expected), qPrintable("expected \"" + expected + "\" in:\n" + text));
        // Load errors carry the file name (the CLI adds it to analysis errors).
        if (!o.loaded) QVERIFY2(text.startsWith(QString::fromStdString(path) + ":"), qPrintable(text));
    }

    // Nesting far deeper than any real file must be refused, not overflow the stack.
    void deepNestingInMemory() {
        const int depth = 1000000;
        const std::string head = R"({"format": "archscope.design", "version": 1, )";
        struct Case { std::string text, expected; };
        const std::vector<Case> cases = {
            {head + R"("nodes": )" + nest("[", "", "]", depth) + "}", "nodes[0]: must be an object"},
            {head + R"("nodes": [], "groups": [{"id": "g", "nodes": )" + nest("[", "", "]", depth) + "}]}",
             "groups[0].nodes: must hold node ids (strings), got array"},
            {head + R"("nodes": [{"id": "a", "op": "relu", "attrs": {"k": )" + nest("[", "1", "]", depth) + "}}]}",
             "nodes[0].attrs.k: lists may only hold integers"},
            {head + R"("metadata": {"m": )" + nest(R"({"a":)", "1", "}", depth) + R"(}, "nodes": []})", "metadata.m: must be a string"},
            {head + R"("nodes": )" + nest("[", "", "", depth), "mem.json:1:"},  // unterminated
        };
        for (auto& c : cases) {
            Outcome o = validateText(c.text);
            QVERIFY(!o.loaded);
            QVERIFY2(o.text.find(c.expected) != std::string::npos, o.text.substr(0, 300).c_str());
            QVERIFY(o.text.size() < 2000);  // the garbage itself is not echoed back
        }
    }

    void missingFileNamesThePath() {
        Outcome o = validate("/nonexistent/dir/design.json");
        QVERIFY(!o.loaded);
        QVERIFY2(o.text.find("/nonexistent/dir/design.json: cannot open") == 0, o.text.c_str());
        o = validate(dataDir().toStdString());
        QVERIFY2(o.text.find("is a directory") != std::string::npos, o.text.c_str());
    }
};

QTEST_GUILESS_MAIN(TestMalformed)
#include "test_malformed.moc"
