// The fusion pass and the fused Vulkan kernels against the unfused CPU
// reference: gemm epilogues (bias, activation, residual), norm + activation,
// GLU / SwiGLU, and softmax attention (online softmax; causal, sliding window,
// mask tensors, cross attention, fully masked rows). Also --no-fuse and probes.
// Without a Vulkan device every test is skipped.
#include "vulkan_test_util.h"

#include <cmath>
#include <random>

using namespace archscope;

namespace {

struct Design {
    Graph g;
    Analysis a;
    WeightStore w;
    std::string error;
    void input(const std::string& id, const std::string& shape) { g.addNode({id, "input", {{"shape", shape}}}); }
    void node(const std::string& id, const std::string& op, std::map<std::string, AttrValue> attrs = {}) { g.addNode({id, op, std::move(attrs)}); }
    void edge(const std::string& from, const std::string& to, const std::string& port) { g.connect({from, "y"}, {to, port}); }
    void output(const std::string& from) {
        g.addNode({"out", "output"});
        g.connect({from, "y"}, {"out", "x"});
    }
    bool finish() {
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        return w.materialize(a, 3, &error);
    }
};

// Runs fused on Vulkan, compares with the CPU, returns the plan stats.
struct Outcome {
    bool ok = false;
    std::string msg;
    vk::PlanStats stats;
    RunResult run;
};

Outcome check(vk::VulkanBackend& vkb, Design& d, const std::map<std::string, Tensor>& in = {}, double rtol = 1e-4, double atol = 1e-5) {
    Outcome o;
    auto cpu = makeCpuBackend();
    RunResult rc = cpu->run({&d.g, &d.a, &d.w, in, 5, false});
    o.run = vkb.run({&d.g, &d.a, &d.w, in, 5, false});
    if (!rc.ok || !o.run.ok) { o.msg = rc.error + o.run.error; return o; }
    o.stats = *vkb.lastStats();
    std::string at;
    if (test::worstViolation(o.run.outputs.at("out"), rc.outputs.at("out"), rtol, atol, &at) != 0) { o.msg = at; return o; }
    o.ok = true;
    return o;
}

// q, k, v [2, 3, T, 8] (k as [.., 8, Tk] when !transposed) -> matmul -> [scale] -> [add mask] -> softmax -> matmul.
struct Attention : Design {
    Attention(int64_t tq, int64_t tk, bool transposed, const std::string& maskKind, bool scaleNode = false, double temperature = 1.0) {
        const std::string q = "2, 3, " + std::to_string(tq) + ", 8", v = "2, 3, " + std::to_string(tk) + ", 12";
        input("q", q);
        input("k", transposed ? "2, 3, " + std::to_string(tk) + ", 8" : "2, 3, 8, " + std::to_string(tk));
        input("v", v);
        node("qk", "matmul", {{"transpose_b", transposed}, {"alpha", scaleNode ? 1.0 : 1.0 / std::sqrt(8.0)}});
        edge("q", "qk", "a");
        edge("k", "qk", "b");
        std::string cur = "qk";
        if (scaleNode) {
            node("sc", "scale", {{"scale", 0.35}, {"bias", 0.1}});
            edge(cur, "sc", "x");
            cur = "sc";
        }
        node("sm", "softmax", {{"temperature", temperature}});
        if (maskKind == "causal" || maskKind == "window") {
            node("mask", maskKind == "causal" ? "causal_mask" : "sliding_window_mask",
                 maskKind == "causal" ? std::map<std::string, AttrValue>{{"offset", tk - tq}} : std::map<std::string, AttrValue>{{"window", int64_t(4)}});
            edge(cur, "mask", "x");
            node("addm", "add");
            edge(cur, "addm", "a");
            edge("mask", "addm", "b");
            cur = "addm";
        } else if (maskKind == "tensor") {
            input("m", std::to_string(tq) + ", " + std::to_string(tk));
            edge("m", "sm", "mask");
        }
        edge(cur, "sm", "x");
        node("pv", "matmul");
        edge("sm", "pv", "a");
        edge("v", "pv", "b");
        output("pv");
    }
};

}  // namespace

