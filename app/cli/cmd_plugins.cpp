// archscope plugins: the plugins this process found, their ops and status.
#include "cli/cli.h"
#include "cli/common.h"
#include "plugins/plugin_loader.h"

#include <iomanip>

namespace archscope::cli {

namespace {

json recordJson(const PluginRecord& r) {
    json ops = json::array();
    for (auto& o : r.ops)
        ops.push_back({{"id", o.id}, {"name", o.displayName}, {"category", o.category}, {"composite", o.composite}, {"vulkan", o.vulkan}});
    json tmpls = json::array();
    for (auto& [name, title] : r.templates) tmpls.push_back({{"name", name}, {"title", title}});
    return {{"name", r.name}, {"version", r.version}, {"description", r.description}, {"path", r.path}, {"source", r.source},
            {"status", r.status}, {"error", r.error}, {"ops", ops}, {"templates", tmpls}};
}

void printText(const std::vector<PluginRecord>& recs, std::ostream& out) {
    int loaded = 0;
    for (auto& r : recs) {
        if (r.ok()) {
            ++loaded;
            out << r.name << " " << r.version << "  (" << r.source << ") " << r.path << "\n";
            if (!r.description.empty()) out << "  " << r.description << "\n";
            for (auto& o : r.ops) {
                std::string kinds = o.composite ? "composite" : o.vulkan ? "cpu, vulkan" : "cpu";
                out << "  " << std::left << std::setw(22) << o.id << std::setw(28) << o.displayName << "[" << kinds << "]\n";
            }
            for (auto& [name, title] : r.templates) out << "  " << std::left << std::setw(22) << name << title << "  [template]\n";
        } else {
            out << (r.status == "shadowed" ? "shadowed" : "error") << "  (" << r.source << ") " << r.error << "\n";
        }
    }
    out << "\n" << loaded << " plugin" << (loaded == 1 ? "" : "s") << " loaded, " << recs.size() - size_t(loaded) << " not loaded\n";
    out << "folders: user " << userPluginDir() << ", app " << appPluginDir() << "\n";
}

}  // namespace

Command cmd_plugins() {
    return {"plugins", "list the plugins found, their ops and status",
            "usage: archscope plugins [--json]   (with the global options --plugin PATH ..., --no-plugins)\n\n"
            "Lists every plugin library found, in load order: --plugin paths, $ARCHSCOPE_PLUGIN_PATH\n"
            "(colon-separated files or folders), the user folder ($XDG_DATA_HOME/archscope/plugins or\n"
            "~/.local/share/archscope/plugins) and the app folder (<prefix>/lib/archscope/plugins).\n"
            "A plugin that failed to load is listed with its path and the reason. Exit 2 when a\n"
            "plugin named by --plugin failed to load. Writing plugins: docs/plugins.md.\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {}, {});
                if (!args.ok() || !args.positional().empty()) {
                    err << "archscope plugins: " << (args.ok() ? "takes no arguments (load more with --plugin PATH)" : args.error()) << "\n";
                    return 2;
                }
                const auto recs = pluginRecords();
                bool cliFailed = false;
                for (auto& r : recs) cliFailed |= r.source == "cli" && r.status == "error";
                if (args.flag("--json")) {
                    json arr = json::array();
                    for (auto& r : recs) arr.push_back(recordJson(r));
                    out << json{{"plugins", arr}, {"folders", {{"user", userPluginDir()}, {"app", appPluginDir()}}},
                                {"env", envPluginPaths()}}.dump(2) << "\n";
                } else {
                    printText(recs, out);
                }
                if (cliFailed) err << "archscope plugins: a plugin given with --plugin did not load (reason above)\n";
                return cliFailed ? 2 : 0;
            }};
}

}  // namespace archscope::cli
