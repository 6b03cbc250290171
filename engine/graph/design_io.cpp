#include "graph/design_io.h"

#include "core/registry.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <signal.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace archscope {

using json = nlohmann::ordered_json;

namespace {

struct LoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& where, const std::string& msg) {
    std::string m = where + ": " + msg;
    // Ids and keys come from the file and may be megabytes long: keep both ends.
    if (m.size() > 600) {
        auto cont = [&](size_t i) { return (static_cast<unsigned char>(m[i]) & 0xC0) == 0x80; };  // never cut a UTF-8 sequence
        size_t head = 300, tail = m.size() - 200;
        while (head > 0 && cont(head)) --head;
        while (tail < m.size() && cont(tail)) ++tail;
        m = m.substr(0, head) + " [... " + std::to_string(tail - head) + " bytes ...] " + m.substr(tail);
    }
    throw LoadError(m);
}

const json& need(const json& obj, const char* key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) fail(where, std::string("missing field \"") + key + "\"");
    return *it;
}

std::string needString(const json& obj, const char* key, const std::string& where) {
    const json& v = need(obj, key, where);
    if (!v.is_string()) fail(where + "." + key, "must be a string, got " + std::string(v.type_name()));
    return v.get<std::string>();
}

constexpr size_t kMaxString = 1 << 20;  // attribute values and labels; ids are limited to 128 characters

AttrValue attrFromJson(const json& v, const std::string& where) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_number_float()) return v.get<double>();
    if (v.is_string()) {
        if (v.get_ref<const std::string&>().size() > kMaxString)
            fail(where, "a string of " + std::to_string(v.get_ref<const std::string&>().size()) + " bytes is longer than any attribute needs (at most " +
                            std::to_string(kMaxString) + ")");
        return v.get<std::string>();
    }
    if (v.is_array()) {
        std::vector<int64_t> r;
        for (auto& e : v) {
            if (!e.is_number_integer()) fail(where, "lists may only hold integers");
            r.push_back(e.get<int64_t>());
        }
        return r;
    }
    fail(where, std::string("unsupported attribute value of type ") + v.type_name());
}

// An edge the loader reads back as the same edge: "node:port" with a node
// id that is not empty and holds no ':', and a port that is not empty. Edges
// built in code with such an end can connect nothing; they are left out of
// the file rather than making it unreadable.
bool savableEdge(const Edge& e) {
    auto ok = [](const PortRef& p) { return !p.node.empty() && p.node.find(':') == std::string::npos && !p.port.empty(); };
    return ok(e.from) && ok(e.to);
}

json attrToJson(const AttrValue& v) {
    return std::visit([](auto&& x) -> json { return json(x); }, v);
}

PortRef parseEndpoint(const json& v, const std::string& where) {
    if (!v.is_string()) fail(where, "must be a string \"node:port\"");
    std::string s = v.get<std::string>();
    auto c = s.find(':');
    if (c == std::string::npos || c == 0 || c + 1 == s.size()) fail(where, "\"" + s + "\" is not of the form \"node:port\"");
    return {s.substr(0, c), s.substr(c + 1)};
}

void parseNodes(const json& arr, const std::string& where, Graph* g) {
    if (!arr.is_array()) fail(where, "must be an array");
    for (size_t i = 0; i < arr.size(); ++i) {
        std::string w = where + "[" + std::to_string(i) + "]";
        const json& jn = arr[i];
        if (!jn.is_object()) fail(w, "must be an object");
        Node n;
        n.id = needString(jn, "id", w);
        n.op = needString(jn, "op", w);
        if (!isValidId(n.id)) fail(w + ".id", "\"" + n.id + "\" is not a valid id (letters, digits, _ . -; starts with a letter; at most 128)");
        if (auto it = jn.find("label"); it != jn.end()) {
            if (!it->is_string()) fail(w + ".label", "must be a string");
            if (it->get_ref<const std::string&>().size() > kMaxString) fail(w + ".label", "is longer than 1 MiB");
            n.label = it->get<std::string>();
        }
        if (auto it = jn.find("pos"); it != jn.end()) {
            if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number() || !(*it)[1].is_number())
                fail(w + ".pos", "must be [x, y]");
            n.x = (*it)[0].get<double>();
            n.y = (*it)[1].get<double>();
        }
        if (auto it = jn.find("weights_of"); it != jn.end()) {
            n.weightsOf = needString(jn, "weights_of", w);
            if (!isValidId(n.weightsOf)) fail(w + ".weights_of", "\"" + n.weightsOf + "\" is not a valid node id");
            if (n.weightsOf == n.id) fail(w + ".weights_of", "a node cannot tie its weights to itself; remove \"weights_of\"");
        }
        if (auto it = jn.find("attrs"); it != jn.end()) {
            if (!it->is_object()) fail(w + ".attrs", "must be an object");
            for (auto& [k, v] : it->items()) n.attrs[k] = attrFromJson(v, w + ".attrs." + k);
        }
        if (!g->addNode(std::move(n))) fail(w + ".id", "duplicate node id \"" + jn["id"].get<std::string>() + "\"");
    }
}

