// PyTorch export of recurrences (scan, linear_mix) and mixture of experts
// (moe_route, moe_experts). Each op becomes a call of a readable helper in the
// generated file's prelude (seqPyPrelude), written after the CPU kernels:
//   scan diag   -> SelectiveScan module (params A_log, D), a loop over time steps (ops/scan.cpp)
//   scan decay  -> decay_scan(q, k, v, g, gamma), delta -> delta_rule_scan(q, k, v, beta)
//   linear_mix  -> decay_attention / delta_rule_attention in the chunked form of ops/linear_mix.cpp
//                  (chunk=None: the parallel form, one T x T block)
//   moe_route   -> moe_route(probs, k, capacity_factor, normalize): stable ranking (ties: lower
//                  expert first) and the kernel's admission order (rank by rank, tokens in order)
//   moe_experts -> MoEExperts module (params w1, b1, w2, b2), each expert on its routed tokens only
#include "interop/pytorch_export_ctx.h"

namespace archscope::pyout {

namespace {

std::string kwArg(const std::string& name, const std::string& value) { return ", " + name + "=" + value; }

// scan ports: x dt Bm Cm q k v g beta.
std::string scanPy(Py& p) {
    const std::string& mode = p.at().s("mode");
    if (mode == "diag") {
        p.module = "SelectiveScan(" + std::to_string(p.inShape(0)[2]) + ", " + std::to_string(p.inShape(2)[2]) + ")";
        return p.self + "(" + p.in(0) + ", " + p.in(1) + ", " + p.in(2) + ", " + p.in(3) + ")";
    }
    const std::string qkv = p.in(4) + ", " + p.in(5) + ", " + p.in(6);
    if (mode == "delta") return "delta_rule_scan(" + qkv + ", " + p.in(8) + ")";
    const std::string g = p.in(7);
    return "decay_scan(" + qkv + (g != "None" ? kwArg("g", g) : kwArg("gamma", num(p.at().f("gamma")))) + ")";
}

// linear_mix ports: q k v g beta.
std::string linearMixPy(Py& p) {
    const std::string qkv = p.in(0) + ", " + p.in(1) + ", " + p.in(2);
    const std::string chunk = kwArg("chunk", p.at().s("form") == "parallel" ? "None" : std::to_string(p.at().i("chunk")));
    if (p.at().s("kind") == "delta") return "delta_rule_attention(" + qkv + ", " + p.in(4) + chunk + ")";
    const std::string g = p.in(3);
    return "decay_attention(" + qkv + (g != "None" ? kwArg("g", g) : kwArg("gamma", num(p.at().f("gamma")))) + chunk + ")";
}

std::string moeRoutePy(Py& p) {
    return "moe_route(" + p.in(0) + kwArg("k", std::to_string(p.at().i("k"))) + kwArg("capacity_factor", num(p.at().f("capacity_factor"))) +
           kwArg("normalize", p.at().b("normalize") ? "True" : "False") + ")";
}

std::string moeExpertsPy(Py& p) {
    p.module = "MoEExperts(" + std::to_string(p.inShape(1).back()) + ", " + std::to_string(p.inShape(0).back()) + ", " +
               std::to_string(p.at().i("hidden")) + ", act=\"" + p.at().s("act") + "\")";
    return p.self + "(" + p.in(0) + ", " + p.in(1) + ")";
}

}  // namespace

const std::map<std::string, PyFn>& seqPyTable() {
    static const std::map<std::string, PyFn> t = {
        {"scan", scanPy},
        {"linear_mix", linearMixPy},
        {"moe_route", moeRoutePy},
        {"moe_experts", moeExpertsPy},
    };
    return t;
}

const char* seqPyPrelude() {
    // moe_route uses `math`, imported at the top of morePyPrelude().
    return R"PY(
# Linear recurrences (Mamba, RetNet, GLA, DeltaNet). Row-vector convention: the state S is
# [dk, dv] per batch and head, q_t, k_t are rows of width dk, v_t of width dv; S_0 = 0.


def selective_scan(x, dt, Bm, Cm, A_log, D):
    """Mamba's selective scan, one time step after the other:
        h_t = exp(dt_t * A) * h_{t-1} + dt_t * Bm_t * x_t,   y_t = <h_t, Cm_t> + D * x_t,   A = -exp(A_log).
    x, dt [B, T, D] (dt already softplus'ed), Bm, Cm [B, T, N], A_log [D, N], D [D] -> y [B, T, D]."""
    A = -torch.exp(A_log)
    h = x.new_zeros(x.shape[0], x.shape[2], A.shape[1])  # [B, D, N]
    ys = []
    for t in range(x.shape[1]):
        dt_t, x_t = dt[:, t, :, None], x[:, t, :, None]
        h = torch.exp(dt_t * A) * h + dt_t * Bm[:, t, None, :] * x_t
        ys.append((h * Cm[:, t, None, :]).sum(-1) + D * x[:, t])
    return torch.stack(ys, 1)


class SelectiveScan(nn.Module):
    """The selective scan with its parameters A_log [D, N] and skip D [D]."""

    def __init__(self, channels, state):
        super().__init__()
        self.A_log = nn.Parameter(torch.zeros(channels, state))
        self.D = nn.Parameter(torch.ones(channels))

    def forward(self, x, dt, Bm, Cm):
        return selective_scan(x, dt, Bm, Cm, self.A_log, self.D)


def decay_scan(q, k, v, g=None, gamma=1.0):
    """Decayed linear attention, one time step after the other (RetNet: fixed gamma; GLA: a_t = exp(g_t)):
        S_t = diag(a_t) S_{t-1} + k_t^T v_t,   o_t = q_t S_t.
    q, k [B, H, T, dk], v [B, H, T, dv], g [B, H, T, dk] or None -> [B, H, T, dv]."""
    S = q.new_zeros(q.shape[0], q.shape[1], q.shape[3], v.shape[3])
    out = []
    for t in range(q.shape[2]):
        a = torch.exp(g[:, :, t, :, None]) if g is not None else gamma
        S = a * S + k[:, :, t, :, None] * v[:, :, t, None, :]
        out.append((q[:, :, t, None, :] @ S)[:, :, 0])
    return torch.stack(out, 2)


def delta_rule_scan(q, k, v, beta):
    """DeltaNet's delta rule, one time step after the other:
        S_t = S_{t-1} + beta_t k_t^T (v_t - k_t S_{t-1}),   o_t = q_t S_t.
    q, k [B, H, T, dk], v [B, H, T, dv], beta [B, H, T] -> [B, H, T, dv]."""
    S = q.new_zeros(q.shape[0], q.shape[1], q.shape[3], v.shape[3])
    out = []
    for t in range(q.shape[2]):
        k_t = k[:, :, t, None, :]
        u = v[:, :, t, None, :] - k_t @ S
        S = S + beta[:, :, t, None, None] * k_t.transpose(-1, -2) @ u
        out.append((q[:, :, t, None, :] @ S)[:, :, 0])
    return torch.stack(out, 2)


def decay_attention(q, k, v, g=None, gamma=1.0, chunk=None):
    """decay_scan in chunked form: inside a chunk an attention-like block whose (t, s) entry
    decays by prod_{u=s+1..t} a_u per key dim, between chunks the state S carried over.
    chunk=None: one chunk over the whole sequence (the parallel form)."""
    T = q.shape[2]
    C = T if chunk is None else min(chunk, T)
    S = q.new_zeros(q.shape[0], q.shape[1], q.shape[3], v.shape[3])
    out = []
    for t0 in range(0, T, C):
        qc, kc, vc = q[:, :, t0:t0 + C], k[:, :, t0:t0 + C], v[:, :, t0:t0 + C]
        n = qc.shape[2]
        if g is not None:  # L: log of the decay from the chunk start, per key dim
            L = g[:, :, t0:t0 + C].cumsum(2)
            scores = qc.new_zeros(*qc.shape[:3], n)
            for t in range(n):  # scores[t, s] = sum_i q_ti k_si exp(L_ti - L_si) for s <= t
                scores[:, :, t, :t + 1] = (qc[:, :, t, None] * kc[:, :, :t + 1] * (L[:, :, t, None] - L[:, :, :t + 1]).exp()).sum(-1)
            from_start, to_end = L.exp(), (L[:, :, -1:] - L).exp()
        else:  # the decay from s to t is gamma^(t - s)
            t = torch.arange(n, dtype=torch.float64)
            scores = (qc @ kc.transpose(-1, -2)) * torch.tril(gamma ** (t[:, None] - t[None, :]).clamp(min=0)).float()
            from_start, to_end = (gamma ** (t + 1)).float()[:, None], (gamma ** (n - 1 - t)).float()[:, None]
        out.append((qc * from_start) @ S + scores @ vc)
        S = from_start[..., -1, :, None] * S + (kc * to_end).transpose(-1, -2) @ vc
    return torch.cat(out, 2)


def delta_rule_attention(q, k, v, beta, chunk=None):
    """delta_rule_scan in chunked (UT / WY) form: inside a chunk the corrections
        u_t = v_t - k_t S - sum_{s<t} beta_s (k_t . k_s) u_s
    solve a unit lower-triangular system; o_t = q_t S + sum_{s<=t} beta_s (q_t . k_s) u_s and
    S += sum_s beta_s k_s^T u_s carries the state to the next chunk. chunk=None: the parallel form."""
    T = q.shape[2]
    C = T if chunk is None else min(chunk, T)
    S = q.new_zeros(q.shape[0], q.shape[1], q.shape[3], v.shape[3])
    out = []
    for t0 in range(0, T, C):
        qc, kc, vc, bc = q[:, :, t0:t0 + C], k[:, :, t0:t0 + C], v[:, :, t0:t0 + C], beta[:, :, t0:t0 + C]
        n = qc.shape[2]
        kk = torch.tril((kc @ kc.transpose(-1, -2)) * bc[:, :, None, :], -1) + torch.eye(n)
        U = torch.linalg.solve_triangular(kk, vc - kc @ S, upper=False, unitriangular=True)
        qk = torch.tril((qc @ kc.transpose(-1, -2)) * bc[:, :, None, :])
        out.append(qc @ S + qk @ U)
        S = S + (kc * bc[..., None]).transpose(-1, -2) @ U
    return torch.cat(out, 2)


# Sparse mixture of experts (Switch Transformer, GShard).


def moe_route(probs, k=1, capacity_factor=0.0, normalize=False):
    """Top-k routing with expert capacity, over the N = numel / E tokens of probs [..., E]:
    each token ranks the experts by probability (ties: lower expert first) and picks k.
    Assignments are admitted rank by rank (all first choices in token order, then all second
    choices, ...) while the expert has room: capacity = ceil(capacity_factor * N * k / E),
    unlimited if 0. Returns gates [..., E] (the probability, or probability / sum of the token's
    top-k when normalize, for admitted assignments, else 0), load [E] (share of tokens choosing
    each expert, before capacity; sums to k) and kept [E] (share each expert processes)."""
    E = probs.shape[-1]
    p = probs.reshape(-1, E)
    N = p.shape[0]
    capacity = N * k if capacity_factor <= 0 else max(1, math.ceil(capacity_factor * N * k / E))
    top = torch.sort(p, dim=-1, descending=True, stable=True).indices[:, :k]  # [N, k]
    choice = F.one_hot(top, E)  # [N, k, E]
    load = choice.sum((0, 1)).float() / N
    # An assignment is admitted iff fewer than `capacity` assignments to its expert come before it.
    order = choice.transpose(0, 1).reshape(k * N, E)  # rank-major: the admission order
    before = order.cumsum(0) - order
    admitted = (order * (before < capacity)).reshape(k, N, E).sum(0)  # [N, E], 0 or 1
    kept = admitted.sum(0).float() / N
    if normalize:
        s = p.gather(1, top).sum(1, keepdim=True)
        p = p / torch.where(s > 0, s, torch.ones_like(s))
    gates = torch.where(admitted > 0, p, torch.zeros_like(p))
    return gates.reshape(probs.shape), load, kept


class MoEExperts(nn.Module):
    """E two-layer expert MLPs (expert e: Linear(D, H), act, Linear(H, D)); each expert runs
    only on the tokens routed to it, whose outputs are summed with the gate weights."""

    def __init__(self, experts, dim, hidden, act="gelu"):
        super().__init__()
        self.w1 = nn.Parameter(torch.empty(experts, hidden, dim))
        self.b1 = nn.Parameter(torch.empty(experts, hidden))
        self.w2 = nn.Parameter(torch.empty(experts, dim, hidden))
        self.b2 = nn.Parameter(torch.empty(experts, dim))
        self.act = {"gelu": F.gelu, "relu": F.relu, "silu": F.silu}[act]

    def forward(self, x, gates):
        tokens = x.reshape(-1, x.shape[-1])
        g = gates.reshape(tokens.shape[0], -1)
        y = torch.zeros_like(tokens)
        for e in range(g.shape[1]):
            rows = torch.nonzero(g[:, e]).flatten()  # tokens admitted to expert e
            if len(rows) == 0:
                continue
            h = self.act(F.linear(tokens[rows], self.w1[e], self.b1[e]))
            y.index_add_(0, rows, g[rows, e, None] * F.linear(h, self.w2[e], self.b2[e]))
        return y.reshape(x.shape)

)PY";
}

}  // namespace archscope::pyout
