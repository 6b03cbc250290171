// The global plugin options, accepted anywhere on the command line by the CLI
// and the GUI: --plugin PATH (repeatable; a library or a folder of them) and
// --no-plugins (skip $ARCHSCOPE_PLUGIN_PATH, the user folder and the app
// folder). Loading happens once per process (engine/plugins/plugin_loader.h).
#include "cli/cli.h"

#include "plugins/plugin_loader.h"

#include <cstring>
#include <ostream>

namespace archscope::cli {

int applyPluginOptions(int argc, char** argv, std::ostream& err) {
    // main() applies the options before runCli() does; the second call must not load
    // the default folders again after --no-plugins was taken out of argv.
    static bool applied = false;
    if (applied) return argc;
    applied = true;
    PluginOptions opt;
    int w = 1;
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (std::strcmp(a, "--plugin") == 0) {
            if (i + 1 >= argc) { err << "archscope: --plugin needs a path (a plugin library or a folder of them)\n"; return -1; }
            opt.paths.push_back(argv[++i]);
        } else if (std::strncmp(a, "--plugin=", 9) == 0) {
            opt.paths.push_back(a + 9);
        } else if (std::strcmp(a, "--no-plugins") == 0) {
            opt.defaults = false;
        } else {
            argv[w++] = argv[i];
        }
    }
    for (int i = w; i < argc; ++i) argv[i] = nullptr;
    const bool quiet = w > 1 && std::strcmp(argv[1], "plugins") == 0;  // `archscope plugins` shows the problems itself
    for (auto& r : loadPlugins(opt))
        if (r.status == "error" && !quiet) err << "archscope: plugin not loaded: " << r.error << " (see archscope plugins)\n";
    return w;
}

}  // namespace archscope::cli
