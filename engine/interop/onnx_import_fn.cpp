// Calls of "archscope.fn" model-local functions (how `archscope export` writes
// ops without a 1:1 ONNX op, format in onnx_export_fn.h) back onto the op: the
// op id is the function name up to the first '.', the node's attributes are
// the op's, and the function's formal input names say which input ports are
// connected and which inputs are parameters; the remaining (aux) inputs and
// the body are not needed. Calls of functions of other domains are reported
// as unsupported by onnx_plugin.cpp, with the domain.
#include "interop/onnx_importer.h"
#include "interop/onnx_plugin.h"

#if ARCHSCOPE_HAVE_ONNX

namespace archscope::onnxin {

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }

bool convertCall(Importer& im) {
    const onnx::NodeProto& n = *im.node;
    const std::string& type = n.op_type();
    const std::string id = type.substr(0, type.find('.'));
    auto fit = im.functions.find(n.domain() + "\n" + type);
    if (fit == im.functions.end()) return im.unsupported("call of function " + q(type) + " that the model does not define");
    const onnx::FunctionProto& f = *fit->second;
    const OpDef* def = OpRegistry::global().find(id);
    if (!def || !def->plugin.empty() || def->isComposite() || id == "input" || id == "output")
        return im.unsupported("function " + q(type) + " of domain " + q(n.domain()) + " names no core op " + q(id) +
                              " that a call can stand for (a newer archscope's export?)");
    if (f.input_size() != n.input_size())
        return im.unsupported(std::to_string(n.input_size()) + " inputs to function " + q(type) + ", which takes " + std::to_string(f.input_size()));
    const std::string whose = " (function " + q(type) + ")";
    std::map<std::string, AttrValue> attrs;
    if (!attrsFromNode(im, *def, whose, &attrs)) return false;
    std::map<std::string, int> formal;  // formal input name -> input index
    for (int j = 0; j < f.input_size(); ++j) formal[f.input(j)] = j;
    std::vector<PortRef> ins(def->inputs.size());
    for (size_t i = 0; i < def->inputs.size(); ++i) {
        const std::string& port = def->inputs[i].name;
        auto it = formal.find(port);
        if (it == formal.end() || !im.in(it->second)) {
            if (!def->inputs[i].optional) return im.unsupported("function " + q(type) + " without input " + q(port) + " of op " + q(id));
            continue;
        }
        ins[i] = im.port(it->second);
    }
    std::map<std::string, Tensor> params;
    for (auto& p : paramsFor(im, *def, attrs, ins, whose)) {
        auto it = formal.find(p.name);
        const Value* v = it == formal.end() ? nullptr : im.in(it->second);
        if (!v || !v->isConst) return im.unsupported("parameter " + q(p.name) + whose + " that is not a constant initializer");
        params[p.name] = v->data;
    }
    auto outs = im.emit(id, attrs, ins, params);
    for (size_t k = 0; k < outs.size(); ++k) im.setPort(int(k), outs[k]);
    return true;
}

}  // namespace

bool convertFnNode(Importer& im) {
    for (auto& i : im.node->input())
        if (!i.empty() && !im.value(i)) return false;  // its failed producer is reported
    try {
        return convertCall(im);
    } catch (const Unsupported& e) {
        return im.unsupported(e.what());
    } catch (const ImportError& e) {
        throw ImportError("node \"" + im.node->name() + "\" (" + im.node->domain() + "." + im.node->op_type() + "): " + e.what());
    }
}

}  // namespace archscope::onnxin

#endif
