// window_attention: Swin W-MSA / SW-MSA and MaxViT block / grid attention on a [B, H, W, C] map.
//   block mode: windows = window_partition(x, M, shift)            (Swin; shift M/2 in SW-MSA)
//   grid mode:  windows[b, (ph, pw), (gh, gw)] = x[b, gh*H/G + ph, gw*W/G + pw]   (MaxViT, G = window)
//   per window: q, k, v = split(x W_qkv^T + b), heads of size hd = C / heads
//               A = softmax(q k^T / sqrt(hd) + B_rel + mask_shift),  o = (A v) W_proj^T + b
// then the inverse partition. B_rel is rel_pos_bias (table [(2M-1)^2, heads]); mask_shift is
// window_mask (only when shift > 0). Parameters: qkv.weight [3C, C], qkv.bias, rel_bias.table,
// proj.weight [C, C], proj.bias, matching timm's WindowAttention names.
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

namespace archscope::ops {

using namespace blocks_b;

namespace {

// Grid partition with reshape/permute: [B, H, W, C] -> [B*(H/G)*(W/G), G*G, C] and back.
std::string gridPartition(Builder& b, const std::string& x, int64_t g, int64_t h, int64_t w, int64_t c) {
    std::string r = b.op("grid_view", "unflatten", x, {{"axis", i64(1)}, {"sizes", ints({g, h / g})}});
    r = b.op("grid_view2", "unflatten", r, {{"axis", i64(3)}, {"sizes", ints({g, w / g})}});
    r = b.op("grid_perm", "permute", r, {{"perm", ints({0, 2, 4, 1, 3, 5})}});
    return b.op("partition", "reshape", r, {{"shape", "-1, " + std::to_string(g * g) + ", " + std::to_string(c)}});
}

std::string gridReverse(Builder& b, const std::string& win, int64_t g, int64_t h, int64_t w, int64_t c) {
    std::string r = b.op("ungrid_view", "reshape", win,
                         {{"shape", "-1, " + std::to_string(h / g) + ", " + std::to_string(w / g) + ", " + std::to_string(g) + ", " +
                                        std::to_string(g) + ", " + std::to_string(c)}});
    r = b.op("ungrid_perm", "permute", r, {{"perm", ints({0, 3, 1, 4, 2, 5})}});
    return b.op("reverse", "reshape", r, {{"shape", "-1, " + std::to_string(h) + ", " + std::to_string(w) + ", " + std::to_string(c)}});
}

bool expand(const Attrs& a, Graph* g, std::string* err) {
    const int64_t c = a.i("dim"), heads = a.i("heads"), m = a.i("window"), shift = a.i("shift");
    const bool grid = a.s("mode") == "grid";
    const int64_t h = a.i("height"), w = a.i("width");
    if (c % heads != 0) return *err = "dim " + std::to_string(c) + " is not divisible by heads " + std::to_string(heads), false;
    if (shift >= m) return *err = "shift " + std::to_string(shift) + " must be smaller than the window " + std::to_string(m), false;
    if (grid && shift != 0) return *err = "grid mode has no shift: set shift to 0", false;
    if (grid && (h <= 0 || w <= 0 || h % m != 0 || w % m != 0))
        return *err = "grid mode needs height and width (the map size) divisible by the grid size window = " + std::to_string(m), false;
    Builder b(g);
    b.input("x");
    std::string win = grid ? gridPartition(b, "x", m, h, w, c)
                           : b.op("partition", "window_partition", "x", {{"window", m}, {"shift", shift}});
    std::string qkv = b.op("qkv", "linear", win, {{"out_features", 3 * c}, {"bias", a.b("qkv_bias")}});
    b.add("qkv_split", "split", {{"axis", i64(-1)}, {"sizes", ints({c, c, c})}}, {{"x", qkv}});
    std::string q = splitHeads(b, "q", "qkv_split:y0", heads, 3);
    std::string k = splitHeads(b, "k", "qkv_split:y1", heads, 3);
    std::string v = splitHeads(b, "v", "qkv_split:y2", heads, 3);
    std::string s = b.add("scores", "matmul", {{"transpose_b", true}, {"alpha", 1.0 / std::sqrt(double(c / heads))}}, {{"a", q}, {"b", k}});
    if (a.b("rel_bias")) s = b.op("rel_bias", "rel_pos_bias", s, {{"window", m}});
    std::vector<In> sm{{"x", s}};
    if (shift > 0) sm.push_back({"mask", b.add("shift_mask", "window_mask", {{"window", m}, {"shift", shift}}, {{"like", "x"}})});
    std::string p = b.add("softmax", "softmax", {{"axis", i64(-1)}}, sm);
    std::string ctx = b.add("context", "matmul", {}, {{"a", p}, {"b", v}});
    std::string merged = mergeHeads(b, "merge", ctx, 3);
    std::string proj = b.op("proj", "linear", merged, {{"out_features", c}});
    std::string y = grid ? gridReverse(b, proj, m, h, w, c)
                         : b.add("reverse", "window_reverse", {{"window", m}, {"shift", shift}}, {{"x", proj}, {"like", "x"}});
    b.output("y", y);
    return true;
}

}  // namespace

const OpDef& op_window_attention() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "window_attention";
        d.displayName = "Window Attention";
        d.category = "Blocks";
        d.doc = "Multi-head self-attention inside M x M windows of a [B, H, W, C] map with a learned relative position bias: "
                "Swin W-MSA (shift 0) and SW-MSA (shift M/2, cyclic shift with masking), MaxViT block attention, and MaxViT "
                "grid attention (mode grid: a G x G dilated grid over the whole map).";
        d.inputs = {{"x", PortType::F32, "[B, H, W, C], H and W multiples of the window (grid mode: of the grid)"}};
        d.outputs = {{"y", PortType::F32, "[B, H, W, C]"}};
        d.attrs = {attrRequiredInt("dim", 1, 1 << 16, "channels C"),
                   attrInt("heads", 4, 1, 1024, "attention heads (C divisible by heads)"),
                   attrInt("window", 7, 1, 1 << 12, "window size M (grid mode: grid size G)"),
                   attrInt("shift", 0, 0, 1 << 12, "cyclic shift (Swin SW-MSA: M/2), < M; block mode only"),
                   attrEnum("mode", "block", {"block", "grid"}, "block: local windows (Swin, MaxViT block); grid: MaxViT grid attention"),
                   attrInt("height", 0, 0, 1 << 16, "map height H (grid mode only)"),
                   attrInt("width", 0, 0, 1 << 16, "map width W (grid mode only)"),
                   attrBool("rel_bias", true, "add the learned relative position bias"),
                   attrBool("qkv_bias", true, "bias on the q, k, v projection")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
