// ONNX exports of the sparse mixture-of-experts ops and 1-d pooling, as
// opset-17 standard-op subgraphs (registered in moreExportTable):
//   moe_route: the CPU kernel's routing (engine/ops/moe_route.cpp), exactly:
//     P [N, E] = Reshape(probs);  V, I = TopK(P, k) (sorted; ties: lower expert first, as the kernel)
//     C [N, k, E] = Cast(Equal(Unsqueeze(I, 2), [0..E)))        one-hot choices
//     load = ReduceSum(C, [0, 1]) / N
//     admission in the kernel's order (all first choices in token order, then all second, ...):
//       F [k*N, E] = Reshape(Transpose(C, [1, 0, 2]));  before = CumSum(F, 0, exclusive)
//       admitted = F * (before < capacity)   (an expert admits while it has room, so an
//       assignment is admitted iff fewer than `capacity` assignments to its expert precede it)
//     M [N, E] = ReduceSum(admitted as [k, N, E], 0);  kept = ReduceSum(M, 0) / N
//     gates = Where(M, P / norm, 0), norm = the sum of V per token when `normalize` (1 if not > 0)
//   moe_experts: DENSE: every expert runs on every token (MatMul of [N, D] with the
//     stacked [E, D, H] weights), then y = ReduceSum(gates^T * expert outputs, 0). A gate of 0
//     contributes exactly 0 (for finite expert outputs), so this equals the kernel's sparse sum;
//     time and memory scale with E (scratch [E, N, H]), not with k.
//   avgpool1d, maxpool1d: AveragePool / MaxPool with a 1-d kernel, strides and symmetric pads
//     (floor mode, count_include_pad as the attribute), as PyTorch exports them.
// fnExportTable (onnx_export_fn.cpp) writes the two MoE ops as archscope.fn calls whose
// function bodies are these subgraphs.
#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_export_ctx.h"

#include <cmath>
#include <numeric>

