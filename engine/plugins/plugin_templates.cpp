// Plugin templates: the optional archscope_plugin_templates symbol of a plugin
// (plugins/include/archscope_plugin.h) adapted into TemplateDefs whose build()
// calls the plugin and parses the design file it writes (see plugin_adapter.h).
#include "graph/design_io.h"
#include "plugins/plugin_adapter.h"
#include "templates/template_def.h"

#include <dlfcn.h>

#include <cstring>
#include <set>

namespace archscope {

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }
std::string str(const char* s) { return s ? std::string(s) : std::string(); }

bool validTemplateName(const std::string& n, const std::string& plugin) {
    if (n.size() <= plugin.size() + 1 || n.compare(0, plugin.size() + 1, plugin + "_") != 0 || n.size() > 64) return false;
    for (char c : n)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

// Calls the plugin's build() until the design fits, then parses it into *g.
bool runBuild(const archscope_template_def& src, const std::string& plugin, const std::vector<AttrDef>& defs, const Attrs& params,
              Graph* g, std::string* err) {
    AttrPack pack(defs, params);
    std::string buf(size_t(1) << 16, '\0');
    for (int attempt = 0; attempt < 3; ++attempt) {
        archscope_template_args a;
        std::memset(&a, 0, sizeof a);
        a.params = pack.values.data();
        a.param_count = int32_t(pack.values.size());
        a.design = buf.data();
        a.capacity = buf.size();
        int rc = 0;
        try {
            rc = src.build(&a);
        } catch (...) {
            *err = "plugin " + q(plugin) + ": build() threw an exception (the ABI forbids exceptions)";
            return false;
        }
        if (rc != 0) {
            *err = a.error[0] ? std::string(a.error, strnlen(a.error, ARCHSCOPE_ERROR_MAX)) : "plugin " + q(plugin) + ": build() failed with no message";
            return false;
        }
        if (a.length < a.capacity) {
            LoadResult r = parseDesign(std::string(buf.data(), a.length), "plugin " + q(plugin) + " template " + q(str(src.name)), g);
            if (!r.ok) { *err = r.error; return false; }
            return true;
        }
        if (a.length > (size_t(1) << 30)) break;
        buf.assign(a.length + 1, '\0');
    }
    *err = "plugin " + q(plugin) + ": build() kept asking for a larger buffer";
    return false;
}

}  // namespace

bool adaptPluginTemplates(void* handle, const std::string& plugin, std::vector<std::shared_ptr<TemplateDef>>* out, std::string* err) {
    auto fn = reinterpret_cast<archscope_plugin_templates_fn>(::dlsym(handle, "archscope_plugin_templates"));
    if (!fn) return true;  // optional
    const archscope_template_table* t = fn();
    if (!t) { *err = "archscope_plugin_templates() returned NULL"; return false; }
    if (t->version != ARCHSCOPE_TEMPLATES_VERSION) {
        *err = "template table version " + std::to_string(t->version) + ", but this Archscope reads version " +
               std::to_string(ARCHSCOPE_TEMPLATES_VERSION) + " (rebuild the plugin against this Archscope's archscope_plugin.h)";
        return false;
    }
    if (t->template_count < 0 || (t->template_count > 0 && !t->templates)) { *err = "template_count " + std::to_string(t->template_count) + " with no array"; return false; }
    std::set<std::string> names;
    for (int32_t i = 0; i < t->template_count; ++i) {
        const archscope_template_def& src = t->templates[i];
        auto d = std::make_shared<TemplateDef>();
        d->name = str(src.name);
        const std::string w = "template " + std::to_string(i) + " " + q(d->name) + ": ";
        if (!validTemplateName(d->name, plugin)) {
            *err = w + "the name must be " + q(plugin + "_<name>") + " (lower-case letters, digits and _, at most 64)";
            return false;
        }
        if (!names.insert(d->name).second) { *err = w + "defined twice in this plugin"; return false; }
        if (const TemplateDef* have = findTemplate(d->name)) {
            if (have->plugin == plugin) continue;  // this plugin loaded again (into another op registry, as tests do)
            *err = w + "already defined by " + (have->plugin.empty() ? std::string("the core templates") : "plugin " + q(have->plugin));
            return false;
        }
        if (!src.build) { *err = w + "build is NULL"; return false; }
        if (src.param_count < 0 || (src.param_count > 0 && !src.params)) { *err = w + "param_count with no array"; return false; }
        std::set<std::string> pnames;
        for (int32_t k = 0; k < src.param_count; ++k) {
            AttrDef p;
            std::string why;
            if (!adaptPluginAttr(src.params[k], &p, &why)) { *err = w + "parameter " + std::to_string(k) + ": " + why; return false; }
            if (p.required) { *err = w + "parameter " + q(p.name) + " is marked required; template parameters need defaults"; return false; }
            if (!pnames.insert(p.name).second) { *err = w + "parameter " + q(p.name) + " is declared twice"; return false; }
            d->params.push_back(std::move(p));
        }
        d->title = src.title ? src.title : d->name;
        d->description = str(src.description);
        d->paper = str(src.paper);
        d->plugin = plugin;
        const archscope_template_def* srcp = &src;
        const std::vector<AttrDef>* defs = &d->params;  // owned by *d, which outlives its build
        d->build = [srcp, plugin, defs](const Attrs& params, Graph* g, std::string* e) { return runBuild(*srcp, plugin, *defs, params, g, e); };
        out->push_back(std::move(d));
    }
    return true;
}

}  // namespace archscope
