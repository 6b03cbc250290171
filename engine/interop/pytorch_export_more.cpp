// PyTorch export of position, mask, window and selection ops. Everything is
// written as plain PyTorch: shape-only ops (causal/sliding/window masks, alibi,
// the bucket index of rel_bias) are computed in Python from the static shapes
// and attributes, following each op's CPU kernel (engine/ops/<id>.cpp); learned
// tables (cls_token, pos_learned, layer_scale, rel_bias, rel_pos_bias) live in a
// Params module whose parameters carry the op's parameter names, so the state
// dict matches the design's weights.
#include "interop/pytorch_export_ctx.h"

namespace archscope::pyout {

namespace {

std::string str(int64_t v) { return std::to_string(v); }
std::string boolPy(bool b) { return b ? "True" : "False"; }

// The node's learned tensors as one Params module: Params(token=(1, 64)).
void paramsModule(Py& p) {
    std::string s = "Params(";
    for (size_t i = 0; i < p.info->params.size(); ++i)
        s += (i ? ", " : "") + p.info->params[i].name + "=" + pyList(p.info->params[i].shape);
    p.module = s + ")";
}

// The absolute position of query 0: offset + the length of the optional `past` input.
int64_t queryOffset(Py& p, int pastInput) {
    int64_t off = p.at().i("offset");
    if (p.in(pastInput) != "None") off += p.inShape(pastInput).end()[-2];
    return off;
}

int normAxis(int64_t ax, size_t rank) { return int(ax < 0 ? ax + int64_t(rank) : ax); }

}  // namespace

const std::map<std::string, PyFn>& morePyTable() {
    static const std::map<std::string, PyFn> t = {
        {"unflatten", [](Py& p) {
             const int ax = normAxis(p.at().i("axis"), p.inShape().size());
             const std::vector<int64_t> out = p.outShape();
             const std::vector<int64_t> sizes(out.begin() + ax, out.begin() + ax + int64_t(p.at().ints("sizes").size()));
             return p.in(0) + ".unflatten(" + str(ax) + ", " + pyList(sizes) + ")";
         }},
        {"cls_token", [](Py& p) { paramsModule(p); return "prepend_tokens(" + p.in(0) + ", " + p.self + ".token)"; }},
        {"pos_learned", [](Py& p) {
             paramsModule(p);
             return p.in(0) + " + " + p.self + ".weight[:" + str(p.inShape().end()[-2]) + "]";
         }},
        {"pos_sinusoidal", [](Py& p) {
             const auto s = p.inShape();
             return p.in(0) + " + sinusoidal_table(" + str(s.end()[-2]) + ", " + str(s.back()) + ", base=" + num(p.at().f("base")) +
                    ", offset=" + str(p.at().i("offset")) + ")";
         }},
        {"layer_scale", [](Py& p) { paramsModule(p); return p.in(0) + " * " + p.self + ".gamma"; }},
        {"rope", [](Py& p) {
             const int64_t dh = p.inShape()[3], r = p.at().i("rotary_dim") ? p.at().i("rotary_dim") : dh;
             return "rope(" + p.in(0) + ", base=" + num(p.at().f("base")) + ", rotary_dim=" + str(r) + ", offset=" + str(queryOffset(p, 1)) + ")";
         }},
        {"causal_mask", [](Py& p) {
             const auto s = p.inShape();
             return "band_mask(" + str(s.end()[-2]) + ", " + str(s.back()) + ", offset=" + str(queryOffset(p, 1)) + ").reshape" + pyList(p.outShape());
         }},
        {"sliding_window_mask", [](Py& p) {
             const auto s = p.inShape();
             return "band_mask(" + str(s.end()[-2]) + ", " + str(s.back()) + ", offset=" + str(queryOffset(p, 1)) +
                    ", window=" + str(p.at().i("window")) + ").reshape" + pyList(p.outShape());
         }},
        {"window_mask", [](Py& p) {
             const auto s = p.inShape();
             return "shifted_window_mask(" + str(s[0]) + ", " + str(s[1]) + ", " + str(s[2]) + ", window=" + str(p.at().i("window")) +
                    ", shift=" + str(p.at().i("shift")) + ")";
         }},
        {"alibi", [](Py& p) {
             const auto s = p.inShape();
             return "alibi_bias(" + str(s[1]) + ", " + str(s[2]) + ", " + str(s[3]) + ", offset=" + str(queryOffset(p, 1)) + ")";
         }},
        {"rel_bias", [](Py& p) {
             paramsModule(p);
             const auto s = p.inShape();
             return "t5_bias(" + p.self + ".table, " + str(s[2]) + ", " + str(s[3]) + ", offset=" + str(queryOffset(p, 1)) +
                    ", bidirectional=" + boolPy(p.at().b("bidirectional")) + ", max_distance=" + str(p.at().i("max_distance")) + ")";
         }},
        {"rel_pos_bias", [](Py& p) {
             paramsModule(p);
             return p.in(0) + " + window_rel_bias(" + p.self + ".table, " + str(p.at().i("window")) + ")";
         }},
        {"window_partition", [](Py& p) {
             return "window_partition(" + p.in(0) + ", window=" + str(p.at().i("window")) + ", shift=" + str(p.at().i("shift")) + ")";
         }},
        {"window_reverse", [](Py& p) {
             const auto l = p.inShape(1);
             return "window_reverse(" + p.in(0) + ", " + pyList({l[0], l[1], l[2]}) + ", window=" + str(p.at().i("window")) +
                    ", shift=" + str(p.at().i("shift")) + ")";
         }},
        {"patch_merge", [](Py& p) { return "patch_merge(" + p.in(0) + ")"; }},
        {"cumsum", [](Py& p) {
             return "cumsum(" + p.in(0) + ", " + str(normAxis(p.at().i("axis"), p.inShape().size())) + ", exclusive=" +
                    boolPy(p.at().b("exclusive")) + ", reverse=" + boolPy(p.at().b("reverse")) + ")";
         }},
        {"topk", [](Py& p) {
             return "torch.topk(" + p.in(0) + ", " + str(p.at().i("k")) + ", dim=" + str(normAxis(p.at().i("axis"), p.inShape().size())) +
                    ", largest=" + boolPy(p.at().b("largest")) + ", sorted=True)";
         }},
        {"keep_topk", [](Py& p) { return "keep_topk(" + p.in(0) + ", " + str(p.at().i("k")) + ")"; }},
        {"elu1", [](Py& p) { return "torch.where(" + p.in(0) + " > 0, " + p.in(0) + " + 1, torch.exp(" + p.in(0) + "))"; }},
    };
    return t;
}

const char* morePyPrelude() {
    return R"PY(

class Params(nn.Module):
    """The learned tensors of one node (class tokens, position tables, layer scales, bias tables)."""

    def __init__(self, **shapes):
        super().__init__()
        for name, shape in shapes.items():
            self.register_parameter(name, nn.Parameter(torch.zeros(shape)))


def prepend_tokens(x, token):
    """cls_token: learned tokens [count, D] put in front of the sequence axis of x [..., N, D]."""
    return torch.cat([token.expand(*x.shape[:-2], *token.shape), x], dim=-2)


def sinusoidal_table(t, d, base=10000.0, offset=0):
    """PE[p, 2i] = sin(p base^(-2i/d)), PE[p, 2i+1] = cos(...), p = offset + row; computed in double."""
    pos = torch.arange(offset, offset + t, dtype=torch.float64)[:, None]
    i = torch.arange(d)
    ang = pos * torch.pow(torch.tensor(base, dtype=torch.float64), -(i - i % 2).double() / d)
    return torch.where(i % 2 == 0, torch.sin(ang), torch.cos(ang)).float()


def rope(x, base=10000.0, rotary_dim=None, offset=0):
    """Rotary embedding on x [B, H, T, Dh], half-split pairs (i, i + r/2) as GPT-NeoX / LLaMA."""
    t, dh = x.shape[2], x.shape[3]
    r = rotary_dim or dh
    half = r // 2
    pos = torch.arange(offset, offset + t, dtype=torch.float64)[:, None]
    ang = pos * torch.pow(torch.tensor(base, dtype=torch.float64), -2.0 * torch.arange(half, dtype=torch.float64) / r)
    cos, sin = torch.cos(ang).float(), torch.sin(ang).float()
    x1, x2, rest = x[..., :half], x[..., half:r], x[..., r:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin, rest], dim=-1)


def band_mask(tq, tk, offset=0, window=None):
    """Additive mask [tq, tk]: 0 where key j is visible from query q = offset + i (j <= q, and
    j > q - window for a sliding window), else -inf."""
    q = torch.arange(offset, offset + tq)[:, None]
    j = torch.arange(tk)[None, :]
    visible = j <= q
    if window is not None:
        visible = visible & (j > q - window)
    return torch.zeros(tq, tk).masked_fill(~visible, float("-inf"))


def shifted_window_mask(b, h, w, window, shift):
    """Swin's SW-MSA mask [b * nW, 1, M*M, M*M]: tokens of one window from different regions of
    the shifted map cannot see each other (the img_mask construction of the Swin reference)."""
    m, n = window, window * window

