// Plugin loading (see plugin_loader.h): dlopen, ABI and symbol checks, op
// validation, all-or-nothing registration, and the process-wide record list.
#include "plugins/plugin_loader.h"

#include "core/registry.h"
#include "plugins/plugin_adapter.h"
#include "runtime/vulkan/kernel.h"
#include "runtime/vulkan/shader_library.h"
#include "templates/template_def.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>

namespace archscope {

namespace fs = std::filesystem;

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }

#if defined(__APPLE__)
constexpr const char* kLibExt = ".dylib";
#else
constexpr const char* kLibExt = ".so";
#endif

bool validPluginName(const std::string& n) {
    if (n.empty() || n.size() > 64) return false;
    return std::all_of(n.begin(), n.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

struct Adapted {
    const archscope_op_def* src;
    std::shared_ptr<OpDef> def;
    std::shared_ptr<const vk::VulkanKernel> kernel;
    std::string shader;
};

// Validates and adapts every op of `d`; nothing is registered yet.
bool adaptAll(const archscope_plugin_desc& d, const std::string& name, const OpRegistry& reg, std::vector<Adapted>* out, std::string* err) {
    if (d.op_count <= 0 || !d.ops) { *err = "defines no ops (op_count " + std::to_string(d.op_count) + ")"; return false; }
    std::set<std::string> ids;
    for (int32_t i = 0; i < d.op_count; ++i) {
        Adapted a{&d.ops[i], nullptr, nullptr, ""};
        std::string why;
        if (!adaptPluginOp(d.ops[i], name, &a.def, &why)) { *err = "op " + std::to_string(i) + ": " + why; return false; }
        const std::string& id = a.def->id;
        if (!ids.insert(id).second) { *err = "op id " + q(id) + " is defined twice in this plugin"; return false; }
        if (const OpDef* have = reg.find(id)) {
            *err = "op id " + q(id) + " is already defined by " + (have->plugin.empty() ? std::string("the core ops") : "plugin " + q(have->plugin)) +
                   " (rename the op, e.g. " + q(name + "_" + id) + ")";
            return false;
        }
        if (d.ops[i].vulkan) {
            if (d.ops[i].expand) { *err = "op " + q(id) + ": a composite op has no Vulkan kernel of its own (its body's ops do)"; return false; }
            a.shader = "plugin:" + name + "/" + id;
            if (!adaptPluginKernel(d.ops[i], *a.def, a.shader, &a.kernel, &why)) { *err = "op " + q(id) + ": " + why; return false; }
        }
        out->push_back(std::move(a));
    }
    return true;
}

}  // namespace

PluginRecord loadPlugin(const std::string& path, const std::string& source, OpRegistry& reg) {
    PluginRecord r;
    r.path = path;
    r.source = source;
    r.status = "error";
    ::dlerror();
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char* e = ::dlerror();
        r.error = path + ": cannot load the library (" + (e ? e : "unknown dlopen error") + ")";
        return r;
    }
    auto fail = [&](const std::string& msg) {
        r.error = path + ": " + msg;
        ::dlclose(h);
        return r;
    };
    auto abi = reinterpret_cast<archscope_plugin_abi_version_fn>(::dlsym(h, "archscope_plugin_abi_version"));
    if (!abi) return fail("missing symbol archscope_plugin_abi_version (not an Archscope plugin, or not exported with ARCHSCOPE_PLUGIN_EXPORT)");
    const uint32_t v = abi();
    if (v != ARCHSCOPE_PLUGIN_ABI_VERSION)
        return fail("plugin ABI version " + std::to_string(v) + ", but this Archscope reads version " + std::to_string(ARCHSCOPE_PLUGIN_ABI_VERSION) +
                    " (rebuild the plugin against this Archscope's plugins/include/archscope_plugin.h)");
    auto opsFn = reinterpret_cast<archscope_plugin_ops_fn>(::dlsym(h, "archscope_plugin_ops"));
    if (!opsFn) return fail("missing symbol archscope_plugin_ops (export it with ARCHSCOPE_PLUGIN_EXPORT)");
    const archscope_plugin_desc* d = opsFn();
    if (!d) return fail("archscope_plugin_ops() returned NULL");
    r.name = d->name ? d->name : "";
    r.version = d->version ? d->version : "";
    r.description = d->description ? d->description : "";
    if (!validPluginName(r.name)) return fail("plugin name " + q(r.name) + " is not valid (lower-case letters, digits and _, at most 64)");
    for (auto* op : reg.all())
        if (op->plugin == r.name) {
            r.status = "shadowed";
            return fail("a plugin named " + q(r.name) + " is already loaded; this copy is ignored");
        }
    std::vector<Adapted> ops;
    std::string why;
    if (!adaptAll(*d, r.name, reg, &ops, &why)) return fail("plugin " + q(r.name) + ": " + why);
    std::vector<std::shared_ptr<TemplateDef>> tmpls;
    if (!adaptPluginTemplates(h, r.name, &tmpls, &why)) return fail("plugin " + q(r.name) + ": " + why);
    for (auto& a : ops) {
        if (!reg.add(a.def, &why)) return fail("plugin " + q(r.name) + ": " + why);  // not reached: checked above
        if (a.kernel) {
            vk::registerShader(a.shader, a.src->vulkan->spirv, a.src->vulkan->spirv_words);
            vk::registerKernel(a.kernel);
        }
        r.ops.push_back({a.def->id, a.def->displayName, a.def->category, a.def->isComposite(), a.kernel != nullptr});
    }
    for (auto& t : tmpls) {
        if (!addTemplate(t, &why)) r.error = path + ": plugin " + q(r.name) + ": " + why;  // not reached: checked above
        else r.templates.push_back({t->name, t->title});
    }
    r.status = "loaded";
    return r;
}

