// Helpers for the Vulkan tests: open a backend (QSKIP without a device),
// build one-op designs, compare with the CPU reference.
#pragma once

#include "core/registry.h"
#include "op_case.h"
#include "runtime/vulkan/vulkan_backend.h"

#include <QtTest>

#include <cstdlib>

namespace archscope::test {

inline void quietLoader() {
    if (!std::getenv("XDG_RUNTIME_DIR")) setenv("XDG_RUNTIME_DIR", "/tmp", 1);
}

inline std::unique_ptr<vk::VulkanBackend> openVulkan(bool gpuKernels, std::string* why) {
    quietLoader();
    BackendOptions o;
    o.name = "vulkan";
    o.forceGpuKernels = gpuKernels;
    return vk::VulkanBackend::create(o, why);
}

#define ARCHSCOPE_VULKAN_OR_SKIP(var, gpuKernels)                                         \
    std::string var##_why;                                                                \
    auto var = archscope::test::openVulkan(gpuKernels, &var##_why);                       \
    if (!var) QSKIP(qPrintable(QString::fromStdString("no Vulkan device: " + var##_why)))

// A one-op design: inputs (id, shape text, dtype) -> op -> one output per op output.
struct OneOp {
    Graph g;
    Analysis a;
    WeightStore w;
    std::string error;
    bool build(const std::string& op, std::map<std::string, AttrValue> attrs,
               const std::vector<std::tuple<std::string, std::string, std::string>>& inputs, size_t maxOutputs = 99, uint64_t seed = 3) {
        g.addNode({"op", op, std::move(attrs)});
        for (auto& [port, shape, dtype] : inputs) {
            std::map<std::string, AttrValue> ia{{"shape", shape}, {"dtype", dtype}};
            if (dtype == "i64") ia["high"] = int64_t(10);
            g.addNode({"in_" + port, "input", ia});
            g.connect({"in_" + port, "y"}, {"op", port});
        }
        const OpDef* def = OpRegistry::global().find(op);
        for (auto& o : def->outputs) {
            if (maxOutputs-- == 0) break;
            g.addNode({"out_" + o.name, "output"});
            g.connect({"op", o.name}, {"out_" + o.name, "x"});
        }
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        return w.materialize(a, seed, &error);
    }
};

// Replaces the parameters of node `node` with random values (uniform in [-1, 1];
// in [0.5, 1.5] for variances), so that ones/zeros initialisations do not hide errors.
inline void randomizeParams(OneOp& d, const std::string& node = "op", uint64_t seed = 17) {
    for (auto& p : d.a.nodes.at(node).params) {
        Tensor t(DType::F32, p.shape);
        fillRandom(t, Init::Uniform, 1.0f, seed++);
        if (p.name.find("var") != std::string::npos)
            for (int64_t i = 0; i < t.numel(); ++i) t.f32()[i] = 1.0f + 0.5f * t.f32()[i];
        d.w.set(node, p.name, std::move(t));
    }
}

// Fails the test when validation is on and the layer reported an error; with
// ARCHSCOPE_VK_VALIDATION=1 but no layer installed, skips (never passes silently).
#define ARCHSCOPE_VALIDATION_CLEAN(vkb)                                                                         \
    do {                                                                                                        \
        QVERIFY2((vkb)->context().validationErrors() == 0, (vkb)->context().lastValidationMessage().c_str());  \
        if (qEnvironmentVariable("ARCHSCOPE_VK_VALIDATION") == "1" && !(vkb)->context().validationEnabled())    \
            QSKIP("ARCHSCOPE_VK_VALIDATION=1 but VK_LAYER_KHRONOS_validation is not installed");                \
    } while (0)

inline std::string whereOf(const RunResult& r, const std::string& node) {
    for (auto& t : r.timings)
        if (t.node == node) return t.where;
    return "";
}

// Runs on both backends and checks every output within rtol/atol; `where` gets the op's placement.
inline bool sameAsCpu(Backend& vkb, const Graph& g, const Analysis& a, WeightStore& w, const std::map<std::string, Tensor>& in,
                      double rtol, double atol, std::string* msg, std::string* where) {
    auto cpu = makeCpuBackend();
    RunResult rc = cpu->run({&g, &a, &w, in, 5, false});
    RunResult rv = vkb.run({&g, &a, &w, in, 5, false});
    if (!rc.ok) { *msg = "cpu: " + rc.error; return false; }
    if (!rv.ok) { *msg = "vulkan: " + rv.error; return false; }
    *where = whereOf(rv, "op");
    for (auto& [name, want] : rc.outputs) {
        std::string at;
        if (worstViolation(rv.outputs.at(name), want, rtol, atol, &at) != 0) { *msg = name + " " + at; return false; }
    }
    return true;
}

}  // namespace archscope::test