    def region(length):
        p = torch.arange(length)
        if shift == 0:
            return torch.zeros(length, dtype=torch.int64)
        return torch.where(p < length - m, 0, torch.where(p < length - shift, 1, 2))

    label = 3 * region(h)[:, None] + region(w)[None, :]
    win = label.reshape(h // m, m, w // m, m).permute(0, 2, 1, 3).reshape(-1, n)
    mask = torch.zeros(win.shape[0], n, n).masked_fill(win[:, :, None] != win[:, None, :], float("-inf"))
    return mask.repeat(b, 1, 1).unsqueeze(1)


def alibi_slopes(heads):
    """ALiBi head slopes of the reference implementation (ofirpress/attention_with_linear_biases)."""
    def pow2(k):
        start = 2.0 ** (-8.0 / k)
        return [start ** (i + 1) for i in range(k)]
    p = 1
    while p * 2 <= heads:
        p *= 2
    s = pow2(p)
    return s if p == heads else s + pow2(2 * p)[0::2][:heads - p]


def alibi_bias(heads, tq, tk, offset=0):
    """ALiBi bias [1, H, tq, tk]: slope_h * (j - (offset + i))."""
    m = torch.tensor(alibi_slopes(heads), dtype=torch.float64)[:, None, None]
    dist = (torch.arange(tk)[None, :] - torch.arange(offset, offset + tq)[:, None]).double()
    return (m * dist).float().unsqueeze(0)


def t5_bucket(rel, bidirectional, num_buckets, max_distance):
    """T5's _relative_position_bucket (the log in float32, in PyTorch's order)."""
    bucket = torch.zeros_like(rel)
    n = num_buckets
    if bidirectional:
        n //= 2
        bucket = bucket + (rel > 0).long() * n
        rel = rel.abs()
    else:
        rel = -torch.clamp(rel, max=0)
    exact = n // 2
    large = exact + (torch.log(rel.float() / exact) / math.log(max_distance / exact) * (n - exact)).long()
    large = torch.clamp(large, max=n - 1)
    return bucket + torch.where(rel < exact, rel, large)


def t5_bias(table, tq, tk, offset=0, bidirectional=True, max_distance=128):
    """T5 relative position bias [1, H, tq, tk] from a learned table [num_buckets, H]."""
    rel = torch.arange(tk)[None, :] - torch.arange(offset, offset + tq)[:, None]
    b = t5_bucket(rel, bidirectional, table.shape[0], max_distance)
    return table[b].permute(2, 0, 1).unsqueeze(0)


def window_rel_bias(table, window):
    """Swin's relative position bias [H, M*M, M*M] from its table [(2M-1)^2, H]."""
    m = window
    i = torch.arange(m * m)
    dr = (i // m)[:, None] - (i // m)[None, :] + m - 1
    dc = (i % m)[:, None] - (i % m)[None, :] + m - 1
    return table[dr * (2 * m - 1) + dc].permute(2, 0, 1)


def window_partition(x, window, shift=0):
    """Swin: roll [B, H, W, C] by -shift, cut into windows [B * nW, M*M, C]."""
    b, h, w, c = x.shape
    m = window
    if shift:
        x = torch.roll(x, (-shift, -shift), (1, 2))
    return x.reshape(b, h // m, m, w // m, m, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, m * m, c)


def window_reverse(x, bhw, window, shift=0):
    """Inverse of window_partition: windows [B * nW, M*M, C] back to [B, H, W, C], rolled by +shift."""
    b, h, w = bhw
    m, c = window, x.shape[-1]
    y = x.reshape(b, h // m, w // m, m, m, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h, w, c)
    return torch.roll(y, (shift, shift), (1, 2)) if shift else y


def patch_merge(x):
    """Swin's 2x2 patch merging: [B, H, W, C] -> [B, H/2, W/2, 4C]."""
    return torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], dim=-1)


def cumsum(x, dim, exclusive=False, reverse=False):
    """Running sum along dim, accumulated in double; exclusive starts at 0, reverse sums from the end."""
    y = x.double().flip(dim) if reverse else x.double()
    s = y.cumsum(dim)
    if exclusive:
        s = torch.cat([torch.zeros_like(s.narrow(dim, 0, 1)), s.narrow(dim, 0, s.shape[dim] - 1)], dim=dim)
    return (s.flip(dim) if reverse else s).float()


def keep_topk(x, k):
    """Keeps the k largest entries of each row (last axis), zeroes the rest."""
    if k >= x.shape[-1]:
        return x.clone()
    idx = torch.topk(x, k, dim=-1).indices
    return torch.zeros_like(x).scatter(-1, idx, x.gather(-1, idx))

)PY";
}

}  // namespace archscope::pyout
