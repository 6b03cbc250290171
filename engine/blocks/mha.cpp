// mha: multi-head attention as a composite block (self or cross, causal or
// windowed, GQA/MQA, RoPE/ALiBi, output gate, clipped softmax, KV cache).
// KV cache (cache = true): k = [past_k; k_new], v = [past_v; v_new] along T, and the
// positions of RoPE, masks and ALiBi start at offset + P (P = past length); present_k/v
// are the concatenated cache for the next step. Without cache they are this pass's k/v.
//   q = x Wq^T [B, Tq, H*Dh],  k = kv Wk^T, v = kv Wv^T [B, Tk, Hkv*Dh]   (kv = x unless cross)
//   heads: [B, T, H*Dh] -> unflatten -> permute -> [B, H, T, Dh]; RoPE on q (offset) and k
//   s = scale * q k^T (+ ALiBi bias) + mask;  p = softmax(s) (clipped when zeta/gamma set)
//   o = p v per head (query head h reads kv head h / (H/Hkv));  merge heads; gate; y = o Wo^T
// GQA keeps k/v at Hkv heads and lets matmul broadcast them over the H/Hkv query heads of
// each group ([B, Hkv, G, T, Dh] x [B, Hkv, 1, T, Dh]), as repeat_kv does in LLaMA.
#include "blocks/body_builder.h"
#include "ops/common.h"

#include <cmath>