class TestVulkanFusion : public QObject {
    Q_OBJECT
private slots:
    // Node ids with dots (as imported models name them, "blocks.0.attn.qk"): every
    // pattern still fuses, reads the right tensors and matches the CPU. Ids that are
    // prefixes of each other ("b.0.fc" and "b.0.fc.y") must not be confused.
    void dottedNodeIds() {
        for (bool gpu : {false, true}) {  // texel and tiled (GPU) kernel families
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpu);
            Design d;
            d.input("b.0.x", "2, 3, 9, 8");
            d.input("b.0.x.y", "2, 3, 9, 8");  // a node named like the tensor "b.0.x" + ".y"
            d.node("b.0.fc", "linear", {{"out_features", int64_t(8)}});
            d.node("b.0.fc.act", "silu");
            d.node("b.0.fc.res", "add");
            d.edge("b.0.x", "b.0.fc", "x");
            d.edge("b.0.fc", "b.0.fc.act", "x");
            d.edge("b.0.fc.act", "b.0.fc.res", "a");
            d.edge("b.0.x.y", "b.0.fc.res", "b");  // the residual is the other input
            d.node("b.0.attn.qk", "matmul", {{"transpose_b", true}, {"alpha", 0.3}});
            d.edge("b.0.fc.res", "b.0.attn.qk", "a");
            d.edge("b.0.x", "b.0.attn.qk", "b");
            d.node("b.0.attn.mask", "causal_mask");
            d.edge("b.0.attn.qk", "b.0.attn.mask", "x");
            d.node("b.0.attn.add", "add");
            d.edge("b.0.attn.qk", "b.0.attn.add", "a");
            d.edge("b.0.attn.mask", "b.0.attn.add", "b");
            d.node("b.0.attn.sm", "softmax");
            d.edge("b.0.attn.add", "b.0.attn.sm", "x");
            d.node("b.0.attn.pv", "matmul");
            d.edge("b.0.attn.sm", "b.0.attn.pv", "a");
            d.edge("b.0.x.y", "b.0.attn.pv", "b");
            d.node("b.0.ln", "layernorm");
            d.node("b.0.ln.gelu", "gelu");
            d.edge("b.0.attn.pv", "b.0.ln", "x");
            d.edge("b.0.ln", "b.0.ln.gelu", "x");
            d.output("b.0.ln.gelu");
            QVERIFY2(d.finish(), d.error.c_str());
            Tensor x(DType::F32, {2, 3, 9, 8}), xy(DType::F32, {2, 3, 9, 8});
            fillRandom(x, Init::Uniform, 1.0f, 41);
            fillRandom(xy, Init::Uniform, 1.0f, 42);
            Outcome o = check(*vkb, d, {{"b.0.x", x}, {"b.0.x.y", xy}});
            QVERIFY2(o.ok, o.msg.c_str());
            QCOMPARE(o.stats.fusionGroups, 3);  // gemm+act+residual, attention, norm+act
            QCOMPARE(o.stats.dispatches, 3);
            QCOMPARE(test::whereOf(o.run, "b.0.fc"), std::string("vulkan-fused"));
            QCOMPARE(test::whereOf(o.run, "b.0.fc.res"), std::string("vulkan"));
            QCOMPARE(test::whereOf(o.run, "b.0.attn.mask"), std::string("vulkan-fused"));
            QCOMPARE(test::whereOf(o.run, "b.0.attn.pv"), std::string("vulkan"));
            QCOMPARE(test::whereOf(o.run, "b.0.ln.gelu"), std::string("vulkan"));
            ARCHSCOPE_VALIDATION_CLEAN(vkb);
        }
    }

    void linearBiasActivationResidual() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        for (bool aligned : {true, false}) {  // vec4 texel kernel and the generic one
            Design d;
            const std::string w = aligned ? "32" : "29";
            d.input("x", "3, 7, " + w);
            d.node("fc", "linear", {{"out_features", int64_t(aligned ? 32 : 29)}});
            d.node("act", "gelu");
            d.node("res", "add");
            d.edge("x", "fc", "x");
            d.edge("fc", "act", "x");
            d.edge("act", "res", "a");
            d.edge("x", "res", "b");
            d.output("res");
            QVERIFY2(d.finish(), d.error.c_str());
            Outcome o = check(*vkb, d);
            QVERIFY2(o.ok, o.msg.c_str());
            QCOMPARE(o.stats.fusionGroups, 1);
            QCOMPARE(o.stats.dispatches, 1);
            QCOMPARE(test::whereOf(o.run, "fc"), std::string("vulkan-fused"));
            QCOMPARE(test::whereOf(o.run, "res"), std::string("vulkan"));
        }
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

    void matmulResidualWithoutActivation() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, true);  // the GPU (tiled) family too
        Design d;
        d.input("a", "2, 9, 12");
        d.input("b", "2, 12, 10");
        d.input("r", "2, 9, 10");
        d.node("mm", "matmul", {{"alpha", 0.5}});
        d.node("res", "add");
        d.edge("a", "mm", "a");
        d.edge("b", "mm", "b");
        d.edge("r", "res", "a");
        d.edge("mm", "res", "b");
        d.output("res");
        QVERIFY2(d.finish(), d.error.c_str());
        Outcome o = check(*vkb, d);
        QVERIFY2(o.ok, o.msg.c_str());
        QCOMPARE(o.stats.dispatches, 1);
    }

    void normWithScaleAndActivation() {
        for (bool gpu : {false, true}) {  // texel and tiled (GPU) kernel families
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpu);
            for (const char* norm : {"layernorm", "rmsnorm"}) {
                Design d;
                d.input("x", "5, 3, 31");
                d.node("n", norm);
                d.node("s", "scale", {{"scale", 1.7}, {"bias", -0.2}});
                d.node("c", "clamp", {{"min", -1.0}, {"max", 1.5}});
                d.edge("x", "n", "x");
                d.edge("n", "s", "x");
                d.edge("s", "c", "x");
                d.output("c");
                QVERIFY2(d.finish(), d.error.c_str());
                Outcome o = check(*vkb, d);
                QVERIFY2(o.ok, o.msg.c_str());
                QCOMPARE(o.stats.fusionGroups, 1);  // norm + scale; the clamp stays a kernel of its own
                QCOMPARE(o.stats.dispatches, 2);
            }
        }
    }

    void gluAndSwiglu() {
        for (bool gpu : {false, true}) {  // texel and tiled (GPU) kernel families
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpu);
            for (int variant = 0; variant < 3; ++variant) {
                Design d;
                d.input("x", variant == 1 ? "3, 5, 18" : "3, 5, 16");
                d.node("la", "linear", {{"out_features", int64_t(variant == 2 ? 24 : 21)}, {"bias", variant != 0}});
                d.node("lb", "linear", {{"out_features", int64_t(variant == 2 ? 24 : 21)}});
                d.edge("x", "la", "x");
                d.edge("x", "lb", "x");
                if (variant < 2) {  // gate(a, b) = a * act(b)
                    d.node("g", "gate", {{"act", std::string(variant == 0 ? "silu" : "gelu")}});
                    d.edge("la", "g", "a");
                    d.edge("lb", "g", "b");
                } else {  // SwiGLU written out: mul(silu(lb), la)
                    d.node("act", "silu");
                    d.node("g", "mul");
                    d.edge("lb", "act", "x");
                    d.edge("act", "g", "a");
                    d.edge("la", "g", "b");
                }
                d.output("g");
                QVERIFY2(d.finish(), d.error.c_str());
                Outcome o = check(*vkb, d);
                QVERIFY2(o.ok, qPrintable(QString("variant %1: %2").arg(variant).arg(o.msg.c_str())));
                QCOMPARE(o.stats.fusionGroups, 1);
                QCOMPARE(o.stats.dispatches, 1);
            }
        }
    }

    void attentionVariants() {
        for (bool gpu : {false, true}) {  // texel and tiled (GPU) kernel families
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpu);
            struct V { int64_t tq, tk; bool tr; std::string mask; bool scale; double temp; int members; };
            const std::vector<V> cases = {
                {13, 13, true, "causal", false, 1.0, 5},   // qk, mask (computed inline), add, sm, pv
                {13, 13, true, "window", true, 1.0, 6},    // with a scale node, sliding window
                {5, 11, false, "", false, 1.0, 3},         // cross attention, k stored [dk, Tk]
                {9, 9, true, "tensor", true, 0.7, 4},      // softmax's own mask input, temperature
                {7, 12, true, "causal", false, 1.0, 5},    // decoding offset: Tk > Tq
            {70, 75, true, "causal", false, 1.0, 5},   // two query blocks (tiled), partial last key tile
            {67, 41, false, "tensor", false, 1.0, 3},  // mask tensor, k stored [dk, Tk], odd sizes
            };
            for (auto& c : cases) {
                Attention d(c.tq, c.tk, c.tr, c.mask, c.scale, c.temp);
                QVERIFY2(d.finish(), d.error.c_str());
                std::map<std::string, Tensor> in;
                if (c.mask == "tensor") {  // random drops, one row fully dropped, one with -1e9
                    Tensor m(DType::F32, {c.tq, c.tk});
                    std::mt19937 rng(2);
                    for (int64_t i = 0; i < m.numel(); ++i) m.f32()[i] = rng() % 3 == 0 ? -INFINITY : 0.0f;
                    for (int64_t j = 0; j < c.tk; ++j) m.f32()[2 * c.tk + j] = -INFINITY;
                    m.f32()[4 * c.tk + 1] = -1e9f;
                    in["m"] = m;
                }
                Outcome o = check(*vkb, d, in);
                QVERIFY2(o.ok, qPrintable(QString::fromStdString(c.mask + ": " + o.msg)));
                QCOMPARE(o.stats.fusionGroups, 1);
                QCOMPARE(o.stats.dispatches, 1);
                QCOMPARE(o.stats.fusedNodes, c.members - 1);
                QCOMPARE(test::whereOf(o.run, "pv"), std::string("vulkan"));
                QCOMPARE(test::whereOf(o.run, "sm"), std::string("vulkan-fused"));
            }
            ARCHSCOPE_VALIDATION_CLEAN(vkb);
        }
    }

    // A mask node shared by two attention chains is read as a tensor, not inlined.
    void sharedMaskIsReadAsTensor() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        Attention d(6, 6, true, "causal");
        d.node("add2", "add");  // a second consumer of the mask
        d.g.connect({"mask", "y"}, {"add2", "a"});
        d.g.connect({"mask", "y"}, {"add2", "b"});
        d.g.addNode({"out2", "output"});
        d.g.connect({"add2", "y"}, {"out2", "x"});
        QVERIFY2(d.finish(), d.error.c_str());
        Outcome o = check(*vkb, d);
        QVERIFY2(o.ok, o.msg.c_str());
        QCOMPARE(test::whereOf(o.run, "mask"), std::string("vulkan"));
        QCOMPARE(test::whereOf(o.run, "sm"), std::string("vulkan-fused"));
        QCOMPARE(o.stats.dispatches, 3);  // mask, attention, add2
    }

    // --no-fuse: every node is a dispatch of its own, same results.
    void noFuseGivesOneDispatchPerNode() {
        test::quietLoader();
        BackendOptions bo;
        bo.fuse = false;
        std::string why;
        auto vkb = vk::VulkanBackend::create(bo, &why);
        if (!vkb) QSKIP(why.c_str());
        Attention d(13, 13, true, "causal");
        QVERIFY2(d.finish(), d.error.c_str());
        Outcome o = check(*vkb, d);
        QVERIFY2(o.ok, o.msg.c_str());
        QCOMPARE(o.stats.fusionGroups, 0);
        QCOMPARE(o.stats.dispatches, 5);
    }

    // Probe runs keep intermediates: no fusion, so the attention map (softmax output) exists and is right.
    void probesSeeUnfusedAttention() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        Attention d(9, 9, true, "causal");
        QVERIFY2(d.finish(), d.error.c_str());
        auto cpu = makeCpuBackend();
        RunResult rc = cpu->run({&d.g, &d.a, &d.w, {}, 4, true});
        RunResult rv = vkb->run({&d.g, &d.a, &d.w, {}, 4, true});
        QVERIFY2(rc.ok && rv.ok, (rc.error + rv.error).c_str());
        QCOMPARE(vkb->lastStats()->fusionGroups, 0);
        std::string at;
        QVERIFY2(test::worstViolation(rv.intermediates.at("sm.y"), rc.intermediates.at("sm.y"), 1e-4, 1e-6, &at) == 0, at.c_str());
        RunResult fused = vkb->run({&d.g, &d.a, &d.w, {}, 4, false});  // the timed runs are fused
        QVERIFY(fused.ok);
        QCOMPARE(vkb->lastStats()->fusionGroups, 1);
    }
};

QTEST_GUILESS_MAIN(TestVulkanFusion)
#include "test_vulkan_fusion.moc"