// ---- Process-wide loading --------------------------------------------------

namespace {
struct State {
    std::mutex m;
    std::vector<PluginRecord> records;
    std::set<std::string> paths;
    bool defaultsDone = false;
};
State& state() {
    static State s;
    return s;
}

std::vector<std::string> librariesIn(const std::string& dir) {
    std::vector<std::string> v;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && e.path().extension() == kLibExt) v.push_back(e.path().string());
    std::sort(v.begin(), v.end());
    return v;
}
}  // namespace

std::vector<PluginRecord> loadPlugins(const PluginOptions& opt) {
    State& s = state();
    std::lock_guard<std::mutex> g(s.m);
    std::vector<PluginRecord> out;
    auto loadOne = [&](const std::string& path, const std::string& source) {
        std::error_code ec;
        std::string key = fs::weakly_canonical(path, ec).string();
        if (!s.paths.insert(ec ? path : key).second) return;
        PluginRecord r = loadPlugin(path, source, OpRegistry::global());
        if (r.status == "shadowed")
            for (auto& prev : s.records)
                if (prev.ok() && prev.name == r.name) r.error = path + ": plugin " + q(r.name) + " is already loaded from " + prev.path + "; this copy is ignored";
        s.records.push_back(r);
        out.push_back(r);
    };
    auto loadEntry = [&](const std::string& path, const std::string& source, bool mustExist) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            for (auto& f : librariesIn(path)) loadOne(f, source);
        } else if (fs::exists(path, ec)) {
            loadOne(path, source);
        } else if (mustExist && s.paths.insert(path).second) {
            PluginRecord r;
            r.path = path;
            r.source = source;
            r.status = "error";
            r.error = path + ": no such file or folder";
            s.records.push_back(r);
            out.push_back(r);
        }
    };
    for (auto& p : opt.paths) loadEntry(p, "cli", true);
    if (opt.defaults && !s.defaultsDone) {
        s.defaultsDone = true;
        for (auto& p : envPluginPaths()) loadEntry(p, "env", true);
        loadEntry(userPluginDir(), "user", false);
        loadEntry(appPluginDir(), "app", false);
    }
    return out;
}

std::vector<PluginRecord> pluginRecords() {
    State& s = state();
    std::lock_guard<std::mutex> g(s.m);
    return s.records;
}

std::string appPluginDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "";
    return (exe.parent_path().parent_path() / "lib" / "archscope" / "plugins").string();
}

std::string userPluginDir() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && *xdg) return (fs::path(xdg) / "archscope" / "plugins").string();
    const char* home = std::getenv("HOME");
    return (fs::path(home && *home ? home : ".") / ".local" / "share" / "archscope" / "plugins").string();
}

std::vector<std::string> envPluginPaths() {
    std::vector<std::string> v;
    const char* env = std::getenv("ARCHSCOPE_PLUGIN_PATH");
    if (!env) return v;
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
        size_t c = s.find(':', start);
        std::string part = s.substr(start, c == std::string::npos ? std::string::npos : c - start);
        if (!part.empty()) v.push_back(part);
        if (c == std::string::npos) break;
        start = c + 1;
    }
    return v;
}

}  // namespace archscope
