// Arguments of `archscope render` (parsed by render_options.cpp, used by
// render_command.cpp).
#pragma once

#include <QStringList>

namespace archscope::ui {

struct RenderArgs {
    QString file, view = "graph", out, db, node, format = "png", mode;
    int width = 1600, height = 900;
    int session = 0;   // 0 = newest
    int compare = 0;   // 0 = the newest other session
    int layer = -1, head = 0;
};

QString renderUsage();
// "" or what is wrong with the arguments (exit 2).
QString parseRenderArgs(const QStringList& args, RenderArgs* r);

}  // namespace archscope::ui
