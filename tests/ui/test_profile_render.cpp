// `archscope render --view latency|timeline|attention|sparsity|compare|sweep`
// on the known store (profile_fixture.h): one screenshot per view, checked for
// the colours that carry its data, the graph as SVG, and bad input (exit 2).
// Screenshots are kept in ARCHSCOPE_SCREENSHOT_DIR/views-<view>.png.
#include "heatmap.h"
#include "profile_fixture.h"

#include <QDir>
#include <QXmlStreamReader>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestProfileRender : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_db, m_shots;

    int run(const QStringList& args, QString* err = nullptr) {
        QProcess p;
        p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), args);
        if (!p.waitForFinished(120000)) return -1;
        if (err) *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    // Number of pixels within `tol` of `c`.
    static int count(const QImage& img, QColor c, int tol = 12) {
        int n = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) {
                QColor p = img.pixelColor(x, y);
                n += std::abs(p.red() - c.red()) <= tol && std::abs(p.green() - c.green()) <= tol && std::abs(p.blue() - c.blue()) <= tol;
            }
        return n;
    }
    QImage render(const QString& view, QStringList extra = {}) {
        const QString out = m_shots + "/views-" + view + ".png";
        QFile::remove(out);
        QString err;
        int rc = run(QStringList{"render", "--view", view, "--db", m_db, "-o", out, "--width", "1400", "--height", "700"} + extra, &err);
        if (rc != 0) qWarning() << "exit" << rc << err;
        QImage img(out);
        if (!img.isNull() && img.size() != QSize(1400, 700)) return {};
        return img;
    }

private slots:
    void initTestCase() {
        m_db = m_tmp.filePath("fixture.db");
        std::string err;
        QVERIFY2(fixture::writeStore(m_db.toStdString(), &err), err.c_str());
        m_shots = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(m_shots);
    }

    void latency() {
        QImage img = render("latency", {"--session", "1"});
        QVERIFY(!img.isNull());
        QVERIFY(count(img, QColor(archscope::ui::heatColor(1.0))) > 1000);  // fc1's band (slowest) + legend
        QVERIFY(count(img, QColor("#1f6feb"), 6) > 200);                   // MEM badges
        QVERIFY(count(img, QColor("#a371f7"), 6) > 100);                   // COMP badges
    }

    void timeline() {
        QImage img = render("timeline", {"--session", "1", "--node", "fc2"});
        QVERIFY(!img.isNull());
        QVERIFY(count(img, QColor("#a371f7"), 6) > 20000);  // fc1 + fc2 (compute) are 0.7 of 0.98 ms
        QVERIFY(count(img, QColor("#1f6feb"), 6) > 5000);
        QVERIFY(count(img, QColor("#f0b54a"), 10) > 100);  // the selected node's outline
    }

    void attention() {
        QImage img = render("attention", {"--session", "1", "--layer", "1", "--head", "2"});
        QVERIFY(!img.isNull());
        QVERIFY(count(img, QColor("#440154"), 10) > 50000);  // the map's zeros (scale bottom)
        QVERIFY(count(img, QColor("#fde725"), 20) > 2000);   // the local band (scale top)
    }

    void sparsity() {
        QImage img = render("sparsity", {"--session", "1", "--node", "fc1"});
        QVERIFY(!img.isNull());
        QVERIFY(count(img, QColor("#1f6feb"), 10) > 500);  // zero fractions
        QVERIFY(count(img, QColor("#e8a33d"), 10) > 500);  // near-zero fractions
        QVERIFY(count(img, QColor("#f85149"), 20) > 50);   // the two outlier channels
    }

    void compare() {
        QImage img = render("compare", {"--session", "1", "--compare", "2"});
        QVERIFY(!img.isNull());
        // Bands half way from grey #6e7681 to green #3fb950 (fc1: 2x faster in B) and to red #f85149 (attn: 2x slower).
        QVERIFY(count(img, QColor(87, 152, 105), 10) > 800);
        QVERIFY(count(img, QColor(179, 100, 101), 10) > 800);
        QVERIFY(count(img, QColor(110, 118, 129), 6) > 3000);  // unchanged nodes: grey
    }

    void sweep() {
        QImage img = render("sweep");
        QVERIFY(!img.isNull());
        QVERIFY(count(img, QColor("#e8a33d"), 30) > 200);  // softmax attention line
        QVERIFY(count(img, QColor("#26828e"), 30) > 200);  // linear attention line
    }

    void graphSvg() {
        const QString out = m_shots + "/views-graph.svg";
        QString err;
        QCOMPARE(run({"render", "--view", "latency", "--db", m_db, "--session", "1", "--format", "svg", "-o", out}, &err), 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QXmlStreamReader xml(text);
        QStringList ids;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QStringLiteral("g"))
                ids << xml.attributes().value("id").toString();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));  // well-formed
        QCOMPARE(ids.size(), 8);
        QVERIFY(ids.contains("node-fc1") && ids.contains("node-attn2"));
        QVERIFY(text.contains("0.4 ms"));  // fc1's label
    }

    void badInput() {
        QString err;
        const QString png = m_tmp.filePath("x.png");
        QCOMPARE(run({"render", "--view", "attention", "-o", png}, &err), 2);
        QVERIFY2(err.contains("--db"), qPrintable(err));
        QCOMPARE(run({"render", "--view", "timeline", "--db", m_tmp.filePath("none.db"), "-o", png}, &err), 2);
        QVERIFY(err.contains("none.db"));
        QCOMPARE(run({"render", "--view", "timeline", "--db", m_db, "--session", "99", "-o", png}, &err), 2);
        QVERIFY(err.contains("99"));
        QCOMPARE(run({"render", "--view", "attention", "--db", m_db, "--session", "2", "-o", png}, &err), 2);
        QVERIFY(err.contains("no attention maps"));
        QCOMPARE(run({"render", "--view", "attention", "--db", m_db, "--session", "1", "--layer", "5", "-o", png}, &err), 2);
        QCOMPARE(run({"render", "--view", "timeline", "--db", m_db, "--format", "svg", "-o", m_tmp.filePath("x.svg")}, &err), 2);
        QVERIFY(err.contains("svg"));
        QCOMPARE(run({"render", "--view", "latency", "--db", m_db, "--node", "nope", "-o", png}, &err), 2);
        QVERIFY(err.contains("nope"));
        QVERIFY(!QFile::exists(png));
    }
};

QTEST_MAIN(TestProfileRender)
#include "test_profile_render.moc"
