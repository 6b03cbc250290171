// For the fuzz targets, which load no plugins: the two plugin-loader queries
// that analysis (the folder named in a "plugin not installed" error) and the
// ONNX code (the plugins loaded, for custom opsets) make. The loader itself
// (engine/plugins/plugin_loader.cpp) pulls in the Vulkan kernel registry,
// which the fuzz engine leaves out. No plugin is ever loaded here, so the
// list is empty, as the real one would be.
#include "plugins/plugin_loader.h"

namespace archscope {
std::string userPluginDir() { return "~/.local/share/archscope/plugins"; }
std::vector<PluginRecord> pluginRecords() { return {}; }
}  // namespace archscope
