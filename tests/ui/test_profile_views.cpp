// The profiling views' data for a known store (profile_fixture.h): the
// ProfileModel values behind each view, the QML views instantiated offscreen
// with those values in their items (timeline bars, overlay bands, chart
// series, the heat-map image), selection linked both ways, and the run
// worker (progress, a saved session, cancel saving nothing).
#include "graph_document.h"
#include "heatmap.h"
#include "profile_fixture.h"
#include "profile_model.h"
#include "qml_types.h"
#include "run_controller.h"
#include "shown_view.h"

#include <QJSValue>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <memory>

using namespace archscope;
using namespace archscope::ui;

class TestProfileViews : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_db;

    static QVariantMap row(const QVariantList& l, const QString& key, const QVariant& v) {
        for (auto& x : l)
            if (x.toMap()[key] == v) return x.toMap();
        return {};
    }
    // The session's design in a document (as `archscope render` and the GUI hold it).
    void loadDoc(GraphDocument& doc, const ProfileModel& p) {
        QString path = m_tmp.filePath("design.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(p.designJson().toUtf8());
        f.close();
        QVERIFY2(doc.load(path), qPrintable(doc.message()));
    }
    using Shown = test::Shown;
    // Instantiates qrc:/Archscope/Profiling/<name>.qml in an offscreen window and lets it render.
    Shown show(const QString& name, ProfileModel* p, GraphDocument* doc, QVariantMap extra = {}) {
        return test::showView(name, p, doc, {1400, 700}, extra);
    }
    // The visual descendant named `name` (Repeater delegates have no QObject parent to search).
    static QQuickItem* item(QQuickItem* root, const QString& name) {
        if (!root) return nullptr;
        if (root->objectName() == name) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = item(c, name)) return f;
        return nullptr;
    }
    // A chart's series whose class name contains `part` ("BarSet" lists the
    // bar sets of its bar series), read through the chart's QML API: QtCharts
    // re-parents series away from the ChartView.
    static QList<QObject*> ofClass(Shown& s, QObject* chart, const char* part) {
        QList<QObject*> out;
        QJSValue js = s.engine->newQObject(chart);
        for (int i = 0; i < chart->property("count").toInt(); ++i) {
            QJSValue series = js.property("series").callWithInstance(js, {i});
            QObject* o = series.toQObject();
            if (QString(o->metaObject()->className()).contains(part)) out << o;
            if (QString(part) == "BarSet")
                for (int k = 0; k < o->property("count").toInt(); ++k)
                    out << series.property("at").callWithInstance(series, {k}).toQObject();
        }
        return out;
    }

    // The Theme singleton of a view's engine.
    static QObject* themeOf(Shown& s) {
        QQmlComponent c(s.engine.get());
        c.setData("import QtQuick\nimport Archscope.Controls\nQtObject { property QtObject theme: Theme }", QUrl());
        std::unique_ptr<QObject> o(c.create());
        return o ? o->property("theme").value<QObject*>() : nullptr;
    }
    // WCAG 2 contrast ratio of two colours (relative luminance, sRGB).
    static double contrast(const QColor& a, const QColor& b) {
        auto lum = [](const QColor& c) {
            auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
        };
        const double la = lum(a), lb = lum(b);
        return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
    }

