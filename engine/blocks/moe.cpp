// moe: sparse mixture-of-experts FFN (Switch Transformer, GShard, shared-expert MoE).
//   p = softmax(x W_r^T)                      router over E experts [..., E]
//   gates, load, kept = moe_route(p; k, capacity_factor, normalize)
//   y = moe_experts(x, gates)                 sum of the admitted experts' MLPs, gate-weighted
//     + shared_fc2(act(shared_fc1(x)))        when shared_expert (always-on expert, e.g. DeepSeekMoE, TurboS)
// Outputs the per-expert load (share of tokens routed before capacity) and kept share, for the
// router-load view of the profiler.
#include "blocks/body_builder.h"
#include "ops/common.h"

namespace archscope::ops {

using namespace blocks;

namespace {

bool expandMoe(const Attrs& a, Graph* g, std::string* err) {
    const int64_t d = a.i("d_model"), e = a.i("experts"), k = a.i("k");
    if (k > e) { *err = "k = " + std::to_string(k) + " exceeds experts = " + std::to_string(e); return false; }
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef logits = b.add("router", "linear", {{"out_features", I(e)}, {"bias", B(false)}}, {{"x", x}});
    PortRef p = b.add("router_softmax", "softmax", {}, {{"x", logits}});
    PortRef gates = b.add("route", "moe_route", {{"k", I(k)}, {"capacity_factor", F(a.f("capacity_factor"))}, {"normalize", B(a.b("normalize"))}},
                          {{"probs", p}}, "gates");
    PortRef y = b.add("experts", "moe_experts", {{"hidden", I(a.i("hidden"))}, {"act", S(a.s("act"))}, {"k", I(k)}}, {{"x", x}, {"gates", gates}});
    if (a.b("shared_expert")) {
        const int64_t hs = a.i("shared_hidden") ? a.i("shared_hidden") : a.i("hidden");
        PortRef h = b.add("shared_fc1", "linear", {{"out_features", I(hs)}}, {{"x", x}});
        PortRef ha = b.add("shared_act", a.s("act"), {}, {{"x", h}});
        PortRef s = b.add("shared_fc2", "linear", {{"out_features", I(d)}}, {{"x", ha}});
        y = b.add("combine", "add", {}, {{"a", y}, {"b", s}});
    }
    b.output("y", y);
    b.output("load", {"route", "load"});
    b.output("kept", {"route", "kept"});
    return true;
}

}  // namespace

const OpDef& op_moe() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "moe";
        d.displayName = "Mixture of Experts";
        d.category = "Blocks";
        d.doc = "Sparse MoE FFN: softmax router, top-k experts (k = 1 Switch, k = 2 GShard) with a capacity factor, "
                "optional always-on shared expert; outputs the per-expert router load.";
        d.inputs = {{"x", PortType::F32, "[..., d_model]"}};
        d.outputs = {{"y", PortType::F32, "[..., d_model]"},
                     {"load", PortType::F32, "[experts] share of tokens routed to each expert (before capacity; sums to k)", false, "router_load"},
                     {"kept", PortType::F32, "[experts] share of tokens each expert processed after capacity", false, "router_load"}};
        d.attrs = {attrInt("d_model", 64, 1, 1 << 20, "token width (must match the input's last axis)"),
                   attrInt("experts", 8, 1, 4096, "number of routed experts E"),
                   attrInt("k", 1, 1, 64, "experts per token (1: Switch, 2: GShard / Mixtral)"),
                   attrInt("hidden", 128, 1, 1 << 20, "hidden width of each expert MLP"),
                   attrEnum("act", "gelu", {"gelu", "relu", "silu"}, "expert activation"),
                   attrFloat("capacity_factor", 0.0, 0.0, 64.0, "capacity = ceil(cf * tokens * k / E); 0 = no token dropped"),
                   attrBool("normalize", false, "renormalise the top-k probabilities to sum to 1"),
                   attrBool("shared_expert", false, "add an always-on shared expert MLP"),
                   attrInt("shared_hidden", 0, 0, 1 << 20, "hidden width of the shared expert (0 = hidden)")};
        d.expand = expandMoe;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
