// An ONNX model with symbolic dims opened in the editor: its dim_params are
// the document's sizes (the sizes panel lists them), and changing batch and
// seq there reflows every shape (interop/onnx_symbols.h). Fixture from
// tests/fixtures/gen_onnx_symbolic.py.
#include "graph_document.h"
#include "interop/onnx_import.h"

#include <QStandardPaths>
#include <QtTest>

using namespace archscope;
using namespace archscope::ui;

class TestOnnxSizes : public QObject {
    Q_OBJECT
private slots:
    void sizesPanelReflowsImportedModel() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QStandardPaths::setTestModeEnabled(true);
        qputenv("XDG_CACHE_HOME", QDir::tempPath().toUtf8() + "/archscope-test-cache");  // the imported weights sidecar
        GraphDocument doc;
        QVERIFY2(doc.load(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/tests/fixtures/onnx/symbolic_block.onnx"), qPrintable(doc.message()));
        QStringList names;
        for (auto& v : doc.symbols()) names << v.toMap().value("name").toString();
        QCOMPARE(names, (QStringList{"batch", "seq"}));
        auto outShape = [&] {
            for (auto& n : doc.graph().nodes())
                if (n.op == "output") return shapeValues(doc.analysis().nodes.at(n.id).inputs[0]->shape);
            return std::vector<int64_t>{};
        };
        QCOMPARE(outShape(), (std::vector<int64_t>{1, 1, 32}));
        QSignalSpy spy(&doc, &GraphDocument::analysisChanged);
        QCOMPARE(doc.setSymbolValue("batch", 3), QString());
        QCOMPARE(doc.setSymbolValue("seq", 12), QString());
        QVERIFY(spy.count() >= 2);
        QVERIFY2(doc.errors().isEmpty(), qPrintable(doc.errors().join("; ")));
        QCOMPARE(outShape(), (std::vector<int64_t>{3, 12, 32}));
        doc.undo();  // seq back to 1
        QCOMPARE(outShape(), (std::vector<int64_t>{3, 1, 32}));
    }
};

QTEST_MAIN(TestOnnxSizes)
#include "test_onnx_sizes.moc"
