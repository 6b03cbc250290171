// Builds the application window: loads the root QML module with the design
// given on the command line, or the built-in sample.
#pragma once

#include <QApplication>
#include <QString>

namespace archscope::ui {

int runApp(QApplication& app, const QString& designPath);
QString samplePath();  // resources/samples/..., the design opened by default

}  // namespace archscope::ui
