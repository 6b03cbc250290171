// Adapts a plugin's archscope_op_def into an OpDef (see plugin_adapter.h).
//
// Every call into the plugin is wrapped: a non-zero return becomes an error
// naming the plugin, and a C++ exception that escapes the plugin (which the
// ABI forbids, but which works when plugin and app share the C++ runtime) is
// caught and reported the same way. Shape inference results are checked
// before the engine uses them, so a buggy plugin yields a message, not a crash.
#include "plugins/plugin_adapter.h"

#include "graph/design_io.h"
#include "graph/graph.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <set>
#include <stdexcept>

namespace archscope {

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }
std::string str(const char* s) { return s ? std::string(s) : std::string(); }
std::string msgOf(const char* buf) { return buf[0] ? std::string(buf, strnlen(buf, ARCHSCOPE_ERROR_MAX)) : "no message given"; }

// Calls fn(), turning a non-zero result or an exception into *err.
template <class F>
bool guarded(const std::string& plugin, const char* what, const char* errBuf, F fn, std::string* err) {
    int rc = 0;
    try {
        rc = fn();
    } catch (const std::exception& e) {
        *err = "plugin " + q(plugin) + ": " + what + " threw: " + e.what();
        return false;
    } catch (...) {
        *err = "plugin " + q(plugin) + ": " + what + " threw an unknown exception";
        return false;
    }
    if (rc != 0) { *err = "plugin " + q(plugin) + ": " + what + " failed: " + msgOf(errBuf); return false; }
    return true;
}

bool checkPorts(const archscope_port_def* ports, int32_t n, const char* kind, bool inputs, std::vector<PortDef>* out, std::string* err) {
    if (n < 0 || (n > 0 && !ports)) { *err = std::string(kind) + ": count " + std::to_string(n) + " with no array"; return false; }
    if (!inputs && n > ARCHSCOPE_MAX_OUTPUTS) { *err = "more than " + std::to_string(ARCHSCOPE_MAX_OUTPUTS) + " outputs"; return false; }
    std::set<std::string> seen;
    for (int32_t i = 0; i < n; ++i) {
        const archscope_port_def& p = ports[i];
        std::string name = str(p.name);
        if (!isValidId(name)) { *err = std::string(kind) + " " + std::to_string(i) + ": name " + q(name) + " is not a valid id"; return false; }
        if (!seen.insert(name).second) { *err = std::string(kind) + " " + q(name) + " is declared twice"; return false; }
        if (p.type < ARCHSCOPE_PORT_F32 || p.type > ARCHSCOPE_PORT_ANY) { *err = std::string(kind) + " " + q(name) + ": unknown port type " + std::to_string(p.type); return false; }
        PortDef d;
        d.name = name;
        d.type = p.type == ARCHSCOPE_PORT_F32 ? PortType::F32 : p.type == ARCHSCOPE_PORT_I64 ? PortType::I64 : PortType::Any;
        d.doc = str(p.doc);
        d.optional = inputs && p.optional != 0;
        out->push_back(d);
    }
    return true;
}

}  // namespace

bool adaptPluginAttr(const archscope_attr_def& a, AttrDef* d, std::string* err) {
    d->name = str(a.name);
    d->doc = str(a.doc);
    d->required = a.required != 0;
    if (!isValidId(d->name)) { *err = "attribute name " + q(d->name) + " is not a valid id"; return false; }
    const std::string w = "attribute " + q(d->name) + ": ";
    switch (a.type) {  // attribute value types, not ops
    case ARCHSCOPE_ATTR_INT: d->type = AttrType::Int; d->def = a.default_int; break;
    case ARCHSCOPE_ATTR_FLOAT: d->type = AttrType::Float; d->def = a.default_float; break;
    case ARCHSCOPE_ATTR_BOOL: d->type = AttrType::Bool; d->def = a.default_int != 0; break;
    case ARCHSCOPE_ATTR_STRING: d->type = AttrType::String; d->def = str(a.default_string); break;
    case ARCHSCOPE_ATTR_SHAPE: d->type = AttrType::Shape; d->def = str(a.default_string); break;
    case ARCHSCOPE_ATTR_ENUM:
        d->type = AttrType::Enum;
        if (a.choice_count <= 0 || !a.choices) { *err = w + "an enum needs choices"; return false; }
        for (int32_t i = 0; i < a.choice_count; ++i) d->choices.push_back(str(a.choices[i]));
        d->def = str(a.default_string);
        if (!d->required && std::find(d->choices.begin(), d->choices.end(), str(a.default_string)) == d->choices.end()) {
            *err = w + "default " + q(str(a.default_string)) + " is not one of its choices";
            return false;
        }
        break;
    case ARCHSCOPE_ATTR_INTS:
        d->type = AttrType::Ints;
        if (a.default_ints_count < 0 || (a.default_ints_count > 0 && !a.default_ints)) { *err = w + "default_ints_count with no array"; return false; }
        d->def = std::vector<int64_t>(a.default_ints, a.default_ints + a.default_ints_count);
        break;
    default: *err = w + "unknown type " + std::to_string(a.type); return false;
    }
    if (a.has_range && (d->type == AttrType::Int || d->type == AttrType::Float)) {
        if (!(a.min <= a.max)) { *err = w + "range min > max"; return false; }
        d->min = a.min;
        d->max = a.max;
        double v = d->type == AttrType::Int ? double(a.default_int) : a.default_float;
        if (!d->required && (v < a.min || v > a.max)) { *err = w + "default is outside its range"; return false; }
    }
    return true;
}

