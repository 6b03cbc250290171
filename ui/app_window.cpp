#include "app_window.h"

#include "edit_script.h"
#include "graph_document.h"
#include "qml_types.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>
#include <QTextStream>

namespace archscope::ui {

QString samplePath() {
    QString beside = QCoreApplication::applicationDirPath() + "/../share/archscope/samples/mlp.json";
    if (QFileInfo::exists(beside)) return beside;
    return QStringLiteral(ARCHSCOPE_RESOURCES_DIR "/samples/mlp.json");
}

int runApp(QGuiApplication& app, const QString& designPath) {
    registerQmlTypes();
    QQuickStyle::setStyle("Fusion");
    GraphDocument doc;
    QString path = designPath.isEmpty() ? samplePath() : designPath;
    if (!doc.load(path)) QTextStream(stderr) << "archscope: " << doc.message() << "\n";
    QQmlApplicationEngine engine;
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    setupEngine(engine);
    engine.setInitialProperties({{"document", QVariant::fromValue(&doc)}});
    engine.load(QUrl(QStringLiteral("qrc:/Archscope/App/Main.qml")));
    if (engine.rootObjects().isEmpty()) return 1;
    // Test hook: ARCHSCOPE_EDIT_SCRIPT=FILE performs scripted edits (edit_script.h).
    startEditScript(&doc, engine.rootObjects().first(), qEnvironmentVariable("ARCHSCOPE_EDIT_SCRIPT"));
    // ARCHSCOPE_SCREENSHOT=out.png: save the window once it has settled, then quit (docs, smoke tests).
    if (QString shot = qEnvironmentVariable("ARCHSCOPE_SCREENSHOT"); !shot.isEmpty())
        if (auto* w = qobject_cast<QQuickWindow*>(engine.rootObjects().first()))
            QTimer::singleShot(1500, w, [w, shot] { QCoreApplication::exit(w->grabWindow().save(shot) ? 0 : 1); });
    return app.exec();
}

}  // namespace archscope::ui
