// `archscope render FILE --view graph -o out.png`: renders the editor's graph
// view headlessly. Checks the picture against the layout computed here from
// the design file (node boxes, header colours by category, an edge, the
// canvas) and the exit codes for bad input.
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestGraphRender : public QObject {
    Q_OBJECT

    QString bin() const { return qEnvironmentVariable("ARCHSCOPE_BIN"); }
    QString sample() const { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"; }
    int run(const QStringList& args, QString* err = nullptr) {
        QProcess p;
        p.start(bin(), args);
        if (!p.waitForFinished(120000)) return -1;
        if (err) *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    static bool near(QColor a, QColor b, int tol) {
        return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol && std::abs(a.blue() - b.blue()) <= tol;
    }

private slots:
    void rendersSampleWithNodesEdgesAndColours() {
        QString dir = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(dir);
        const QString out = dir + "/mlp-graph.png";
        QFile::remove(out);
        const int W = 1600, H = 600;
        QString err;
        QCOMPARE(run({"render", sample(), "--view", "graph", "-o", out, "--width", QString::number(W), "--height",
                      QString::number(H)}, &err), 0);
        QImage img(out);
        QVERIFY2(!img.isNull(), qPrintable(err));
        QCOMPARE(img.size(), QSize(W, H));

        // Layout from the design file: node width 200, height 42 + 22 * ports + 24; fit with 60 px margins.
        QFile f(sample());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonArray nodes = QJsonDocument::fromJson(f.readAll()).object()["nodes"].toArray();
        auto height = [](const QString& op) { return 42 + 22 * (op == "add" ? 2 : 1) + 24; };
        QRectF bounds;
        for (auto n : nodes) {
            auto pos = n.toObject()["pos"].toArray();
            bounds |= QRectF(pos[0].toDouble(), pos[1].toDouble(), 200, height(n.toObject()["op"].toString()));
        }
        double z = std::min(1.25, std::min((W - 120) / bounds.width(), (H - 120) / bounds.height()));
        double px = (W - bounds.width() * z) / 2 - bounds.x() * z, py = (H - bounds.height() * z) / 2 - bounds.y() * z;
        auto at = [&](double wx, double wy) { return img.pixelColor(int(wx * z + px), int(wy * z + py)); };

        const QColor body("#2b2f38"), canvas("#1b1e24");
        QMap<QString, QColor> header;
        for (auto n : nodes) {
            QJsonObject o = n.toObject();
            double x = o["pos"].toArray()[0].toDouble(), y = o["pos"].toArray()[1].toDouble();
            QColor b = at(x + 100, y + height(o["op"].toString()) - 4);
            QVERIFY2(near(b, body, 10), qPrintable(o["id"].toString() + " body " + b.name()));
            QColor h = at(x + 190, y + 30);
            int sat = std::max({h.red(), h.green(), h.blue()}) - std::min({h.red(), h.green(), h.blue()});
            QVERIFY2(sat > 25 && !near(h, body, 10), qPrintable(o["id"].toString() + " header " + h.name()));
            header[o["op"].toString()] = h;
        }
        // Categories differ: Graph (input), Core (linear), Activation (relu).
        QVERIFY(!near(header["input"], header["linear"], 8));
        QVERIFY(!near(header["linear"], header["relu"], 8));
        QVERIFY(near(at(650, -60), canvas, 16));           // empty canvas above the nodes
        QColor edge = at(430, 53);                          // the fc1 -> act edge between the boxes
        QVERIFY2(edge.red() > 0x50 && edge.blue() > 0x60, qPrintable(edge.name()));
    }

    void badInputExitsWithTwo() {
        QTemporaryDir tmp;
        QString err;
        QCOMPARE(run({"render", tmp.filePath("missing.json"), "--view", "graph", "-o", tmp.filePath("a.png")}, &err), 2);
        QVERIFY2(err.contains("missing.json"), qPrintable(err));
        QCOMPARE(run({"render", sample(), "--view", "table", "-o", tmp.filePath("a.png")}, &err), 2);
        QVERIFY(err.contains("unknown view"));
        QCOMPARE(run({"render", sample(), "--view", "graph"}, &err), 2);
        QVERIFY(err.contains("-o"));
        QCOMPARE(run({"render", sample(), "-o", tmp.filePath("a.png"), "--width", "abc"}, &err), 2);
        QVERIFY(!QFile::exists(tmp.filePath("a.png")));
    }
};

QTEST_MAIN(TestGraphRender)
#include "test_graph_render.moc"
