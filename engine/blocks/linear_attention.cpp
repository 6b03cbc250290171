// linear_attention: kernelised / decayed / delta-rule linear attention as a composite block.
//   q = phi(x Wq^T), k = phi(x Wk^T), v = x Wv^T, split into H heads of width dk   [B, H, T, dk]
//   delta: q, k L2-normalised per head (rmsnorm without weight, scaled by 1/sqrt(dk))
//   decay none:  S_t = S_{t-1} + k_t^T v_t                 (Katharopoulos et al. 2020)
//         fixed: S_t = gamma S_{t-1} + k_t^T v_t           (RetNet, Sun et al. 2023)
//         gla:   S_t = diag(a_t) S_{t-1} + k_t^T v_t,  log a_t = logsigmoid(x Wg^T + bg) / tau  (GLA, Yang et al. 2023)
//         delta: S_t = S_{t-1} + beta_t k_t^T (v_t - k_t S_{t-1}),  beta_t = sigmoid(x Wb^T + bb)  (DeltaNet)
//   o_t = q_t S_t; norm denominator: o_t / (q_t z_t + eps) with z_t the same recurrence on ones;
//   rmsnorm / layernorm: per head over dv (TransNormer, RetNet group norm).
//   output_gate: o * silu(x Wr^T) (GLA, RetNet); y = o Wo^T.
// mode recurrent uses `scan`; parallel and chunked use `linear_mix` (same result).
#include "blocks/body_builder.h"
#include "ops/common.h"

#include <cmath>

