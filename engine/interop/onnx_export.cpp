// ONNX export: one entry per core op in exportTable() writes the ONNX nodes of
// one primitive. Decompositions are written the way PyTorch exports them
// (GELU, RMSNorm), so a re-import lifts them back into the same core ops.
// Ops with no such form that the importer could read back (recurrences, window
// layouts) are calls of model-local functions (onnx_export_fn.h): one node
// per op, its attributes on the node, its decomposition in the function body.
#include "interop/export.h"

#if ARCHSCOPE_HAVE_ONNX

#include "core/registry.h"
#include "interop/onnx_export_ctx.h"
#include "interop/onnx_export_fn.h"
#include "interop/onnx_plugin.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>

namespace archscope {

namespace {

using namespace onnxout;

std::vector<int64_t> pair(const std::vector<int64_t>& v, int64_t def) {
    if (v.empty()) return {def, def};
    return {v[0], v.size() > 1 ? v[1] : v[0]};
}


ExportFn unary(const char* op) { return [op](Ex& e) { e.op1(op, {e.in(0)}, e.out()); }; }
ExportFn binary(const char* op) { return [op](Ex& e) { e.op1(op, {e.in(0), e.in(1)}, e.out()); }; }

// Clipped softmax (zeta, gamma not 1, 0): Softmax, then Mul (zeta - gamma), Add gamma, Clip to [0, 1].
void softmaxEx(Ex& e) {
    const float zeta = float(e.attrs().f("zeta")), gamma = float(e.attrs().f("gamma"));
    const bool clip = zeta != 1.0f || gamma != 0.0f;  // as the kernel decides
    std::string x = e.in(0);
    const double t = e.attrs().f("temperature");
    if (t != 1.0) x = e.op1("Div", {x, e.constF("temperature", {float(t)})});
    if (!e.in(1).empty()) x = e.op1("Add", {x, e.in(1)});
    const std::string s = clip ? e.tmp() : e.out();
    setInt(e.node("Softmax", {x}, {s}), "axis", e.attrs().i("axis"));
    if (!clip) return;
    const std::string st = e.op1("Add", {e.op1("Mul", {s, e.constF("stretch", {zeta - gamma})}), e.constF("gamma", {gamma})});
    e.op1("Clip", {st, e.constF("zero", {0.0f}), e.constF("one", {1.0f})}, e.out());
}

// The node's 2-D parameter `name`, transposed, as the initializer "<node>.<name>_t".
std::string transposedParam(Ex& e, const std::string& name) {
    const Tensor* w = e.w.find(e.info->weightNode, name);
    if (!w) throw ExportError("internal: no weight " + e.info->weightNode + "." + name);
    Tensor t(DType::F32, {w->dim(1), w->dim(0)});
    for (int64_t i = 0; i < w->dim(0); ++i)
        for (int64_t j = 0; j < w->dim(1); ++j) t.f32()[j * w->dim(0) + i] = w->f32()[i * w->dim(1) + j];
    return e.init(name + "_t", t);
}

// y = x W^T (+ b); low rank (rank > 0): y = (x A^T) B^T (+ b), two MatMuls.
void linearEx(Ex& e) {
    const bool lowRank = e.attrs().i("rank") > 0, bias = e.attrs().b("bias");
    std::string y = e.in(0);
    if (lowRank) y = e.op1("MatMul", {y, transposedParam(e, "weight_a")});
    y = e.op1("MatMul", {y, transposedParam(e, lowRank ? "weight_b" : "weight")}, bias ? "" : e.out());
    if (bias) e.op1("Add", {y, e.param("bias")}, e.out());
}

void matmulEx(Ex& e) {
    std::string a = e.in(0), b = e.in(1);
    auto swapLast = [&](const std::string& x, int rank) {
        std::vector<int64_t> perm;
        for (int i = 0; i < rank; ++i) perm.push_back(i);
        std::swap(perm[size_t(rank - 1)], perm[size_t(rank - 2)]);
        std::string o = e.tmp();
        setInts(e.node("Transpose", {x}, {o}), "perm", perm);
        return o;
    };
    if (e.attrs().b("transpose_a")) a = swapLast(a, int(e.inShape(0).size()));
    if (e.attrs().b("transpose_b")) b = swapLast(b, int(e.inShape(1).size()));
    const double alpha = e.attrs().f("alpha");
    if (alpha == 1.0) { e.op1("MatMul", {a, b}, e.out()); return; }
    std::string y = e.op1("MatMul", {a, b});
    e.op1("Mul", {y, e.constF("alpha", {float(alpha)})}, e.out());
}

void scaleEx(Ex& e) {
    std::string x = e.in(0);
    const double s = e.attrs().f("scale"), b = e.attrs().f("bias");
    if (s == 1.0 && b == 0.0) { e.op1("Identity", {x}, e.out()); return; }
    if (s != 1.0) x = e.op1("Mul", {x, e.constF("scale", {float(s)})}, b == 0.0 ? e.out() : "");
    if (b != 0.0) e.op1("Add", {x, e.constF("bias", {float(b)})}, e.out());
}

void clampEx(Ex& e, double lo, double hi) {
    const double inf = std::numeric_limits<double>::infinity();
    std::string mn = lo <= -1e30 || lo == -inf ? "" : e.constF("min", {float(lo)});
    std::string mx = hi >= 1e30 || hi == inf ? "" : e.constF("max", {float(hi)});
    e.op1("Clip", {e.in(0), mn, mx}, e.out());
}

void geluEx(Ex& e) {  // x * (erf(x / sqrt 2) + 1) * 0.5, as torch exports it
    const std::string x = e.in(0);
    std::string d = e.op1("Div", {x, e.constF("sqrt2", {float(M_SQRT2)})});
    std::string p = e.op1("Add", {e.op1("Erf", {d}), e.constF("one", {1.0f})});
    e.op1("Mul", {e.op1("Mul", {x, p}), e.constF("half", {0.5f})}, e.out());
}

void rmsnormEx(Ex& e) {
    const std::string x = e.in(0);
    std::string sq = e.op1("Pow", {x, e.constF("two", {2.0f})});
    std::string m = e.tmp();
    auto* rm = e.node("ReduceMean", {sq}, {m});
    setInts(rm, "axes", {-1});
    setInt(rm, "keepdims", 1);
    std::string s = e.op1("Sqrt", {e.op1("Add", {m, e.constF("eps", {float(e.attrs().f("eps"))})})});
    std::string r = e.op1("Div", {e.constF("one", {1.0f}), s});
    if (!e.attrs().b("affine")) { e.op1("Mul", {x, r}, e.out()); return; }
    e.op1("Mul", {e.op1("Mul", {x, r}), e.param("weight")}, e.out());
}

void layernormEx(Ex& e) {
    const int64_t d = e.inShape(0).back();
    std::string w, b;
    if (e.attrs().b("affine")) { w = e.param("weight"); b = e.param("bias"); }
    else { w = e.constF("ones", std::vector<float>(size_t(d), 1.0f)); b = e.constF("zeros", std::vector<float>(size_t(d), 0.0f)); }
    auto* p = e.node("LayerNormalization", {e.in(0), w, b}, {e.out()});
    setInt(p, "axis", -1);
    setFloat(p, "epsilon", e.attrs().f("eps"));
}

void batchnormEx(Ex& e) {
    const int64_t c = e.inShape(0)[1];
    std::string w, b;
    if (e.attrs().b("affine")) { w = e.param("weight"); b = e.param("bias"); }
    else { w = e.constF("ones", std::vector<float>(size_t(c), 1.0f)); b = e.constF("zeros", std::vector<float>(size_t(c), 0.0f)); }
    auto* p = e.node("BatchNormalization", {e.in(0), w, b, e.param("running_mean"), e.param("running_var")}, {e.out()});
    setFloat(p, "epsilon", e.attrs().f("eps"));
}

void conv2dEx(Ex& e) {
    std::vector<std::string> ins{e.in(0), e.param("weight")};
    if (e.attrs().b("bias")) ins.push_back(e.param("bias"));
    auto* p = e.node("Conv", ins, {e.out()});
    auto k = pair(e.attrs().ints("kernel"), 1), s = pair(e.attrs().ints("stride"), 1), pd = pair(e.attrs().ints("padding"), 0);
    setInts(p, "kernel_shape", k);
    setInts(p, "strides", s);
    setInts(p, "pads", {pd[0], pd[1], pd[0], pd[1]});
    setInts(p, "dilations", pair(e.attrs().ints("dilation"), 1));
    setInt(p, "group", e.attrs().i("groups"));
}

void conv1dEx(Ex& e) {
    std::vector<std::string> ins{e.in(0), e.param("weight")};
    if (e.attrs().b("bias")) ins.push_back(e.param("bias"));
    auto* p = e.node("Conv", ins, {e.out()});
    const int64_t k = e.attrs().i("kernel"), dl = e.attrs().i("dilation"), pd = e.attrs().i("padding");
    setInts(p, "kernel_shape", {k});
    setInts(p, "strides", {e.attrs().i("stride")});
    setInts(p, "pads", e.attrs().b("causal") ? std::vector<int64_t>{dl * (k - 1), 0} : std::vector<int64_t>{pd, pd});
    setInts(p, "dilations", {dl});
    setInt(p, "group", e.attrs().i("groups"));
}

void pool2dEx(Ex& e, bool avg) {
    auto* p = e.node(avg ? "AveragePool" : "MaxPool", {e.in(0)}, {e.out()});
    auto k = pair(e.attrs().ints("kernel"), 2);
    auto s = e.attrs().ints("stride").empty() ? k : pair(e.attrs().ints("stride"), 1);
    auto pd = pair(e.attrs().ints("padding"), 0);
    setInts(p, "kernel_shape", k);
    setInts(p, "strides", s);
    setInts(p, "pads", {pd[0], pd[1], pd[0], pd[1]});
    if (avg) setInt(p, "count_include_pad", e.attrs().b("count_include_pad") ? 1 : 0);
}

void globalpoolEx(Ex& e) {
    const bool keep = e.attrs().b("keepdims");
    std::string y = e.op1(e.attrs().s("mode") == "avg" ? "GlobalAveragePool" : "GlobalMaxPool", {e.in(0)}, keep ? e.out() : "");
    if (!keep) e.op1("Reshape", {y, e.constI("shape", e.outShape())}, e.out());
}

void reshapeEx(Ex& e) { e.op1("Reshape", {e.in(0), e.constI("shape", e.outShape())}, e.out()); }

void permuteEx(Ex& e) {
    std::vector<int64_t> perm;
    const int r = int(e.inShape(0).size());
    for (auto p : e.attrs().ints("perm")) perm.push_back(p < 0 ? p + r : p);
    setInts(e.node("Transpose", {e.in(0)}, {e.out()}), "perm", perm);
}

void splitEx(Ex& e) {
    const auto& sizes = e.attrs().ints("sizes");
    std::vector<std::string> outs;
    for (size_t k = 0; k < sizes.size(); ++k) outs.push_back(e.out(int(k)));
    setInt(e.node("Split", {e.in(0), e.constI("sizes", sizes)}, outs), "axis", e.attrs().i("axis"));
}

void concatEx(Ex& e) {
    std::vector<std::string> ins;
    for (int i = 0; i < int(e.info->def->inputs.size()); ++i)
        if (std::string x = e.in(i); !x.empty()) ins.push_back(x);
    setInt(e.node("Concat", ins, {e.out()}), "axis", e.attrs().i("axis"));
}

void sliceEx(Ex& e) {
    e.op1("Slice", {e.in(0), e.constI("starts", {e.attrs().i("start")}), e.constI("ends", {e.attrs().i("end")}),
                    e.constI("axes", {e.attrs().i("axis")}), e.constI("steps", {e.attrs().i("step")})},
          e.out());
}

void reduceEx(Ex& e) {
    const std::string& mode = e.attrs().s("mode");
    const auto& axes = e.attrs().ints("axes");
    const int64_t keep = e.attrs().b("keepdims") ? 1 : 0;
    if (mode == "sum") {
        std::vector<std::string> ins{e.in(0)};
        if (!axes.empty()) ins.push_back(e.constI("axes", axes));
        setInt(e.node("ReduceSum", ins, {e.out()}), "keepdims", keep);
        return;
    }
    auto* p = e.node(mode == "mean" ? "ReduceMean" : "ReduceMax", {e.in(0)}, {e.out()});
    if (!axes.empty()) setInts(p, "axes", axes);
    setInt(p, "keepdims", keep);
}

// Design booleans are 0/1 floats; ONNX comparisons give bool, cast back.
void toFloat(Ex& e, const std::string& boolean) { setInt(e.node("Cast", {boolean}, {e.out()}), "to", TP::FLOAT); }

const std::map<std::string, ExportFn>& exportTable() {
    static const std::map<std::string, ExportFn> t = {
        {"linear", linearEx},
        {"matmul", matmulEx},
        {"add", binary("Add")}, {"sub", binary("Sub")}, {"mul", binary("Mul")}, {"div", binary("Div")},
        {"scale", scaleEx},
        {"clamp", [](Ex& e) { clampEx(e, e.attrs().f("min"), e.attrs().f("max")); }},
        {"relu6", [](Ex& e) { clampEx(e, 0, 6); }},
        {"relu", unary("Relu")}, {"sigmoid", unary("Sigmoid")}, {"tanh", unary("Tanh")}, {"exp", unary("Exp")},
        {"softplus", unary("Softplus")}, {"sqrt", unary("Sqrt")}, {"erf", unary("Erf")}, {"neg", unary("Neg")},
        {"reciprocal", unary("Reciprocal")},
        {"gelu", geluEx},
        {"silu", [](Ex& e) { e.op1("Mul", {e.in(0), e.op1("Sigmoid", {e.in(0)})}, e.out()); }},
        {"pow", [](Ex& e) { e.op1("Pow", {e.in(0), e.constF("exponent", {float(e.attrs().f("exponent"))})}, e.out()); }},
        {"softmax", softmaxEx},
        {"attn_softmax", softmaxEx},
        {"layernorm", layernormEx},
        {"rmsnorm", rmsnormEx},
        {"batchnorm", batchnormEx},
        {"conv2d", conv2dEx},
        {"conv1d", conv1dEx},
        {"maxpool2d", [](Ex& e) { pool2dEx(e, false); }},
        {"avgpool2d", [](Ex& e) { pool2dEx(e, true); }},
        {"globalpool", globalpoolEx},
        {"reshape", reshapeEx},
        {"flatten", reshapeEx},
        {"permute", permuteEx},
        {"split", splitEx},
        {"concat", concatEx},
        {"slice", sliceEx},
        {"embedding", [](Ex& e) { setInt(e.node("Gather", {e.param("weight"), e.in(0)}, {e.out()}), "axis", 0); }},
        {"constant", [](Ex& e) { e.op1("Identity", {e.param("value")}, e.out()); }},
        {"reduce", reduceEx},
        {"expand", [](Ex& e) { e.op1("Expand", {e.in(0), e.constI("shape", e.outShape())}, e.out()); }},
        {"equal", [](Ex& e) { toFloat(e, e.op1("Equal", {e.in(0), e.in(1)})); }},
        {"logical_not", [](Ex& e) { toFloat(e, e.op1("Equal", {e.in(0), e.constF("zero", {0.0f})})); }},
        {"gate", [](Ex& e) {  // a * act(b)
             const std::string& act = e.attrs().s("act");
             std::string b = e.in(1);
             if (act == "sigmoid") b = e.op1("Sigmoid", {b});
             else if (act == "silu") b = e.op1("Mul", {b, e.op1("Sigmoid", {b})});
             else if (act == "gelu") {
                 std::string d = e.op1("Div", {b, e.constF("sqrt2", {float(M_SQRT2)})});
                 std::string p = e.op1("Add", {e.op1("Erf", {d}), e.constF("one", {1.0f})});
                 b = e.op1("Mul", {e.op1("Mul", {b, p}), e.constF("half", {0.5f})});
             }
             e.op1("Mul", {e.in(0), b}, e.out());
         }},
        {"where", [](Ex& e) {
             std::string c = e.op1("Not", {e.op1("Equal", {e.in(0), e.constF("zero", {0.0f})})});
             e.op1("Where", {c, e.in(1), e.in(2)}, e.out());
         }},
    };
    return t;
}

// A plugin op: one node of domain "archscope.plugin.<plugin>" (interop/onnx_plugin.h).
void pluginEx(Ex& e) {
    const OpDef& def = *e.info->def;
    std::vector<std::string> ins, outs;
    for (int i = 0; i < int(def.inputs.size()); ++i) ins.push_back(e.in(i));
    for (auto& p : e.info->params) ins.push_back(e.param(p.name));
    for (int k = 0; k < int(def.outputs.size()); ++k) outs.push_back(e.out(k));
    onnx::NodeProto* p = e.node(def.id, ins, outs);
    p->set_domain(onnxplugin::domainOf(def.plugin));
    onnxplugin::setAttributes(p, def, e.attrs());
}

void valueInfo(onnx::ValueInfoProto* v, const std::string& name, const TensorType& t) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(t.dtype == DType::F32 ? TP::FLOAT : TP::INT64);
    auto* s = tt->mutable_shape();
    for (auto& d : t.shape) s->add_dim()->set_dim_value(d.value());
}

}  // namespace

