// Entry points of the Qt side, called by app/main.cpp:
// runApp() opens the editor window with a design (or the built-in sample);
// runRender() is `archscope render FILE --view graph -o out.png`, which draws
// the same QML graph view headlessly and writes the picture.
#pragma once

#include <QGuiApplication>
#include <QString>

class QQmlEngine;

namespace archscope::ui {

int runApp(QGuiApplication& app, const QString& designPath);
int runRender(QGuiApplication& app, const QStringList& args);  // args after "render"
QString samplePath();  // resources/samples/mlp.json, the design opened by default

}  // namespace archscope::ui
