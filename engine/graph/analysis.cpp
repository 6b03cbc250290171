#include "graph/analysis.h"

#include "core/registry.h"
#include "plugins/plugin_loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace archscope {
namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }

bool portAccepts(PortType p, DType t) {
    return p == PortType::Any || (p == PortType::F32 && t == DType::F32) || (p == PortType::I64 && t == DType::I64);
}

const char* portTypeName(PortType p) { return p == PortType::F32 ? "f32" : p == PortType::I64 ? "i64" : "any"; }

// Adds one entry per composite block: totals over its members, and the types
// of the flat producers feeding its outputs.
void aggregateComposites(const Graph& gIn, const OpRegistry& reg, Analysis* a) {
    for (auto& [id, ci] : a->composites) {
        NodeInfo agg;
        agg.def = reg.find(ci.op);
        agg.composite = true;
        agg.ok = true;
        const Node* orig = gIn.node(id);
        if (orig && agg.def) {
            std::vector<std::string> ignored;
            resolveNodeAttrs(*orig, *agg.def, &agg.attrs, &ignored);
        }
        for (auto& m : ci.members) {
            auto it = a->nodes.find(m);
            if (it == a->nodes.end() || !it->second.ok) { agg.ok = false; continue; }
            agg.paramCount += it->second.weightNode == m ? it->second.paramCount : 0;
            agg.flops += it->second.flops;
            agg.bytes += it->second.bytes;
            agg.activationBytes += it->second.activationBytes;
        }
        if (agg.def)
            for (auto& p : agg.def->outputs) {
                auto it = ci.outputs.find(p.name);
                const TensorType* t = it == ci.outputs.end() ? nullptr : a->outputType(it->second);
                if (!t) { agg.ok = false; break; }
                agg.outputs.push_back(*t);
            }
        a->nodes[id] = std::move(agg);
    }
}

// A weight-tied node (weights_of) must find each of its parameters, by name and shape,
// on the node it names.
void checkTiedWeights(Analysis* a) {
    for (auto& id : a->order) {
        NodeInfo& info = a->nodes[id];
        if (!info.ok || info.weightNode == id) continue;
        const std::string& src = info.weightNode;
        auto it = a->nodes.find(src);
        if (it == a->nodes.end() || !a->flat->node(src)) {
            a->errors.push_back({id, "", "node " + q(id) + ": weights_of names " + q(src) +
                                             ", which is not a primitive node of this design (name an existing node; for a block, one of its inner nodes such as " +
                                             q(src + "/...") + ")"});
            info.ok = false;
            continue;
        }
        if (!it->second.ok) continue;  // reported there
        for (auto& p : info.params) {
            auto pit = std::find_if(it->second.params.begin(), it->second.params.end(), [&](const ParamSpec& s) { return s.name == p.name; });
            std::string why;
            if (pit == it->second.params.end())
                why = q(src) + " has no parameter " + q(p.name);
            else if (pit->shape != p.shape)
                why = "its parameter " + q(p.name) + " is " + shapeStr(p.shape) + " but " + q(src) + "'s is " + shapeStr(pit->shape);
            if (why.empty()) continue;
            a->errors.push_back({id, "", "node " + q(id) + " ties its weights to " + q(src) + ", but " + why +
                                             " (change the attributes so the shapes agree, or remove weights_of)"});
            info.ok = false;
            break;
        }
    }
}

}  // namespace

bool parseBinding(const std::string& text, std::string* name, int64_t* value, std::string* err) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) { *err = "expected NAME=VALUE, got \"" + text + "\""; return false; }
    *name = text.substr(0, eq);
    std::string v = text.substr(eq + 1);
    if (v.empty() || v.size() > 15 || !std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        *err = "value of " + *name + " must be a positive integer, got \"" + v + "\"";
        return false;
    }
    *value = std::stoll(v);
    if (*value <= 0) { *err = "value of " + *name + " must be positive"; return false; }
    return true;
}

std::string Analysis::errorText() const {
    std::string r;
    for (auto& d : errors) r += d.message + "\n";
    return r;
}

const TensorType* Analysis::outputType(const PortRef& p) const {
    auto it = nodes.find(p.node);
    if (it == nodes.end() || !it->second.def) return nullptr;
    int i = it->second.def->outputIndex(p.port);
    if (i < 0 || i >= int(it->second.outputs.size())) return nullptr;
    return &it->second.outputs[size_t(i)];
}

Analysis analyze(const Graph& g, const AnalyzeOptions& opt) { return analyze(g, opt, OpRegistry::global()); }

