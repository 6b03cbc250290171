// transformer_layer: one attention + feed-forward layer built from the mha, ffn and
// residual blocks.
//   pre-norm:  a = mha(N1(x), kv);  x1 = R1(x, a);   f = ffn(N2(x1));  y = R2(x1, f)
//   post-norm: a = mha(x, kv);      x1 = N1(R1(x, a)); f = ffn(x1);    y = N2(R2(x1, f))
// kv is N1(x) (self-attention), or concat(N1(mem), N1(x)) along T with memory = true
// (Transformer-XL / GTrXL segment memory; queries then sit at offset mem_len).
// With residual = gtrxl_gate the sublayer outputs pass a ReLU before the gate, as in GTrXL.
#include "blocks/body_builder.h"
#include "ops/common.h"

namespace archscope::ops {

using namespace blocks;

namespace {

bool expandLayer(const Attrs& a, Graph* g, std::string* err) {
    const bool pre = a.s("placement") == "pre", mem = a.b("memory");
    const std::string& norm = a.s("norm");
    const std::string& res = a.s("residual");
    const int64_t d = a.i("d_model");
    if (res == "gtrxl_gate" && !pre) { *err = "residual = gtrxl_gate needs placement = pre (GTrXL's identity-map reordering)"; return false; }
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef xin = pre ? b.add("norm1", norm, {{"eps", F(a.f("eps"))}}, {{"x", x}}) : x;
    AttrList attn = {{"d_model", I(d)}, {"heads", I(a.i("heads"))}, {"kv_heads", I(a.i("kv_heads"))},
                     {"causal", B(a.b("causal"))}, {"pos", S(a.s("pos"))}, {"rope_base", F(a.f("rope_base"))},
                     {"bias", B(a.b("bias"))}};
    Inputs attnIn{{"x", xin}};
    if (mem) {
        PortRef m = b.input("mem");
        if (pre) {
            m = b.add("norm_mem", norm, {{"eps", F(a.f("eps"))}}, {{"x", m}});
            g->node(m.node)->weightsOf = "norm1";  // the memory shares the layer's norm
        }
        PortRef kv = b.add("kv", "concat", {{"axis", I(1)}}, {{"a", m}, {"b", xin}});
        attn["cross"] = B(true);
        attn["offset"] = I(a.i("mem_len"));
        attnIn.push_back({"kv", kv});
    }
    PortRef at = b.add("attn", "mha", attn, attnIn);
    AttrList r = {{"mode", S(res)}, {"d_model", I(d)}, {"gate_bias", F(a.f("gate_bias"))}};
    if (!pre) r["post_norm"] = S(norm), r["eps"] = F(a.f("eps"));
    if (res == "gtrxl_gate") at = b.add("attn_relu", "relu", {}, {{"x", at}});
    PortRef x1 = b.add("res1", "residual", r, {{"x", x}, {"f", at}});
    PortRef fin = pre ? b.add("norm2", norm, {{"eps", F(a.f("eps"))}}, {{"x", x1}}) : x1;
    PortRef f = b.add("ffn", "ffn", {{"d_model", I(d)}, {"hidden", I(a.i("hidden"))}, {"act", S(a.s("act"))}, {"bias", B(a.b("bias"))}},
                      {{"x", fin}});
    if (res == "gtrxl_gate") f = b.add("ffn_relu", "relu", {}, {{"x", f}});
    b.output("y", b.add("res2", "residual", r, {{"x", x1}, {"f", f}}));
    b.output("probs", {"attn", "probs"});
    return true;
}

}  // namespace

const OpDef& op_transformer_layer() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "transformer_layer";
        d.displayName = "Transformer Layer";
        d.category = "Blocks";
        d.doc = "Attention then feed-forward, each with a residual: pre- or post-norm, LayerNorm or RMSNorm, plain, "
                "layer-scale or GTrXL-gated residuals, optional segment memory.";
        d.inputs = {{"x", PortType::F32, "[B, T, d_model]"},
                    {"mem", PortType::F32, "segment memory [B, mem_len, d_model] when memory = true", true}};
        d.outputs = {{"y", PortType::F32, "[B, T, d_model]"},
                     {"probs", PortType::F32, "attention probabilities [B, H, T, Tk]", false, "attention"}};
        d.attrs = {attrInt("d_model", 64, 1, 1 << 20, "width"),
                   attrInt("heads", 4, 1, 4096, "attention heads"),
                   attrInt("kv_heads", 0, 0, 4096, "key/value heads (0 = heads)"),
                   attrInt("hidden", 256, 1, 1 << 22, "feed-forward hidden width"),
                   attrEnum("act", "gelu", {"relu", "gelu", "gelu_tanh", "silu", "swiglu", "geglu", "glu", "bilinear"},
                            "feed-forward activation"),
                   attrEnum("norm", "layernorm", {"layernorm", "rmsnorm"}, "normalisation"),
                   attrEnum("placement", "pre", {"pre", "post"}, "norm before the sublayers (pre) or after the residual (post)"),
                   attrEnum("residual", "add", {"add", "layer_scale", "gtrxl_gate"}, "residual combination"),
                   attrFloat("gate_bias", 2.0, -1e6, 1e6, "b_g of the GTrXL gate"),
                   attrBool("causal", false, "causal self-attention"),
                   attrEnum("pos", "none", {"none", "rope", "alibi"}, "position scheme inside attention"),
                   attrFloat("rope_base", 10000.0, 1.0, 1e12, "RoPE frequency base"),
                   attrBool("bias", true, "biases in attention and feed-forward projections"),
                   attrFloat("eps", 1e-5, 0.0, 1.0, "norm epsilon"),
                   attrBool("memory", false, "attend over concat(mem, x): segment memory input"),
                   attrInt("mem_len", 0, 0, 1e9, "memory length (queries start at this key position)")};
        d.expand = expandLayer;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
