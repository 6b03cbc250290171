// head: the output head of a sequence model, x [B, T, D].
//   norm:  optional final LayerNorm / RMSNorm over D
//   pool:  cls = x[:, 0], mean = mean over T, last = x[:, -1], none = every position
//   y = pooled W^T (+ b)      [B, out] or [B, T, out] with pool none
// Classifier: pool cls or mean. LM head: pool none, bias false. Regression: out_features 1.
#include "blocks/body_builder.h"
#include "ops/common.h"

#include <limits>

namespace archscope::ops {

using namespace blocks;

namespace {

bool expandHead(const Attrs& a, Graph* g, std::string*) {
    BodyBuilder b(g);
    PortRef x = b.input("x");
    if (a.s("norm") != "none") x = b.add("norm", a.s("norm"), {{"eps", F(a.f("eps"))}}, {{"x", x}});
    const std::string& pool = a.s("pool");
    if (pool == "cls" || pool == "last") {
        const int64_t s = pool == "cls" ? 0 : -1;
        x = b.add("pool", "slice", {{"axis", I(-2)}, {"start", I(s)}, {"end", I(s + 1 == 0 ? std::numeric_limits<int64_t>::max() : s + 1)}}, {{"x", x}});
        x = b.add("squeeze", "flatten", {{"start_axis", I(-2)}, {"end_axis", I(-1)}}, {{"x", x}});
    } else if (pool == "mean") {
        x = b.add("channels_first", "permute", {{"perm", Is({0, 2, 1})}}, {{"x", x}});
        x = b.add("pool", "globalpool", {{"mode", S("avg")}}, {{"x", x}});
    }
    b.output("y", b.add("proj", "linear", {{"out_features", I(a.i("out_features"))}, {"bias", B(a.b("bias"))}}, {{"x", x}}));
    return true;
}

}  // namespace

const OpDef& op_head() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "head";
        d.displayName = "Head";
        d.category = "Blocks";
        d.doc = "Output head: optional final norm, pooling over tokens (class token, mean, last, or none), then a linear "
                "map: a classifier, an LM head (pool none, no bias) or a regression readout.";
        d.inputs = {{"x", PortType::F32, "[B, T, D]"}};
        d.outputs = {{"y", PortType::F32, "[B, out_features], or [B, T, out_features] with pool none"}};
        d.attrs = {attrInt("out_features", 10, 1, 1 << 24, "classes, vocabulary size or regression targets"),
                   attrEnum("pool", "cls", {"cls", "mean", "last", "none"}, "how tokens are reduced before the projection"),
                   attrEnum("norm", "layernorm", {"none", "layernorm", "rmsnorm"}, "final norm before pooling"),
                   attrFloat("eps", 1e-5, 0.0, 1.0, "epsilon of the norm"),
                   attrBool("bias", true, "bias of the projection (LM heads usually have none)")};
        d.expand = expandHead;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
