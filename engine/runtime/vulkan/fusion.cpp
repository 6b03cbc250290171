// The fusion pass (see fusion.h): one matcher per pattern over the analysed graph.
#include "runtime/vulkan/fusion.h"

#include "runtime/vulkan/activation.h"
#include "runtime/weights.h"

#include <algorithm>
#include <map>
#include <set>

namespace archscope::vk {

namespace {

// The graph as the matchers see it: who produces and who consumes each tensor.
struct View {
    const Analysis& a;
    std::map<PortRef, std::vector<PortRef>> consumers;      // output port -> consumer ports
    std::map<std::string, int> position;                   // node -> index in a.order
    std::set<std::string> taken;                           // nodes already in a group

    explicit View(const Analysis& an) : a(an) {
        for (auto& e : a.graph().edges()) consumers[e.from].push_back(e.to);
        for (size_t i = 0; i < a.order.size(); ++i) position[a.order[i]] = int(i);
    }
    const NodeInfo& info(const std::string& n) const { return a.nodes.at(n); }
    const std::string& op(const std::string& n) const { return info(n).def->id; }
    PortRef out(const std::string& n) const { return {n, info(n).def->outputs[0].name}; }
    // Inputs that only give a shape (the mask ops read the scores' shape, window_reverse
    // reads `like`'s): their Vulkan kernels bind nothing there, so they do not keep a
    // fused tensor alive.
    bool shapeOnly(const PortRef& p) const {
        const std::string& o = op(p.node);
        return (p.port == "x" && (o == "causal_mask" || o == "sliding_window_mask" || o == "alibi" || o == "rel_bias")) ||
               (p.port == "like" && o == "window_reverse") ||
               (p.port == "past" && (o == "rope" || o == "causal_mask" || o == "sliding_window_mask" || o == "alibi" || o == "rel_bias"));
    }
    // The single consumer of node n's first output (shape-only readers aside), or ""
    // (none, several, taken, or another output used).
    std::string soleConsumer(const std::string& n) const {
        const NodeInfo& i = info(n);
        for (size_t o = 1; o < i.def->outputs.size(); ++o)
            if (consumers.count({n, i.def->outputs[o].name})) return "";
        auto it = consumers.find(out(n));
        if (it == consumers.end()) return "";
        std::string only;
        for (auto& c : it->second) {
            if (shapeOnly(c)) continue;
            if (!only.empty() || taken.count(c.node)) return "";
            only = c.node;
        }
        return only;
    }
    // Tensor feeding input `port` of node n (empty node when unconnected).
    PortRef src(const std::string& n, const std::string& port) const {
        auto s = a.graph().source({n, port});
        return s ? *s : PortRef{};
    }
    std::string srcNode(const std::string& n, const std::string& port) const {
        auto s = a.graph().source({n, port});
        return s ? s->node : "";
    }
    std::vector<int64_t> shape(const PortRef& tensor) const {
        const NodeInfo& i = info(tensor.node);
        const int o = i.def->outputIndex(tensor.port);
        return shapeValues(i.outputs[size_t(o)].shape);
    }
    bool free(const std::string& n) const { return !n.empty() && !taken.count(n); }
};

std::vector<std::string> paramKeys(const View& v, const std::string& n) {
    std::vector<std::string> k;
    for (auto& p : v.info(n).params) k.push_back(WeightStore::key(v.info(n).weightNode, p.name));
    return k;
}

std::vector<PortRef> inputTensors(const View& v, const std::string& n) {
    std::vector<PortRef> in;
    for (auto& p : v.info(n).def->inputs) in.push_back(v.src(n, p.name));
    return in;
}

// A unary activation node that kernels can apply in an epilogue.
bool activation(const View& v, const std::string& n, Activation* act) {
    if (!v.free(n)) return false;
    const VulkanKernel* k = findKernel(v.op(n));
    if (!k || !k->asActivation) return false;
    *act = k->asActivation(v.info(n).attrs);
    return true;
}

// linear | matmul -> [activation] -> [add with a same-shaped residual]
bool gemmEpilogue(View& v, const std::string& head, FusionGroup* g) {
    const std::string& op = v.op(head);
    if (op != "linear" && op != "matmul") return false;
    if (op == "linear" && v.info(head).attrs.i("rank") > 0) return false;
    g->kernel = op;
    g->kind = "gemm";
    g->nodes = {head};
    g->inputs = inputTensors(v, head);
    g->params = paramKeys(v, head);
    g->attrs = v.info(head).attrs;
    std::string next = v.soleConsumer(head);
    if (activation(v, next, &g->act)) {
        g->nodes.push_back(next);
        g->kind += "+act";
        next = v.soleConsumer(next);
    }
    if (v.free(next) && v.op(next) == "add") {
        const PortRef tail = v.out(g->nodes.back());
        const PortRef a = v.src(next, "a"), b = v.src(next, "b");
        const PortRef other = a == tail ? b : a;
        if (!other.node.empty() && !(other == tail) && v.shape(other) == v.shape(tail) && v.shape(v.out(next)) == v.shape(tail)) {
            g->nodes.push_back(next);
            g->residual = other;
            g->kind += "+residual";
        }
    }
    return g->nodes.size() > 1;
}

// layernorm | rmsnorm -> activation (scale, clamp, ...)
bool normEpilogue(View& v, const std::string& head, FusionGroup* g) {
    const std::string& op = v.op(head);
    if (op != "layernorm" && op != "rmsnorm") return false;
    const std::string next = v.soleConsumer(head);
    if (!activation(v, next, &g->act)) return false;
    g->kind = "norm+act";
    g->kernel = op;
    g->nodes = {head, next};
    g->inputs = inputTensors(v, head);
    g->params = paramKeys(v, head);
    g->attrs = v.info(head).attrs;
    return true;
}

// A full-rank linear whose only consumer is `user`; its input tensor in *x.
bool plainLinear(const View& v, const std::string& n, const std::string& user, PortRef* x) {
    if (!v.free(n) || v.op(n) != "linear" || v.info(n).attrs.i("rank") > 0 || v.soleConsumer(n) != user) return false;
    *x = v.src(n, "x");
    return true;
}

// linear a, linear b on the same x -> gate(a, b) | mul(a, act(linear b))
bool glu(View& v, const std::string& head, FusionGroup* g) {
    const std::string& op = v.op(head);
    if (op != "gate" && op != "mul") return false;
    std::string la = v.srcNode(head, "a"), lb = v.srcNode(head, "b"), actNode;
    PortRef xa, xb;
    Activation gateAct;
    if (op == "gate") {
        static const std::map<std::string, int> codes = {{"sigmoid", act::Sigmoid}, {"silu", act::Silu}, {"gelu", act::Gelu}, {"identity", act::None}};
        gateAct.code = codes.at(v.info(head).attrs.s("act"));
    } else {
        // mul is commutative: the activation may feed either side.
        if (!lb.empty() && !activation(v, lb, &gateAct)) std::swap(la, lb);
        if (lb.empty() || !activation(v, lb, &gateAct) || v.soleConsumer(lb) != head) return false;
        actNode = lb;
        lb = v.srcNode(actNode, "x");
    }
    if (la == lb || !plainLinear(v, la, head, &xa) || !plainLinear(v, lb, actNode.empty() ? head : actNode, &xb) || !(xa == xb)) return false;
    if (v.info(la).attrs.i("out_features") != v.info(lb).attrs.i("out_features")) return false;
    if (v.shape(v.out(head)) != v.shape(v.out(la))) return false;  // no broadcast in the gate
    g->kind = "glu";
    g->kernel = "fused_glu";
    g->nodes = {la, lb};
    if (!actNode.empty()) g->nodes.push_back(actNode);
    g->nodes.push_back(head);
    std::sort(g->nodes.begin(), g->nodes.end(), [&](auto& p, auto& q) { return v.position.at(p) < v.position.at(q); });
    g->inputs = {xa};
    g->params = paramKeys(v, la);
    for (auto& k : paramKeys(v, lb)) g->params.push_back(k);
    g->attrs.set("bias_a", v.info(la).attrs.b("bias"));
    g->attrs.set("bias_b", v.info(lb).attrs.b("bias"));
    g->act = gateAct;
    return true;
}

// matmul(q, k) -> [scale] -> [add(mask)] -> softmax(axis -1) -> matmul(., v)
bool attention(View& v, const std::string& head, FusionGroup* g) {
    if (v.op(head) != "softmax") return false;
    const NodeInfo& sm = v.info(head);
    const int rank = int(sm.outputs[0].shape.size());
    if (sm.attrs.i("axis") != -1 && sm.attrs.i("axis") != rank - 1) return false;
    if (sm.attrs.f("zeta") != 1.0 || sm.attrs.f("gamma") != 0.0) return false;
    const std::string pv = v.soleConsumer(head);
    if (!v.free(pv) || v.op(pv) != "matmul" || v.srcNode(pv, "a") != head) return false;
    if (v.info(pv).attrs.b("transpose_a") || v.info(pv).attrs.b("transpose_b")) return false;
    std::vector<std::string> chain = {head, pv};
    PortRef addMask;
    std::string cur = v.srcNode(head, "x");
    double c1 = 1, c0 = 0;
    if (v.free(cur) && v.op(cur) == "add" && v.soleConsumer(cur) == chain.front()) {
        const std::string a = v.srcNode(cur, "a"), b = v.srcNode(cur, "b");
        const bool aIsScores = v.free(a) && (v.op(a) == "scale" || v.op(a) == "matmul") && v.soleConsumer(a) == cur;
        const std::string scores = aIsScores ? a : b;
        addMask = aIsScores ? v.src(cur, "b") : v.src(cur, "a");
        if (v.shape(v.out(cur)) != v.shape(v.out(scores))) return false;  // the mask must not widen the scores
        chain.insert(chain.begin(), cur);
        cur = scores;
    }
    if (v.free(cur) && v.op(cur) == "scale" && v.soleConsumer(cur) == chain.front()) {
        c1 = v.info(cur).attrs.f("scale");
        c0 = v.info(cur).attrs.f("bias");
        chain.insert(chain.begin(), cur);
        cur = v.srcNode(cur, "x");
    }
    if (!v.free(cur) || v.op(cur) != "matmul" || v.soleConsumer(cur) != chain.front() || v.info(cur).attrs.b("transpose_a")) return false;
    chain.insert(chain.begin(), cur);
    const std::string qk = cur;
    c1 *= v.info(qk).attrs.f("alpha");
    PortRef smMask = v.src(head, "mask");
    if (!addMask.node.empty() && !smMask.node.empty()) return false;  // one mask
    // A causal or sliding-window mask feeding only this chain is computed inline.
    PortRef& mask = addMask.node.empty() ? smMask : addMask;
    int maskMode = mask.node.empty() ? 0 : 1;
    int64_t offset = 0, window = 0;
    if (!mask.node.empty()) {
        const std::string mn = mask.node;
        const std::string& mop = v.op(mn);
        const std::string user = v.soleConsumer(mn);
        if (v.free(mn) && (mop == "causal_mask" || mop == "sliding_window_mask") && std::count(chain.begin(), chain.end(), user)) {
            maskMode = 2;
            offset = v.info(mn).attrs.i("offset");
            if (const auto& past = v.info(mn).inputs.size() > 1 ? v.info(mn).inputs[1] : std::nullopt)  // KV-cache length
                offset += past->shape[past->shape.size() - 2].value();
            window = mop == "causal_mask" ? -1 : v.info(mn).attrs.i("window");
            chain.insert(chain.begin(), mn);
            mask = {};
        }
    }
    g->kind = "attention";
    g->kernel = "fused_attention";
    g->nodes = chain;
    std::sort(g->nodes.begin(), g->nodes.end(), [&](auto& p, auto& q) { return v.position.at(p) < v.position.at(q); });
    g->inputs = {v.src(qk, "a"), v.src(qk, "b"), v.src(pv, "b"), mask};
    g->attrs.set("transpose_k", v.info(qk).attrs.b("transpose_b"));
    g->attrs.set("c1", c1);
    g->attrs.set("c0", c0);
    g->attrs.set("inv_temp", 1.0 / sm.attrs.f("temperature"));
    g->attrs.set("alpha_out", v.info(pv).attrs.f("alpha"));
    g->attrs.set("mask_mode", int64_t(maskMode));
    g->attrs.set("mask_after_temp", !smMask.node.empty());
    g->attrs.set("offset", offset);
    g->attrs.set("window", window);
    return true;
}

// Dry run of the group's kernel on the real shapes: keeps only groups it accepts.
bool accepted(const View& v, const FusionGroup& g, const DeviceInfo& device, Family family) {
    const VulkanKernel* k = findKernel(g.kernel);
    if (!k) return false;
    const NodeInfo& anchor = v.info(g.anchor());
    KernelBuild b(anchor, g.attrs, family, device);
    for (auto& t : g.inputs) b.inputs.push_back(t.node.empty() ? TensorRef{} : TensorRef{0, DType::F32, v.shape(t)});
    const NodeInfo& head = v.info(g.nodes.front());
    for (auto& key : g.params) {
        std::vector<int64_t> shape;
        for (auto& m : g.nodes)
            for (auto& p : v.info(m).params)
                if (WeightStore::key(v.info(m).weightNode, p.name) == key) shape = p.shape;
        b.params.push_back({0, DType::F32, shape});
    }
    (void)head;
    for (auto& o : anchor.outputs) b.outputs.push_back({0, o.dtype, shapeValues(o.shape)});
    b.act = g.act;
    if (!g.residual.node.empty()) b.residual = {0, DType::F32, v.shape(g.residual)};
    try {
        return k->build(b);
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

std::vector<FusionGroup> findFusions(const Analysis& a, const DeviceInfo& device, Family family) {
    View v(a);
    std::vector<FusionGroup> groups;
    using Matcher = bool (*)(View&, const std::string&, FusionGroup*);
    // Larger patterns first, so that their members are not taken by smaller ones.
    for (Matcher m : {Matcher(attention), Matcher(glu), Matcher(gemmEpilogue), Matcher(normEpilogue)}) {
        for (auto& id : a.order) {
            if (v.taken.count(id)) continue;
            FusionGroup g;
            if (!m(v, id, &g) || !accepted(v, g, device, family)) continue;
            for (auto& n : g.nodes) v.taken.insert(n);
            groups.push_back(std::move(g));
        }
    }
    return groups;
}

}  // namespace archscope::vk
