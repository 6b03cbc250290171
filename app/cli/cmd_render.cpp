// archscope render: listed here so `archscope --help` shows it. The GUI build
// dispatches `render` to ui/render_command.cpp (it needs Qt Quick) before the
// command-line tool runs; this entry only answers in a build without the GUI.
#include "cli/cli.h"

#include <ostream>

namespace archscope::cli {

Command cmd_render() {
    return {"render", "draw a GUI view (graph, latency, timeline, attention, sparsity, compare, sweep) to PNG/SVG headlessly",
            "usage: archscope render [FILE] --view graph|latency|timeline|attention|sparsity|compare|sweep -o OUT.png|OUT.svg\n"
            "       [--db DB] [--session ID] [--compare ID] [--node N] [--layer L] [--head H] [--format png|svg]\n\n"
            "Draws one of the GUI views offscreen (see docs/gui.md). Needs the GUI build.\n",
            [](const std::vector<std::string>&, std::ostream&, std::ostream& err) {
                err << "archscope render: this build has no GUI (configured with ARCHSCOPE_BUILD_GUI=OFF); "
                       "rebuild with the GUI to render pictures\n";
                return 1;
            }};
}

}  // namespace archscope::cli
