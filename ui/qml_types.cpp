#include "qml_types.h"

#include "app_settings.h"
#include "canvas_items.h"
#include "design_exporter.h"
#include "graph_document.h"
#include "heatmap.h"
#include "profile_model.h"
#include "run_controller.h"

#include <QQmlEngine>
#include <QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Archscope_AppPlugin)
Q_IMPORT_QML_PLUGIN(Archscope_GraphPlugin)
Q_IMPORT_QML_PLUGIN(Archscope_ControlsPlugin)
Q_IMPORT_QML_PLUGIN(Archscope_ProfilingPlugin)

namespace archscope::ui {

void registerQmlTypes() {
    static bool done = false;
    if (done) return;
    done = true;
    const char* uri = "Archscope.Core";
    qmlRegisterType<EdgeLayer>(uri, 1, 0, "EdgeLayer");
    qmlRegisterType<Minimap>(uri, 1, 0, "Minimap");
    qmlRegisterUncreatableType<GraphDocument>(uri, 1, 0, "GraphDocument", "created by the application");
    qmlRegisterUncreatableType<NodeListModel>(uri, 1, 0, "NodeListModel", "owned by GraphDocument");
    qmlRegisterUncreatableType<EdgeListModel>(uri, 1, 0, "EdgeListModel", "owned by GraphDocument");
    qmlRegisterType<PaletteModel>(uri, 1, 0, "PaletteModel");
    qmlRegisterUncreatableType<VisibleNodesModel>(uri, 1, 0, "VisibleNodesModel", "owned by GraphDocument");
    qmlRegisterType<ProfileModel>(uri, 1, 0, "ProfileModel");
    qmlRegisterType<RunController>(uri, 1, 0, "RunController");
    qmlRegisterType<DesignExporter>(uri, 1, 0, "DesignExporter");
    qmlRegisterType<AppSettings>(uri, 1, 0, "AppSettings");
}

void setupEngine(QQmlEngine& engine) {
    registerQmlTypes();
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.addImageProvider(QStringLiteral("heatmap"), new HeatmapProvider);  // the engine owns it
}

}  // namespace archscope::ui