namespace {

// The plugin's infer() on the node's current inputs; false with (*input, *err) on failure.
bool runInfer(const archscope_op_def& src, const std::string& plugin, const OpDef& def, const InferCtx& c,
              archscope_infer_args* a, int* input, std::string* err) {
    AttrPack ap(def, c.attrs);
    std::vector<archscope_type> ins(def.inputs.size());
    for (size_t i = 0; i < ins.size(); ++i) {
        archscope_type& t = ins[i];
        t = {};
        if (!c.has(int(i))) continue;
        if (c.rank(int(i)) > ARCHSCOPE_MAX_RANK) {
            *input = int(i);
            *err = "rank " + std::to_string(c.rank(int(i))) + " is more than plugin ops accept (" + std::to_string(ARCHSCOPE_MAX_RANK) + ")";
            return false;
        }
        t.present = 1;
        t.dtype = c.in(int(i)).dtype == DType::F32 ? ARCHSCOPE_F32 : ARCHSCOPE_I64;
        t.rank = c.rank(int(i));
        for (int d = 0; d < t.rank; ++d) t.dims[d] = c.shape(int(i))[size_t(d)].value();
    }
    std::memset(a, 0, sizeof *a);
    a->attrs = ap.values.data();
    a->attr_count = int32_t(ap.values.size());
    a->inputs = ins.data();
    a->input_count = int32_t(ins.size());
    a->bytes = -1;
    a->error_input = -1;
    int rc = 0;
    try {
        rc = src.infer(a);
    } catch (...) {  // forbidden by the ABI; reported like a failing kernel
        std::string why;
        guarded(plugin, "shape inference", a->error, []() -> int { throw; }, &why);  // rethrown to format it
        *err = why;
        return false;
    }
    if (rc == 0) return true;
    // The plugin rejected the inputs: its message is about the design, like a core op's.
    *input = a->error_input >= 0 && a->error_input < int(def.inputs.size()) ? a->error_input : -1;
    *err = a->error[0] ? msgOf(a->error) : "plugin " + q(plugin) + " rejected the inputs (no message given)";
    return false;
}

// Checks the plugin's answer and writes outputs and params into `c`.
bool applyInfer(const archscope_infer_args& a, const std::string& plugin, const OpDef& def, InferCtx& c) {
    const std::string bug = "plugin " + q(plugin) + " (op " + q(def.id) + ") ";
    if (a.output_count < 0 || a.output_count > int(def.outputs.size())) return c.error(bug + "returned " + std::to_string(a.output_count) + " outputs");
    if (a.param_count < 0 || a.param_count > ARCHSCOPE_MAX_PARAMS) return c.error(bug + "returned " + std::to_string(a.param_count) + " parameters");
    for (int32_t o = 0; o < a.output_count; ++o) {
        const archscope_output_type& t = a.outputs[o];
        if (t.rank < 0 || t.rank > ARCHSCOPE_MAX_RANK) return c.error(bug + "returned rank " + std::to_string(t.rank) + " for output " + std::to_string(o));
        if (t.dtype != ARCHSCOPE_F32 && t.dtype != ARCHSCOPE_I64) return c.error(bug + "returned an unknown dtype for output " + std::to_string(o));
        Shape s;
        for (int32_t k = 0; k < t.rank; ++k) {
            const archscope_dim& d = t.dims[k];
            if (d.input < 0) { s.push_back(Dim(d.value)); continue; }
            if (!c.has(d.input)) return c.error(bug + "copied a dimension of input " + std::to_string(d.input) + ", which is not connected");
            int r = c.rank(d.input), ax = d.axis < 0 ? d.axis + r : d.axis;
            if (ax < 0 || ax >= r) return c.error(bug + "copied axis " + std::to_string(d.axis) + " of a rank-" + std::to_string(r) + " input");
            s.push_back(c.shape(d.input)[size_t(ax)]);
        }
        c.out(s, t.dtype == ARCHSCOPE_F32 ? DType::F32 : DType::I64);
    }
    for (int32_t p = 0; p < a.param_count; ++p) {
        const archscope_param_spec& ps = a.params[p];
        std::string name(ps.name, strnlen(ps.name, ARCHSCOPE_NAME_MAX));
        if (!isValidId(name)) return c.error(bug + "returned a parameter with an invalid name " + q(name));
        if (ps.rank < 0 || ps.rank > ARCHSCOPE_MAX_RANK || ps.init < ARCHSCOPE_INIT_ZEROS || ps.init > ARCHSCOPE_INIT_NORMAL)
            return c.error(bug + "returned parameter " + q(name) + " with a bad rank or init");
        const Init inits[] = {Init::Zeros, Init::Ones, Init::Uniform, Init::Normal};
        c.param(name, std::vector<int64_t>(ps.shape, ps.shape + ps.rank), inits[ps.init], ps.scale);
    }
    return true;
}

int64_t defaultBytes(const InferCtx& c) {
    int64_t b = 0;
    for (auto& t : c.inputs)
        if (t) b += shapeNumel(t->shape) * int64_t(dtypeSize(t->dtype));
    for (auto& t : c.outputs) b += shapeNumel(t.shape) * int64_t(dtypeSize(t.dtype));
    for (auto& p : c.params) {
        int64_t n = 1;
        for (auto d : p.shape) n *= d;
        b += n * 4;
    }
    return b;
}

archscope_tensor cTensor(const Tensor* t) {
    archscope_tensor r{};
    if (!t) return r;
    r.dtype = t->dtype() == DType::F32 ? ARCHSCOPE_F32 : ARCHSCOPE_I64;
    r.rank = t->rank();
    r.shape = t->shape().data();
    r.numel = t->numel();
    r.data = const_cast<void*>(t->raw());
    return r;
}

void installPrimitive(const archscope_op_def& src, const std::string& plugin, OpDef* d) {
    const archscope_op_def* s = &src;
    const OpDef* self = d;  // the OpDef outlives its own functions
    d->infer = [s, plugin, self](InferCtx& c) {
        archscope_infer_args a;
        int input = -1;
        std::string err;
        if (!runInfer(*s, plugin, *self, c, &a, &input, &err)) return input >= 0 ? c.error(input, err) : c.error(err);
        return applyInfer(a, plugin, *self, c);
    };
    // The cost comes from the same infer() call, repeated on the inferred context.
    d->flops = [s, plugin, self](const InferCtx& c) -> int64_t {
        archscope_infer_args a;
        int input = -1;
        std::string err;
        return runInfer(*s, plugin, *self, c, &a, &input, &err) ? std::max<int64_t>(a.flops, 0) : 0;
    };
    d->bytes = [s, plugin, self](const InferCtx& c) -> int64_t {
        archscope_infer_args a;
        int input = -1;
        std::string err;
        bool ok = runInfer(*s, plugin, *self, c, &a, &input, &err);
        return ok && a.bytes >= 0 ? a.bytes : defaultBytes(c);
    };
    d->cpu = [s, plugin, self](KernelCtx& k) {
        AttrPack ap(*self, k.attrs);
        std::vector<archscope_tensor> ins, ps, outs;
        for (auto* t : k.inputs) ins.push_back(cTensor(t));
        for (auto* t : k.params) ps.push_back(cTensor(t));
        for (auto* t : k.outputs) outs.push_back(cTensor(t));
        archscope_kernel_args a;
        std::memset(&a, 0, sizeof a);
        a.attrs = ap.values.data();
        a.attr_count = int32_t(ap.values.size());
        a.inputs = ins.data();
        a.input_count = int32_t(ins.size());
        a.params = ps.data();
        a.param_count = int32_t(ps.size());
        a.outputs = outs.data();
        a.output_count = int32_t(outs.size());
        std::string err;
        if (!guarded(plugin, "CPU kernel", a.error, [&] { return s->cpu(&a); }, &err)) throw std::runtime_error(err);
    };
}

void installComposite(const archscope_op_def& src, const std::string& plugin, OpDef* d) {
    const archscope_op_def* s = &src;
    const OpDef* self = d;
    d->expand = [s, plugin, self](const Attrs& attrs, Graph* body, std::string* err) {
        AttrPack ap(*self, attrs);
        std::string buf(size_t(1) << 16, '\0');
        archscope_expand_args a;
        for (int attempt = 0;; ++attempt) {
            std::memset(&a, 0, sizeof a);
            a.attrs = ap.values.data();
            a.attr_count = int32_t(ap.values.size());
            a.body = buf.data();
            a.capacity = buf.size();
            if (!guarded(plugin, "expand", a.error, [&] { return s->expand(&a); }, err)) return false;
            if (a.length < a.capacity) break;
            if (attempt > 0 || a.length > (size_t(1) << 28)) { *err = "plugin " + q(plugin) + ": expand wrote a body of " + std::to_string(a.length) + " bytes twice"; return false; }
            buf.assign(a.length + 1, '\0');
        }
        std::string text(buf.data(), strnlen(buf.data(), a.capacity));
        auto j = nlohmann::ordered_json::parse(text, nullptr, false);
        const std::string where = "plugin " + q(plugin) + " op " + q(self->id) + " body";
        if (j.is_discarded() || !j.is_object()) { *err = where + ": not a JSON object"; return false; }
        if (!j.contains("format")) j["format"] = "archscope.design";
        if (!j.contains("version")) j["version"] = kDesignFormatVersion;
        LoadResult r = parseDesign(j.dump(), where, body);
        if (!r.ok) *err = r.error;
        return r.ok;
    };
}

}  // namespace

