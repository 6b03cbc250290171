// Plugin loading: shared libraries that add ops through the C ABI of
// plugins/include/archscope_plugin.h (walk-through in docs/plugins.md).
//
// loadPlugin() opens one library, checks its ABI version and symbols,
// validates every op definition, adapts them into OpDefs (plugin_adapter.cpp,
// plugin_vulkan.cpp) and adds them all to the registry, or none of them. It
// never throws: the returned record says what happened and why. Libraries
// whose ops were registered stay loaded for the life of the process.
//
// loadPlugins() is the process-wide entry used by the CLI and the app: it
// loads the command-line paths, $ARCHSCOPE_PLUGIN_PATH, the user folder and
// the app folder, in that order, into OpRegistry::global(), and remembers
// every record for `archscope plugins`. Each library path is loaded once.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace archscope {

class OpRegistry;

struct PluginOpInfo {
    std::string id;
    std::string displayName;
    std::string category;
    bool composite = false;
    bool vulkan = false;
};

struct PluginRecord {
    std::string path;    // the library file
    std::string source;  // "cli", "env", "user" or "app"
    std::string status;  // "loaded", "error", or "shadowed" (a plugin of that name was already loaded)
    std::string error;   // why it is not loaded (names the path), empty when loaded
    std::string name, version, description;
    std::vector<PluginOpInfo> ops;
    std::vector<std::pair<std::string, std::string>> templates;  // name, title (archscope_plugin_templates)
    bool ok() const { return status == "loaded"; }
};

// Loads one library into `reg` (see the file comment).
PluginRecord loadPlugin(const std::string& path, const std::string& source, OpRegistry& reg);

struct PluginOptions {
    std::vector<std::string> paths;  // --plugin: library files or folders
    bool defaults = true;            // also the env, user and app folders (--no-plugins turns them off)
};

// Loads into OpRegistry::global(); returns the records of this call (already
// loaded paths are skipped). Safe to call more than once.
std::vector<PluginRecord> loadPlugins(const PluginOptions& opt);
// Every record so far, in load order.
std::vector<PluginRecord> pluginRecords();

std::string appPluginDir();   // <dir of the executable>/../lib/archscope/plugins
std::string userPluginDir();  // $XDG_DATA_HOME/archscope/plugins, else ~/.local/share/archscope/plugins
// Entries of $ARCHSCOPE_PLUGIN_PATH (colon-separated files or folders).
std::vector<std::string> envPluginPaths();

}  // namespace archscope
