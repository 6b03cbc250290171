// ONNX exports of the ops beyond the core table, as opset-17 subgraphs:
//   shape-only ops (causal/sliding/window masks, alibi, rel_bias): their output
//     depends only on shapes, attributes and parameters, so the CPU kernel is run
//     once on the static shapes and the result written as an initializer (as
//     PyTorch's exporter folds such tensors);
//   additive position ops (pos_sinusoidal, rel_pos_bias): x + the same folded table;
//   pure data movement (window_partition, window_reverse, patch_merge): the
//     kernel run on element indices gives a gather map (gatherIndexMap), the
//     aux input of their function calls (onnx_export_fn.cpp);
//   rope: Slice / Mul / Sub / Add / Concat with the kernel's cos and sin tables;
//   cumsum, topk, keep_topk, layer_scale, pos_learned, cls_token, unflatten,
//     elu1, gelu_tanh: their standard ONNX counterparts or short decompositions.
// moe_route/moe_experts and avgpool1d/maxpool1d are written in onnx_export_moe.cpp.
// Low-rank linear and clipped softmax are written by linearEx / softmaxEx
// (onnx_export.cpp).
#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_export_ctx.h"
#include "interop/onnx_export_fn.h"
#include "runtime/backend.h"

#include <cmath>

namespace archscope::onnxout {

namespace {

std::string shapeText(const std::vector<int64_t>& s) {
    std::string t;
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t;
}

// Runs the node being written alone on the CPU backend: inputs at their static
// shapes (zeros unless `given` has them), its own parameters. Returns its outputs.
std::vector<Tensor> evalNode(const Ex& e, const std::map<int, Tensor>& given) {
    const OpDef& def = *e.info->def;
    Graph g;
    Node self = *e.n;
    self.weightsOf.clear();
    std::map<std::string, Tensor> inputs;
    std::vector<std::pair<std::string, std::string>> links;
    for (size_t i = 0; i < def.inputs.size(); ++i) {
        if (i >= e.info->inputs.size() || !e.info->inputs[i] || e.in(int(i)).empty()) continue;
        const TensorType& t = *e.info->inputs[i];
        const std::string id = "__in" + std::to_string(i);
        const std::vector<int64_t> shape = shapeValues(t.shape);
        if (shape.empty()) throw ExportError("a scalar input cannot be folded");
        g.addNode({id, "input", {{"shape", shapeText(shape)}, {"dtype", std::string(t.dtype == DType::F32 ? "f32" : "i64")}}});
        inputs[id] = given.count(int(i)) ? given.at(int(i)) : Tensor(t.dtype, shape);
        links.push_back({id, def.inputs[i].name});
    }
    g.addNode(self);
    for (auto& [from, port] : links) g.connect({from, "y"}, {self.id, port});
    for (size_t k = 0; k < def.outputs.size(); ++k) {
        g.addNode({"__out" + std::to_string(k), "output"});
        g.connect({self.id, def.outputs[k].name}, {"__out" + std::to_string(k), "x"});
    }
    Analysis a = analyze(g, {});
    if (!a.ok()) throw ExportError("internal: folding failed: " + a.errorText());
    WeightStore w;
    for (auto& p : e.info->params)
        if (const Tensor* t = e.w.find(e.info->weightNode, p.name)) w.set(self.id, p.name, *t);
    RunResult r = makeCpuBackend()->run({&g, &a, &w, inputs, 0, false});
    if (!r.ok) throw ExportError("internal: folding failed: " + r.error);
    std::vector<Tensor> outs;
    for (size_t k = 0; k < def.outputs.size(); ++k) outs.push_back(r.outputs.at("__out" + std::to_string(k)));
    return outs;
}

// Output(s) that depend only on shapes, attributes and parameters.
void foldedEx(Ex& e) {
    std::vector<Tensor> outs = evalNode(e, {});
    for (size_t k = 0; k < outs.size(); ++k) e.op1("Identity", {e.init("folded" + std::to_string(k), outs[k])}, e.out(int(k)));
}

// y = x + f(shape): the table is the kernel's output on x = 0.
void additiveEx(Ex& e) {
    std::vector<Tensor> outs = evalNode(e, {});
    e.op1("Add", {e.in(0), e.init("table", outs[0])}, e.out());
}

// y1 = x1 cos - x2 sin, y2 = x2 cos + x1 sin on the first rotary_dim dims; tables from the kernel.
void ropeEx(Ex& e) {
    const std::vector<int64_t> s = e.inShape(0);
    const int64_t t = s[2], dh = s[3], rot = e.attrs().i("rotary_dim") ? e.attrs().i("rotary_dim") : dh, half = rot / 2;
    Tensor probe(DType::F32, s);
    for (int64_t p = 0; p < t; ++p)
        for (int64_t i = 0; i < half; ++i) probe.f32()[p * dh + i] = 1.0f;  // row (b, h) = (0, 0): x1 = 1, x2 = 0
    Tensor y = evalNode(e, {{0, probe}})[0];
    Tensor c(DType::F32, {t, half}), sn(DType::F32, {t, half});
    for (int64_t p = 0; p < t; ++p)
        for (int64_t i = 0; i < half; ++i) {
            c.f32()[p * half + i] = y.f32()[p * dh + i];
            sn.f32()[p * half + i] = y.f32()[p * dh + half + i];
        }
    const std::string x = e.in(0), cs = e.init("cos", c), ss = e.init("sin", sn), axis = e.constI("axis", {3});
    auto slice = [&](int64_t a, int64_t b) {
        std::string from = "start", to = "end";  // built by appending: GCC 12 warns falsely on "s" + to_string()
        from += std::to_string(a);
        to += std::to_string(b);
        return e.op1("Slice", {x, e.constI(from, {a}), e.constI(to, {b}), axis});
    };
    const std::string x1 = slice(0, half), x2 = slice(half, rot);
    std::string y1 = e.op1("Sub", {e.op1("Mul", {x1, cs}), e.op1("Mul", {x2, ss})});
    std::string y2 = e.op1("Add", {e.op1("Mul", {x2, cs}), e.op1("Mul", {x1, ss})});
    std::vector<std::string> parts{y1, y2};
    if (rot < dh) parts.push_back(slice(rot, dh));
    setInt(e.node("Concat", parts, {e.out()}), "axis", 3);
}

void cumsumEx(Ex& e) {
    auto* p = e.node("CumSum", {e.in(0), e.init("axis", Tensor::i64({}, {e.attrs().i("axis")}))}, {e.out()});
    setInt(p, "exclusive", e.attrs().b("exclusive") ? 1 : 0);
    setInt(p, "reverse", e.attrs().b("reverse") ? 1 : 0);
}

void topkEx(Ex& e) {
    auto* p = e.node("TopK", {e.in(0), e.constI("k", {e.attrs().i("k")})}, {e.out(0), e.out(1)});
    setInt(p, "axis", e.attrs().i("axis"));
    setInt(p, "largest", e.attrs().b("largest") ? 1 : 0);
    setInt(p, "sorted", 1);
}

// y = x where x is among the k largest of its row (TopK's indices scattered into a mask), else 0.
void keepTopkEx(Ex& e) {
    const std::vector<int64_t> s = e.inShape(0);
    const int64_t n = s.back(), k = std::min(e.attrs().i("k"), n);
    if (k >= n) { e.op1("Identity", {e.in(0)}, e.out()); return; }
    std::string values = e.tmp(), idx = e.tmp();
    auto* t = e.node("TopK", {e.in(0), e.constI("k", {k})}, {values, idx});
    setInt(t, "axis", -1);
    std::vector<int64_t> ks = s;
    ks.back() = k;
    Tensor zeros(DType::F32, s), ones(DType::F32, ks);
    for (int64_t i = 0; i < ones.numel(); ++i) ones.f32()[i] = 1.0f;
    std::string mask = e.tmp();
    setInt(e.node("ScatterElements", {e.init("zeros", zeros), idx, e.init("ones", ones)}, {mask}), "axis", -1);
    std::string keep = e.op1("Cast", {mask});
    setInt(e.gp->mutable_node(e.gp->node_size() - 1), "to", TP::BOOL);
    e.op1("Where", {keep, e.in(0), e.constF("zero", {0.0f})}, e.out());
}

// [count, D] tokens expanded over the leading dims, then in front of x along the token axis.
void clsTokenEx(Ex& e) {
    std::vector<int64_t> s = e.inShape(0);
    s[s.size() - 2] = e.attrs().i("count");
    std::string tok = e.op1("Expand", {e.param("token"), e.constI("shape", s)});
    setInt(e.node("Concat", {tok, e.in(0)}, {e.out()}), "axis", -2);
}

// x + W[:T] (GPT-2 wpe): the table stays a parameter.
void posLearnedEx(Ex& e) {
    const std::vector<int64_t> s = e.inShape(0);
    std::string rows = e.op1("Slice", {e.param("weight"), e.constI("start", {0}), e.constI("end", {s[s.size() - 2]}), e.constI("axes", {0})});
    e.op1("Add", {e.in(0), rows}, e.out());
}

void geluTanhEx(Ex& e) {  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const std::string x = e.in(0);
    std::string cube = e.op1("Mul", {e.op1("Mul", {x, x}), x});
    std::string inner = e.op1("Add", {x, e.op1("Mul", {cube, e.constF("c", {0.044715f})})});
    std::string th = e.op1("Tanh", {e.op1("Mul", {inner, e.constF("k", {float(std::sqrt(2.0 / M_PI))})})});
    std::string one = e.op1("Add", {th, e.constF("one", {1.0f})});
    e.op1("Mul", {e.op1("Mul", {x, one}), e.constF("half", {0.5f})}, e.out());
}

}  // namespace

// Pure data movement of input 0: the kernel on x[i] = i gives the source of each output element.
Tensor gatherIndexMap(Ex& e) {
    const std::vector<int64_t> shape = e.inShape(0);
    Tensor iota(DType::F32, shape);
    if (iota.numel() > (int64_t(1) << 24)) throw ExportError("more than 2^24 elements: the index map would not be exact");
    for (int64_t i = 0; i < iota.numel(); ++i) iota.f32()[i] = float(i);
    Tensor y = evalNode(e, {{0, iota}})[0];
    Tensor idx(DType::I64, y.shape());
    for (int64_t i = 0; i < y.numel(); ++i) idx.i64()[i] = int64_t(y.f32()[i]);
    return idx;
}

const std::map<std::string, ExportFn>& moreExportTable() {
    static const std::map<std::string, ExportFn> t = {
        {"causal_mask", foldedEx}, {"sliding_window_mask", foldedEx}, {"window_mask", foldedEx},
        {"alibi", foldedEx}, {"rel_bias", foldedEx},
        {"pos_sinusoidal", additiveEx}, {"rel_pos_bias", additiveEx},
        {"rope", ropeEx},
        {"cumsum", cumsumEx},
        {"topk", topkEx},
        {"keep_topk", keepTopkEx},
        {"cls_token", clsTokenEx},
        {"pos_learned", posLearnedEx},
        {"layer_scale", [](Ex& e) { e.op1("Mul", {e.in(0), e.param("gamma")}, e.out()); }},
        {"unflatten", [](Ex& e) { e.op1("Reshape", {e.in(0), e.constI("shape", e.outShape())}, e.out()); }},
        {"elu1", [](Ex& e) { e.op1("Add", {e.op1("Elu", {e.in(0)}), e.constF("one", {1.0f})}, e.out()); }},
        {"gelu_tanh", geluTanhEx},
        {"moe_route", moeRouteEx}, {"moe_experts", moeExpertsEx},  // onnx_export_moe.cpp
        {"avgpool1d", [](Ex& e) { pool1dEx(e, true); }}, {"maxpool1d", [](Ex& e) { pool1dEx(e, false); }},
    };
    return t;
}

}  // namespace archscope::onnxout

#endif