Analysis analyze(const Graph& gIn, const AnalyzeOptions& opt, const OpRegistry& reg) {
    Analysis a;
    a.bindings = gIn.defaultBindings();
    for (auto& [k, v] : opt.bindings) {
        if (!a.bindings.count(k))
            a.errors.push_back({"", "", "unknown size " + q(k) + " (the design declares: " + [&] {
                std::string s;
                for (auto& sym : gIn.symbols) s += (s.empty() ? "" : ", ") + sym.name;
                return s.empty() ? std::string("none") : s;
            }() + ")"});
        a.bindings[k] = v;
    }
    for (auto& [k, v] : a.bindings)
        if (v <= 0) a.errors.push_back({"", "", "size " + q(k) + " must be positive, got " + std::to_string(v)});

    FlattenResult fr;
    if (!flattenGraph(gIn, reg, &fr)) {
        for (auto& e : fr.errors) a.errors.push_back({"", "", e});
        a.flat = std::make_shared<Graph>(gIn);
        return a;
    }
    a.flat = std::make_shared<Graph>(std::move(fr.flat));
    a.composites = std::move(fr.composites);
    const Graph& g = *a.flat;

    // Ops and ids.
    for (auto& n : g.nodes()) {
        NodeInfo& info = a.nodes[n.id];
        if (!isValidPathId(n.id)) a.errors.push_back({n.id, "", "node id " + q(n.id) + " is not valid (letters, digits, _ . -; starts with a letter)"});
        info.def = reg.find(n.op);
        if (!info.def && gIn.plugins.count(n.op)) {
            a.errors.push_back({n.id, "", "node " + q(n.id) + ": op " + q(n.op) + " comes from plugin " + q(gIn.plugins.at(n.op)) +
                                              " which is not installed; install it into " + userPluginDir() + " or pass --plugin PATH"});
        } else if (!info.def) {
            std::string hint = reg.suggest(n.op);
            a.errors.push_back({n.id, "", "node " + q(n.id) + ": unknown op " + q(n.op) +
                                              (hint.empty() ? " (see `archscope ops`)" : " (did you mean " + q(hint) + "?)")});
        }
    }
    // Edges: both ends must exist and name real ports.
    std::set<PortRef> fed;
    for (auto& e : g.edges()) {
        const Node* src = g.node(e.from.node);
        const Node* dst = g.node(e.to.node);
        std::string edgeName = e.from.node + ":" + e.from.port + " -> " + e.to.node + ":" + e.to.port;  // as written in the file
        if (!src) { a.errors.push_back({e.to.node, e.to.port, "edge " + edgeName + ": source node " + q(e.from.node) + " does not exist"}); continue; }
        if (!dst) { a.errors.push_back({e.from.node, e.from.port, "edge " + edgeName + ": target node " + q(e.to.node) + " does not exist"}); continue; }
        const OpDef* sd = a.nodes[src->id].def;
        const OpDef* dd = a.nodes[dst->id].def;
        if (sd && !sd->findOutput(e.from.port))
            a.errors.push_back({src->id, e.from.port, "node " + q(src->id) + " has no output " + q(e.from.port) + " (op " + q(sd->id) + ")"});
        if (dd && !dd->findInput(e.to.port))
            a.errors.push_back({dst->id, e.to.port, "node " + q(dst->id) + " has no input " + q(e.to.port) + " (op " + q(dd->id) + ")"});
        if (!fed.insert(e.to).second)
            a.errors.push_back({dst->id, e.to.port, "node " + q(dst->id) + " input " + q(e.to.port) + ": more than one edge feeds it"});
    }
    std::vector<std::string> cycle;
    if (!g.topoOrder(&a.order, &cycle)) {
        std::string path;
        for (auto& c : cycle) path += q(c) + " -> ";
        if (!cycle.empty()) path += q(cycle.front());
        a.errors.push_back({cycle.empty() ? "" : cycle.front(), "", "the graph has a cycle: " + path + " (remove one of these edges)"});
        return a;
    }
    if (!a.errors.empty()) return a;

    for (auto& id : a.order) {
        const Node& n = *g.node(id);
        NodeInfo& info = a.nodes[id];
        const OpDef& def = *info.def;
        std::vector<std::string> attrErrs;
        if (!resolveNodeAttrs(n, def, &info.attrs, &attrErrs)) {
            for (auto& e : attrErrs) a.errors.push_back({id, "", e});
            continue;
        }
        info.weightNode = n.weightsOf.empty() ? id : n.weightsOf;
        bool ready = true;
        info.inputs.assign(def.inputs.size(), std::nullopt);
        info.sources.assign(def.inputs.size(), "");
        for (size_t i = 0; i < def.inputs.size(); ++i) {
            const PortDef& p = def.inputs[i];
            auto src = g.source({id, p.name});
            if (!src) {
                if (!p.optional) {
                    a.errors.push_back({id, p.name, "node " + q(id) + " input " + q(p.name) + ": not connected (connect an output to it)"});
                    ready = false;
                }
                continue;
            }
            info.sources[i] = src->node;
            const NodeInfo& si = a.nodes[src->node];
            if (!si.ok) { ready = false; continue; }  // reported at the source already
            const TensorType* t = a.outputType(*src);
            if (!t) {
                a.errors.push_back({id, p.name, "node " + q(id) + " input " + q(p.name) + ": output " + q(src->port) + " of " +
                                                     q(src->node) + " is not produced with these attributes"});
                ready = false;
                continue;
            }
            if (!portAccepts(p.type, t->dtype)) {
                a.errors.push_back({id, p.name, "node " + q(id) + " input " + q(p.name) + ": expected " + portTypeName(p.type) +
                                                     ", got " + dtypeName(t->dtype) + " from " + q(src->node)});
                ready = false;
                continue;
            }
            info.inputs[i] = *t;
        }
        if (!ready) continue;

        InferCtx ctx(id, def.inputs, info.attrs, info.inputs, info.sources, a.bindings);
        bool ok = false;
        try {
            ok = def.infer(ctx);
        } catch (const std::exception& ex) {
            ctx.error(std::string("shape inference failed: ") + ex.what());
        }
        for (auto& e : ctx.errors()) a.errors.push_back({id, "", e});
        if (!ok || !ctx.errors().empty()) continue;

        bool sizeOk = true;
        for (size_t o = 0; o < ctx.outputs.size(); ++o) {
            const Shape& s = ctx.outputs[o].shape;
            int64_t numel = 1;
            bool overflow = false;
            for (auto& d : s) {
                if (d.value() <= 0) {
                    a.errors.push_back({id, def.outputs[o].name, "node " + q(id) + " output " + q(def.outputs[o].name) + ": dimension " +
                                                                      d.str() + " in " + shapeStr(s) + " is not positive"});
                    sizeOk = false;
                }
                overflow |= __builtin_mul_overflow(numel, std::max<int64_t>(d.value(), 1), &numel);
            }
            if (sizeOk && (overflow || numel > opt.maxElements)) {
                a.errors.push_back({id, def.outputs[o].name, "node " + q(id) + " output " + q(def.outputs[o].name) + ": tensor " + shapeStr(s) +
                                                                  " has " + (overflow ? std::string("more than 2^63") : std::to_string(numel)) +
                                                                  " elements, over the limit of " + std::to_string(opt.maxElements) +
                                                                  " (lower the sizes or raise the limit with --max-elements)"});
                sizeOk = false;
            }
        }
        for (auto& p : ctx.params) {
            int64_t numel = 1;
            bool overflow = false;
            for (auto d : p.shape) overflow |= d <= 0 || __builtin_mul_overflow(numel, d, &numel);
            if (overflow || numel > opt.maxElements) {
                a.errors.push_back({id, "", "node " + q(id) + " parameter " + q(p.name) + ": shape " + shapeStr(p.shape) +
                                                " is invalid or over the limit of " + std::to_string(opt.maxElements) + " elements"});
                sizeOk = false;
            }
            info.paramCount += numel;
        }
        if (!sizeOk) continue;
        info.outputs = ctx.outputs;
        info.params = ctx.params;
        for (auto& t : info.outputs) info.activationBytes += shapeNumel(t.shape) * int64_t(dtypeSize(t.dtype));
        info.flops = def.flops ? def.flops(ctx) : 0;
        if (def.bytes) {
            info.bytes = def.bytes(ctx);
        } else {
            info.bytes = info.activationBytes + info.paramCount * 4;
            for (auto& t : info.inputs)
                if (t) info.bytes += shapeNumel(t->shape) * int64_t(dtypeSize(t->dtype));
        }
        info.ok = true;
        if (info.weightNode == id) a.totalParams += info.paramCount;
        a.totalFlops += info.flops;
        a.totalBytes += info.bytes;
        a.totalActivationBytes += info.activationBytes;
    }
    checkTiedWeights(&a);
    aggregateComposites(gIn, reg, &a);
    return a;
}

}  // namespace archscope