AttrPack::AttrPack(const OpDef& def, const Attrs& attrs) : AttrPack(def.attrs, attrs) {}

AttrPack::AttrPack(const std::vector<AttrDef>& defs, const Attrs& attrs) {
    for (auto& d : defs) {
        archscope_attr_value v{};
        v.s = "";
        if (attrs.has(d.name)) {
            const AttrValue& x = attrs.value(d.name);
            if (auto* i = std::get_if<int64_t>(&x)) { v.i = *i; v.f = double(*i); }
            else if (auto* f = std::get_if<double>(&x)) v.f = *f;
            else if (auto* b = std::get_if<bool>(&x)) v.i = *b ? 1 : 0;
            else if (auto* s = std::get_if<std::string>(&x)) v.s = s->c_str();
            else if (auto* l = std::get_if<std::vector<int64_t>>(&x)) { v.ints = l->data(); v.ints_count = int32_t(l->size()); }
        }
        values.push_back(v);
    }
}

bool adaptPluginOp(const archscope_op_def& src, const std::string& plugin, std::shared_ptr<OpDef>* out, std::string* err) {
    auto d = std::make_shared<OpDef>();
    d->id = str(src.id);
    if (!isValidId(d->id)) { *err = "op id " + q(d->id) + " is not valid (letters, digits, _ . -; starts with a letter)"; return false; }
    d->displayName = src.display_name ? src.display_name : d->id;
    d->category = src.category ? src.category : "Plugin";
    d->doc = str(src.doc);
    d->plugin = plugin;
    std::string why;
    if (!checkPorts(src.inputs, src.input_count, "input", true, &d->inputs, &why) ||
        !checkPorts(src.outputs, src.output_count, "output", false, &d->outputs, &why)) {
        *err = "op " + q(d->id) + ": " + why;
        return false;
    }
    if (src.attr_count < 0 || (src.attr_count > 0 && !src.attrs)) { *err = "op " + q(d->id) + ": attr_count with no array"; return false; }
    std::set<std::string> seen;
    for (int32_t i = 0; i < src.attr_count; ++i) {
        AttrDef a;
        if (!adaptPluginAttr(src.attrs[i], &a, &why)) { *err = "op " + q(d->id) + ": " + why; return false; }
        if (!seen.insert(a.name).second) { *err = "op " + q(d->id) + ": attribute " + q(a.name) + " is declared twice"; return false; }
        d->attrs.push_back(std::move(a));
    }
    if (src.expand) {
        installComposite(src, plugin, d.get());
    } else {
        if (!src.infer || !src.cpu) { *err = "op " + q(d->id) + ": a primitive op needs both infer and cpu (or set expand for a composite)"; return false; }
        installPrimitive(src, plugin, d.get());
    }
    *out = std::move(d);
    return true;
}

}  // namespace archscope
