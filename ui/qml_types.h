// Registers the C++ types the QML modules use (module "Archscope.Core") and
// pulls in the statically linked QML module plugins. Call once before loading QML.
#pragma once

class QQmlEngine;

namespace archscope::ui {
void registerQmlTypes();
// Lets `engine` resolve the Archscope.* modules compiled into the binary (qrc:/Archscope/...).
void setupEngine(QQmlEngine& engine);
}
