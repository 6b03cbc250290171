// Ops without a 1:1 ONNX op as calls of model-local functions: the call
// writer (onnx_export_fn.h) and the pure data-movement ops (window_partition,
// window_reverse, patch_merge), whose body is Gather(Reshape(x, [-1]), index)
// with the op's index map as the aux input "index".
#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_export_fn.h"
#include "interop/onnx_plugin.h"

namespace archscope::onnxout {

namespace {

// Names written while building a body start with "<node id>/" or "<node id>.";
// the prefix is dropped so that the body is the same for every node. `exact`
// renames the names an ordinary op export gives its outputs and parameters
// (e.out(), e.param()) to the formal names.
struct Renamer {
    std::string prefix;
    std::map<std::string, std::string> exact;
    void name(std::string* s) const {
        if (auto it = exact.find(*s); it != exact.end()) *s = it->second;
        else if (s->size() > prefix.size() && s->compare(0, prefix.size(), prefix) == 0 &&
            ((*s)[prefix.size()] == '/' || (*s)[prefix.size()] == '.'))
            s->erase(0, prefix.size());
    }
    void node(onnx::NodeProto* n) const {
        name(n->mutable_name());
        for (auto& i : *n->mutable_input()) name(&i);
        for (auto& o : *n->mutable_output()) name(&o);
        for (auto& a : *n->mutable_attribute()) {
            if (a.has_g()) graph(a.mutable_g());
            for (auto& g : *a.mutable_graphs()) graph(&g);
        }
    }
    void graph(onnx::GraphProto* g) const {
        name(g->mutable_name());
        for (auto& v : *g->mutable_input()) name(v.mutable_name());
        for (auto& v : *g->mutable_output()) name(v.mutable_name());
        for (auto& n : *g->mutable_node()) node(&n);
    }
};

// The body's constants (initializers of `scratch`, parameters excepted) as
// Constant nodes first, then its nodes; names through `rn`.
void appendBody(onnx::FunctionProto* f, const onnx::GraphProto& scratch, const Renamer& rn) {
    for (auto& t : scratch.initializer()) {
        if (rn.exact.count(t.name())) continue;  // a parameter: a formal input
        onnx::NodeProto* c = f->add_node();
        c->set_op_type("Constant");
        c->set_name(t.name());
        c->add_output(t.name());
        rn.node(c);
        auto* a = c->add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto::TENSOR);
        *a->mutable_t() = t;
        a->mutable_t()->clear_name();
    }
    for (auto& n : scratch.node()) {
        onnx::NodeProto* c = f->add_node();
        *c = n;
        rn.node(c);
    }
}

// One function per distinct body: reuses an equal one named `base`, else takes
// the next free name (base, base_2, ...). Returns the name.
std::string addFunction(FunctionSet& fs, onnx::FunctionProto f, const std::string& base) {
    for (int k = 1;; ++k) {
        const std::string name = k == 1 ? base : base + "_" + std::to_string(k);
        f.set_name(name);
        auto it = fs.find(name);
        if (it == fs.end()) { fs.emplace(name, std::move(f)); return name; }
        if (it->second.SerializeAsString() == f.SerializeAsString()) return name;
    }
}

// An ordinary op export (its nodes and constants) as the body of a call.
FnExportFn asCall(ExportFn fn) {
    return [fn](Ex& e, FunctionSet& fs) { writeCall(e, fs, "", {}, fn); };
}

void gatherFnEx(Ex& e, FunctionSet& fs) {
    writeCall(e, fs, "", {{"index", gatherIndexMap(e)}}, [](Ex& b) {
        const std::string flat = b.op1("Reshape", {"x", b.constI("flat", {-1})});
        setInt(b.node("Gather", {flat, "index"}, {"y"}), "axis", 0);
    });
}

}  // namespace

void writeCall(Ex& e, FunctionSet& fs, const std::string& variant, const std::vector<std::pair<std::string, Tensor>>& aux,
               const BodyFn& body) {
    const OpDef& def = *e.info->def;
    onnx::FunctionProto f;
    f.set_domain(kFnDomain);
    std::vector<std::string> actual;
    for (int i = 0; i < int(def.inputs.size()); ++i)
        if (std::string x = e.in(i); !x.empty()) { actual.push_back(x); f.add_input(def.inputs[size_t(i)].name); }
    for (auto& p : e.info->params) { actual.push_back(e.param(p.name)); f.add_input(p.name); }
    for (auto& [name, t] : aux) { actual.push_back(e.init(name, t)); f.add_input(name); }
    for (auto& o : def.outputs) f.add_output(o.name);
    for (auto& a : def.attrs) f.add_attribute(a.name);
    auto* os = f.add_opset_import();
    os->set_domain("");
    os->set_version(17);

    // The body, written with the usual helpers; e.in(i) gives the port's formal name.
    onnx::GraphProto scratch;
    {
        struct Restore {  // also when the body throws an ExportError (reported, the export goes on)
            Ex& e;
            onnx::GraphProto* gp = e.gp;
            int aux = e.aux;
            std::map<PortRef, std::string> names = e.names;
            ~Restore() { e.gp = gp, e.aux = aux, e.names = std::move(names); }
        } restore{e};
        for (auto& port : def.inputs)
            if (auto src = e.a.graph().source({e.n->id, port.name})) e.names[*src] = port.name;
        e.gp = &scratch;
        e.aux = 0;
        body(e);
    }
    Renamer rn{e.n->id, {}};
    for (size_t k = 0; k < def.outputs.size(); ++k) rn.exact[e.n->id + (k ? ":" + def.outputs[k].name : "")] = def.outputs[k].name;
    for (auto& p : e.info->params) rn.exact[e.n->id + "." + p.name] = p.name;
    appendBody(&f, scratch, rn);
    const std::string name = addFunction(fs, std::move(f), def.id + (variant.empty() ? "" : "." + variant));
    std::vector<std::string> outs;
    for (int k = 0; k < int(def.outputs.size()); ++k) outs.push_back(e.out(k));
    onnx::NodeProto* call = e.node(name, actual, outs);
    call->set_domain(kFnDomain);
    onnxplugin::setAttributes(call, def, e.attrs());
}

const std::map<std::string, FnExportFn>& fnExportTable() {
    static const std::map<std::string, FnExportFn> t = {
        {"scan", scanFnEx},
        {"linear_mix", linearMixFnEx},
        {"window_partition", gatherFnEx},
        {"window_reverse", gatherFnEx},
        {"patch_merge", gatherFnEx},
        // No 1:1 ONNX op; the body is the op's subgraph export (onnx_export_more.cpp, onnx_export_moe.cpp).
        {"elu1", asCall(moreExportTable().at("elu1"))},
        {"keep_topk", asCall(moreExportTable().at("keep_topk"))},
        {"moe_route", asCall(moeRouteEx)},
        {"moe_experts", asCall(moeExpertsEx)},
    };
    return t;
}

void addFunctions(onnx::ModelProto* m, const FunctionSet& fs) {
    if (fs.empty()) return;
    auto* os = m->add_opset_import();
    os->set_domain(kFnDomain);
    os->set_version(1);
    for (auto& [name, f] : fs) *m->add_functions() = f;
}

}  // namespace archscope::onnxout

#endif
