// Vulkan kernels of the ops added after the engine core (ONNX interop elementwise
// ops, reduce, expand, constant, keep_topk, cls_token, rel_pos_bias, MoE routing
// and experts, linear_mix) against the CPU kernels, in both kernel families, on
// inputs that exercise them: broadcasting, odd sizes, ties, zeros, signs. Also:
// no op of the engine (composites aside) lacks a Vulkan kernel. Skipped without
// a Vulkan device.
#include "vulkan_test_util.h"

#include <algorithm>
#include <cmath>

using namespace archscope;

namespace {

using A = std::map<std::string, AttrValue>;
using Inputs = std::vector<std::tuple<std::string, std::string, std::string>>;

// Input values: normal, positive (|x| + 0.01), small integers in [-2, 2] (ties, zeros,
// equal pairs), tiny (normal * 1e-3, erf's small-argument range), ranged [lo, hi].
enum class Fill { Normal, Positive, Ints, Tiny, Unit, Decay, Key };

std::vector<int64_t> parseShape(const std::string& s) {
    std::vector<int64_t> v;
    size_t at = 0;
    while (at < s.size()) {
        size_t end = s.find(',', at);
        v.push_back(std::stoll(s.substr(at, end == std::string::npos ? std::string::npos : end - at)));
        at = end == std::string::npos ? s.size() : end + 1;
    }
    return v;
}

Tensor make(const std::string& shape, Fill f, uint64_t seed) {
    Tensor t(DType::F32, parseShape(shape));
    fillRandom(t, Init::Normal, 1.0f, seed);
    for (int64_t i = 0; i < t.numel(); ++i) {
        float& x = t.f32()[i];
        switch (f) {
        case Fill::Normal: break;
        case Fill::Positive: x = std::abs(x) + 0.01f; break;
        case Fill::Ints: x = std::round(std::clamp(x * 1.5f, -2.0f, 2.0f)); break;
        case Fill::Tiny: x *= 1e-3f; break;
        case Fill::Unit: x = 0.1f + 0.8f / (1.0f + std::exp(-x)); break;       // (0.1, 0.9): delta's beta
        case Fill::Decay: x = -0.01f - 0.29f / (1.0f + std::exp(-x)); break;   // (-0.3, -0.01): log-decay
        case Fill::Key: x *= 0.3f; break;
        }
    }
    return t;
}

struct Case {
    std::string op;
    A attrs;
    Inputs inputs;
    std::vector<Fill> fills;  // per input; Normal when missing
    double rtol = 1e-4, atol = 1e-5;
};

std::vector<Case> cases() {
    const Fill N = Fill::Normal, P = Fill::Positive, I = Fill::Ints;
    return {
        {"erf", A{}, {{"x", "1001", "f32"}}, {N}},
        {"erf", A{}, {{"x", "3, 67", "f32"}}, {Fill::Tiny}, 1e-4, 0},  // relative error of small arguments
        {"sqrt", A{}, {{"x", "3, 333", "f32"}}, {P}},
        {"sqrt", A{}, {{"x", "17", "f32"}}, {N}},  // negatives: NaN on both
        {"neg", A{}, {{"x", "77", "f32"}}, {N}},
        {"reciprocal", A{}, {{"x", "5, 7", "f32"}}, {N}},
        {"logical_not", A{}, {{"x", "7, 11", "f32"}}, {I}},
        {"pow", A{{"exponent", 2.0}}, {{"x", "41", "f32"}}, {N}},
        {"pow", A{{"exponent", 3.0}}, {{"x", "43", "f32"}}, {N}},
        {"pow", A{{"exponent", 0.5}}, {{"x", "45", "f32"}}, {P}},
        {"pow", A{{"exponent", -1.5}}, {{"x", "3, 13", "f32"}}, {P}},
        {"pow", A{{"exponent", -2.0}}, {{"x", "3, 13", "f32"}}, {P}},
        {"equal", A{}, {{"a", "3, 1, 7", "f32"}, {"b", "5, 1", "f32"}}, {I, I}},
        {"equal", A{}, {{"a", "1001", "f32"}, {"b", "1001", "f32"}}, {I, I}},
        {"where", A{}, {{"cond", "2, 1, 5", "f32"}, {"a", "3, 5", "f32"}, {"b", "2, 3, 1", "f32"}}, {I, N, N}},
        {"where", A{}, {{"cond", "2, 9", "f32"}, {"a", "2, 9", "f32"}, {"b", "2, 9", "f32"}}, {I, N, N}},
        {"where", A{}, {{"cond", "7", "f32"}, {"a", "1", "f32"}, {"b", "3, 7", "f32"}}, {I, N, N}},
        {"reduce", A{}, {{"x", "3, 5, 37", "f32"}}, {N}},
        {"reduce", A{{"mode", std::string("sum")}, {"axes", std::vector<int64_t>{0, 2}}, {"keepdims", false}}, {{"x", "4, 3, 5", "f32"}}, {N}},
        {"reduce", A{{"mode", std::string("max")}, {"axes", std::vector<int64_t>{}}}, {{"x", "3, 7, 5", "f32"}}, {N}},
        {"reduce", A{{"axes", std::vector<int64_t>{1, 3}}}, {{"x", "2, 3, 5, 7", "f32"}}, {N}},
        {"reduce", A{{"mode", std::string("max")}, {"axes", std::vector<int64_t>{1}}}, {{"x", "2, 301, 3", "f32"}}, {I}},
        {"reduce", A{{"mode", std::string("sum")}, {"axes", std::vector<int64_t>{-1}}}, {{"x", "3, 1000", "f32"}}, {P}},
        {"expand", A{{"shape", std::string("2, 3, 4, 5")}}, {{"x", "3, 1, 5", "f32"}}, {N}},
        {"expand", A{{"shape", std::string("3, 7")}}, {{"x", "1", "f32"}}, {N}},
        {"expand", A{{"shape", std::string("2, 4, 3")}}, {{"x", "4, 1", "i64"}}, {N}},
        {"constant", A{{"shape", std::string("3, 5, 7")}, {"init", std::string("normal")}}, {}, {}},
        {"keep_topk", A{{"k", int64_t(3)}}, {{"x", "4, 17", "f32"}}, {I}},  // ties: lower index first
        {"keep_topk", A{{"k", int64_t(5)}}, {{"x", "2, 3, 9", "f32"}}, {N}},
        {"keep_topk", A{{"k", int64_t(100)}}, {{"x", "3, 7", "f32"}}, {N}},
        {"cls_token", A{{"count", int64_t(2)}}, {{"x", "2, 5, 7", "f32"}}, {N}},
        {"cls_token", A{}, {{"x", "3, 9", "f32"}}, {N}},
        {"rel_pos_bias", A{{"window", int64_t(3)}}, {{"x", "2, 4, 9, 9", "f32"}}, {N}},
        {"rel_pos_bias", A{{"window", int64_t(2)}}, {{"x", "3, 4, 4", "f32"}}, {N}},
        {"moe_route", A{{"k", int64_t(2)}, {"capacity_factor", 1.25}, {"normalize", true}}, {{"probs", "2, 7, 5", "f32"}}, {P}},
        {"moe_route", A{{"k", int64_t(1)}}, {{"probs", "13, 4", "f32"}}, {I}},  // ties between experts
        {"moe_route", A{{"k", int64_t(3)}, {"capacity_factor", 0.5}}, {{"probs", "31, 6", "f32"}}, {P}},
        {"moe_experts", A{{"hidden", int64_t(11)}}, {{"x", "2, 5, 7", "f32"}, {"gates", "2, 5, 3", "f32"}}, {N, I}},
        {"moe_experts", A{{"hidden", int64_t(9)}, {"act", std::string("silu")}}, {{"x", "6, 13", "f32"}, {"gates", "6, 4", "f32"}}, {N, I}},
        {"moe_experts", A{{"hidden", int64_t(5)}, {"act", std::string("relu")}}, {{"x", "3, 8", "f32"}, {"gates", "3, 2", "f32"}}, {N, N}},
        // Row kernels with rows longer than a workgroup (the tiled family's tree reductions
        // then combine 64 partials of several elements each) and convolutions whose filter
        // spans several shared-memory chunks (ARCHSCOPE_VK_CONV_CHUNK=7 in the test).
        {"softmax", A{}, {{"x", "3, 200", "f32"}, {"mask", "200", "f32"}}, {N, I}},
        {"softmax", A{{"axis", int64_t(0)}}, {{"x", "130, 3", "f32"}}, {N}},
        {"layernorm", A{}, {{"x", "4, 150", "f32"}}, {N}},
        {"rmsnorm", A{}, {{"x", "2, 3, 130", "f32"}}, {N}},
        {"reduce", A{{"axes", std::vector<int64_t>{0}}}, {{"x", "333, 5", "f32"}}, {N}},
        {"conv2d", A{{"out_channels", int64_t(5)}, {"kernel", std::vector<int64_t>{3, 3}}, {"padding", std::vector<int64_t>{1, 1}}},
         {{"x", "2, 4, 9, 11", "f32"}}, {N}},
        {"conv1d", A{{"out_channels", int64_t(6)}, {"kernel", int64_t(5)}, {"groups", int64_t(2)}, {"causal", true}}, {{"x", "1, 4, 70", "f32"}}, {N}},
        {"linear_mix", A{{"chunk", int64_t(5)}},
         {{"q", "2, 3, 13, 6", "f32"}, {"k", "2, 3, 13, 6", "f32"}, {"v", "2, 3, 13, 7", "f32"}, {"g", "2, 3, 13, 6", "f32"}},
         {N, Fill::Key, N, Fill::Decay}},
        {"linear_mix", A{{"form", std::string("parallel")}, {"gamma", 0.9}},
         {{"q", "1, 2, 11, 4", "f32"}, {"k", "1, 2, 11, 4", "f32"}, {"v", "1, 2, 11, 5", "f32"}}, {N, Fill::Key, N}},
        {"linear_mix", A{{"kind", std::string("delta")}, {"chunk", int64_t(4)}},
         {{"q", "2, 2, 9, 5", "f32"}, {"k", "2, 2, 9, 5", "f32"}, {"v", "2, 2, 9, 3", "f32"}, {"beta", "2, 2, 9", "f32"}},
         {N, Fill::Key, N, Fill::Unit}},
    };
}

}  // namespace

