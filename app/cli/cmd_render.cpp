// archscope render: listed here so `archscope --help` shows it. The GUI build
// dispatches `render` to ui/render_command.cpp (it needs Qt Quick) before the
// command-line tool runs; this entry only answers in a build without the GUI.
#include "cli/cli.h"

#include <ostream>

namespace archscope::cli {

Command cmd_render() {
    return {"render", "draw the graph view of a design to a PNG (no display needed)",
            "usage: archscope render FILE --view graph -o OUT.png [--width W] [--height H]\n\n"
            "Draws the editor's graph view, fitted to the picture, offscreen. Needs the GUI build.\n",
            [](const std::vector<std::string>&, std::ostream&, std::ostream& err) {
                err << "archscope render: this build has no GUI (configured with ARCHSCOPE_BUILD_GUI=OFF); "
                       "rebuild with the GUI to render pictures\n";
                return 1;
            }};
}

}  // namespace archscope::cli