namespace archscope::ops {

using namespace blocks;

namespace {

PortRef heads(BodyBuilder& b, const std::string& name, PortRef x, int64_t h, int64_t dh) {
    PortRef s = b.add(name + "_split", "unflatten", {{"axis", I(-1)}, {"sizes", Is({h, dh})}}, {{"x", x}});
    return b.add(name + "_heads", "permute", {{"perm", Is({0, 2, 1, 3})}}, {{"x", s}});
}

PortRef featureMap(BodyBuilder& b, const std::string& name, PortRef x, const std::string& phi) {
    return phi == "identity" ? x : b.add(name + "_phi", phi, {}, {{"x", x}});
}

bool expandLinearAttention(const Attrs& a, Graph* g, std::string* err) {
    const int64_t d = a.i("d_model"), h = a.i("heads");
    const int64_t dk = a.i("head_dim") ? a.i("head_dim") : d / h;
    if (!a.i("head_dim") && d % h != 0) {
        *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(h) + " (or set head_dim)";
        return false;
    }
    const std::string &decay = a.s("decay"), &norm = a.s("norm"), &mode = a.s("mode");
    if (decay == "delta" && norm == "denominator") {
        *err = "norm \"denominator\" does not apply to the delta rule; use norm rmsnorm, layernorm or none";
        return false;
    }
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef q = heads(b, "q", featureMap(b, "q", b.add("q_proj", "linear", {{"out_features", I(h * dk)}, {"bias", B(false)}}, {{"x", x}}), a.s("feature_map")), h, dk);
    PortRef k = heads(b, "k", featureMap(b, "k", b.add("k_proj", "linear", {{"out_features", I(h * dk)}, {"bias", B(false)}}, {{"x", x}}), a.s("feature_map")), h, dk);
    PortRef v = heads(b, "v", b.add("v_proj", "linear", {{"out_features", I(h * dk)}, {"bias", B(false)}}, {{"x", x}}), h, dk);
    Inputs mix{{"q", q}, {"k", k}, {"v", v}};
    if (decay == "delta") {
        for (auto* t : {&q, &k}) {
            const std::string n = t->node.substr(0, 1);
            PortRef r = b.add(n + "_l2", "rmsnorm", {{"affine", B(false)}, {"eps", F(1e-6)}}, {{"x", *t}});
            *t = b.add(n + "_l2scale", "scale", {{"scale", F(1.0 / std::sqrt(double(dk)))}}, {{"x", r}});
        }
        mix = {{"q", q}, {"k", k}, {"v", v}};
        PortRef bl = b.add("beta_proj", "linear", {{"out_features", I(h)}}, {{"x", x}});
        PortRef bs = b.add("beta_sigmoid", "sigmoid", {}, {{"x", bl}});
        mix.push_back({"beta", b.add("beta_heads", "permute", {{"perm", Is({0, 2, 1})}}, {{"x", bs}})});
    } else if (decay == "gla") {  // log a = logsigmoid(z) / tau = -softplus(-z) / tau
        PortRef z = b.add("gate_proj", "linear", {{"out_features", I(h * dk)}}, {{"x", x}});
        PortRef zn = b.add("gate_neg", "scale", {{"scale", F(-1.0)}}, {{"x", z}});
        PortRef sp = b.add("gate_softplus", "softplus", {}, {{"x", zn}});
        PortRef lg = b.add("gate_log", "scale", {{"scale", F(-1.0 / a.f("tau"))}}, {{"x", sp}});
        mix.push_back({"g", heads(b, "g", lg, h, dk)});
    }
    const bool denom = norm == "denominator";
    if (denom) {  // v' = [v, 1]: the same recurrence then also accumulates the normaliser z
        PortRef v0 = b.add("ones_slice", "slice", {{"axis", I(-1)}, {"start", I(0)}, {"end", I(1)}}, {{"x", v}});
        PortRef ones = b.add("ones", "scale", {{"scale", F(0.0)}, {"bias", F(1.0)}}, {{"x", v0}});
        mix[2].second = b.add("v_ones", "concat", {{"axis", I(-1)}}, {{"a", v}, {"b", ones}});
    }
    const double gamma = decay == "fixed" ? a.f("gamma") : 1.0;
    PortRef o;
    if (mode == "recurrent")
        o = b.add("mix", "scan", {{"mode", S(decay == "delta" ? "delta" : "decay")}, {"gamma", F(gamma)}}, mix);
    else
        o = b.add("mix", "linear_mix", {{"kind", S(decay == "delta" ? "delta" : "decay")}, {"form", S(mode)}, {"chunk", I(a.i("chunk"))}, {"gamma", F(gamma)}}, mix);
    if (denom) {
        PortRef num = b.add("num_den", "split", {{"axis", I(-1)}, {"sizes", Is({dk, 1})}}, {{"x", o}}, "y0");
        PortRef den = b.add("den_eps", "scale", {{"bias", F(a.f("eps"))}}, {{"x", {"num_den", "y1"}}});
        o = b.add("normalise", "div", {}, {{"a", num}, {"b", den}});
    } else if (norm == "rmsnorm" || norm == "layernorm") {
        o = b.add("out_norm", norm, {{"eps", F(a.f("eps"))}}, {{"x", o}});
    }
    PortRef ot = b.add("merge_perm", "permute", {{"perm", Is({0, 2, 1, 3})}}, {{"x", o}});
    PortRef m = b.add("merge", "flatten", {{"start_axis", I(2)}, {"end_axis", I(3)}}, {{"x", ot}});
    if (a.b("output_gate")) {
        PortRef r = b.add("gate_out_proj", "linear", {{"out_features", I(h * dk)}, {"bias", B(false)}}, {{"x", x}});
        m = b.add("gate_out", "gate", {{"act", S("silu")}}, {{"a", m}, {"b", r}});
    }
    b.output("y", b.add("o_proj", "linear", {{"out_features", I(d)}, {"bias", B(false)}}, {{"x", m}}));
    return true;
}

}  // namespace

const OpDef& op_linear_attention() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "linear_attention";
        d.displayName = "Linear Attention";
        d.category = "Blocks";
        d.doc = "Linear attention with a feature map, a normaliser or output norm, and a decay: none (Katharopoulos), "
                "fixed (RetNet), data-dependent gate (GLA) or delta rule (DeltaNet); parallel, chunked and recurrent "
                "modes give the same result.";
        d.inputs = {{"x", PortType::F32, "[B, T, D]"}};
        d.outputs = {{"y", PortType::F32, "[B, T, d_model]"}};
        d.attrs = {attrInt("d_model", 64, 1, 1 << 20, "output width (and q/k/v width unless head_dim is set)"),
                   attrInt("heads", 4, 1, 4096, "heads H"),
                   attrInt("head_dim", 0, 0, 1 << 16, "key/value width per head (0 = d_model / heads)"),
                   attrEnum("feature_map", "identity", {"identity", "elu1", "relu", "silu", "sigmoid"}, "phi applied to q and k"),
                   attrEnum("decay", "none", {"none", "fixed", "gla", "delta"},
                            "state update: none, fixed gamma (RetNet), data-dependent gate (GLA), delta rule (DeltaNet)"),
                   attrFloat("gamma", 0.96875, 0.0, 1.0, "decay fixed: state decay per step"),
                   attrFloat("tau", 16.0, 1e-3, 1e6, "decay gla: gate temperature, log a = logsigmoid(z) / tau"),
                   attrEnum("norm", "rmsnorm", {"none", "denominator", "rmsnorm", "layernorm"},
                            "denominator q.z (classic linear attention) or a per-head output norm (TransNormer, RetNet)"),
                   attrFloat("eps", 1e-6, 0.0, 1.0, "epsilon of the denominator or the output norm"),
                   attrBool("output_gate", false, "multiply by silu(x Wr^T) before the output projection (GLA, RetNet)"),
                   attrEnum("mode", "chunked", {"parallel", "chunked", "recurrent"},
                            "computation: T x T parallel form, chunkwise, or the sequential scan"),
                   attrInt("chunk", 16, 1, 1 << 20, "mode chunked: steps per chunk")};
        d.expand = expandLinearAttention;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
