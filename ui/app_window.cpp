#include "app_window.h"

#include "graph/analysis.h"
#include "graph/design_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQmlExtensionPlugin>
#include <QVariantMap>

Q_IMPORT_QML_PLUGIN(Archscope_AppPlugin)

namespace archscope::ui {

QString samplePath() {
    QString beside = QCoreApplication::applicationDirPath() + "/../share/archscope/samples/mlp.json";
    if (QFileInfo::exists(beside)) return beside;
    return QStringLiteral(ARCHSCOPE_RESOURCES_DIR "/samples/mlp.json");
}

int runApp(QApplication& app, const QString& designPath) {
    QString path = designPath.isEmpty() ? samplePath() : designPath;
    Graph g;
    LoadResult lr = loadDesign(path.toStdString(), &g);
    QVariantList nodes;
    QString status;
    if (lr.ok) {
        Analysis a = analyze(g, {});
        for (auto& id : a.order) {
            const NodeInfo& n = a.nodes.at(id);
            QString shape = n.outputs.empty() ? QString("-") : QString::fromStdString(shapeStr(n.outputs[0].shape));
            nodes.append(QVariantMap{{"id", QString::fromStdString(id)}, {"op", QString::fromStdString(g.node(id)->op)}, {"shape", shape}});
        }
        status = a.ok() ? QString("%1 nodes, %2 parameters").arg(g.nodes().size()).arg(a.totalParams)
                        : QString::fromStdString(a.errorText());
    } else {
        status = QString::fromStdString(lr.error);
    }
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty("designPath", path);
    engine.rootContext()->setContextProperty("designNodes", nodes);
    engine.rootContext()->setContextProperty("designStatus", status);
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.load(QUrl(QStringLiteral("qrc:/Archscope/App/Main.qml")));
    return app.exec();
}

}  // namespace archscope::ui
