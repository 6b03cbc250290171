// ONNX export of the linear recurrences (`scan` modes diag/decay/delta, and
// `linear_mix`, whose parallel/chunked forms compute the same recurrence) as
// one standard ONNX Scan node per op: the body advances the state by one
// step, exactly as the CPU kernel's sequential loop (engine/ops/scan.cpp):
//   diag:  h = exp(dt*A) * h + (dt*x) B^T;  y = <h, C> + D*x       state [B, D, N], time axis 1
//   decay: S = a S + k^T v (a = exp(g) or gamma); o = q S          state [B, H, dk, dv], time axis 2
//   delta: S = S + beta k^T (v - k S);  o = q S
// Constants and parameters live in the outer graph (the body refers to them).
// The importer does not read Scan: ONNX Runtime runs these models.
#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_export_ctx.h"

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

// One Scan node: `state0` initial state, `scanned` sequences sliced along `axis`;
// `step` writes the body (its inputs: state, then one slice per sequence) and
// returns {new state, step output}. The stacked step outputs become e.out().
void writeScan(Ex& e, const Tensor& state0, const std::vector<std::string>& scanned, int64_t axis,
               const std::function<std::pair<std::string, std::string>(Ex&, const std::string&, const std::vector<std::string>&)>& step) {
    const std::string s0 = e.init("state0", state0);
    onnx::GraphProto body;
    body.set_name(e.n->id + "/scan_body");
    const std::string sIn = e.tmp();
    std::vector<std::string> slices;
    floatInput(&body, sIn);
    for (size_t i = 0; i < scanned.size(); ++i) {
        slices.push_back(e.tmp());
        floatInput(&body, slices.back());
    }
    onnx::GraphProto* outer = e.gp;
    e.gp = &body;  // nodes go to the body; step() must create constants beforehand
    auto [sOut, yOut] = step(e, sIn, slices);
    e.gp = outer;
    floatOutput(&body, sOut);
    floatOutput(&body, yOut);
    std::vector<std::string> ins{s0};
    ins.insert(ins.end(), scanned.begin(), scanned.end());
    auto* p = e.node("Scan", ins, {e.tmp(), e.out()});
    auto* g = p->add_attribute();
    g->set_name("body");
    g->set_type(onnx::AttributeProto::GRAPH);
    *g->mutable_g() = std::move(body);
    setInt(p, "num_scan_inputs", int64_t(scanned.size()));
    setInts(p, "scan_input_axes", std::vector<int64_t>(scanned.size(), axis));
    setInts(p, "scan_output_axes", {axis});
}

void diagEx(Ex& e) {
    const std::vector<int64_t> x = e.inShape(0), bm = e.inShape(2);
    const int64_t B = x[0], D = x[2], N = bm[2];
    const std::string negA = e.op1("Neg", {e.op1("Exp", {e.param("A_log")})});
    const std::string dskip = e.param("D"), ax1 = e.constI("ax1", {1}), ax2 = e.constI("ax2", {2});
    writeScan(e, Tensor(DType::F32, {B, D, N}), {e.in(0), e.in(1), e.in(2), e.in(3)}, 1,
              [&](Ex& b, const std::string& h, const std::vector<std::string>& s) {
                  const std::string &xt = s[0], &dt = s[1], &bt = s[2], &ct = s[3];
                  std::string dA = b.op1("Exp", {b.op1("Mul", {b.op1("Unsqueeze", {dt, ax2}), negA})});
                  std::string dtx = b.op1("Mul", {dt, xt});
                  std::string xb = b.op1("Mul", {b.op1("Unsqueeze", {dtx, ax2}), b.op1("Unsqueeze", {bt, ax1})});
                  std::string h2 = b.op1("Add", {b.op1("Mul", {dA, h}), xb});
                  std::string acc = b.tmp();
                  setInt(b.node("ReduceSum", {b.op1("Mul", {h2, b.op1("Unsqueeze", {ct, ax1})}), ax2}, {acc}), "keepdims", 0);
                  return std::make_pair(h2, b.op1("Add", {acc, b.op1("Mul", {dskip, xt})}));
              });
}

// decay / delta on q, k, v [B, H, T, dk|dv] with optional g (decay) or beta (delta): ports by index.
void matrixStateEx(Ex& e, bool delta, int q, int k, int v, int g, int beta) {
    const std::vector<int64_t> qs = e.inShape(q), vs = e.inShape(v);
    const bool hasG = !delta && !e.in(g).empty();
    const std::string ax2 = e.constI("ax2", {2}), ax3 = e.constI("ax3", {3});
    const std::string gamma = hasG || delta ? "" : e.constF("gamma", {float(e.attrs().f("gamma"))});
    std::vector<std::string> seqs{e.in(q), e.in(k), e.in(v)};
    if (hasG) seqs.push_back(e.in(g));
    if (delta) seqs.push_back(e.in(beta));
    writeScan(e, Tensor(DType::F32, {qs[0], qs[1], qs[3], vs[3]}), seqs, 2,
              [&](Ex& b, const std::string& S, const std::vector<std::string>& s) {
                  const std::string &qt = s[0], &kt = s[1], &vt = s[2];
                  auto row = [&](const std::string& t) { return b.op1("Unsqueeze", {t, ax2}); };  // [B, H, 1, d]
                  auto col = [&](const std::string& t) { return b.op1("Unsqueeze", {t, ax3}); };  // [B, H, d, 1]
                  auto times = [&](const std::string& r, const std::string& m) { return b.op1("Squeeze", {b.op1("MatMul", {row(r), m}), ax2}); };
                  std::string S2;
                  if (delta) {
                      std::string u = b.op1("Sub", {vt, times(kt, S)});
                      std::string bk = b.op1("Mul", {b.op1("Unsqueeze", {s[3], ax2}), kt});
                      S2 = b.op1("Add", {S, b.op1("Mul", {col(bk), row(u)})});
                  } else {
                      std::string a = hasG ? col(b.op1("Exp", {s[3]})) : gamma;
                      S2 = b.op1("Add", {b.op1("Mul", {a, S}), b.op1("Mul", {col(kt), row(vt)})});
                  }
                  return std::make_pair(S2, times(qt, S2));
              });
}

}  // namespace

const std::map<std::string, ExportFn>& scanExportTable() {
    static const std::map<std::string, ExportFn> t = {
        {"scan", [](Ex& e) {
             const std::string& mode = e.attrs().s("mode");
             if (mode == "diag") diagEx(e);
             else matrixStateEx(e, mode == "delta", 4, 5, 6, 7, 8);
         }},
        {"linear_mix", [](Ex& e) { matrixStateEx(e, e.attrs().s("kind") == "delta", 0, 1, 2, 3, 4); }},
    };
    return t;
}

}  // namespace archscope::onnxout

#endif
