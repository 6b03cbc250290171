// Plugin ops as custom-domain ONNX nodes: the naming, attributes and opset
// entries shared by the export, and the import of such a node (onnx_plugin.h).
#include "interop/onnx_plugin.h"

#if ARCHSCOPE_HAVE_ONNX

#include "core/registry.h"
#include "graph/flatten.h"
#include "interop/onnx_importer.h"
#include "plugins/plugin_loader.h"

#include <cctype>

namespace archscope {

namespace {
const std::string kPrefix = "archscope.plugin.";
std::string q(const std::string& s) { return "\"" + s + "\""; }
}  // namespace

namespace onnxplugin {

std::string domainOf(const std::string& plugin) { return kPrefix + plugin; }

bool pluginOfDomain(const std::string& domain, std::string* plugin) {
    if (domain.size() <= kPrefix.size() || domain.compare(0, kPrefix.size(), kPrefix) != 0) return false;
    *plugin = domain.substr(kPrefix.size());
    return true;
}

int64_t opsetVersionOf(const std::string& version) {
    int64_t v = 0;
    for (char c : version) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || v > 100000000) break;
        v = v * 10 + (c - '0');
    }
    return v < 1 ? 1 : v;
}

void setAttributes(onnx::NodeProto* p, const OpDef& def, const Attrs& attrs) {
    using A = onnx::AttributeProto;
    for (auto& d : def.attrs) {
        if (!attrs.has(d.name)) continue;  // a required attribute is always set in a valid design
        const AttrValue& v = attrs.value(d.name);
        A* a = p->add_attribute();
        a->set_name(d.name);
        if (auto* i = std::get_if<int64_t>(&v)) { a->set_type(A::INT); a->set_i(*i); }
        else if (auto* b = std::get_if<bool>(&v)) { a->set_type(A::INT); a->set_i(*b ? 1 : 0); }
        else if (auto* f = std::get_if<double>(&v)) { a->set_type(A::FLOAT); a->set_f(float(*f)); }
        else if (auto* s = std::get_if<std::string>(&v)) { a->set_type(A::STRING); a->set_s(*s); }
        else if (auto* l = std::get_if<std::vector<int64_t>>(&v)) {
            a->set_type(A::INTS);
            for (auto x : *l) a->add_ints(x);
        }
    }
}

void addPluginOpsets(onnx::ModelProto* m, const std::set<std::string>& plugins) {
    const auto records = pluginRecords();
    for (auto& name : plugins) {
        std::string version;
        for (auto& r : records)
            if (r.ok() && r.name == name) version = r.version;
        auto* os = m->add_opset_import();
        os->set_domain(domainOf(name));
        os->set_version(opsetVersionOf(version));
        auto* md = m->add_metadata_props();
        md->set_key(domainOf(name) + ".version");
        md->set_value(version.empty() ? "unknown" : version);
    }
}

}  // namespace onnxplugin

