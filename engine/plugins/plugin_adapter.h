// Internal to engine/plugins: turning the C descriptors of
// plugins/include/archscope_plugin.h into the engine's OpDef and Vulkan kernel.
#pragma once

#include "archscope_plugin.h"
#include "core/op_def.h"

#include <memory>
#include <string>
#include <vector>

namespace archscope {

namespace vk {
struct VulkanKernel;
}

// Checks the static parts of `src` (ids, ports, attributes, callbacks) and
// builds the OpDef whose infer/cpu/flops/bytes/expand call into the plugin.
// `plugin` names the plugin in every message. Returns false with *err.
bool adaptPluginOp(const archscope_op_def& src, const std::string& plugin, std::shared_ptr<OpDef>* out, std::string* err);

// Checks src.vulkan and builds the kernel that dispatches the plugin's SPIR-V
// (plugin_vulkan.cpp). `shader` is the name the SPIR-V is registered under.
bool adaptPluginKernel(const archscope_op_def& src, const OpDef& def, const std::string& shader,
                       std::shared_ptr<const vk::VulkanKernel>* out, std::string* err);

// Checks one attribute declaration (also used for template parameters).
bool adaptPluginAttr(const archscope_attr_def& a, AttrDef* d, std::string* err);

// Resolved attributes as the C array the plugin reads (valid while `attrs` lives).
struct AttrPack {
    std::vector<archscope_attr_value> values;
    AttrPack(const OpDef& def, const Attrs& attrs);
    AttrPack(const std::vector<AttrDef>& defs, const Attrs& attrs);
};

struct TemplateDef;
// Reads the optional archscope_plugin_templates symbol of library `handle`:
// checks its version, names ("<plugin>_..."), parameters and callbacks, and
// builds TemplateDefs whose build() calls the plugin and parses its design.
// Nothing is registered. True with no templates when the symbol is absent.
bool adaptPluginTemplates(void* handle, const std::string& plugin, std::vector<std::shared_ptr<TemplateDef>>* out, std::string* err);

}  // namespace archscope