namespace archscope::onnxout {

namespace {

int64_t prod(const std::vector<int64_t>& s) { return std::accumulate(s.begin(), s.end(), int64_t(1), std::multiplies<>()); }

std::string reduceSum(Ex& e, const std::string& x, const std::vector<int64_t>& axes, bool keep) {
    std::string o = e.tmp(), name = "axes";
    name += std::to_string(e.gp->initializer_size());  // unique per node
    setInt(e.node("ReduceSum", {x, e.constI(name, axes)}, {o}), "keepdims", keep ? 1 : 0);
    return o;
}

std::string castTo(Ex& e, const std::string& x, int to) {
    std::string o = e.tmp();
    setInt(e.node("Cast", {x}, {o}), "to", to);
    return o;
}

std::string transpose(Ex& e, const std::string& x, const std::vector<int64_t>& perm) {
    std::string o = e.tmp();
    setInts(e.node("Transpose", {x}, {o}), "perm", perm);
    return o;
}

// The kernel's capacity (moe_route.cpp capacityOf); N * k when unlimited.
int64_t capacity(const Attrs& a, int64_t n, int64_t experts) {
    const double cf = a.f("capacity_factor");
    if (cf <= 0) return n * a.i("k");
    return std::max<int64_t>(1, int64_t(std::ceil(cf * double(n) * double(a.i("k")) / double(experts))));
}

}  // namespace

void moeRouteEx(Ex& e) {
    const std::vector<int64_t> s = e.inShape(0);
    const int64_t E = s.back(), N = prod(s) / E, K = e.attrs().i("k"), cap = capacity(e.attrs(), N, E);
    if (N * K >= (int64_t(1) << 24)) throw ExportError("more than 2^24 (token, expert) choices: the float counts would not be exact");
    const std::string p = e.op1("Reshape", {e.in(0), e.constI("tokens", {N, E})});
    const std::string v = e.tmp(), idx = e.tmp();
    auto* tk = e.node("TopK", {p, e.constI("k", {K})}, {v, idx});
    setInt(tk, "axis", -1);
    setInt(tk, "largest", 1);
    setInt(tk, "sorted", 1);
    std::vector<int64_t> experts(static_cast<size_t>(E));
    std::iota(experts.begin(), experts.end(), 0);
    const std::string hit = e.op1("Equal", {e.op1("Unsqueeze", {idx, e.constI("axis2", {2})}), e.constI("experts", experts)});
    const std::string choice = castTo(e, hit, TP::FLOAT);  // [N, K, E]
    const std::string count = e.constF("count", {float(N)});
    e.op1("Div", {reduceSum(e, choice, {0, 1}, false), count}, e.out(1));
    std::string mask;  // [N, E] 0/1: admitted (token, expert) pairs
    if (cap >= N * K) {
        mask = reduceSum(e, choice, {1}, false);
    } else {
        const std::string flat = e.op1("Reshape", {transpose(e, choice, {1, 0, 2}), e.constI("rank_major", {K * N, E})});
        const std::string before = e.tmp();
        setInt(e.node("CumSum", {flat, e.init("axis0", Tensor::i64({}, {0}))}, {before}), "exclusive", 1);
        const std::string room = castTo(e, e.op1("Less", {before, e.constF("capacity", {float(cap)})}), TP::FLOAT);
        const std::string admitted = e.op1("Reshape", {e.op1("Mul", {flat, room}), e.constI("by_rank", {K, N, E})});
        mask = reduceSum(e, admitted, {0}, false);
    }
    e.op1("Div", {reduceSum(e, mask, {0}, false), count}, e.out(2));
    std::string q = p;
    if (e.attrs().b("normalize")) {
        const std::string sum = reduceSum(e, v, {1}, true);
        const std::string zero = e.constF("zero", {0.0f});
        const std::string norm = e.op1("Where", {e.op1("Greater", {sum, zero}), sum, e.constF("one", {1.0f})});
        q = e.op1("Div", {p, norm});
    }
    const std::string g = e.op1("Where", {castTo(e, mask, TP::BOOL), q, e.constF("dropped", {0.0f})});
    e.op1("Reshape", {g, e.constI("shape", s)}, e.out(0));
}

void moeExpertsEx(Ex& e) {
    const std::vector<int64_t> s = e.inShape(0);
    const int64_t D = s.back(), N = prod(s) / D, E = e.inShape(1).back();
    const std::string axis1 = e.constI("axis1", {1});
    const std::string x = e.op1("Reshape", {e.in(0), e.constI("tokens", {N, D})});
    // [N, D] x [E, D, H] -> [E, N, H]: every expert on every token.
    std::string h = e.op1("MatMul", {x, transpose(e, e.param("w1"), {0, 2, 1})});
    h = e.op1("Add", {h, e.op1("Unsqueeze", {e.param("b1"), axis1})});
    const std::string& act = e.attrs().s("act");
    if (act == "relu") h = e.op1("Relu", {h});
    else if (act == "silu") h = e.op1("Mul", {h, e.op1("Sigmoid", {h})});
    else {  // exact GELU, written as PyTorch exports it
        std::string d = e.op1("Div", {h, e.constF("sqrt2", {float(M_SQRT2)})});
        std::string p1 = e.op1("Add", {e.op1("Erf", {d}), e.constF("one", {1.0f})});
        h = e.op1("Mul", {e.op1("Mul", {h, p1}), e.constF("half", {0.5f})});
    }
    std::string o = e.op1("MatMul", {h, transpose(e, e.param("w2"), {0, 2, 1})});  // [E, N, D]
    o = e.op1("Add", {o, e.op1("Unsqueeze", {e.param("b2"), axis1})});
    const std::string g = e.op1("Reshape", {e.in(1), e.constI("gate_rows", {N, E})});
    const std::string gt = e.op1("Unsqueeze", {transpose(e, g, {1, 0}), e.constI("axis2", {2})});  // [E, N, 1]
    const std::string y = reduceSum(e, e.op1("Mul", {o, gt}), {0}, false);
    e.op1("Reshape", {y, e.constI("shape", e.outShape())}, e.out());
}

void pool1dEx(Ex& e, bool avg) {
    auto* p = e.node(avg ? "AveragePool" : "MaxPool", {e.in(0)}, {e.out()});
    const int64_t k = e.attrs().i("kernel"), st = e.attrs().i("stride"), pd = e.attrs().i("padding");
    setInts(p, "kernel_shape", {k});
    setInts(p, "strides", {st > 0 ? st : k});
    setInts(p, "pads", {pd, pd});
    if (avg) setInt(p, "count_include_pad", e.attrs().b("count_include_pad") ? 1 : 0);
}

}  // namespace archscope::onnxout

#endif
