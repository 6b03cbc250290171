// `archscope export FILE --format svg|png` (engine/interop/diagram*.cpp), run as
// a child process: the SVG parses as XML and has one box per top-level node with
// its title, shapes on the edges and a legend; the PNG has the signature, an
// IHDR of the diagram's size, decodes (zlib) to the right number of bytes, and
// is not blank. Bad options exit 2.
#include "graph/design_io.h"
#include "interop/diagram.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include "cli_process.h"

#include <QtTest>

#include <cmath>

using namespace archscope;

namespace {

using Result = test::CliResult;

Result runCli(const QStringList& args) { return test::runArchscope(QStringList{"--no-plugins"} + args); }

QString describe(const Result& r) { return QString("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out.left(1500), r.err.left(1500)); }
QString source(const QString& rel) { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/" + rel; }

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

uint32_t be32(const QByteArray& b, int at) {
    return uint32_t(uint8_t(b[at])) << 24 | uint32_t(uint8_t(b[at + 1])) << 16 | uint32_t(uint8_t(b[at + 2])) << 8 | uint8_t(b[at + 3]);
}

}  // namespace

class TestExportDiagram : public QObject {
    Q_OBJECT
private slots:
    void svgNamesEveryNode_data() {
        QTest::addColumn<QString>("design");
        QTest::newRow("mlp") << "resources/samples/mlp.json";
        QTest::newRow("gpt template") << "resources/templates/gpt.json";
    }
    void svgNamesEveryNode() {
        QFETCH(QString, design);
        QTemporaryDir tmp;
        const QString out = tmp.filePath("d.svg");
        Result r = runCli({"export", source(design), "--format", "svg", "-o", out});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        Graph g;
        QVERIFY(loadDesign(source(design).toStdString(), &g).ok);

        QXmlStreamReader xml(readAll(out));
        QSet<QString> boxes, texts;
        int shapes = 0, edges = 0;
        bool svgRoot = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == u"svg") svgRoot = true;
            const QString cls = xml.attributes().value("class").toString();
            if (xml.name() == u"g" && cls == "node") boxes.insert(xml.attributes().value("id").toString());
            if (xml.name() == u"path" && cls == "edge") ++edges;
            if (xml.name() == u"text") {
                const QString t = xml.readElementText();
                texts.insert(t);
                if (cls == "shape" && t.startsWith('[')) ++shapes;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(svgRoot);
        for (auto& n : g.nodes()) {
            QVERIFY2(boxes.contains("node-" + QString::fromStdString(n.id)), n.id.c_str());
            QVERIFY2(texts.contains(QString::fromStdString(n.label.empty() ? n.id : n.label)), n.id.c_str());
        }
        QCOMPARE(boxes.size(), int(g.nodes().size()));
        QCOMPARE(edges, int(g.edges().size()));
        QCOMPARE(shapes, edges);  // every edge of a valid design carries its shape
    }

    void pngHasTheDiagramSize() {
        QTemporaryDir tmp;
        const QString design = source("resources/samples/mlp.json");
        for (int scale : {1, 2}) {
            const QString out = tmp.filePath(QString("d%1.png").arg(scale));
            Result r = runCli({"export", design, "--format", "png", "--scale", QString::number(scale), "-o", out});
            QVERIFY2(r.code == 0, qPrintable(describe(r)));
            const QByteArray png = readAll(out);
            QVERIFY(png.size() > 33);
            QCOMPARE(png.left(8), QByteArray("\x89PNG\r\n\x1a\n", 8));
            QCOMPARE(png.mid(12, 4), QByteArray("IHDR"));
            Graph g;
            QVERIFY(loadDesign(design.toStdString(), &g).ok);
            Diagram d = layoutDiagram(g, analyze(g, {}));
            const uint32_t w = be32(png, 16), h = be32(png, 20);
            QCOMPARE(w, uint32_t(std::ceil(d.width * scale)));
            QCOMPARE(h, uint32_t(std::ceil(d.height * scale)));
            QCOMPARE(int(png[24]), 8);  // bit depth
            QCOMPARE(int(png[25]), 2);  // RGB
            // IDAT inflates to h rows of 1 + 3w bytes, and the picture is not blank.
            const int idat = png.indexOf("IDAT");
            QVERIFY(idat > 0);
            const uint32_t len = be32(png, idat - 4);
            QByteArray z = png.mid(idat + 4, int(len));
            QByteArray withSize(4, '\0');
            const uint32_t raw = h * (1 + 3 * w);
            for (int k = 0; k < 4; ++k) withSize[k] = char(raw >> (24 - 8 * k) & 0xff);
            const QByteArray pixels = qUncompress(withSize + z);
            QCOMPARE(uint32_t(pixels.size()), raw);
            QVERIFY(pixels.count(char(0xff)) < pixels.size() - int(h) - 1000);
            QVERIFY(png.endsWith(QByteArray("IEND\xae\x42\x60\x82", 8)));
        }
    }

    // Residual edges skip rows: they must go around the boxes between, not through
    // them; each flattened curve point is checked against every box's interior.
    void edgesAvoidBoxes_data() {
        QTest::addColumn<QString>("design");
        for (const char* t : {"gpt", "moe_lm", "mamba_lm", "swin", "crossvit", "convnet"})
            QTest::newRow(t) << QString("resources/templates/%1.json").arg(t);
    }
    void edgesAvoidBoxes() {
        QFETCH(QString, design);
        Graph g;
        QVERIFY(loadDesign(source(design).toStdString(), &g).ok);
        Diagram d = layoutDiagram(g, analyze(g, {}));
        int routed = 0;
        for (auto& e : d.edges) {
            QVERIFY(e.path.size() >= 8 && (e.path.size() - 2) % 6 == 0);
            QCOMPARE(e.path[0], e.x1);
            QCOMPARE(e.path[e.path.size() - 1], e.y2);
            if (e.path.size() > 8) ++routed;
            double px = e.path[0], py = e.path[1];
            for (size_t i = 2; i + 6 <= e.path.size(); i += 6) {
                const double x0 = px, y0 = py;
                for (int k = 1; k <= 32; ++k) {
                    const double t = k / 32.0, u = 1 - t;
                    px = u * u * u * x0 + 3 * u * u * t * e.path[i] + 3 * u * t * t * e.path[i + 2] + t * t * t * e.path[i + 4];
                    py = u * u * u * y0 + 3 * u * u * t * e.path[i + 1] + 3 * u * t * t * e.path[i + 3] + t * t * t * e.path[i + 5];
                    for (auto& b : d.boxes)
                        QVERIFY2(!(px > b.x + 1 && px < b.x + b.w - 1 && py > b.y + 1 && py < b.y + b.h - 1),
                                 qPrintable(QString("an edge into (%1, %2) crosses box %3 at (%4, %5)")
                                                .arg(e.x2).arg(e.y2).arg(QString::fromStdString(b.id)).arg(px).arg(py)));
                    QVERIFY(px <= d.width && py <= d.height);
                }
            }
        }
        const QString tag = QTest::currentDataTag();
        if (tag == "moe_lm" || tag == "mamba_lm") QVERIFY(routed > 0);  // top-level residuals took a lane
    }

    void badOptions() {
        QTemporaryDir tmp;
        Result scale = runCli({"export", source("resources/samples/mlp.json"), "--format", "png", "--scale", "9", "-o", tmp.filePath("x.png")});
        QVERIFY2(scale.code == 2 && scale.err.contains("--scale"), qPrintable(describe(scale)));
        Result fmt = runCli({"export", source("resources/samples/mlp.json"), "--format", "jpeg", "-o", tmp.filePath("x.jpg")});
        QVERIFY2(fmt.code == 2 && fmt.err.contains("svg or png"), qPrintable(describe(fmt)));
    }
};

QTEST_GUILESS_MAIN(TestExportDiagram)
#include "test_export_diagram.moc"