namespace onnxin {

namespace {

// The design value of ONNX attribute `a` for attribute `d`; false with *why.
bool attrFromOnnx(const onnx::AttributeProto& a, const AttrDef& d, AttrValue* out, std::string* why) {
    using A = onnx::AttributeProto;
    const bool intLike = d.type == AttrType::Int || d.type == AttrType::Bool;
    const bool strLike = d.type == AttrType::String || d.type == AttrType::Enum || d.type == AttrType::Shape;
    if (intLike && a.type() == A::INT) *out = d.type == AttrType::Bool ? AttrValue(a.i() != 0) : AttrValue(int64_t(a.i()));
    else if (d.type == AttrType::Float && a.type() == A::FLOAT) *out = double(a.f());
    else if (d.type == AttrType::Float && a.type() == A::INT) *out = double(a.i());
    else if (strLike && a.type() == A::STRING) *out = a.s();
    else if (d.type == AttrType::Ints && a.type() == A::INTS) *out = std::vector<int64_t>(a.ints().begin(), a.ints().end());
    else return *why = "attribute " + q(a.name()) + " has ONNX type " + std::to_string(int(a.type())) + ", the op takes " + attrTypeName(d.type), false;
    return true;
}

}  // namespace

bool attrsFromNode(Importer& im, const OpDef& def, const std::string& whose, std::map<std::string, AttrValue>* attrs) {
    for (auto& a : im.node->attribute()) {
        const AttrDef* d = nullptr;
        for (auto& x : def.attrs)
            if (x.name == a.name()) d = &x;
        if (!d) return im.unsupported("attribute " + q(a.name()) + " unknown to op " + q(def.id) + whose);
        std::string why;
        if (!attrFromOnnx(a, *d, &(*attrs)[a.name()], &why)) return im.unsupported(why);
    }
    return true;
}

std::vector<ParamSpec> paramsFor(Importer& im, const OpDef& def, const std::map<std::string, AttrValue>& attrs, const std::vector<PortRef>& ins,
                                 const std::string& whose) {
    const size_t nIn = def.inputs.size();
    std::vector<std::optional<TensorType>> types(nIn);
    std::vector<std::string> srcs(nIn);
    for (size_t i = 0; i < nIn && i < ins.size(); ++i) {
        if (ins[i].node.empty()) continue;
        types[i] = im.typeOf(ins[i]);
        srcs[i] = ins[i].node;
    }
    Node probe;
    probe.id = "probe";
    probe.op = def.id;
    probe.attrs = attrs;
    Attrs resolved;
    std::vector<std::string> errs;
    if (!resolveNodeAttrs(probe, def, &resolved, &errs)) throw ImportError(errs.front());
    Bindings none;
    InferCtx c(probe.id, def.inputs, resolved, types, srcs, none);
    if (!def.infer(c) || !c.errors().empty())
        throw ImportError("op " + q(def.id) + whose + " rejects its inputs: " + (c.errors().empty() ? "shape inference failed" : c.errors().front()));
    return c.params;
}

bool convertPluginNode(Importer& im) {
    const onnx::NodeProto& n = *im.node;
    std::string plugin;
    if (!onnxplugin::pluginOfDomain(n.domain(), &plugin)) {
        if (im.functions.count(n.domain() + "\n" + n.op_type()))
            return im.unsupported("model-local function of domain " + q(n.domain()) + " (only \"archscope.fn\" functions are read)");
        return im.unsupported("custom domain " + q(n.domain()));
    }
    const std::string& id = n.op_type();
    const OpDef* def = OpRegistry::global().find(id);
    if (!def)
        return im.unsupported("op of plugin " + q(plugin) + " (domain " + q(n.domain()) + "), which is not loaded: install plugin " + q(plugin) +
                              " (`archscope plugins` lists what is loaded) or pass --plugin PATH");
    if (def->plugin != plugin)
        return im.unsupported("domain " + q(n.domain()) + " names plugin " + q(plugin) + ", but op " + q(id) + " comes from " +
                              (def->plugin.empty() ? std::string("the core ops") : "plugin " + q(def->plugin)));
    if (def->isComposite()) return im.unsupported("composite plugin op (write its members instead, as `archscope export` does)");
    const std::string whose = " of plugin " + q(plugin);
    std::map<std::string, AttrValue> attrs;
    if (!attrsFromNode(im, *def, whose + " (another plugin version?)", &attrs)) return false;
    // Parameter names and order come from the op's shape inference on these inputs.
    const size_t nIn = def->inputs.size();
    std::vector<PortRef> ins(nIn);
    for (size_t i = 0; i < nIn && int(i) < n.input_size(); ++i)
        if (im.in(int(i))) ins[i] = im.port(int(i));
    const std::vector<ParamSpec> ps = paramsFor(im, *def, attrs, ins, whose);
    if (size_t(n.input_size()) != nIn + ps.size())
        return im.unsupported(std::to_string(n.input_size()) + " inputs where op " + q(id) + " takes " + std::to_string(nIn) + " inputs and " +
                              std::to_string(ps.size()) + " parameters");
    std::map<std::string, Tensor> params;
    for (size_t j = 0; j < ps.size(); ++j) {
        const Value* v = im.in(int(nIn + j));
        if (!v || !v->isConst) return im.unsupported("parameter " + q(ps[j].name) + " that is not a constant initializer");
        params[ps[j].name] = v->data;
    }
    auto outs = im.emit(id, attrs, ins, params);
    for (size_t k = 0; k < outs.size(); ++k) im.setPort(int(k), outs[k]);
    return true;
}

}  // namespace onnxin

}  // namespace archscope

#endif
