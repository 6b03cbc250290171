// End to end: real designs (templates) profiled by the real profiler into a
// fresh store, opened the way the GUI opens them, and shown by the QML views
// offscreen. The attention view's map is checked against a softmax computed
// here from the run's own q and k (not the probe), its axes against the
// token vocabulary; the vision input's thumbnail under the patch grid; the
// MoE view against the stored router loads; Run-panel sweeps (a size and an
// attribute); and opening a design shows that design's newest session.
// Screenshots go to ARCHSCOPE_SCREENSHOT_DIR/e2e-<name>.png.
#include "graph/design_io.h"
#include "graph_document.h"
#include "heatmap.h"
#include "probes/inputs.h"
#include "probes/profiler.h"
#include "profile_model.h"
#include "qml_types.h"
#include "run_controller.h"
#include "shown_view.h"
#include "store/profile_store.h"
#include "store/sha256.h"
#include "templates/template_def.h"

#include <QDir>
#include <QJSValue>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

using namespace archscope;
using namespace archscope::ui;

class TestProfileE2e : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_shots;

    using Shown = test::Shown;
    Shown show(const QString& name, ProfileModel* p, GraphDocument* doc, QSize size = {1400, 600}) {
        return test::showView(name, p, doc, size, {}, 300);
    }
    static QQuickItem* find(QQuickItem* root, const std::function<bool(QQuickItem*)>& pred) {
        if (!root) return nullptr;
        if (pred(root)) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = find(c, pred)) return f;
        return nullptr;
    }
    static QQuickItem* named(QQuickItem* root, const QString& n) { return find(root, [&](QQuickItem* i) { return i->objectName() == n; }); }
    void shot(Shown& s, const QString& name) {
        QImage img = s.window->grabWindow();
        QVERIFY(!img.isNull());
        img.save(m_shots + "/e2e-" + name + ".png");
    }

    // Instantiates a template into a design file in the temp dir.
    QString writeDesign(const std::string& tmpl, const std::map<std::string, std::string>& params, const QString& file, Graph* g) {
        std::string err;
        if (!instantiateTemplate(*findTemplate(tmpl), params, g, &err)) qFatal("%s", err.c_str());
        QString path = m_tmp.filePath(file);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(QByteArray::fromStdString(serializeDesign(*g)));
        return path;
    }
    // Profiles `g` (as loaded from `path`) into `db` with the real profiler; returns the session id.
    int64_t profile(const Graph& g, const QString& path, const QString& db, ProbeSet probes, std::map<std::string, Tensor> inputs,
                    std::vector<std::string> vocab) {
        Analysis a = analyze(g, {});
        WeightStore w;
        std::string err;
        if (!a.ok() || !w.materialize(a, g.weights.seed, &err)) return 0;
        auto cpu = makeCpuBackend();
        SessionRecord rec;
        rec.info.designJson = serializeDesign(g);
        rec.info.designHash = sha256Hex(rec.info.designJson);
        rec.info.designName = QFileInfo(path).baseName().toStdString();
        rec.info.designPath = QFileInfo(path).absoluteFilePath().toStdString();
        rec.info.backend = "cpu";
        rec.info.bindings = a.bindings;
        ProfileRequest req{&g, &a, &w, cpu.get(), g.weights.seed, {}, {}, std::move(inputs), std::move(vocab)};
        req.options.probes = probes;
        req.options.repeat = 2;
        req.options.warmup = 0;
        if (!runProfile(req, &rec.data, &err)) { qWarning() << err.c_str(); return 0; }
        Database d;
        if (!d.open(db.toStdString(), &err) || !ProfileStore(d).writeSession(rec, &err)) { qWarning() << err.c_str(); return 0; }
        return rec.info.id;
    }