void parseRest(const json& root, Graph* g) {
    if (auto it = root.find("edges"); it != root.end()) {
        if (!it->is_array()) fail("edges", "must be an array");
        for (size_t i = 0; i < it->size(); ++i) {
            std::string w = "edges[" + std::to_string(i) + "]";
            const json& e = (*it)[i];
            if (!e.is_object()) fail(w, "must be an object {\"from\": \"node:port\", \"to\": \"node:port\"}");
            PortRef from = parseEndpoint(need(e, "from", w), w + ".from");
            PortRef to = parseEndpoint(need(e, "to", w), w + ".to");
            if (g->source(to)) fail(w + ".to", "input \"" + to.node + ":" + to.port + "\" already has an edge");
            g->connect(from, to);
        }
    }
    if (auto it = root.find("groups"); it != root.end()) {
        if (!it->is_array()) fail("groups", "must be an array");
        for (size_t i = 0; i < it->size(); ++i) {
            std::string w = "groups[" + std::to_string(i) + "]";
            const json& jg = (*it)[i];
            if (!jg.is_object()) fail(w, "must be an object");
            Group gr;
            gr.id = needString(jg, "id", w);
            if (jg.contains("label")) gr.label = needString(jg, "label", w);
            if (jg.contains("collapsed")) {
                if (!jg["collapsed"].is_boolean()) fail(w + ".collapsed", "must be true or false");
                gr.collapsed = jg["collapsed"].get<bool>();
            }
            if (auto b = jg.find("block"); b != jg.end()) {  // {"op": "mha", "attrs": {...}}
                if (!b->is_object()) fail(w + ".block", "must be an object {\"op\": ..., \"attrs\": {...}}");
                gr.block = needString(*b, "op", w + ".block");
                if (auto a = b->find("attrs"); a != b->end()) {
                    if (!a->is_object()) fail(w + ".block.attrs", "must be an object");
                    for (auto& [k, v] : a->items()) gr.blockAttrs[k] = attrFromJson(v, w + ".block.attrs." + k);
                }
            }
            const json& ns = need(jg, "nodes", w);
            if (!ns.is_array()) fail(w + ".nodes", "must be an array of node ids");
            for (auto& n : ns) {
                // Never dump() the value: it may be arbitrarily deep garbage.
                if (!n.is_string()) fail(w + ".nodes", std::string("must hold node ids (strings), got ") + n.type_name());
                if (!g->node(n.get<std::string>())) fail(w + ".nodes", "names a node that does not exist: \"" + n.get<std::string>() + "\"");
                gr.nodes.push_back(n.get<std::string>());
            }
            g->groups.push_back(std::move(gr));
        }
    }
    if (auto it = root.find("weights"); it != root.end()) {
        if (!it->is_object()) fail("weights", "must be an object");
        if (it->contains("file")) g->weights.file = needString(*it, "file", "weights");
        if (it->contains("seed")) {
            if (!(*it)["seed"].is_number_unsigned()) fail("weights.seed", "must be a non-negative integer");
            g->weights.seed = (*it)["seed"].get<uint64_t>();
        }
    }
}