namespace archscope::ops {

using namespace blocks;

namespace {

// [B, T, n*dh] -> [B, n, T, dh]
PortRef splitHeads(BodyBuilder& b, const std::string& name, PortRef x, int64_t n, int64_t dh) {
    PortRef s = b.add(name + "_split", "unflatten", {{"axis", I(-1)}, {"sizes", Is({n, dh})}}, {{"x", x}});
    return b.add(name + "_heads", "permute", {{"perm", Is({0, 2, 1, 3})}}, {{"x", s}});
}

bool expandMha(const Attrs& a, Graph* g, std::string* err) {
    const int64_t d = a.i("d_model"), h = a.i("heads");
    const int64_t hkv = a.i("kv_heads") ? a.i("kv_heads") : h;
    const int64_t dh = a.i("head_dim") ? a.i("head_dim") : d / h;
    if (h % hkv != 0) { *err = "heads = " + std::to_string(h) + " is not a multiple of kv_heads = " + std::to_string(hkv); return false; }
    if (!a.i("head_dim") && d % h != 0) {
        *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(h) + " (or set head_dim)";
        return false;
    }
    const int64_t grp = h / hkv, off = a.i("offset");
    const bool bias = a.b("bias");
    const std::string& pos = a.s("pos");
    const bool cache = a.b("cache");
    if (cache && a.b("cross")) { *err = "cache is for self-attention (cross-attention memory is not appended to); set cache = false"; return false; }
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef kvIn = a.b("cross") ? b.input("kv") : x;
    // KV cache: past keys/values [B, Hkv, P, Dh] (optional: absent on the prompt's first pass)
    // are prepended to this step's; positions, masks and biases start at offset + P.
    std::optional<PortRef> pastK, pastV;
    if (cache) pastK = b.input("past_k"), pastV = b.input("past_v");
    auto withPast = [&](Inputs in) {
        if (pastK) in.push_back({"past", *pastK});
        return in;
    };
    PortRef q = splitHeads(b, "q", b.add("q_proj", "linear", {{"out_features", I(h * dh)}, {"bias", B(bias)}}, {{"x", x}}), h, dh);
    PortRef k = splitHeads(b, "k", b.add("k_proj", "linear", {{"out_features", I(hkv * dh)}, {"bias", B(bias)}}, {{"x", kvIn}}), hkv, dh);
    PortRef v = splitHeads(b, "v", b.add("v_proj", "linear", {{"out_features", I(hkv * dh)}, {"bias", B(bias)}}, {{"x", kvIn}}), hkv, dh);
    if (pos == "rope") {
        q = b.add("q_rope", "rope", {{"base", F(a.f("rope_base"))}, {"offset", I(off)}}, withPast({{"x", q}}));
        k = b.add("k_rope", "rope", {{"base", F(a.f("rope_base"))}, {"offset", I(cache ? off : 0)}}, withPast({{"x", k}}));
    }
    if (cache) {
        k = b.add("k_cache", "concat", {{"axis", I(2)}}, {{"a", *pastK}, {"b", k}});
        v = b.add("v_cache", "concat", {{"axis", I(2)}}, {{"a", *pastV}, {"b", v}});
    }
    b.output("present_k", k);  // the cache after this step (the prompt's keys when cache = false)
    b.output("present_v", v);
    const double scale = a.f("scale") > 0 ? a.f("scale") : 1.0 / std::sqrt(double(dh));
    PortRef s;
    if (grp > 1) {
        PortRef qg = b.add("q_groups", "unflatten", {{"axis", I(1)}, {"sizes", Is({hkv, grp})}}, {{"x", q}});
        k = b.add("k_groups", "unflatten", {{"axis", I(1)}, {"sizes", Is({hkv, 1})}}, {{"x", k}});
        v = b.add("v_groups", "unflatten", {{"axis", I(1)}, {"sizes", Is({hkv, 1})}}, {{"x", v}});
        PortRef sg = b.add("scores_groups", "matmul", {{"transpose_b", B(true)}, {"alpha", F(scale)}}, {{"a", qg}, {"b", k}});
        s = b.add("scores", "flatten", {{"start_axis", I(1)}, {"end_axis", I(2)}}, {{"x", sg}});
    } else {
        s = b.add("scores", "matmul", {{"transpose_b", B(true)}, {"alpha", F(scale)}}, {{"a", q}, {"b", k}});
    }
    std::optional<PortRef> mask;
    if (a.i("window") > 0)
        mask = b.add("mask", "sliding_window_mask", {{"window", I(a.i("window"))}, {"offset", I(off)}}, withPast({{"x", s}}));
    else if (a.b("causal"))
        mask = b.add("mask", "causal_mask", {{"offset", I(off)}}, withPast({{"x", s}}));
    if (pos == "alibi" || pos == "relative") {
        PortRef bias_ = pos == "alibi" ? b.add("alibi", "alibi", {{"offset", I(off)}}, withPast({{"x", s}}))
                                       : b.add("rel_bias", "rel_bias", {{"offset", I(off)}, {"num_buckets", I(a.i("rel_buckets"))},
                                                                       {"max_distance", I(a.i("rel_max_distance"))},
                                                                       {"bidirectional", B(!a.b("causal") && a.i("window") == 0)}},
                                               withPast({{"x", s}}));
        mask = mask ? b.add("mask_sum", "add", {}, {{"a", bias_}, {"b", *mask}}) : bias_;
    }
    Inputs smIn{{"x", s}};
    if (mask) smIn.push_back({"mask", *mask});
    PortRef p = b.add("softmax", "softmax", {{"zeta", F(a.f("zeta"))}, {"gamma", F(a.f("gamma"))}}, smIn);
    PortRef o;
    if (grp > 1) {
        PortRef pg = b.add("probs_groups", "unflatten", {{"axis", I(1)}, {"sizes", Is({hkv, grp})}}, {{"x", p}});
        PortRef og = b.add("context_groups", "matmul", {}, {{"a", pg}, {"b", v}});
        o = b.add("context", "flatten", {{"start_axis", I(1)}, {"end_axis", I(2)}}, {{"x", og}});
    } else {
        o = b.add("context", "matmul", {}, {{"a", p}, {"b", v}});
    }
    if (a.s("gate") == "head") {  // sigma(x Wg^T) per query and head, broadcast over Dh
        PortRef gl = b.add("gate_proj", "linear", {{"out_features", I(h)}}, {{"x", x}});
        PortRef gs = b.add("gate_sigmoid", "sigmoid", {}, {{"x", gl}});
        PortRef gt = b.add("gate_heads", "permute", {{"perm", Is({0, 2, 1})}}, {{"x", gs}});
        PortRef gu = b.add("gate_unsq", "unflatten", {{"axis", I(-1)}, {"sizes", Is({-1, 1})}}, {{"x", gt}});
        o = b.add("gate_mul", "mul", {}, {{"a", o}, {"b", gu}});
    }
    PortRef ot = b.add("merge_perm", "permute", {{"perm", Is({0, 2, 1, 3})}}, {{"x", o}});
    PortRef m = b.add("merge", "flatten", {{"start_axis", I(2)}, {"end_axis", I(3)}}, {{"x", ot}});
    if (a.s("gate") == "element") {  // o * sigma(x Wg^T), one gate per channel
        PortRef gl = b.add("gate_proj", "linear", {{"out_features", I(h * dh)}}, {{"x", x}});
        m = b.add("gate_mul", "gate", {{"act", S("sigmoid")}}, {{"a", m}, {"b", gl}});
    }
    b.output("y", b.add("o_proj", "linear", {{"out_features", I(d)}, {"bias", B(bias)}}, {{"x", m}}));
    b.output("probs", p);
    return true;
}

}  // namespace

const OpDef& op_mha() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "mha";
        d.displayName = "Multi-Head Attention";
        d.category = "Blocks";
        d.doc = "Scaled dot-product attention over heads: self or cross (kv input), causal or sliding-window, "
                "GQA/MQA (kv_heads), RoPE, ALiBi or T5 relative-bias positions, optional output gate and clipped softmax; KV-cache decoding "
                "(cache: past_k/past_v in, present_k/present_v out).";
        d.inputs = {{"x", PortType::F32, "queries (and keys/values unless cross) [B, Tq, D]"},
                    {"kv", PortType::F32, "keys/values source [B, Tk, Dkv] when cross = true", true},
                    {"past_k", PortType::F32, "cached keys [B, Hkv, P, Dh] (after RoPE) when cache = true", true},
                    {"past_v", PortType::F32, "cached values [B, Hkv, P, Dh] when cache = true", true}};
        d.outputs = {{"y", PortType::F32, "[B, Tq, d_model]"},
                     {"probs", PortType::F32, "attention probabilities [B, H, Tq, Tk]", false, "attention"},
                     {"present_k", PortType::F32, "keys to cache [B, Hkv, P + Tq, Dh]: past_k then this step's", false, "kv_cache"},
                     {"present_v", PortType::F32, "values to cache [B, Hkv, P + Tq, Dh]", false, "kv_cache"}};
        d.attrs = {attrInt("d_model", 64, 1, 1 << 20, "output width (and q width / heads unless head_dim is set)"),
                   attrInt("heads", 4, 1, 4096, "query heads H"),
                   attrInt("kv_heads", 0, 0, 4096, "key/value heads (0 = heads; 1 = MQA; divides heads: GQA)"),
                   attrInt("head_dim", 0, 0, 1 << 16, "width per head (0 = d_model / heads)"),
                   attrBool("cross", false, "keys and values from the kv input (cross-attention, memory)"),
                   attrBool("causal", false, "hide keys after each query (decoder)"),
                   attrInt("window", 0, 0, 1e12, "> 0: causal sliding window of this many keys (overrides causal)"),
                   attrInt("offset", 0, 0, 1e12, "absolute position of query 0 among the keys (memory length; with cache, added to P)"),
                   attrBool("cache", false, "KV-cache decoding: append this step's keys/values to past_k/past_v (required) and attend to all"),
                   attrEnum("pos", "none", {"none", "rope", "alibi", "relative"}, "position scheme inside attention (relative: T5 bucketed bias)"),
                   attrInt("rel_buckets", 32, 4, 4096, "pos relative: buckets of the T5 bias table (bidirectional unless causal)"),
                   attrInt("rel_max_distance", 128, 4, 1 << 24, "pos relative: distance sharing the last bucket"),
                   attrFloat("rope_base", 10000.0, 1.0, 1e12, "RoPE frequency base"),
                   attrBool("bias", true, "biases on the q, k, v and output projections"),
                   attrEnum("gate", "none", {"none", "head", "element"},
                            "output gate sigma(x Wg^T): one per head (Bondarenko et al. 2023) or per channel"),
                   attrFloat("zeta", 1.0, -1e6, 1e6, "clipped softmax upper stretch (1 with gamma 0: plain softmax)"),
                   attrFloat("gamma", 0.0, -1e6, 1e6, "clipped softmax lower stretch (e.g. -0.03)"),
                   attrFloat("scale", 0.0, 0.0, 1e6, "score scale (0 = 1/sqrt(head_dim))")};
        d.expand = expandMha;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