private slots:
    void initTestCase() {
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
        m_shots = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(m_shots);
    }

    // gpt (llama preset: RoPE, causal) on the text "the cat sat down" with the byte vocabulary.
    void attentionMapEqualsIndependentSoftmax() {
        Graph g;
        const QString path = writeDesign("gpt", {{"layers", "1"}, {"heads", "2"}, {"d_model", "32"}, {"seq", "16"}}, "gpt.json", &g);
        const QString db = m_tmp.filePath("gpt.profile.db");
        const std::string text = "the cat sat down";
        Tensor ids(DType::I64, {1, 16});
        for (int t = 0; t < 16; ++t) ids.i64()[t] = uint8_t(text[size_t(t)]);
        std::vector<std::string> vocab;
        std::string err;
        QVERIFY(probes::loadVocabulary("bytes", &vocab, &err));
        ProbeSet ps;
        ps.attention = true;
        QVERIFY(profile(g, path, db, ps, {{"ids", ids}}, vocab) > 0);

        // Independently: the run's q and k after RoPE; p = softmax(q k^T / sqrt(dh)) with the causal mask.
        Analysis a = analyze(g, {});
        WeightStore w;
        QVERIFY(w.materialize(a, g.weights.seed, &err));
        RunResult r = makeCpuBackend()->run({&g, &a, &w, {{"ids", ids}}, g.weights.seed, true});
        QVERIFY(r.ok);
        const Tensor *q = nullptr, *k = nullptr;
        for (auto& [key, t] : r.intermediates) {
            if (QString::fromStdString(key).endsWith("q_rope.y")) q = &t;
            if (QString::fromStdString(key).endsWith("k_rope.y")) k = &t;
        }
        QVERIFY(q && k);
        const int64_t H = q->dim(1), T = q->dim(2), dh = q->dim(3);
        QCOMPARE(H, int64_t(2));
        auto softmaxAt = [&](int64_t h, int64_t i, int64_t j) {
            std::vector<double> s(static_cast<size_t>(T));
            double mx = -1e300, sum = 0;
            for (int64_t c = 0; c <= i; ++c) {
                double dot = 0;
                for (int64_t d = 0; d < dh; ++d) dot += double(q->f32()[((h * T) + i) * dh + d]) * k->f32()[((h * T) + c) * dh + d];
                s[size_t(c)] = dot / std::sqrt(double(dh));
                mx = std::max(mx, s[size_t(c)]);
            }
            for (int64_t c = 0; c <= i; ++c) sum += std::exp(s[size_t(c)] - mx);
            return j > i ? 0.0 : std::exp(s[size_t(j)] - mx) / sum;
        };

        // Opened as the GUI opens a design: its store, its newest session.
        GraphDocument doc;
        QVERIFY(doc.load(path));
        ProfileModel p;
        QVERIFY(p.openForDesign(db, &doc));
        QVERIFY(p.sessionId() > 0);
        QCOMPARE(p.tokenLabels().size(), 16);
        Shown s = show("AttentionView", &p, &doc);
        QVERIFY(s.item);
        s.item->setProperty("headIndex", 1);
        QTest::qWait(200);
        QQuickItem* heat = find(s.item, [](QQuickItem* i) { return i->property("useWords").isValid(); });
        QQuickItem* image = named(s.item, "heatmapImage");
        QVERIFY(heat && image);
        const QString key = p.heatmapKey(0, 1);
        QCOMPARE(image->property("source").toUrl().toString(), "image://heatmap/" + key);
        // The values the view reads and the pixels it shows.
        HeatmapProvider provider;
        QSize got;
        QImage shown = provider.requestImage(key, &got, QSize());
        QCOMPARE(shown.size(), QSize(16, 16));
        double vmax = 0;
        for (int i = 0; i < 16; ++i)
            for (int j = 0; j < 16; ++j) vmax = std::max(vmax, softmaxAt(1, i, j));
        for (int i = 0; i < 16; ++i)
            for (int j = 0; j < 16; ++j) {
                const double want = softmaxAt(1, i, j);
                QVERIFY2(std::abs(p.heatValue(0, 1, i, j) - want) < 1e-3 + 1e-3 * want, qPrintable(QString("p[%1,%2]").arg(i).arg(j)));
                const QColor px = shown.pixelColor(j, i), ref = QColor(heatColor(want / vmax));
                QVERIFY2(std::abs(px.red() - ref.red()) + std::abs(px.green() - ref.green()) + std::abs(px.blue() - ref.blue()) <= 12,
                         qPrintable(QString("pixel %1,%2").arg(i).arg(j)));
            }
        // Axes labelled with the tokens.
        QVERIFY(heat->property("useWords").toBool());
        QVariant label;
        QMetaObject::invokeMethod(heat, "tokenLabel", Q_RETURN_ARG(QVariant, label), Q_ARG(QVariant, 4));
        QCOMPARE(label.toString(), QString("c"));
        QVERIFY(find(s.item, [](QQuickItem* i) { return i->property("text").toString() == "c" && i->isVisible(); }));
        QCOMPARE(s.item->property("grid").toInt(), 0);  // 16 keys but text: no patch grid
        shot(s, "attention-tokens");
    }

    // vit: the input image's thumbnail under the clicked query's patch-grid attention.
    void visionInputUnderPatchGrid() {
        Graph g;
        const QString path = writeDesign("vit", {{"layers", "1"}, {"d_model", "24"}, {"heads", "2"}, {"image", "32"}, {"patch", "4"}}, "vit.json", &g);
        const QString db = m_tmp.filePath("vit.profile.db");
        Tensor img(DType::F32, {1, 3, 32, 32});  // a red-to-blue gradient with a bright square
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const bool sq = x >= 8 && x < 16 && y >= 8 && y < 16;
                img.f32()[(0 * 32 + y) * 32 + x] = sq ? 1.f : x / 31.f;
                img.f32()[(1 * 32 + y) * 32 + x] = sq ? 1.f : 0.f;
                img.f32()[(2 * 32 + y) * 32 + x] = sq ? 1.f : 1.f - x / 31.f;
            }
        ProbeSet ps;
        ps.attention = true;
        QVERIFY(profile(g, path, db, ps, {{"image", img}}, {}) > 0);
        GraphDocument doc;
        QVERIFY(doc.load(path));
        ProfileModel p;
        QVERIFY(p.openForDesign(db, &doc));
        QVERIFY(!p.inputImageKey().isEmpty());
        HeatmapProvider provider;
        QSize got;
        QImage thumb = provider.requestImage(p.inputImageKey(), &got, QSize());
        QCOMPARE(thumb.size(), QSize(32, 32));
        QCOMPARE(thumb.pixelColor(12, 12), QColor(255, 255, 255));  // the square, min-max scaled
        QCOMPARE(thumb.pixelColor(0, 0), QColor(0, 0, 255));
        Shown s = show("AttentionView", &p, &doc);
        QQuickItem* under = named(s.item, "inputImage");
        QQuickItem* grid = named(s.item, "patchGrid");
        QVERIFY(under && grid);
        QVERIFY(under->isVisible());
        QCOMPARE(under->property("source").toUrl().toString(), "image://heatmap/" + p.inputImageKey());
        QVERIFY(grid->property("opacity").toDouble() < 1.0);  // the attention lies over the picture
        s.item->setProperty("queryRow", 0);                   // CLS
        QTest::qWait(200);
        shot(s, "attention-image");
    }

    // moe_lm: the MoE view shows the stored per-expert shares.
    void moeViewShowsRouterLoads() {
        Graph g;
        const QString path = writeDesign("moe_lm", {{"layers", "2"}, {"experts", "6"}, {"d_model", "32"}, {"heads", "2"}, {"hidden", "32"}, {"seq", "32"}},
                                         "moe.json", &g);
        const QString db = m_tmp.filePath("moe.profile.db");
        ProbeSet ps;
        ps.sparsity = true;
        QVERIFY(profile(g, path, db, ps, {}, {}) > 0);
        GraphDocument doc;
        QVERIFY(doc.load(path));
        ProfileModel p;
        QVERIFY(p.openForDesign(db, &doc));
        QCOMPARE(p.routers().size(), 4);
        const QVariantMap load0 = p.routers()[0].toMap();
        QCOMPARE(load0["node"].toString(), QString("layer0_moe/route"));
        QCOMPARE(load0["experts"].toInt(), 6);
        Shown s = show("RouterView", &p, &doc);
        QQuickItem* chart = named(s.item, "routerChart");
        QVERIFY(chart && chart->isVisible());
        QCOMPARE(s.item->property("picked").toString(), QString("layer0_moe/route"));
        QVariant shown = s.item->property("load");
        if (shown.userType() == qMetaTypeId<QJSValue>()) shown = shown.value<QJSValue>().toVariant();
        QCOMPARE(shown.toMap()["fractions"].toList().size(), 6);
        for (int e = 0; e < 6; ++e)
            QCOMPARE(shown.toMap()["fractions"].toList()[e].toDouble(), load0["fractions"].toList()[e].toDouble());
        doc.setSelection({"layer1_moe"});  // the graph picks the router
        QTest::qWait(100);
        QCOMPARE(s.item->property("picked").toString(), QString("layer1_moe/route"));
        shot(s, "moe");
    }

    // Run panel sweeps: a size and a node attribute, stored as sweeps and drawn by the sweep plot.
    void runPanelSweeps() {
        Graph g;
        const QString path = writeDesign("gpt", {{"layers", "1"}, {"heads", "2"}, {"d_model", "16"}, {"seq", "8"}}, "sweep.json", &g);
        GraphDocument doc;
        QVERIFY(doc.load(path));
        ProfileModel p;
        RunController rc;
        rc.setProperty("repeat", 2);
        rc.setProperty("warmup", 0);
        rc.setProperty("probes", "latency");
        QSignalSpy done(&rc, &RunController::finished);
        rc.setProperty("sweepName", "Q");
        QVERIFY(!rc.run(&doc, &p));
        QVERIFY2(rc.status().contains("no size Q"), qPrintable(rc.status()));
        rc.setProperty("sweepName", "T");
        rc.setProperty("sweepValues", "4, x");
        QVERIFY(!rc.run(&doc, &p));
        QVERIFY2(rc.status().contains("\"x\" is not a positive integer"), qPrintable(rc.status()));
        rc.setProperty("sweepValues", "4,8,16");
        QVERIFY2(rc.run(&doc, &p), qPrintable(rc.status()));
        QVERIFY(done.wait(120000));
        QVERIFY2(done.takeFirst().first().toInt() > 0, qPrintable(rc.status()));
        QVERIFY2(rc.status().contains("3 sessions"), qPrintable(rc.status()));
        rc.setProperty("sweepName", "layer0.heads");
        rc.setProperty("sweepValues", "1,2");
        QVERIFY2(rc.run(&doc, &p), qPrintable(rc.status()));
        QVERIFY(done.wait(120000));
        QVERIFY2(done.takeFirst().first().toInt() > 0, qPrintable(rc.status()));
        const QVariantList series = p.sweepSeries();
        QCOMPARE(series.size(), 2);
        QStringList params;
        for (auto& x : series) params << x.toMap()["name"].toString() + ":" + QString::number(x.toMap()["points"].toList().size());
        params.sort();
        QCOMPARE(params, QStringList({"T:3", "layer0.heads:2"}));
        // Each attribute-sweep session stores the design it ran.
        QCOMPARE(p.sessions().size(), 5);
        Database db;
        std::string err;
        QVERIFY(db.open(rc.storePathFor(&doc).toStdString(), &err));
        for (int k = 0; k < 2; ++k) {
            SessionRecord rec;
            QVERIFY(ProfileStore(db).loadSession(p.sessions()[k].toMap()["id"].toInt(), &rec, &err));
            Graph ran;
            QVERIFY(parseDesign(rec.info.designJson, "snapshot", &ran).ok);
            QCOMPARE(std::get<int64_t>(ran.node("layer0")->attrs.at("heads")), int64_t(2 - k));  // newest first
            QCOMPARE(rec.info.sweepValue, int64_t(2 - k));
        }
        Shown s = show("SweepView", &p, &doc);
        shot(s, "sweep");
    }

    // Opening a design shows its own newest session, not the store's newest.
    void openingADesignShowsItsOwnSession() {
        Graph a, b;
        const QString pa = writeDesign("gpt", {{"layers", "1"}, {"d_model", "16"}, {"heads", "2"}, {"seq", "4"}}, "a.json", &a);
        const QString pb = writeDesign("gpt", {{"layers", "2"}, {"d_model", "16"}, {"heads", "2"}, {"seq", "4"}}, "b.json", &b);
        const QString db = m_tmp.filePath("shared.profile.db");
        const int64_t sa = profile(a, pa, db, {}, {}, {});
        const int64_t sb = profile(b, pb, db, {}, {}, {});
        QVERIFY(sa > 0 && sb > sa);
        GraphDocument doc;
        QVERIFY(doc.load(pa));
        ProfileModel p;
        QVERIFY(p.openForDesign(db, &doc));
        QCOMPARE(p.sessionId(), int(sa));
        // Edited since (different content): still found by its path.
        doc.setSymbolValue("T", 8);
        QVERIFY(p.openForDesign(db, &doc));
        QCOMPARE(p.sessionId(), int(sa));
        // A design with no session in the store: nothing shown.
        Graph c;
        const QString pc = writeDesign("gpt", {{"layers", "3"}, {"d_model", "16"}, {"heads", "2"}}, "c.json", &c);
        GraphDocument other;
        QVERIFY(other.load(pc));
        QVERIFY(p.openForDesign(db, &other));
        QCOMPARE(p.sessionId(), 0);
        QCOMPARE(p.sessions().size(), 2);
        QVERIFY(!p.openForDesign(m_tmp.filePath("none.db"), &other));
    }
};

QTEST_MAIN(TestProfileE2e)
#include "test_profile_e2e.moc"