class TestVulkanOpsMore : public QObject {
    Q_OBJECT

    void random(bool gpuKernels) {
        qputenv("ARCHSCOPE_VK_CONV_CHUNK", "7");
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpuKernels);
        uint64_t seed = 100;
        for (auto& c : cases()) {
            test::OneOp d;
            QVERIFY2(d.build(c.op, c.attrs, c.inputs), (c.op + ": " + d.error).c_str());
            test::randomizeParams(d);
            std::map<std::string, Tensor> in;
            for (size_t i = 0; i < c.inputs.size(); ++i) {
                auto& [port, shape, dtype] = c.inputs[i];
                if (dtype == "f32") in["in_" + port] = make(shape, i < c.fills.size() ? c.fills[i] : Fill::Normal, ++seed);
            }
            std::string msg, where;
            const std::string name = c.op + " " + (c.inputs.empty() ? "" : std::get<1>(c.inputs[0]));
            QVERIFY2(test::sameAsCpu(*vkb, d.g, d.a, d.w, in, c.rtol, c.atol, &msg, &where), qPrintable(QString::fromStdString(name + ": " + msg)));
            QVERIFY2(where == "vulkan", qPrintable(QString::fromStdString(name + " ran on " + where)));
        }
        qunsetenv("ARCHSCOPE_VK_CONV_CHUNK");
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

