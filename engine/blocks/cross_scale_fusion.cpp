// cross_scale_fusion: CrossViT's multi-scale fusion of two token branches, a [B, 1+Na, Da] and
// b [B, 1+Nb, Db], each led by its CLS token. For the direction a <- b (and symmetrically b <- a):
//   c   = Linear_{Da->Db}(GELU(LN(a[:, :1])))            (projected CLS of a, "a_proj")
//   t   = LN([c; b[:, 1:]])                               ("a_norm")
//   q   = t[:, :1] Wq,  k = t Wk,  v = t Wv               (heads of size Db / heads)
//   c'  = c + Proj(softmax(q k^T / sqrt(hd)) v)           (one query: cost linear in Nb)
//   a'  = [Linear_{Db->Da}(GELU(LN(c'))); a[:, 1:]]       ("a_revert")
// i.e. MultiScaleBlock's projs / fusion (CrossAttentionBlock without MLP) / revert_projs.
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

namespace archscope::ops {

using namespace blocks_b;

namespace {

// Fusion of `self`'s CLS token with `other`'s patch tokens; returns the new `self` sequence.
std::string fuse(Builder& b, const std::string& p, const std::string& self, const std::string& other, int64_t dSelf,
                 int64_t dOther, int64_t heads, bool qkvBias, double eps) {
    const std::vector<Attr> ln{{"eps", eps}};
    std::string cls = b.op(p + "cls", "slice", self, {{"axis", i64(1)}, {"start", i64(0)}, {"end", i64(1)}});
    std::string c = b.op(p + "proj_norm", "layernorm", cls, ln);
    c = b.op(p + "proj_act", "gelu", c);
    c = b.op(p + "proj", "linear", c, {{"out_features", dOther}});
    std::string patches = b.op(p + "other_patches", "slice", other, {{"axis", i64(1)}, {"start", i64(1)}});
    std::string t = b.add(p + "cat", "concat", {{"axis", i64(1)}}, {{"a", c}, {"b", patches}});
    t = b.op(p + "norm", "layernorm", t, ln);
    std::string tq = b.op(p + "query_token", "slice", t, {{"axis", i64(1)}, {"start", i64(0)}, {"end", i64(1)}});
    std::string q = splitHeads(b, p + "q", b.op(p + "wq", "linear", tq, {{"out_features", dOther}, {"bias", qkvBias}}), heads, 3);
    std::string k = splitHeads(b, p + "k", b.op(p + "wk", "linear", t, {{"out_features", dOther}, {"bias", qkvBias}}), heads, 3);
    std::string v = splitHeads(b, p + "v", b.op(p + "wv", "linear", t, {{"out_features", dOther}, {"bias", qkvBias}}), heads, 3);
    std::string ctx = attention(b, p, q, k, v, dOther / heads);
    std::string o = b.op(p + "attn_proj", "linear", mergeHeads(b, p + "merge", ctx, 3), {{"out_features", dOther}});
    std::string fused = b.binary(p + "residual", "add", c, o);
    std::string r = b.op(p + "revert_norm", "layernorm", fused, ln);
    r = b.op(p + "revert_act", "gelu", r);
    r = b.op(p + "revert", "linear", r, {{"out_features", dSelf}});
    std::string own = b.op(p + "own_patches", "slice", self, {{"axis", i64(1)}, {"start", i64(1)}});
    return b.add(p + "joined", "concat", {{"axis", i64(1)}}, {{"a", r}, {"b", own}});
}

bool expand(const Attrs& a, Graph* g, std::string* err) {
    const int64_t da = a.i("dim_a"), db = a.i("dim_b"), heads = a.i("heads");
    if (da % heads != 0 || db % heads != 0)
        return *err = "dim_a " + std::to_string(da) + " and dim_b " + std::to_string(db) + " must both be divisible by heads " +
                      std::to_string(heads), false;
    Builder b(g);
    b.input("a");
    b.input("b");
    const bool qkvBias = a.b("qkv_bias");
    const double eps = a.f("eps");
    b.output("a_out", fuse(b, "a_", "a", "b", da, db, heads, qkvBias, eps));
    b.output("b_out", fuse(b, "b_", "b", "a", db, da, heads, qkvBias, eps));
    return true;
}

}  // namespace

const OpDef& op_cross_scale_fusion() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "cross_scale_fusion";
        d.displayName = "Cross-Scale Fusion";
        d.category = "Blocks";
        d.doc = "CrossViT fusion of two branches: each branch's CLS token, projected to the other branch's width, is the single "
                "query of a cross-attention over the other branch's patch tokens, then projected back (linear cost).";
        d.inputs = {{"a", PortType::F32, "branch A tokens [B, 1+Na, Da], CLS first"},
                    {"b", PortType::F32, "branch B tokens [B, 1+Nb, Db], CLS first"}};
        d.outputs = {{"a_out", PortType::F32, "[B, 1+Na, Da]: new CLS, A's patches unchanged"},
                     {"b_out", PortType::F32, "[B, 1+Nb, Db]: new CLS, B's patches unchanged"}};
        d.attrs = {attrRequiredInt("dim_a", 1, 1 << 16, "width Da of branch A"),
                   attrRequiredInt("dim_b", 1, 1 << 16, "width Db of branch B"),
                   attrInt("heads", 4, 1, 1024, "attention heads (Da and Db divisible by heads)"),
                   attrBool("qkv_bias", true, "bias on the q, k, v projections"),
                   attrFloat("eps", 1e-6, 0.0, 1.0, "LayerNorm epsilon")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