private slots:
    void initTestCase() {
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
        m_db = m_tmp.filePath("fixture.db");
        std::string err;
        QVERIFY2(fixture::writeStore(m_db.toStdString(), &err), err.c_str());
    }

    void sessionList() {
        ProfileModel p;
        QVERIFY(p.open(m_db));
        QCOMPARE(p.sessions().size(), 11);
        QCOMPARE(p.sessions().first().toMap()["id"].toInt(), 11);  // newest first
        QVariantMap s1 = row(p.sessions(), "id", 1), s2 = row(p.sessions(), "id", 2);
        QCOMPARE(s1["design"].toString(), QString("Residual MLP"));
        QCOMPARE(s1["backend"].toString(), QString("cpu"));
        QCOMPARE(s2["device"].toString(), QString("llvmpipe (test)"));
        QCOMPARE(s1["date"].toString(), QString("2026-01-02 10:00"));
        QVERIFY(std::abs(s1["totalMs"].toDouble() - fixture::kTotal) < 1e-9);
        QCOMPARE(s1["bindings"].toString(), QString("B=1 T=64"));
        QVERIFY(!p.loadSession(99));
        QVERIFY(p.error().contains("99"));
    }

    void overlayByTimeShareFlopsMemory() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        QVariantMap fc1 = p.overlay()["fc1"].toMap(), act = p.overlay()["act"].toMap();
        QCOMPARE(fc1["value"].toDouble(), 0.4);
        QCOMPARE(fc1["color"].value<QColor>().rgb(), heatColor(1.0));  // the slowest node tops the scale
        QCOMPARE(act["color"].value<QColor>().rgb(), heatColor(0.05 / 0.4));
        QCOMPARE(fc1["label"].toString(), QString("0.4 ms"));
        QCOMPARE(fc1["badge"].toString(), QString("compute"));  // 42.7 FLOP/B >= ridge 100/20
        QCOMPARE(act["badge"].toString(), QString("memory"));
        QVERIFY(std::abs(p.overlay()["group:mlp"].toMap()["value"].toDouble() - 0.9) < 1e-9);  // fc1+act+attn+fc2
        p.setOverlayMode("share");
        QVERIFY(std::abs(p.overlay()["fc1"].toMap()["value"].toDouble() - 0.4 / fixture::kTotal) < 1e-9);
        p.setOverlayMode("gflops");
        QVERIFY(std::abs(p.overlay()["fc2"].toMap()["value"].toDouble() - 4194304 / 0.3 / 1e6) < 1e-6);
        p.setOverlayMode("memory");
        QCOMPARE(p.overlay()["act"].toMap()["value"].toDouble(), 131072.0);
        QCOMPARE(p.legend()["max"].toString(), QString("128.0 KiB"));
    }

    void timelineOrderAndOffsets() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        const QVariantList s = p.nodeStats();
        QCOMPARE(s.size(), 8);
        double start = 0;
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(s[i].toMap()["node"].toString(), QString(fixture::kNodes[i].id));
            QVERIFY(std::abs(s[i].toMap()["start"].toDouble() - start) < 1e-12);
            start += fixture::kNodes[i].ms;
        }
    }

    void attentionMapsAndEntropy() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        QCOMPARE(p.attentionLayers().size(), 2);
        QVariantMap l1 = p.attentionLayers()[1].toMap();
        QCOMPARE(l1["node"].toString(), QString("attn2"));
        QCOMPARE(l1["heads"].toList().size(), 4);
        QVariantMap h1 = p.attentionLayers()[0].toMap()["heads"].toList()[1].toMap();
        QVERIFY(std::abs(h1["entropyMean"].toDouble() - std::log(64.0)) < 1e-4);  // uniform head
        QVERIFY(std::abs(p.heatValue(0, 0, 5, 5) - 0.7) < 1e-3);                 // fp16 in the store
        QVERIFY(std::abs(p.heatValue(0, 1, 3, 9) - 1.0 / 64) < 1e-4);
        QCOMPARE(p.heatValue(0, 0, 64, 0), -1.0);
        // The provider's picture: the diagonal of head 0 is the top colour, the rest near the bottom.
        HeatmapProvider prov;
        QSize size;
        QImage img = prov.requestImage(p.heatmapKey(0, 0), &size, {});
        QCOMPARE(size, QSize(64, 64));
        QCOMPARE(img.pixel(5, 5), heatColor(1.0));
        const double v = p.heatValue(0, 0, 5, 9), vmax = p.heatValue(0, 0, 5, 5);
        QCOMPARE(img.pixel(9, 5), heatColor(double(int(float(v) * (255.999f / float(vmax)))) / 255));
        QImage thumb = prov.requestImage(p.heatmapKey(0, 0), &size, {16, 16});
        QCOMPARE(thumb.pixel(3, 3), heatColor(1.0));  // a shrunk pixel keeps the max of its block
        QImage grid = prov.requestImage(p.heatmapKey(0, 0) + "?row=9", &size, {});
        QCOMPARE(size, QSize(8, 8));  // 64 keys on the 8 x 8 patch grid
        QCOMPARE(grid.pixel(1, 1), heatColor(1.0));  // key 9 = patch (1, 1)
    }

    void sparsityAndOutliers() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        QCOMPARE(p.tensors().size(), 6);
        QVariantMap act = p.tensorDetail("act");
        QCOMPARE(act["zero"].toDouble(), 0.5);
        QCOMPARE(act["nearZero"].toDouble(), 0.52);
        const auto want = fixture::histogram(16);
        QVariantList bins = act["bins"].toList();
        QCOMPARE(bins.size(), 64);
        for (int i = 0; i < 64; ++i) QCOMPARE(bins[i].toDouble(), double(want[size_t(i)]));
        QVariantMap fc1 = p.tensorDetail("fc1");
        QCOMPARE(fc1["outliers"].toList(), (QVariantList{qint64(7), qint64(100)}));
        QCOMPARE(fc1["channelAbsmax"].toList().size(), 256);
        QCOMPARE(fc1["channelAbsmax"].toList()[100].toDouble(), 24.0);
    }

    void compareDeltasAndStructuralDiff() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1) && p.loadCompare(2));
        QVariantMap fc1 = row(p.compareRows(), "node", "fc1"), attn = row(p.compareRows(), "node", "attn");
        QCOMPARE(fc1["ratio"].toDouble(), 2.0);
        QVERIFY(std::abs(fc1["delta"].toDouble() + 0.2) < 1e-12);
        QCOMPARE(attn["ratio"].toDouble(), 0.5);
        QVERIFY(p.structuralDiff()["sameDesign"].toBool());
        p.setOverlayMode("speedup");
        QColor up = p.overlay()["fc1"].toMap()["color"].value<QColor>(), down = p.overlay()["attn"].toMap()["color"].value<QColor>();
        QVERIFY2(up.green() > up.red() + 40, qPrintable(up.name()));      // faster in B: green
        QVERIFY2(down.red() > down.green() + 40, qPrintable(down.name()));  // slower in B: red
        QVERIFY(p.loadCompare(3));
        QVariantMap d = p.structuralDiff();
        QVERIFY(!d["sameDesign"].toBool());
        QCOMPARE(d["added"].toStringList(), QStringList{"norm (layernorm)"});
        QVERIFY2(d["changed"].toStringList().contains("fc1: out_features 256 → 512"), qPrintable(d["changed"].toStringList().join("|")));
        QCOMPARE(d["sizes"].toStringList(), QStringList{"T 64 → 128"});
    }

    void sweepSeries() {
        ProfileModel p;
        QVERIFY(p.open(m_db));
        QCOMPARE(p.sweepSeries().size(), 2);
        QVariantMap sm = p.sweepSeries()[0].toMap(), lin = p.sweepSeries()[1].toMap();
        QVERIFY(sm["label"].toString().startsWith("Softmax attention"));
        QVariantList pts = sm["points"].toList();
        QCOMPARE(pts.size(), 4);
        QCOMPARE(pts[3].toMap()["x"].toDouble(), 128.0);
        QVERIFY(std::abs(pts[3].toMap()["ms"].toDouble() - 16.384) < 1e-9);
        QCOMPARE(pts[3].toMap()["mem"].toDouble(), 16.0 * 128 * 128);
        QVERIFY(std::abs(lin["points"].toList()[0].toMap()["ms"].toDouble() - 0.8) < 1e-9);
    }

    // --- the QML views, offscreen ---
    void timelineViewBarsAndClick() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        GraphDocument doc;
        loadDoc(doc, p);
        Shown s = show("TimelineView", &p, &doc);
        QVERIFY(s.item);
        auto* bar = item(s.item, "bar_fc1");
        QVERIFY(bar);
        const double ppm = s.item->property("pxPerMs").toDouble();
        QVERIFY(ppm > 100);
        QVERIFY2(std::abs(bar->x() - 0.01 * ppm) < 0.5, qPrintable(QString::number(bar->x())));
        QVERIFY(std::abs(bar->width() - (0.4 * ppm - 1)) < 0.5);
        QCOMPARE(bar->property("color").value<QColor>(), QColor("#a371f7"));  // compute-bound
        QCOMPARE(item(s.item, "bar_act")->property("color").value<QColor>(), QColor("#1f6feb"));
        QTest::mouseClick(s.window.get(), Qt::LeftButton, {}, bar->mapToScene({bar->width() / 2, bar->height() / 2}).toPoint());
        QCOMPARE(doc.selection(), QStringList{"fc1"});  // bar -> graph
        QCOMPARE(bar->property("border").value<QObject*>()->property("width").toInt(), 2);  // graph -> outline
    }

    void latencyViewColoursNodes() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        GraphDocument doc;
        loadDoc(doc, p);
        Shown s = show("LatencyView", &p, &doc);
        QVERIFY(s.item);
        QMetaObject::invokeMethod(s.item, "fitToView");
        QTest::qWait(150);
        auto* band = item(s.item, "overlay_fc1");
        QVERIFY(band && band->isVisible());
        QImage img = s.window->grabWindow();
        QColor px = img.pixelColor(band->mapToScene({8, 2}).toPoint());
        QColor want = QColor(heatColor(1.0));
        QVERIFY2(std::abs(px.red() - want.red()) < 8 && std::abs(px.green() - want.green()) < 8, qPrintable(px.name()));
        QCOMPARE(item(s.item, "overlay_act")->property("color").value<QColor>().rgb(), heatColor(0.05 / 0.4));
    }

    void attentionViewFollowsSelection() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        GraphDocument doc;
        loadDoc(doc, p);
        Shown s = show("AttentionView", &p, &doc);
        QVERIFY(s.item);
        QCOMPARE(s.item->property("layerIndex").toInt(), 0);
        auto* img = item(s.item, "heatmapImage");
        QCOMPARE(img->property("source").toUrl().toString(), "image://heatmap/" + p.heatmapKey(0, 0));
        QCOMPARE(img->property("status").toInt(), 1);  // Image.Ready
        doc.setSelection({"attn2"});  // graph -> view: the layer of that node
        QCOMPARE(s.item->property("layerIndex").toInt(), 1);
        QVariantList means;
        for (auto& h : p.attentionLayers()[1].toMap()["heads"].toList()) means << h.toMap()["entropyMean"];
        bool found = false;
        for (QObject* set : ofClass(s, s.item->findChild<QObject*>("entropyChart"), "BarSet"))
            if (set->property("label").toString() == "mean") {
                found = true;
                QVariantList got = set->property("values").toList();
                QCOMPARE(got.size(), 4);
                for (int i = 0; i < 4; ++i) QVERIFY(std::abs(got[i].toDouble() - means[i].toDouble()) < 1e-9);
            }
        QVERIFY(found);
        auto* thumb = item(s.item, "thumb_0_2");
        QVERIFY(thumb);
        QTest::mouseClick(s.window.get(), Qt::LeftButton, {}, thumb->mapToScene({20, 20}).toPoint());
        QCOMPARE(s.item->property("headIndex").toInt(), 2);  // view -> graph
        QCOMPARE(doc.selection(), QStringList{"attn"});
    }

    void sparsityViewCharts() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        GraphDocument doc;
        loadDoc(doc, p);
        doc.setSelection({"fc1"});
        Shown s = show("SparsityView", &p, &doc);
        QVERIFY(s.item);
        bool zeros = false;
        for (QObject* set : ofClass(s, s.item->findChild<QObject*>("sparsityBars"), "BarSet"))
            if (set->property("label").toString() == "exactly zero") {
                zeros = true;  // bottom-up: residual, attn2, fc2, attn, act, fc1
                QCOMPARE(set->property("values").toList(), (QVariantList{0.02, 0.0, 0.0, 0.0, 0.5, 0.0}));
            }
        QVERIFY(zeros);
        auto scatter = ofClass(s, s.item->findChild<QObject*>("channelChart"), "Scatter");
        QCOMPARE(scatter.size(), 1);
        QCOMPARE(scatter[0]->property("count").toInt(), 2);  // channels 7 and 100
        auto lines = ofClass(s, s.item->findChild<QObject*>("channelChart"), "LineSeries");
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0]->property("count").toInt(), 256);
        doc.setSelection({"act"});  // graph -> view: the histogram follows
        auto hist = ofClass(s, s.item->findChild<QObject*>("histogram"), "AreaSeries");
        QCOMPARE(hist.size(), 1);
        QObject* upper = hist[0]->property("upperSeries").value<QObject*>();
        QVERIFY(upper);
        QCOMPARE(upper->property("count").toInt(), 128);  // two points per bin
    }

    void sessionsAndCompareViews() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1) && p.loadCompare(3));
        GraphDocument doc;
        loadDoc(doc, p);
        Shown s = show("SessionsView", &p, &doc);
        QVERIFY(s.item);
        QCOMPARE(s.item->findChild<QObject*>("sessionList")->property("count").toInt(), 11);
        QCOMPARE(s.item->findChild<QObject*>("deltaTable")->property("count").toInt(), 9);  // 8 in A, norm only in B
        QVERIFY(s.item->findChild<QObject*>("structuralDiff")->property("text").toString().contains("added: norm (layernorm)"));
    }

    void sweepViewLines() {
        ProfileModel p;
        QVERIFY(p.open(m_db));
        GraphDocument doc;
        Shown s = show("SweepView", &p, &doc);
        QVERIFY(s.item);
        QObject* chart = s.item->findChild<QObject*>("sweepLatency");
        QCOMPARE(chart->property("count").toInt(), 2);  // one line per sweep
        QJSValue js = s.engine->newQObject(chart);
        QObject* line = js.property("series").callWithInstance(js, {0}).toQObject();
        QVERIFY(line);
        QCOMPARE(line->property("count").toInt(), 4);
        QCOMPARE(line->property("name").toString(), p.sweepSeries()[0].toMap()["label"].toString());
    }

    // Chart series follow View > Theme: on light, darker colours of the same hues, each
    // at least 3:1 against the chart background (WCAG contrast, computed here).
    void chartsFollowTheTheme() {
        ProfileModel p;
        QVERIFY(p.open(m_db) && p.loadSession(1));
        GraphDocument doc;
        loadDoc(doc, p);
        doc.setSelection({"fc1"});
        Shown sp = show("SparsityView", &p, &doc);
        Shown sw = show("SweepView", &p, &doc);
        QVERIFY(sp.item && sw.item);
        QObject* theme = themeOf(sp);
        QVERIFY(theme);
        auto zeroBars = [&]() -> QColor {
            for (QObject* set : ofClass(sp, sp.item->findChild<QObject*>("sparsityBars"), "BarSet"))
                if (set->property("label").toString() == "exactly zero") return set->property("color").value<QColor>();
            return {};
        };
        auto firstLine = [&]() -> QColor {
            QObject* chart = sw.item->findChild<QObject*>("sweepLatency");
            QJSValue js = sw.engine->newQObject(chart);
            QObject* line = js.property("series").callWithInstance(js, {0}).toQObject();
            return line ? line->property("color").value<QColor>() : QColor();
        };
        const char* names[] = {"seriesOrange", "seriesTeal", "seriesViolet", "seriesRed", "seriesGreen", "seriesBlue", "seriesYellow", "seriesLime"};
        QColor darkBlue;
        for (const char* mode : {"dark", "light"}) {
            QObject* swTheme = themeOf(sw);  // each view has its own engine, so its own Theme
            theme->setProperty("mode", mode);
            swTheme->setProperty("mode", mode);
            QTest::qWait(1000);
            const QColor panel = theme->property("panel").value<QColor>();
            for (const char* n : names) {
                const double c = contrast(theme->property(n).value<QColor>(), panel);
                QVERIFY2(c >= 3.0, qPrintable(QString("%1 theme: %2 is %3:1 against the panel").arg(mode, n).arg(c, 0, 'f', 2)));
            }
            QCOMPARE(zeroBars(), theme->property("seriesBlue").value<QColor>());
            QCOMPARE(firstLine(), swTheme->property("seriesOrange").value<QColor>());  // redrawn in the new colours
            if (QString(mode) == "dark") darkBlue = zeroBars();
            else QVERIFY(zeroBars() != darkBlue);
            const QString dir = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR");
            if (!dir.isEmpty()) {
                QVERIFY(sp.window->grabWindow().save(dir + "/sparsity-" + mode + ".png"));
                QVERIFY(sw.window->grabWindow().save(dir + "/sweep-" + mode + ".png"));
            }
        }
    }

    // --- the run worker ---
    void runSavesSessionAndCancelSavesNothing() {
        const QString design = m_tmp.filePath("mlp.json");
        QFile::copy(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json", design);
        GraphDocument doc;
        QVERIFY(doc.load(design));
        ProfileModel p;
        RunController rc;
        QCOMPARE(rc.storePathFor(&doc), m_tmp.filePath("mlp.profile.db"));
        rc.setProperty("repeat", 3);
        rc.setProperty("probes", "latency,sparsity,memory");
        QSignalSpy done(&rc, &RunController::finished);
        QSignalSpy progress(&rc, &RunController::progressChanged);
        QVERIFY(rc.run(&doc, &p));
        QVERIFY(rc.running());
        QVERIFY(!rc.run(&doc, &p));  // one run at a time
        QVERIFY(done.wait(120000));
        const int id = done.first().first().toInt();
        QVERIFY2(id > 0, qPrintable(rc.status()));
        QVERIFY(progress.count() >= 5);  // ceilings, each of 2 + 3 runs, probe run, saving
        QCOMPARE(rc.progress(), 1.0);
        QCOMPARE(p.sessionId(), id);          // the views show the new session
        QCOMPARE(p.nodeStats().size(), 6);
        QVERIFY(p.info()["probes"].toString().contains("sparsity"));
        // Cancel: stops at the next execution and writes nothing.
        rc.setProperty("repeat", 1000000);
        done.clear();
        QVERIFY(rc.run(&doc, &p));
        QTRY_VERIFY_WITH_TIMEOUT(rc.progress() > 0.05, 60000);
        rc.cancel();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toInt(), 0);
        QVERIFY(rc.status().contains("cancelled"));
        p.reload();
        QCOMPARE(p.sessions().size(), 1);
    }
};

QTEST_MAIN(TestProfileViews)
#include "test_profile_views.moc"
