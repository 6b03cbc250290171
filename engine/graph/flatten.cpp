#include "graph/flatten.h"

#include "core/registry.h"

#include <cmath>

namespace archscope {

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }

bool typeMatches(const AttrDef& d, const AttrValue& v) {
    switch (d.type) {  // attribute value types, not ops
    case AttrType::Int: return std::holds_alternative<int64_t>(v);
    case AttrType::Float: return std::holds_alternative<double>(v) || std::holds_alternative<int64_t>(v);
    case AttrType::Bool: return std::holds_alternative<bool>(v);
    case AttrType::String:
    case AttrType::Enum:
    case AttrType::Shape: return std::holds_alternative<std::string>(v);
    case AttrType::Ints: return std::holds_alternative<std::vector<int64_t>>(v);
    }
    return false;
}

// Expands composite node `id` of `g` in place. Returns false with a message.
bool expandOne(Graph& g, const std::string& id, const OpDef& def, const OpRegistry& reg, FlattenResult* res, std::string* err) {
    const Node node = *g.node(id);
    Attrs attrs;
    std::vector<std::string> attrErrs;
    if (!resolveNodeAttrs(node, def, &attrs, &attrErrs)) { *err = attrErrs.front(); return false; }
    Graph body;
    std::string why;
    bool ok = false;
    try {
        ok = def.expand(attrs, &body, &why);
    } catch (const std::exception& e) {
        why = e.what();
    }
    if (!ok) { *err = "node " + q(id) + " (" + def.id + "): cannot build the block: " + why; return false; }
    for (auto& e : g.edges()) {
        if (e.to.node == id && !def.findInput(e.to.port)) { *err = "node " + q(id) + " has no input " + q(e.to.port) + " (op " + q(def.id) + ")"; return false; }
        if (e.from.node == id && !def.findOutput(e.from.port)) { *err = "node " + q(id) + " has no output " + q(e.from.port) + " (op " + q(def.id) + ")"; return false; }
    }
    auto isBoundary = [&](const Node* n, const char* op) { return n && n->op == op; };
    CompositeInfo info{def.id, {}, {}};
    std::vector<Edge> consumers = g.edgesFrom(id);
    for (auto& bn : body.nodes()) {
        if (bn.op == "input" || bn.op == "output") continue;
        Node n = bn;
        n.id = id + "/" + bn.id;
        n.x = node.x + bn.x * 0.25;
        n.y = node.y + bn.y * 0.25;
        if (!bn.weightsOf.empty()) n.weightsOf = id + "/" + bn.weightsOf;
        else if (!node.weightsOf.empty()) n.weightsOf = node.weightsOf + "/" + bn.id;  // block tied to a block of the same kind
        if (!g.addNode(n)) { *err = "node " + q(id) + ": inner id " + q(n.id) + " collides with an existing node"; return false; }
        info.members.push_back(n.id);
    }
    for (auto& be : body.edges()) {
        const Node* from = body.node(be.from.node);
        const Node* to = body.node(be.to.node);
        if (!from || !to) { *err = "node " + q(id) + " (" + def.id + "): block body has an edge to a missing node"; return false; }
        PortRef src{id + "/" + be.from.node, be.from.port};
        if (isBoundary(from, "input")) {
            auto s = g.source({id, be.from.node});
            if (!s) {  // optional block input left unconnected: fine unless an inner node needs it
                const OpDef* td = isBoundary(to, "output") ? nullptr : reg.find(to->op);
                const PortDef* tp = td ? td->findInput(be.to.port) : nullptr;
                if (tp && !tp->optional) {
                    *err = "node " + q(id) + " input " + q(be.from.node) + ": not connected, but this " + def.id +
                           " needs it with these attributes (connect an output to it, or change the attributes)";
                    return false;
                }
                continue;
            }
            src = *s;
        }
        if (isBoundary(to, "output")) { info.outputs[be.to.node] = src; continue; }
        g.connect(src, {id + "/" + be.to.node, be.to.port});
    }
    g.removeNode(id);
    for (auto& e : consumers) {
        auto it = info.outputs.find(e.from.port);
        if (it == info.outputs.end()) { *err = "node " + q(id) + " (" + def.id + "): output " + q(e.from.port) + " is not produced by the block"; return false; }
        g.connect(it->second, e.to);
    }
    res->composites[id] = std::move(info);
    return true;
}

}  // namespace

bool resolveNodeAttrs(const Node& n, const OpDef& def, Attrs* out, std::vector<std::string>* errs) {
    bool ok = true;
    auto fail = [&](const std::string& msg) {
        errs->push_back("node " + q(n.id) + ": " + msg);
        ok = false;
    };
    for (auto& [name, v] : n.attrs)
        if (!def.findAttr(name)) fail("unknown attribute " + q(name) + " for op " + q(def.id));
    for (auto& a : def.attrs) {
        auto it = n.attrs.find(a.name);
        if (it == n.attrs.end()) {
            if (a.required) fail("missing attribute " + q(a.name) + " (" + attrTypeName(a.type) + "): " + a.doc);
            else out->set(a.name, a.def);
            continue;
        }
        const AttrValue& v = it->second;
        if (!typeMatches(a, v)) {
            fail("attribute " + q(a.name) + " must be " + attrTypeName(a.type) + ", got " + attrValueStr(v));
            continue;
        }
        if (a.type == AttrType::Int || a.type == AttrType::Float) {
            double x = std::holds_alternative<int64_t>(v) ? double(std::get<int64_t>(v)) : std::get<double>(v);
            if (!std::isfinite(x) || x < a.min || x > a.max) {
                fail("attribute " + q(a.name) + " = " + attrValueStr(v) + " is out of range [" + attrValueStr(AttrValue(a.min)) + ", " +
                     attrValueStr(AttrValue(a.max)) + "]");
                continue;
            }
        }
        if (a.type == AttrType::Enum) {
            const auto& s = std::get<std::string>(v);
            bool found = false;
            std::string list;
            for (auto& c : a.choices) { found |= c == s; list += (list.empty() ? "" : ", ") + c; }
            if (!found) { fail("attribute " + q(a.name) + " = " + q(s) + " is not one of: " + list); continue; }
        }
        out->set(a.name, a.type == AttrType::Float && std::holds_alternative<int64_t>(v) ? AttrValue(double(std::get<int64_t>(v))) : v);
    }
    return ok;
}

bool flattenGraph(const Graph& g, const OpRegistry& reg, FlattenResult* out) {
    out->flat = g;
    out->composites.clear();
    out->errors.clear();
    for (int guard = 0;; ++guard) {
        std::string next;
        const OpDef* def = nullptr;
        for (auto& n : out->flat.nodes()) {
            def = reg.find(n.op);
            if (def && def->isComposite()) { next = n.id; break; }
        }
        if (next.empty()) return true;
        if (std::count(next.begin(), next.end(), '/') >= 16 || guard > 100000) {
            out->errors.push_back("node " + q(next) + ": composite blocks nested more than 16 levels deep (a block that contains itself?)");
            return false;
        }
        std::string err;
        if (!expandOne(out->flat, next, *def, reg, out, &err)) { out->errors.push_back(err); return false; }
    }
}

}  // namespace archscope