void parseRoot(const json& root, Graph* g) {
    if (!root.is_object()) fail("(root)", "a design file is a JSON object");
    std::string format = needString(root, "format", "(root)");
    if (format != "archscope.design") fail("format", "\"" + format + "\" is not an Archscope design (expected \"archscope.design\")");
    const json& ver = need(root, "version", "(root)");
    if (!ver.is_number_integer()) fail("version", "must be an integer");
    // Compared unsigned where possible: 2^64-1 is a version from the future, not -1.
    bool newer = ver.is_number_unsigned() ? ver.get<uint64_t>() > uint64_t(kDesignFormatVersion) : ver.get<int64_t>() > kDesignFormatVersion;
    if (newer)
        fail("version", "written by a newer Archscope (design format version " + ver.dump() + "; this build reads up to " +
                            std::to_string(kDesignFormatVersion) + "): update Archscope to open it");
    int64_t v = ver.get<int64_t>();
    if (v < 1) fail("version", "must be at least 1");
    if (auto it = root.find("metadata"); it != root.end()) {
        if (!it->is_object()) fail("metadata", "must be an object of strings");
        for (auto& [k, val] : it->items()) {
            if (!val.is_string()) fail("metadata." + k, "must be a string");
            g->metadata[k] = val.get<std::string>();
        }
    }
    if (auto it = root.find("plugins"); it != root.end()) {
        if (!it->is_object()) fail("plugins", "must be an object {\"op id\": \"plugin name\"}");
        for (auto& [k, val] : it->items()) {
            if (!val.is_string()) fail("plugins." + k, "must be a string (the name of the plugin providing op \"" + k + "\")");
            g->plugins[k] = val.get<std::string>();
        }
    }
    if (auto it = root.find("symbols"); it != root.end()) {
        if (!it->is_array()) fail("symbols", "must be an array");
        std::set<std::string> seen;
        for (size_t i = 0; i < it->size(); ++i) {
            std::string w = "symbols[" + std::to_string(i) + "]";
            const json& js = (*it)[i];
            if (!js.is_object()) fail(w, "must be an object {\"name\", \"value\"}");
            SymbolDef s;
            s.name = needString(js, "name", w);
            if (!isValidId(s.name) || s.name.find_first_of(".-") != std::string::npos) fail(w + ".name", "\"" + s.name + "\" is not a valid size name");
            const json& val = need(js, "value", w);
            if (!val.is_number_integer() || val.get<int64_t>() <= 0) fail(w + ".value", "must be a positive integer");
            s.value = val.get<int64_t>();
            if (js.contains("doc")) s.doc = needString(js, "doc", w);
            if (!seen.insert(s.name).second) fail(w + ".name", "duplicate size \"" + s.name + "\"");
            g->symbols.push_back(std::move(s));
        }
    }
    parseNodes(need(root, "nodes", "(root)"), "nodes", g);
    parseRest(root, g);
}

}  // namespace

LoadResult parseDesign(const std::string& text, const std::string& fileName, Graph* out) {
    LoadResult r;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        r.error = fileName + ": the file is empty (a design file is a JSON object with \"format\": \"archscope.design\")";
        return r;
    }
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        size_t pos = std::min<size_t>(e.byte, text.size());
        size_t line = 1, col = 1;
        for (size_t i = 0; i + 1 < pos; ++i) {
            if (text[i] == '\n') { ++line; col = 1; } else ++col;
        }
        r.error = fileName + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not valid JSON (" +
                  std::string(e.what()).substr(std::string(e.what()).find(':') + 2) + ")";
        return r;
    } catch (const json::exception& e) {
        // Not a syntax error but still unreadable, e.g. a number beyond double
        // range such as 1e999 (out_of_range: "number overflow parsing ...").
        const std::string what = e.what();
        r.error = fileName + ": not valid JSON (" + what.substr(what.find(']') == std::string::npos ? 0 : what.find(']') + 2) + ")";
        return r;
    }
    Graph g;
    try {
        parseRoot(root, &g);
    } catch (const LoadError& e) {
        r.error = fileName + ": " + e.what();
        return r;
    } catch (const json::exception& e) {
        r.error = fileName + ": " + e.what();
        return r;
    }
    *out = std::move(g);
    r.ok = true;
    return r;
}

bool readFile(const std::string& path, std::string* data, std::string* err) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) { *err = path + ": is a directory, not a file"; return false; }
    std::ifstream f(path, std::ios::binary);
    if (!f) { *err = path + ": cannot open (" + std::string(std::strerror(errno)) + ")"; return false; }
    std::ostringstream ss;
    ss << f.rdbuf();
    *data = ss.str();
    return true;
}

LoadResult loadDesign(const std::string& path, Graph* out) {
    removeStaleTemporaries(path);  // left by a save that was killed
    std::string text, err;
    if (!readFile(path, &text, &err)) return {false, err};
    return parseDesign(text, path, out);
}

