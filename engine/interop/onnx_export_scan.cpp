// ONNX export of the linear recurrences (`scan` modes diag/decay/delta, and
// `linear_mix`, whose parallel/chunked forms compute the same recurrence) as
// calls of model-local functions (onnx_export_fn.h): the main graph holds one
// "archscope.fn" node per op, the function body one standard ONNX Scan whose
// body advances the state by one step, exactly as the CPU kernel's sequential
// loop (engine/ops/scan.cpp):
//   diag:  h = exp(dt*A) * h + (dt*x) B^T;  y = <h, C> + D*x       state [B, D, N], time axis 1
//   decay: S = a S + k^T v (a = exp(g) or gamma); o = q S          state [B, H, dk, dv], time axis 2
//   delta: S = S + beta k^T (v - k S);  o = q S
// The zero initial state and gamma are aux inputs of the call, so one body
// serves every node of the same variant (scan.diag, scan.decay, scan.decay_g,
// scan.delta, linear_mix.*). Constants of the body live in the function body
// (the Scan body refers to them as outer-scope values).
#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_export_fn.h"

namespace archscope::onnxout {

namespace {

void floatInput(onnx::GraphProto* body, const std::string& name) {
    auto* v = body->add_input();
    v->set_name(name);
    v->mutable_type()->mutable_tensor_type()->set_elem_type(TP::FLOAT);
}
void floatOutput(onnx::GraphProto* body, const std::string& name) {
    auto* v = body->add_output();
    v->set_name(name);
    v->mutable_type()->mutable_tensor_type()->set_elem_type(TP::FLOAT);
}

using StepFn = std::function<std::pair<std::string, std::string>(Ex&, const std::string&, const std::vector<std::string>&)>;

// One Scan node in the function body `b`: formal "state0" is the initial
// state, `scanned` the sequences sliced along `axis`; `step` writes the Scan
// body (its inputs: state, then one slice per sequence) and returns {new
// state, step output}. The stacked step outputs become the formal output "y".
void writeScan(Ex& b, const std::vector<std::string>& scanned, int64_t axis, const StepFn& step) {
    onnx::GraphProto body;
    body.set_name(b.n->id + "/scan_body");
    const std::string sIn = b.tmp();
    std::vector<std::string> slices;
    floatInput(&body, sIn);
    for (size_t i = 0; i < scanned.size(); ++i) {
        slices.push_back(b.tmp());
        floatInput(&body, slices.back());
    }
    onnx::GraphProto* outer = b.gp;
    b.gp = &body;  // nodes go to the Scan body; step() must create constants beforehand
    auto [sOut, yOut] = step(b, sIn, slices);
    b.gp = outer;
    floatOutput(&body, sOut);
    floatOutput(&body, yOut);
    std::vector<std::string> ins{"state0"};
    ins.insert(ins.end(), scanned.begin(), scanned.end());
    auto* p = b.node("Scan", ins, {b.tmp(), "y"});
    auto* g = p->add_attribute();
    g->set_name("body");
    g->set_type(onnx::AttributeProto::GRAPH);
    *g->mutable_g() = std::move(body);
    setInt(p, "num_scan_inputs", int64_t(scanned.size()));
    setInts(p, "scan_input_axes", std::vector<int64_t>(scanned.size(), axis));
    setInts(p, "scan_output_axes", {axis});
}

void diagBody(Ex& b) {
    const std::string negA = b.op1("Neg", {b.op1("Exp", {"A_log"})});
    const std::string ax1 = b.constI("ax1", {1}), ax2 = b.constI("ax2", {2});
    writeScan(b, {"x", "dt", "Bm", "Cm"}, 1, [&](Ex& s, const std::string& h, const std::vector<std::string>& t) {
        const std::string &xt = t[0], &dt = t[1], &bt = t[2], &ct = t[3];
        std::string dA = s.op1("Exp", {s.op1("Mul", {s.op1("Unsqueeze", {dt, ax2}), negA})});
        std::string dtx = s.op1("Mul", {dt, xt});
        std::string xb = s.op1("Mul", {s.op1("Unsqueeze", {dtx, ax2}), s.op1("Unsqueeze", {bt, ax1})});
        std::string h2 = s.op1("Add", {s.op1("Mul", {dA, h}), xb});
        std::string acc = s.tmp();
        setInt(s.node("ReduceSum", {s.op1("Mul", {h2, s.op1("Unsqueeze", {ct, ax1})}), ax2}, {acc}), "keepdims", 0);
        return std::make_pair(h2, s.op1("Add", {acc, s.op1("Mul", {"D", xt})}));
    });
}

// decay / delta on formals q, k, v [B, H, T, dk|dv] with g (decay, when hasG) or beta (delta).
void matrixStateBody(Ex& b, bool delta, bool hasG) {
    const std::string ax2 = b.constI("ax2", {2}), ax3 = b.constI("ax3", {3});
    std::vector<std::string> seqs{"q", "k", "v"};
    if (hasG) seqs.push_back("g");
    if (delta) seqs.push_back("beta");
    writeScan(b, seqs, 2, [&](Ex& s, const std::string& S, const std::vector<std::string>& t) {
        const std::string &qt = t[0], &kt = t[1], &vt = t[2];
        auto row = [&](const std::string& x) { return s.op1("Unsqueeze", {x, ax2}); };  // [B, H, 1, d]
        auto col = [&](const std::string& x) { return s.op1("Unsqueeze", {x, ax3}); };  // [B, H, d, 1]
        auto times = [&](const std::string& r, const std::string& m) { return s.op1("Squeeze", {s.op1("MatMul", {row(r), m}), ax2}); };
        std::string S2;
        if (delta) {
            std::string u = s.op1("Sub", {vt, times(kt, S)});
            std::string bk = s.op1("Mul", {s.op1("Unsqueeze", {t[3], ax2}), kt});
            S2 = s.op1("Add", {S, s.op1("Mul", {col(bk), row(u)})});
        } else {
            std::string a = hasG ? col(s.op1("Exp", {t[3]})) : "gamma";
            S2 = s.op1("Add", {s.op1("Mul", {a, S}), s.op1("Mul", {col(kt), row(vt)})});
        }
        return std::make_pair(S2, times(qt, S2));
    });
}

// Ports q, k, v, g by index (scan: 4.., linear_mix: 0..).
void matrixStateEx(Ex& e, FunctionSet& fs, bool delta, int q, int v, int g) {
    const std::vector<int64_t> qs = e.inShape(q), vs = e.inShape(v);
    const bool hasG = !delta && !e.in(g).empty();
    std::vector<std::pair<std::string, Tensor>> aux{{"state0", Tensor(DType::F32, {qs[0], qs[1], qs[3], vs[3]})}};
    if (!delta && !hasG) aux.push_back({"gamma", Tensor::f32({}, {float(e.attrs().f("gamma"))})});
    writeCall(e, fs, delta ? "delta" : hasG ? "decay_g" : "decay", aux, [&](Ex& b) { matrixStateBody(b, delta, hasG); });
}

}  // namespace

void scanFnEx(Ex& e, FunctionSet& fs) {
    const std::string& mode = e.attrs().s("mode");
    if (mode != "diag") { matrixStateEx(e, fs, mode == "delta", 4, 6, 7); return; }
    const std::vector<int64_t> x = e.inShape(0), bm = e.inShape(2);
    writeCall(e, fs, "diag", {{"state0", Tensor(DType::F32, {x[0], x[2], bm[2]})}}, diagBody);
}

void linearMixFnEx(Ex& e, FunctionSet& fs) { matrixStateEx(e, fs, e.attrs().s("kind") == "delta", 0, 2, 3); }

}  // namespace archscope::onnxout

#endif
