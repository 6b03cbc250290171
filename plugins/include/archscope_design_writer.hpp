// archscope_design_writer.hpp: an optional, header-only C++ helper for plugin
// templates (archscope_plugin_templates in archscope_plugin.h). It writes the
// design-file JSON that a template's build() returns: symbols, nodes laid out
// in rows, edges and groups (format: docs/design-format.md). Plugins written
// in C build the same text with snprintf instead; nothing here is ABI.
//
//   archscope_design::Writer w;
//   w.symbol("B", 1, "batch");
//   std::string x = w.node("x", "input", {w.s("shape", "B, 3, 32, 32")});
//   x = w.node("fc", "linear", {w.i("out_features", 64)}, {{"x", x}});
//   w.node("y", "output", {}, {{"x", x}});
//   return w.finish(args);   // copies into args->design, sets args->length
#pragma once

#include "archscope_plugin.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace archscope_design {

class Writer {
public:
    using Attr = std::string;                              // "\"name\": value"
    using Input = std::pair<std::string, std::string>;     // input port, "node:port" (or "node": its port y)

    static Attr i(const char* name, long long v) { return key(name) + std::to_string(v); }
    static Attr b(const char* name, bool v) { return key(name) + (v ? "true" : "false"); }
    static Attr f(const char* name, double v) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.9g", v);
        std::string s = buf;
        if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // stays a float in JSON
        return key(name) + s;
    }
    static Attr s(const char* name, const std::string& v) { return key(name) + quote(v); }

    void metadata(const char* name, const std::string& value) { m_meta.push_back(quote(name) + ": " + quote(value)); }
    void symbol(const char* name, long long value, const char* doc) {
        m_symbols.push_back("{\"name\": " + quote(name) + ", \"value\": " + std::to_string(value) + ", \"doc\": " + quote(doc) + "}");
    }
    // Adds a node at the current position (then moves right) and returns its id.
    std::string node(const std::string& id, const char* op, const std::vector<Attr>& attrs = {}, const std::vector<Input>& inputs = {}) {
        std::string a;
        for (auto& x : attrs) a += (a.empty() ? "" : ", ") + x;
        m_nodes.push_back("{\"id\": " + quote(id) + ", \"op\": " + quote(op) + ", \"pos\": [" + std::to_string(m_x) + ", " +
                          std::to_string(m_y) + "], \"attrs\": {" + a + "}}");
        m_x += 240;
        for (auto& in : inputs) {
            std::string from = in.second.find(':') == std::string::npos ? in.second + ":y" : in.second;
            m_edges.push_back("{\"from\": " + quote(from) + ", \"to\": " + quote(id + ":" + in.first) + "}");
        }
        return id;
    }
    void newRow() { m_x = 0; m_y += 220; }
    void group(const std::string& id, const std::string& label, const std::vector<std::string>& nodes) {
        std::string n;
        for (auto& x : nodes) n += (n.empty() ? "" : ", ") + quote(x);
        m_groups.push_back("{\"id\": " + quote(id) + ", \"label\": " + quote(label) + ", \"nodes\": [" + n + "], \"collapsed\": false}");
    }

    std::string json() const {
        return "{\"format\": \"archscope.design\", \"version\": 1, \"metadata\": {" + join(m_meta) + "}, \"symbols\": [" + join(m_symbols) +
               "], \"nodes\": [" + join(m_nodes) + "], \"edges\": [" + join(m_edges) + "], \"groups\": [" + join(m_groups) + "]}";
    }
    // Copies json() into args->design (when it fits) and sets args->length; returns 0.
    int finish(archscope_template_args* args) const {
        const std::string j = json();
        args->length = j.size();
        if (j.size() < args->capacity) std::memcpy(args->design, j.c_str(), j.size() + 1);
        return 0;
    }

private:
    std::vector<std::string> m_meta, m_symbols, m_nodes, m_edges, m_groups;
    int m_x = 0, m_y = 0;

    static std::string key(const char* name) { return quote(name) + ": "; }
    static std::string quote(const std::string& v) {
        std::string q = "\"";
        for (char c : v) {
            if (c == '"' || c == '\\') q += '\\';
            if (static_cast<unsigned char>(c) >= 0x20) q += c;
        }
        return q + "\"";
    }
    static std::string join(const std::vector<std::string>& v) {
        std::string s;
        for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
        return s;
    }
};

// An integer attribute or template parameter with a range (for op and template tables).
inline archscope_attr_def intAttr(const char* name, int64_t def, double lo, double hi, const char* doc) {
    archscope_attr_def d{};
    d.name = name;
    d.type = ARCHSCOPE_ATTR_INT;
    d.default_int = def;
    d.has_range = 1;
    d.min = lo;
    d.max = hi;
    d.doc = doc;
    return d;
}

}  // namespace archscope_design
