// Lifting: recognises subgraphs of exported models and emits one core op for
// each. Patterns are matched backwards from their last node (the anchor), so
// every input is already converted; the primitives emitted for the earlier
// members become dead and are removed at the end of the import.
//   LayerNorm   Add(Mul(Div(Sub(x, RM(x)), Sqrt(Add(RM(Pow(Sub, 2)), eps))), w), b)  -> layernorm
//   RMSNorm     Mul(Mul(x, Div(1, Sqrt(Add(RM(Pow(x, 2)), eps)))), w)                  -> rmsnorm
//   GELU        Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)                          -> gelu
//   SiLU        Mul(x, Sigmoid(x))                                                     -> silu
//   Linear      Add(MatMul(x, W), b) with constant W [K, N] and b [N]                 -> linear with bias
//   Attention   Softmax(Mask(Scale(MatMul(q, k)))) feeding MatMul(., v)               -> attn_softmax
//               (scale as its temperature, a constant mask as its mask input)
// (RM = ReduceMean over the last axis with keepdims.)
#include "interop/onnx_importer.h"

#if ARCHSCOPE_HAVE_ONNX

#include <cmath>

namespace archscope::onnxin {

namespace {

using NP = onnx::NodeProto;

struct Matcher {
    Importer& im;

    const NP* op(const std::string& t, const char* type) const {
        const NP* p = im.producer(t);
        return p && p->op_type() == type ? p : nullptr;
    }
    const Value* val(const std::string& t) const { return im.value(t); }
    bool scalar(const std::string& t, double* v) const {
        const Value* x = val(t);
        if (!x || !x->isConst || x->data.numel() != 1) return false;
        *v = scalarOf(x->data);
        return true;
    }
    bool near(const std::string& t, double want) const {
        double v;
        return scalar(t, &v) && std::abs(v - want) <= 1e-6 * std::max(1.0, std::abs(want));
    }
    bool vecConst(const std::string& t, int64_t n) const {
        const Value* x = val(t);
        return x && x->isConst && x->data.numel() == n && x->data.dtype() == DType::F32 && (x->data.rank() == 0 || x->data.dim(-1) == n);
    }
    bool design(const std::string& t) const { const Value* x = val(t); return x && !x->isConst; }
    // Operand of a commutative binary node `n` other than `known`; "" if neither input is `known`.
    static std::string other(const NP& n, const std::string& known) {
        if (n.input(0) == known) return n.input(1);
        if (n.input(1) == known) return n.input(0);
        return "";
    }
    // ReduceMean over the last axis with keepdims; returns its input or "".
    std::string meanLast(const std::string& t) const {
        const NP* r = op(t, "ReduceMean");
        if (!r || !design(r->input(0))) return "";
        std::vector<int64_t> axes;
        bool keep = true;
        for (auto& a : r->attribute()) {
            if (a.name() == "axes") axes.assign(a.ints().begin(), a.ints().end());
            if (a.name() == "keepdims") keep = a.i() != 0;
        }
        const int rank = val(r->input(0))->rank();
        if (!keep || axes.size() != 1 || !(axes[0] == -1 || axes[0] == rank - 1)) return "";
        return r->input(0);
    }
    // Square of u: Pow(u, 2) or Mul(u, u); returns u or "".
    std::string square(const std::string& t) const {
        if (const NP* p = op(t, "Pow"); p && near(p->input(1), 2.0)) return p->input(0);
        if (const NP* m = op(t, "Mul"); m && m->input(0) == m->input(1)) return m->input(0);
        return "";
    }
    // sqrt(mean(sq) + eps): returns sq's base via `base`, eps via `eps`.
    bool rootMeanSquare(const std::string& t, std::string* base, double* eps) const {
        const NP* s = op(t, "Sqrt");
        if (!s) return false;
        const NP* a = op(s->input(0), "Add");
        if (!a) return false;
        for (int k = 0; k < 2; ++k) {
            if (!scalar(a->input(1 - k), eps)) continue;
            std::string m = meanLast(a->input(k));
            if (m.empty()) continue;
            *base = square(m);
            return !base->empty();
        }
        return false;
    }
};

std::string scopeOf(const std::string& name) {
    const size_t slash = name.find_last_of('/');
    return slash == std::string::npos || slash == 0 ? name : name.substr(0, slash);
}

int64_t lastDim(Importer& im, const std::string& x) { return im.value(x)->shape().back(); }

Tensor vec(Importer& im, const std::string& t, int64_t n) { return im.value(t)->data.reshaped({n}).clone(); }

void emitLifted(Importer& im, const std::string& pattern, const std::string& op, std::map<std::string, AttrValue> attrs,
                const std::vector<PortRef>& ins, std::map<std::string, Tensor> params) {
    im.labelOverride = scopeOf(im.node->name());
    const PortRef p = im.emit1(op, std::move(attrs), ins, std::move(params));
    im.setPort(0, p);
    im.labelOverride.clear();
    im.noteLift(pattern, p);
}

// Div(Sub(x, RM(x)), Sqrt(Add(RM(Pow(Sub, 2)), eps))): returns x and eps.
bool layerNormCore(const Matcher& m, const std::string& t, std::string* x, double* eps) {
    const NP* d = m.op(t, "Div");
    if (!d) return false;
    const NP* sub = m.op(d->input(0), "Sub");
    if (!sub) return false;
    std::string mean = m.meanLast(sub->input(1));
    if (mean.empty() || mean != sub->input(0)) return false;
    std::string base;
    if (!m.rootMeanSquare(d->input(1), &base, eps) || base != d->input(0)) return false;
    *x = sub->input(0);
    return true;
}

bool liftLayerNorm(Importer& im, const Matcher& m) {
    const NP& n = *im.node;
    std::string x, core = n.output(0);
    double eps = 0;
    std::string wName, bName;
    if (n.op_type() == "Add") {
        for (int k = 0; k < 2 && wName.empty(); ++k) {
            const NP* mul = m.op(n.input(k), "Mul");
            if (!mul) continue;
            for (int j = 0; j < 2; ++j)
                if (layerNormCore(m, mul->input(j), &x, &eps)) { wName = mul->input(1 - j); bName = n.input(1 - k); core = mul->input(j); break; }
        }
        if (wName.empty()) return false;
    } else if (n.op_type() == "Mul") {
        for (int j = 0; j < 2 && wName.empty(); ++j)
            if (layerNormCore(m, n.input(j), &x, &eps)) wName = n.input(1 - j);
        if (wName.empty()) return false;
    } else if (!layerNormCore(m, n.output(0), &x, &eps)) {
        return false;
    }
    const int64_t d = lastDim(im, x);
    if (!wName.empty() && !m.vecConst(wName, d)) return false;
    if (!bName.empty() && !m.vecConst(bName, d)) return false;
    Tensor w(DType::F32, {d}), b(DType::F32, {d});
    for (int64_t i = 0; i < d; ++i) w.f32()[i] = 1.0f;
    if (!wName.empty()) w = vec(im, wName, d);
    if (!bName.empty()) b = vec(im, bName, d);
    emitLifted(im, "layernorm", "layernorm", {{"eps", eps}, {"affine", true}}, {im.value(x)->port}, {{"weight", w}, {"bias", b}});
    return true;
}

// x * (1 / sqrt(mean(x^2) + eps)) in its exported spellings; returns x and eps.
bool rmsCore(const Matcher& m, const std::string& t, std::string* x, double* eps) {
    if (const NP* dv = m.op(t, "Div")) {  // x / sqrt(...)
        std::string base;
        if (m.rootMeanSquare(dv->input(1), &base, eps) && base == dv->input(0)) { *x = base; return true; }
        return false;
    }
    const NP* mul = m.op(t, "Mul");
    if (!mul) return false;
    for (int k = 0; k < 2; ++k) {
        std::string r = mul->input(1 - k), root, base;
        if (const NP* dv = m.op(r, "Div"); dv && m.near(dv->input(0), 1.0)) root = dv->input(1);
        else if (const NP* rc = m.op(r, "Reciprocal")) root = rc->input(0);
        if (root.empty() || !m.rootMeanSquare(root, &base, eps) || base != mul->input(k)) continue;
        *x = base;
        return true;
    }
    return false;
}

bool liftRmsNorm(Importer& im, const Matcher& m) {
    const NP& n = *im.node;
    if (n.op_type() != "Mul") return false;
    std::string x;
    double eps = 0;
    for (int k = 0; k < 2; ++k) {
        if (!rmsCore(m, n.input(k), &x, &eps)) continue;
        const int64_t d = lastDim(im, x);
        if (!m.vecConst(n.input(1 - k), d)) return false;
        emitLifted(im, "rmsnorm", "rmsnorm", {{"eps", eps}, {"affine", true}}, {im.value(x)->port}, {{"weight", vec(im, n.input(1 - k), d)}});
        return true;
    }
    return false;
}

bool liftGelu(Importer& im, const Matcher& m) {
    const NP& n = *im.node;
    if (n.op_type() != "Mul") return false;
    for (int k = 0; k < 2; ++k) {
        if (!m.near(n.input(1 - k), 0.5)) continue;
        const NP* mul = m.op(n.input(k), "Mul");
        if (!mul) continue;
        for (int j = 0; j < 2; ++j) {
            const NP* add = m.op(mul->input(1 - j), "Add");
            if (!add) continue;
            const std::string x = mul->input(j);
            for (int i = 0; i < 2; ++i) {
                const NP* erf = m.op(add->input(i), "Erf");
                if (!erf || !m.near(add->input(1 - i), 1.0)) continue;
                const NP* dv = m.op(erf->input(0), "Div");
                if (!dv || dv->input(0) != x || !m.near(dv->input(1), std::sqrt(2.0)) || !m.design(x)) continue;
                emitLifted(im, "gelu", "gelu", {}, {im.value(x)->port}, {});
                return true;
            }
        }
    }
    return false;
}

bool liftSilu(Importer& im, const Matcher& m) {
    const NP& n = *im.node;
    if (n.op_type() != "Mul") return false;
    for (int k = 0; k < 2; ++k) {
        const NP* s = m.op(n.input(1 - k), "Sigmoid");
        if (!s || s->input(0) != n.input(k) || !m.design(n.input(k))) continue;
        const PortRef p = im.emit1("silu", {}, {im.value(n.input(k))->port});
        im.setPort(0, p);
        im.noteLift("silu", p);
        return true;
    }
    return false;
}

bool liftLinearBias(Importer& im, const Matcher& m) {
    const NP& n = *im.node;
    if (n.op_type() != "Add") return false;
    for (int k = 0; k < 2; ++k) {
        const NP* mm = m.op(n.input(k), "MatMul");
        if (!mm || im.uses(n.input(k)) != 1 || !m.design(mm->input(0))) continue;
        const Value* w = m.val(mm->input(1));
        if (!w || !w->isConst || w->data.rank() != 2 || w->data.dtype() != DType::F32) continue;
        const int64_t out = w->data.dim(1);
        if (!m.vecConst(n.input(1 - k), out)) continue;
        // Reuse the transposed weight of the bias-free linear the MatMul became (now dead).
        const Value* mmOut = m.val(n.input(k));
        auto wt = mmOut && !mmOut->isConst ? im.weights->find(mmOut->port.node + ".weight") : im.weights->end();
        Tensor weight = wt != im.weights->end() && wt->second.shape() == std::vector<int64_t>{out, w->data.dim(0)} ? wt->second
                                                                                                                : transpose2d(w->data);
        emitLifted(im, "linear", "linear", {{"out_features", out}, {"bias", true}}, {m.val(mm->input(0))->port},
                   {{"weight", weight}, {"bias", vec(im, n.input(1 - k), out)}});
        return true;
    }
    return false;
}

// Additive mask from a constant: Add(s, M) or Where(C, -inf, s) / Where(C, s, -inf).
bool maskOf(const Matcher& m, const std::string& t, std::string* scores, Tensor* mask) {
    if (const NP* a = m.op(t, "Add")) {
        for (int k = 0; k < 2; ++k) {
            const Value* c = m.val(a->input(1 - k));
            if (c && c->isConst && m.design(a->input(k))) {
                *scores = a->input(k);
                *mask = c->data.dtype() == DType::F32 ? c->data : fromDoubles(DType::F32, c->data.shape(), toDoubles(c->data));
                return true;
            }
        }
    }
    if (const NP* w = m.op(t, "Where")) {
        const Value* c = m.val(w->input(0));
        if (!c || !c->isConst) return false;
        double fill;
        for (int k = 1; k < 3; ++k) {
            if (!m.scalar(w->input(k), &fill) || fill > -1e9 || !m.design(w->input(3 - k))) continue;
            *scores = w->input(3 - k);
            auto v = toDoubles(c->data);
            for (auto& x : v) x = (x != 0) == (k == 1) ? -INFINITY : 0.0;
            *mask = fromDoubles(DType::F32, c->data.shape(), v);
            return true;
        }
    }
    return false;
}

bool liftAttentionSoftmax(Importer& im, const Matcher& m) {
    const NP& n = *im.node;
    if (n.op_type() != "Softmax") return false;
    const Value* x = im.in(0);
    if (!x || x->isConst || x->rank() != 4) return false;
    int64_t axis = -1;  // the default from opset 13 on
    for (auto& a : n.attribute())
        if (a.name() == "axis") axis = a.i();
    if (axis != -1 && axis != 3) return false;
    auto cons = im.consumers(n.output(0));
    if (cons.empty()) return false;
    for (auto* c : cons)
        if (c->op_type() != "MatMul" || c->input(0) != n.output(0) || !m.design(c->input(1))) return false;
    std::string t = n.input(0), scores;
    Tensor mask;
    bool hasMask = maskOf(m, t, &scores, &mask);
    if (hasMask) t = scores;
    double temperature = 1.0, c;
    if (const NP* d = m.op(t, "Div"); d && m.scalar(d->input(1), &c) && c > 0) { temperature = c; t = d->input(0); }
    else if (const NP* mu = m.op(t, "Mul"); mu && m.scalar(mu->input(1), &c) && c > 0) { temperature = 1.0 / c; t = mu->input(0); }
    const NP* qk = m.op(t, "MatMul");
    if (!qk || !m.design(qk->input(0)) || !m.design(qk->input(1)) || !m.design(t)) return false;
    const Value* s = m.val(t);
    if (hasMask) {  // the mask must broadcast to the scores without enlarging them
        auto ms = mask.shape(), ss = s->shape();
        if (ms.size() > ss.size()) return false;
        for (size_t i = 0; i < ms.size(); ++i)
            if (ms[i] != 1 && ms[i] != ss[ss.size() - ms.size() + i]) return false;
    }
    std::vector<PortRef> ins{s->port};
    if (hasMask) ins.push_back(im.constPort(n.name() + "/mask", mask));
    const PortRef p = im.emit1("attn_softmax", {{"axis", int64_t(-1)}, {"temperature", temperature}}, ins);
    im.setPort(0, p);
    im.noteLift("attention softmax", p);
    return true;
}

}  // namespace

bool tryLift(Importer& im) {
    Matcher m{im};
    const std::string& op = im.node->op_type();
    if (op == "Add") return liftLayerNorm(im, m) || liftLinearBias(im, m);
    if (op == "Mul") return liftLayerNorm(im, m) || liftRmsNorm(im, m) || liftGelu(im, m) || liftSilu(im, m);
    if (op == "Div") return liftLayerNorm(im, m);
    if (op == "Softmax") return liftAttentionSoftmax(im, m);
    return false;
}

}  // namespace archscope::onnxin

#endif
