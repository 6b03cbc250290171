// The real editor (Main.qml) offscreen, driven by mouse and keys: the
// unsaved-changes prompt (Save / Discard / Cancel) on new and on close, a
// palette drop onto an edge, the template gallery, a composite block opened
// by double-click, edited and collapsed, and a selection saved to the user
// library and dropped from "My blocks". Screenshots go to
// $ARCHSCOPE_SCREENSHOT_DIR (template-gallery.png, block-open.png, block-collapsed.png,
// unsaved-dialog.png).
#include "graph/design_io.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace archscope;
using namespace archscope::ui;

class TestEditorWorkflows : public QObject {
    Q_OBJECT
    std::unique_ptr<GraphDocument> m_doc;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_win = nullptr;
    QQuickItem* m_view = nullptr;
    QObject* m_root = nullptr;
    QTemporaryDir m_dir;

    static QQuickItem* find(QQuickItem* root, const QString& name) {
        if (root->objectName() == name) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = find(c, name)) return f;
        return nullptr;
    }
    QQuickItem* find(const QString& name) const { return find(m_win->contentItem(), name); }  // popups sit in its overlay child
    // A visible button (dialogs, popups) by its text.
    QQuickItem* button(const QString& text, QQuickItem* root = nullptr) const {
        if (!root) root = m_win->contentItem();
        if (root->isVisible() && root->inherits("QQuickAbstractButton") && root->property("text").toString() == text) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* f = button(text, c)) return f;
        return nullptr;
    }
    void click(QQuickItem* item) {
        QTest::mouseClick(m_win, Qt::LeftButton, {}, item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
        QTest::qWait(30);
    }
    QPoint toWindow(QPointF world) const {
        double z = m_view->property("zoom").toDouble();
        QPointF local(world.x() * z + m_view->property("panX").toDouble(), world.y() * z + m_view->property("panY").toDouble());
        return m_view->mapToScene(local).toPoint();
    }
    void drag(QPoint a, QPoint b) {
        QTest::mousePress(m_win, Qt::LeftButton, {}, a);
        for (int i = 1; i <= 12; ++i) QTest::mouseMove(m_win, a + (b - a) * i / 12, 5);
        QTest::mouseRelease(m_win, Qt::LeftButton, {}, b, 5);
        QTest::qWait(30);
    }
    void shot(const QString& name) {
        QString dir = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT_DIR", QDir::currentPath());
        QDir().mkpath(dir);
        QVERIFY(m_win->grabWindow().save(dir + "/" + name));
    }
    void openWindow(const QString& design) {
        m_doc = std::make_unique<GraphDocument>();
        QVERIFY2(m_doc->load(design), qPrintable(m_doc->message()));
        m_engine = std::make_unique<QQmlApplicationEngine>();
        setupEngine(*m_engine);
        m_engine->setInitialProperties({{"document", QVariant::fromValue(m_doc.get())}});
        m_engine->load(QUrl("qrc:/Archscope/App/Main.qml"));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_root = m_engine->rootObjects().first();
        m_win = qobject_cast<QQuickWindow*>(m_root);
        QVERIFY(QTest::qWaitForWindowExposed(m_win));
        m_view = find("graphView");
        QVERIFY(m_view);
        m_view->setProperty("autoFit", false);
        m_view->setProperty("zoom", 1.0);
        m_view->setProperty("panX", 40.0);
        m_view->setProperty("panY", 200.0);
        QTest::qWait(50);
    }
    QString copyOfSample() {
        QString path = m_dir.filePath("mlp.json");
        QFile::remove(path);
        QFile::copy(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/resources/samples/mlp.json", path);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path;
    }
    QString attentionDesign() {
        Graph g;
        g.symbols = {{"B", 1, "batch"}, {"T", 8, "sequence"}};
        g.addNode({"x", "input", {{"shape", std::string("B, T, 32")}}, 0, 0});
        g.addNode({"attn", "mha", {{"d_model", int64_t(32)}, {"heads", int64_t(4)}}, 300, 0});
        g.addNode({"y", "output", {}, 600, 0});
        g.connect({"x", "y"}, {"attn", "x"});
        g.connect({"attn", "y"}, {"y", "x"});
        QString path = m_dir.filePath("attn.json");
        std::string err;
        saveDesign(g, path.toStdString(), &err);
        return path;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName("archscope-workflows-test");
        QDir(GraphDocument::userLibraryDir()).removeRecursively();
        registerQmlTypes();
        QQuickStyle::setStyle("Fusion");
    }
    void cleanup() {
        m_engine.reset();
        m_doc.reset();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery").removeRecursively();
    }

    void unsavedPromptOnNew() {
        openWindow(copyOfSample());
        QObject* dialog = m_root->findChild<QObject*>("unsavedDialog");
        QVERIFY(dialog);
        // Clean: no prompt.
        QMetaObject::invokeMethod(m_root, "guard", Q_ARG(QVariant, "new"));
        QVERIFY(!dialog->property("opened").toBool());
        QCOMPARE(int(m_doc->graph().nodes().size()), 2);
        QVERIFY(m_doc->load(copyOfSample()));
        m_doc->addNode("relu", 0, 300);
        const std::string edited = serializeDesign(m_doc->graph());
        QMetaObject::invokeMethod(m_root, "guard", Q_ARG(QVariant, "new"));
        QTRY_VERIFY(dialog->property("opened").toBool());
        // The whole question fits the dialog (fixed width, wrapped text), buttons included.
        auto* box = qobject_cast<QQuickItem*>(dialog->property("contentItem").value<QObject*>());
        QVERIFY(box && box->width() > 100 && box->height() >= box->implicitHeight() - 0.5);
        shot("unsaved-dialog.png");
        QVERIFY(QMetaObject::invokeMethod(dialog, "reject"));  // Cancel
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QCOMPARE(serializeDesign(m_doc->graph()), edited);  // Cancel: nothing happened
        QVERIFY(m_doc->dirty());
        QMetaObject::invokeMethod(m_root, "guard", Q_ARG(QVariant, "new"));
        QTRY_VERIFY(button("Discard"));
        click(button("Discard"));
        QCOMPARE(int(m_doc->graph().nodes().size()), 2);  // Discard: the new design
        QVERIFY(!m_doc->dirty());
        // Undoing back to the saved state makes the document clean: no prompt.
        QVERIFY(m_doc->load(copyOfSample()));
        m_doc->addNode("relu", 0, 300);
        m_doc->undo();
        QVERIFY(!m_doc->dirty());
        QMetaObject::invokeMethod(m_root, "guard", Q_ARG(QVariant, "new"));
        QVERIFY(!dialog->property("opened").toBool());
    }

    void unsavedPromptOnCloseSaves() {
        const QString path = copyOfSample();
        openWindow(path);
        m_doc->addNode("silu", 0, 300);
        QVERIFY(m_doc->dirty());
        m_win->close();
        QTest::qWait(30);
        QVERIFY(m_win->isVisible());  // refused until the user answers
        QTRY_VERIFY(button("Save"));
        click(button("Save"));
        QTRY_VERIFY(!m_win->isVisible());
        QVERIFY(!m_doc->dirty());
        Graph g;
        QVERIFY(loadDesign(path.toStdString(), &g).ok);
        QVERIFY(g == m_doc->graph());
    }

    void paletteDropOntoEdgeInserts() {
        openWindow(copyOfSample());
        QPointF mid;
        for (auto& e : m_doc->edgeGeometry())
            if (e.toNode == "fc2" && e.toPort == "x") mid = (e.a + e.b) / 2;
        QQuickItem* entry = find("palette_relu");
        QVERIFY(entry);
        const int steps = m_doc->undoStack()->count();
        drag(entry->mapToScene(QPointF(entry->width() / 2, entry->height() / 2)).toPoint(), toWindow(mid));
        QCOMPARE(m_doc->undoStack()->count(), steps + 1);
        auto src = m_doc->graph().source({"fc2", "x"});
        QVERIFY(src);
        QCOMPARE(m_doc->graph().node(src->node)->op, std::string("relu"));
        QCOMPARE(m_doc->graph().source({src->node, "x"})->node, std::string("act"));
    }

    void templateGalleryCreatesDesign() {
        openWindow(copyOfSample());
        QMetaObject::invokeMethod(m_root, "newFromTemplate");
        QObject* gallery = m_root->findChild<QObject*>("templateGallery");
        QTRY_VERIFY(gallery->property("opened").toBool());
        QVERIFY(gallery->property("templates").toList().size() >= 12);
        QTRY_VERIFY(find("template_vit"));
        click(find("template_vit"));
        QTest::qWait(100);
        shot("template-gallery.png");
        click(button("OK"));
        QTRY_VERIFY(!gallery->property("visible").toBool());
        QCOMPARE(m_doc->graph().metadata.at("template"), std::string("vit"));
        QVERIFY(m_doc->errors().isEmpty());
        QVERIFY(m_doc->filePath().isEmpty());
    }

    void compositeOpensEditsAndCollapses() {
        openWindow(attentionDesign());
        QQuickItem* node = find("node_attn");
        QVERIFY(node);
        QPoint header = node->mapToScene(QPointF(60, 12)).toPoint();
        QTest::mouseDClick(m_win, Qt::LeftButton, {}, header);
        QTRY_COMPARE(int(m_doc->graph().groups.size()), 1);
        QVERIFY(!m_doc->graph().node("attn"));
        QMetaObject::invokeMethod(m_view, "fitToView");
        QTest::qWait(100);
        shot("block-open.png");
        // Unedited: the frame's collapse button gives the mha node back.
        QTRY_VERIFY(find("collapse_attn"));
        click(find("collapse_attn"));
        QVERIFY(m_doc->graph().node("attn"));
        QCOMPARE(m_doc->graph().node("attn")->op, std::string("mha"));
        // Open again, edit inside, collapse: a group drawn as one node.
        QVERIFY(!m_doc->openBlock("attn").isEmpty());
        std::string inner;
        for (auto& n : m_doc->graph().nodes())
            if (n.op == "linear") inner = n.id;
        QVERIFY(!inner.empty());
        QVERIFY(m_doc->setAttribute(QString::fromStdString(inner), "bias", false).isEmpty());  // the edit
        QTest::qWait(50);
        QTRY_VERIFY(find("collapse_attn"));
        click(find("collapse_attn"));
        QVERIFY(m_doc->graph().groups.at(0).collapsed);
        QTRY_VERIFY(find("node_group:attn"));
        QMetaObject::invokeMethod(m_view, "fitToView");
        QTest::qWait(100);
        shot("block-collapsed.png");
        QQuickItem* groupNode = find("node_group:attn");
        QTest::mouseDClick(m_win, Qt::LeftButton, {}, groupNode->mapToScene(QPointF(60, 12)).toPoint());
        QTRY_VERIFY(!m_doc->graph().groups.at(0).collapsed);
        const int steps = m_doc->undoStack()->index();
        m_doc->undo();
        QCOMPARE(m_doc->undoStack()->index(), steps - 1);
        QVERIFY(m_doc->graph().groups.at(0).collapsed);
    }

    void selectionSavedAsBlockAndDropped() {
        openWindow(copyOfSample());
        m_doc->setSelection({"fc1", "act", "fc2"});
        QMetaObject::invokeMethod(m_root, "saveSelectionAsBlock");
        QQuickItem* field = nullptr;
        QTRY_VERIFY((field = find("blockNameField")) && field->isVisible());
        field->forceActiveFocus();
        for (char ch : std::string("ffn3")) QTest::keyClick(m_win, ch);
        click(button("Save"));
        QVERIFY2(QFile::exists(GraphDocument::userLibraryDir() + "/ffn3.json"), qPrintable(m_doc->message()));
        QQuickItem* entry = nullptr;
        QQuickItem* list = find("paletteList");
        QMetaObject::invokeMethod(list, "positionViewAtEnd");
        QTest::qWait(50);
        QTRY_VERIFY((entry = find("palette_user:ffn3")) && entry->isVisible());
        const size_t nodes = m_doc->graph().nodes().size();
        // The palette's add path for the entry (double-click): Main.qml addAtCenter -> dropFromPalette.
        QVERIFY(QMetaObject::invokeMethod(m_root, "addAtCenter", Q_ARG(QVariant, QString("user:ffn3"))));
        QCOMPARE(m_doc->graph().nodes().size(), nodes + 3);
        QCOMPARE(m_doc->graph().groups.back().label, std::string("ffn3"));
    }
};

QTEST_MAIN(TestEditorWorkflows)
#include "test_editor_workflows.moc"