std::string serializeDesign(const Graph& g) {
    json root;
    root["format"] = "archscope.design";
    root["version"] = kDesignFormatVersion;
    json meta = json::object();
    for (auto& [k, v] : g.metadata) meta[k] = v;
    root["metadata"] = meta;
    // Plugin ops: their plugin's name, from the registry, or as read when the plugin is missing.
    std::map<std::string, std::string> plugins;  // sorted: canonical output
    for (auto& n : g.nodes()) {
        const OpDef* d = OpRegistry::global().find(n.op);
        auto it = g.plugins.find(n.op);
        if (d && !d->plugin.empty()) plugins[n.op] = d->plugin;
        else if (!d && it != g.plugins.end()) plugins[n.op] = it->second;
    }
    if (!plugins.empty()) root["plugins"] = json(plugins);
    json syms = json::array();
    for (auto& s : g.symbols) {
        json js = {{"name", s.name}, {"value", s.value}};
        if (!s.doc.empty()) js["doc"] = s.doc;
        syms.push_back(js);
    }
    root["symbols"] = syms;
    json nodes = json::array();
    for (auto& n : g.nodes()) {
        json jn = {{"id", n.id}, {"op", n.op}};
        if (!n.label.empty()) jn["label"] = n.label;
        if (!n.weightsOf.empty()) jn["weights_of"] = n.weightsOf;
        jn["pos"] = {n.x, n.y};
        json attrs = json::object();
        for (auto& [k, v] : n.attrs) attrs[k] = attrToJson(v);
        jn["attrs"] = attrs;
        nodes.push_back(jn);
    }
    root["nodes"] = nodes;
    json edges = json::array();
    for (auto& e : g.edges())
        if (savableEdge(e)) edges.push_back({{"from", e.from.node + ":" + e.from.port}, {"to", e.to.node + ":" + e.to.port}});
    root["edges"] = edges;
    json groups = json::array();
    for (auto& gr : g.groups) {
        json jg = {{"id", gr.id}, {"label", gr.label}, {"nodes", gr.nodes}, {"collapsed", gr.collapsed}};
        if (!gr.block.empty()) {
            json attrs = json::object();
            for (auto& [k, v] : gr.blockAttrs) attrs[k] = attrToJson(v);
            jg["block"] = {{"op", gr.block}, {"attrs", attrs}};
        }
        groups.push_back(jg);
    }
    root["groups"] = groups;
    root["weights"] = {{"file", g.weights.file}, {"seed", g.weights.seed}};
    // Strings from importers may hold invalid UTF-8 (e.g. ONNX node names):
    // written as U+FFFD rather than throwing mid-save.
    return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

int removeStaleTemporaries(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path target(path);
    const std::string prefix = target.filename().string() + ".tmp-";
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    std::vector<fs::path> stale;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string digits = name.substr(prefix.size());
        if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::stol(digits);
        // Only writers that no longer exist: a live one may be mid-write.
        if (pid <= 0 || pid == long(::getpid()) || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;
        std::error_code tec;
        if (it->is_regular_file(tec) && !it->is_symlink(tec)) stale.push_back(it->path());
    }
    int removed = 0;
    for (auto& p : stale) removed += fs::remove(p, ec) ? 1 : 0;
    return removed;
}

bool writeFileAtomic(const std::string& path, const std::string& data, std::string* err) {
    namespace fs = std::filesystem;
    removeStaleTemporaries(path);
    fs::path target(path);
    fs::path tmp = target;
    tmp += ".tmp-" + std::to_string(::getpid());
    {
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        if (!f) { *err = path + ": cannot write (" + std::string(std::strerror(errno)) + ")"; return false; }
        bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
        ok = std::fflush(f) == 0 && ok;
        ok = ::fsync(fileno(f)) == 0 && ok;
        ok = std::fclose(f) == 0 && ok;
        if (!ok) {
            *err = path + ": write failed (" + std::string(std::strerror(errno)) + "); the previous file is unchanged";
            fs::remove(tmp);
            return false;
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        *err = path + ": cannot replace (" + ec.message() + "); the previous file is unchanged";
        fs::remove(tmp, ec);
        return false;
    }
    return true;
}

bool saveDesign(const Graph& g, const std::string& path, std::string* err) {
    return writeFileAtomic(path, serializeDesign(g), err);
}

}  // namespace archscope
