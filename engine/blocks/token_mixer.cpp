// token_mixer: the non-attention token mixers of the MetaFormer family on a [B, H, W, C] map
// (N = H*W tokens). Norm and residual stay outside, as in MetaFormer: x + mixer(norm(x)).
//   pool: y = AvgPool_{k, stride 1, pad k/2, no padding in the divisor}(x) - x       (PoolFormer)
//   mlp:  y = (W2 GELU(W1 X^T + b1) + b2)^T over the token axis, X = x as [B, N, C]  (MLP-Mixer)
//   gmlp: [u, v] = GELU(X W_in^T + b_in) split in halves of F;                       (gMLP)
//         y = ((u * (W_s LN(v) + b_s)) W_out^T + b_out, W_s [N, N] mixing tokens (spatial gating unit)
// Parameters: mlp: token_fc1 [hidden, N], token_fc2 [N, hidden]; gmlp: proj_in [2F, C], sgu_norm,
// sgu_spatial [N, N], proj_out [C, F].
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

namespace archscope::ops {

using namespace blocks_b;

namespace {

std::string pool(Builder& b, int64_t k) {
    std::string p = b.op("to_nchw", "permute", "x", {{"perm", ints({0, 3, 1, 2})}});
    p = b.op("pool", "avgpool2d", p, {{"kernel", ints({k, k})}, {"stride", ints({1, 1})}, {"padding", ints({k / 2, k / 2})},
                                      {"count_include_pad", false}});
    p = b.op("to_nhwc", "permute", p, {{"perm", ints({0, 2, 3, 1})}});
    return b.binary("minus_x", "sub", p, "x");
}

std::string mlp(Builder& b, int64_t h, int64_t w, int64_t hidden) {
    std::string t = b.op("tokens", "flatten", "x", {{"start_axis", i64(1)}, {"end_axis", i64(2)}});
    t = b.op("transpose", "permute", t, {{"perm", ints({0, 2, 1})}});
    t = b.op("token_fc1", "linear", t, {{"out_features", hidden}});
    t = b.op("act", "gelu", t);
    t = b.op("token_fc2", "linear", t, {{"out_features", h * w}});
    t = b.op("transpose_back", "permute", t, {{"perm", ints({0, 2, 1})}});
    return b.op("to_map", "unflatten", t, {{"axis", i64(1)}, {"sizes", ints({h, w})}});
}

std::string gmlp(Builder& b, int64_t h, int64_t w, int64_t hidden, int64_t dim) {
    std::string t = b.op("tokens", "flatten", "x", {{"start_axis", i64(1)}, {"end_axis", i64(2)}});
    t = b.op("proj_in", "linear", t, {{"out_features", 2 * hidden}});
    t = b.op("act", "gelu", t);
    b.add("halves", "split", {{"axis", i64(-1)}, {"sizes", ints({hidden, hidden})}}, {{"x", t}});
    std::string v = b.op("sgu_norm", "layernorm", "halves:y1");
    v = b.op("sgu_transpose", "permute", v, {{"perm", ints({0, 2, 1})}});
    v = b.op("sgu_spatial", "linear", v, {{"out_features", h * w}});
    v = b.op("sgu_transpose_back", "permute", v, {{"perm", ints({0, 2, 1})}});
    std::string g = b.binary("sgu_gate", "mul", "halves:y0", v);
    g = b.op("proj_out", "linear", g, {{"out_features", dim}});
    return b.op("to_map", "unflatten", g, {{"axis", i64(1)}, {"sizes", ints({h, w})}});
}

bool expand(const Attrs& a, Graph* g, std::string* err) {
    const std::string mode = a.s("mode");
    const int64_t h = a.i("height"), w = a.i("width"), hidden = a.i("hidden"), dim = a.i("dim");
    if (mode != "pool" && (h <= 0 || w <= 0))
        return *err = "mode " + mode + " mixes a fixed number of tokens: set height and width (the map size)", false;
    if (mode == "gmlp" && dim <= 0) return *err = "mode gmlp projects back to the channels: set dim (C)", false;
    Builder b(g);
    b.input("x");
    std::string y = mode == "pool" ? pool(b, a.i("pool_size")) : mode == "mlp" ? mlp(b, h, w, hidden) : gmlp(b, h, w, hidden, dim);
    b.output("y", y);
    return true;
}

}  // namespace

const OpDef& op_token_mixer() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "token_mixer";
        d.displayName = "Token Mixer";
        d.category = "Blocks";
        d.doc = "Attention-free token mixing on a [B, H, W, C] map: pooling minus identity (PoolFormer), a token-mixing MLP "
                "across the H*W positions (MLP-Mixer) or gMLP's gated MLP with a spatial gating unit.";
        d.inputs = {{"x", PortType::F32, "[B, H, W, C]"}};
        d.outputs = {{"y", PortType::F32, "[B, H, W, C]"}};
        d.attrs = {attrEnum("mode", "pool", {"pool", "mlp", "gmlp"}, "pool: PoolFormer; mlp: MLP-Mixer token MLP; gmlp: gMLP with spatial gating"),
                   attrInt("pool_size", 3, 1, 63, "pooling window (pool mode), odd"),
                   attrInt("height", 0, 0, 1 << 16, "map height H (mlp and gmlp modes: the token count is fixed)"),
                   attrInt("width", 0, 0, 1 << 16, "map width W (mlp and gmlp modes)"),
                   attrInt("hidden", 64, 1, 1 << 20, "mlp: token-MLP width; gmlp: gated width F"),
                   attrInt("dim", 0, 0, 1 << 16, "channels C (gmlp mode)")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
