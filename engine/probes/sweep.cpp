#include "probes/sweep.h"

#include "core/registry.h"

namespace archscope {

bool parseSweepTarget(const Graph& g, const std::string& name, SweepTarget* out, std::string* err) {
    *out = SweepTarget{name, "", ""};
    std::string symbols;
    for (auto& s : g.symbols) {
        if (s.name == name) return true;
        symbols += (symbols.empty() ? "" : ", ") + s.name;
    }
    const size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
        *err = "sweep \"" + name + "\": the design has no size " + name + " (sizes: " + (symbols.empty() ? "none" : symbols) +
               "; an attribute is swept as NODE.ATTR, e.g. layer0.heads)";
        return false;
    }
    const std::string node = name.substr(0, dot), attr = name.substr(dot + 1);
    const Node* n = g.node(node);
    if (!n) { *err = "sweep \"" + name + "\": the design has no node \"" + node + "\""; return false; }
    const OpDef* def = OpRegistry::global().find(n->op);
    std::string ints;
    if (def)
        for (auto& a : def->attrs) {
            if (a.type != AttrType::Int) continue;
            if (a.name == attr) { *out = SweepTarget{name, node, attr}; return true; }
            ints += (ints.empty() ? "" : ", ") + a.name;
        }
    *err = "sweep \"" + name + "\": node \"" + node + "\" (" + n->op + ") has no integer attribute \"" + attr + "\" (integer attributes: " +
           (ints.empty() ? "none" : ints) + ")";
    return false;
}

void applySweepValue(const SweepTarget& t, int64_t value, Graph* g, AnalyzeOptions* opts) {
    if (!t.isAttribute()) { opts->bindings[t.name] = value; return; }
    if (Node* n = g->node(t.node)) n->attrs[t.attr] = value;
}

}  // namespace archscope