    // probs -> moe_route (k 2, capacity) -> gates -> moe_experts: the sparse gates of a real
    // router (dropped tokens have all-zero rows), both nodes on the device, one segment.
    void routed(bool gpuKernels) {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpuKernels);
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("3, 11, 10")}}});
        g.addNode({"p", "input", {{"shape", std::string("3, 11, 6")}}});
        g.addNode({"route", "moe_route", {{"k", int64_t(2)}, {"capacity_factor", 0.75}, {"normalize", true}}});
        g.addNode({"experts", "moe_experts", {{"hidden", int64_t(12)}, {"k", int64_t(2)}}});
        g.addNode({"y", "output", {}});
        g.connect({"p", "y"}, {"route", "probs"});
        g.connect({"x", "y"}, {"experts", "x"});
        g.connect({"route", "gates"}, {"experts", "gates"});
        g.connect({"experts", "y"}, {"y", "x"});
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        WeightStore w;
        std::string err;
        QVERIFY2(w.materialize(a, 7, &err), err.c_str());
        std::map<std::string, Tensor> in{{"x", make("3, 11, 10", Fill::Normal, 5)}, {"p", make("3, 11, 6", Fill::Positive, 6)}};
        auto cpu = makeCpuBackend();
        RunResult rc = cpu->run({&g, &a, &w, in, 5, false});
        RunResult rv = vkb->run({&g, &a, &w, in, 5, false});
        QVERIFY2(rc.ok && rv.ok, (rc.error + rv.error).c_str());
        QCOMPARE(test::whereOf(rv, "route"), std::string("vulkan"));
        QCOMPARE(test::whereOf(rv, "experts"), std::string("vulkan"));
        QCOMPARE(vkb->lastStats()->submitsLastRun, 1);
        std::string at;
        QVERIFY2(test::worstViolation(rv.outputs.at("y"), rc.outputs.at("y"), 1e-4, 1e-5, &at) == 0, at.c_str());
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

private slots:
    void randomTexel() { random(false); }
    void randomTiled() { random(true); }
    void routedTexel() { routed(false); }
    void routedTiled() { routed(true); }

    // Every op of the engine (core and block sections; composites run as their
    // expansion, input/output are host steps) has a Vulkan kernel.
    void everyEngineOpHasAKernel() {
        std::string missing;
        for (const OpDef* d : OpRegistry::global().all())
            if (d->plugin.empty() && !d->isComposite() && d->id != "input" && d->id != "output" && !vk::findKernel(d->id))
                missing += " " + d->id;
        QVERIFY2(missing.empty(), qPrintable(QString::fromStdString("no Vulkan kernel for:" + missing)));
    }
};

QTEST_GUILESS_MAIN(TestVulkanOpsMore)
#include "test_vulkan_ops_more.moc"