bool exportOnnx(const Graph& g, const Analysis& a, const WeightStore& w, std::string* bytes, std::string* err) {
    if (!a.ok()) { *err = "the design does not validate: " + a.errorText(); return false; }
    onnx::ModelProto m;
    m.set_ir_version(8);
    m.set_producer_name("archscope");
    m.set_producer_version(ARCHSCOPE_VERSION);
    auto* os = m.add_opset_import();
    os->set_domain("");
    os->set_version(17);
    auto* gp = m.mutable_graph();
    auto name = g.metadata.find("name");
    gp->set_name(name != g.metadata.end() && !name->second.empty() ? name->second : "archscope_design");
    Ex e{a, w, gp, {}};
    std::vector<std::string> missing;
    std::set<std::string> plugins;  // of the plugin ops written
    FunctionSet functions;          // bodies of the "archscope.fn" calls written
    for (auto& id : a.order) {
        const NodeInfo& info = a.nodes.at(id);
        const Node* n = a.graph().node(id);
        e.n = n;
        e.info = &info;
        e.aux = 0;
        if (n->op == "input") {
            valueInfo(gp->add_input(), id, info.outputs[0]);
            e.names[{id, "y"}] = id;
            continue;
        }
        try {
            if (n->op == "output") {
                e.op1("Identity", {e.in(0)}, id);
                valueInfo(gp->add_output(), id, *info.inputs[0]);
                continue;
            }
            if (auto call = fnExportTable().find(n->op); call != fnExportTable().end()) {
                call->second(e, functions);
                continue;
            }
            const ExportFn* fn = nullptr;
            if (auto it = exportTable().find(n->op); it != exportTable().end()) fn = &it->second;
            else if (auto more = moreExportTable().find(n->op); more != moreExportTable().end()) fn = &more->second;
            if (!fn && info.def && !info.def->plugin.empty() && !info.def->isComposite()) {
                pluginEx(e);
                plugins.insert(info.def->plugin);
                continue;
            }
            if (!fn) { missing.push_back("node \"" + id + "\" (op \"" + n->op + "\")"); continue; }
            (*fn)(e);
        } catch (const ExportError& x) {
            // Nodes downstream of a node already reported have no inputs: the cause is listed.
            if (!missing.empty() && std::string(x.what()).rfind("internal: input", 0) == 0) continue;
            missing.push_back("node \"" + id + "\" (op \"" + n->op + "\"): " + x.what());
        }
    }
    if (!missing.empty()) {
        *err = "no ONNX export for " + std::to_string(missing.size()) + " node(s):";
        for (auto& s : missing) *err += "\n  " + s;
        return false;
    }
    onnxplugin::addPluginOpsets(&m, plugins);
    addFunctions(&m, functions);
    try {
        onnx::checker::check_model(m);
    } catch (const std::exception& x) {
        *err = std::string("internal: the exported model fails the ONNX checker: ") + x.what();
        return false;
    }
    if (!m.SerializeToString(bytes)) { *err = "the model is too large for one protobuf (2 GiB)"; return false; }
    return true;
}

}  // namespace archscope

#else

namespace archscope {
bool exportOnnx(const Graph&, const Analysis&, const WeightStore&, std::string*, std::string* err) {
    *err = "this build has no ONNX support (install libonnx-dev, e.g. scripts/install-deps.sh, and rebuild)";
    return false;
}
}  // namespace archscope

#endif
