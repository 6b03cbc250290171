// Fault injection on the Vulkan backend (engine/runtime/vulkan/fault.h): a
// failed device allocation or a device loss in the middle of a run ends that
// run with a clear error naming the call and the VkResult, and the same
// backend object runs the design correctly afterwards (the app keeps its
// backend and its open designs). Also: a design bigger than the device's
// largest heap is refused before any device allocation. Skipped without a
// Vulkan device.
#include "runtime/memory_budget.h"
#include "runtime/vulkan/fault.h"
#include "vulkan_test_util.h"

#include <QtTest>

using namespace archscope;
using namespace archscope::test;

namespace {

// input [B, 64] -> linear 64 -> gelu -> output; B changes the plan (and its allocations).
struct Mlp {
    Graph g;
    Analysis a;
    WeightStore w;
    explicit Mlp(int64_t batch, uint64_t seed = 3) {
        g.symbols.push_back({"B", batch, ""});
        g.addNode({"x", "input", {{"shape", std::string("B, 64")}}});
        g.addNode({"fc", "linear", {{"out_features", int64_t(64)}}});
        g.addNode({"act", "gelu", {}});
        g.addNode({"y", "output", {}});
        g.connect({"x", "y"}, {"fc", "x"});
        g.connect({"fc", "y"}, {"act", "x"});
        g.connect({"act", "y"}, {"y", "x"});
        a = analyze(g, {});
        std::string err;
        if (a.ok()) w.materialize(a, seed, &err);
    }
};

bool matchesCpu(const RunResult& rv, Mlp& m) {
    RunResult rc = makeCpuBackend()->run({&m.g, &m.a, &m.w, {}, 5, false});
    if (!rv.ok) { qWarning("vulkan run failed: %s", rv.error.c_str()); return false; }
    if (!rc.ok) { qWarning("cpu run failed: %s", rc.error.c_str()); return false; }
    std::string at;
    if (worstViolation(rv.outputs.at("y"), rc.outputs.at("y"), 1e-4, 1e-5, &at) == 0) return true;
    qWarning("vulkan differs from the cpu at %s", at.c_str());
    return false;
}

}  // namespace

class TestVulkanFaults : public QObject {
    Q_OBJECT
private slots:
    void cleanup() { vk::setFaultSpec(""); }

    void specIsParsed() {
        std::string err;
        QVERIFY(vk::setFaultSpec("vk_alloc:3,vk_submit:1", &err));
        QVERIFY(!vk::setFaultSpec("vk_alloc:0", &err));
        QVERIFY(!vk::setFaultSpec("disk_full:1", &err));
        QVERIFY2(err.find("vk_alloc or vk_submit") != std::string::npos, err.c_str());
    }

    void rebindingASizeRebuildsThePlan() {
        // Same design structure and weights, another value of B: the cached
        // plan must not be reused (no faults involved).
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        for (int64_t b : {7, 8, 7}) {
            Mlp m(b);
            RunResult r = vkb->run({&m.g, &m.a, &m.w, {}, 5, false});
            QVERIFY(matchesCpu(r, m));
        }
    }

    void allocationFailureEndsOneRun() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        Mlp first(4), second(5);
        QVERIFY2(first.a.ok(), first.a.errorText().c_str());
        QVERIFY(matchesCpu(vkb->run({&first.g, &first.a, &first.w, {}, 5, false}), first));
        const int before = vk::faultsInjected();
        QVERIFY(vk::setFaultSpec("vk_alloc:1"));  // the next device allocation fails
        RunResult r = vkb->run({&second.g, &second.a, &second.w, {}, 5, false});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("vkAllocateMemory") != std::string::npos && r.error.find("VK_ERROR_OUT_OF_DEVICE_MEMORY") != std::string::npos,
                 r.error.c_str());
        QCOMPARE(vk::faultsInjected(), before + 1);
        // The same backend runs both designs correctly afterwards.
        QVERIFY(matchesCpu(vkb->run({&second.g, &second.a, &second.w, {}, 5, false}), second));
        QVERIFY(matchesCpu(vkb->run({&first.g, &first.a, &first.w, {}, 5, false}), first));
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

    void everyAllocationOfARunCanFail() {
        // Fail the 1st, 2nd, ... allocation of a fresh plan in turn: each run
        // fails cleanly and the next unfaulted run is right.
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        int failures = 0;
        for (int n = 1; n <= 4; ++n) {
            Mlp m(10 + n, uint64_t(100 + n));  // new weights too: uploaded again
            QVERIFY(vk::setFaultSpec("vk_alloc:" + std::to_string(n)));
            RunResult r = vkb->run({&m.g, &m.a, &m.w, {}, 5, false});
            if (!r.ok) {
                ++failures;
                QVERIFY2(r.error.find("VK_ERROR_OUT_OF_DEVICE_MEMORY") != std::string::npos, r.error.c_str());
            }
            QVERIFY(vk::setFaultSpec(""));
            QVERIFY(matchesCpu(vkb->run({&m.g, &m.a, &m.w, {}, 5, false}), m));
        }
        QVERIFY(failures >= 2);  // weights and activations at least
    }

    void deviceLossEndsOneRunAndTheBackendRecovers() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        Mlp m(6);
        QVERIFY(matchesCpu(vkb->run({&m.g, &m.a, &m.w, {}, 5, false}), m));  // plan cached
        QVERIFY(vk::setFaultSpec("vk_submit:1"));
        RunResult r = vkb->run({&m.g, &m.a, &m.w, {}, 5, false});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("VK_ERROR_DEVICE_LOST") != std::string::npos && r.error.find("run again") != std::string::npos,
                 r.error.c_str());
        QVERIFY(vk::setFaultSpec(""));
        RunResult again = vkb->run({&m.g, &m.a, &m.w, {}, 5, false});
        QVERIFY2(again.ok, again.error.c_str());
        QVERIFY(matchesCpu(again, m));
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

    void designBeyondTheDeviceHeapIsRefusedFirst() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        // [2^21, 2^20] f32 = 8 TiB of input: larger than any heap.
        Graph g;
        g.addNode({"x", "input", {{"shape", std::string("2097152, 1048576")}}});
        g.addNode({"y", "output", {}});
        g.connect({"x", "y"}, {"y", "x"});
        AnalyzeOptions opt;
        opt.maxElements = int64_t(1) << 42;
        Analysis a = analyze(g, opt);
        QVERIFY2(a.ok(), a.errorText().c_str());
        WeightStore w;
        std::string err;
        QVERIFY(w.materialize(a, 1, &err));  // no weights
        QVERIFY(vk::setFaultSpec("vk_alloc:1"));  // would trip on any allocation
        const int before = vk::faultsInjected();
        RunResult r = vkb->run({&g, &a, &w, {}, 5, false});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("largest device-local heap") != std::string::npos && r.error.find("8.00 TiB") != std::string::npos,
                 r.error.c_str());
        QCOMPARE(vk::faultsInjected(), before);  // refused before any allocation was attempted
        QVERIFY(vk::setFaultSpec(""));
        Mlp m(3);
        QVERIFY(matchesCpu(vkb->run({&m.g, &m.a, &m.w, {}, 5, false}), m));
    }
};

QTEST_GUILESS_MAIN(TestVulkanFaults)
#include "test_vulkan_faults.moc"
