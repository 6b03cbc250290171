// Failures while a Vulkan plan is being built release every device object:
// a failed allocation, a failed vkBindBufferMemory (DeviceBlock) and a device
// loss during the warm-up submit (ExecutionPlan's constructor throws) leave
// nothing behind. Checked with VK_LAYER_KHRONOS_validation, which reports
// every object still alive when a device is destroyed; skipped without a
// device or without the layer (never passes silently).
#include "runtime/vulkan/fault.h"
#include "vulkan_test_util.h"

#include <QtTest>

using namespace archscope;
using namespace archscope::test;

namespace {

// input [B, 24] -> linear 24 -> gelu -> softmax -> output; B makes each plan new.
struct Net {
    Graph g;
    Analysis a;
    WeightStore w;
    explicit Net(int64_t batch) {
        g.symbols.push_back({"B", batch, ""});
        g.addNode({"x", "input", {{"shape", std::string("B, 24")}}});
        g.addNode({"fc", "linear", {{"out_features", int64_t(24)}}});
        g.addNode({"act", "gelu", {}});
        g.addNode({"sm", "softmax", {}});
        g.addNode({"y", "output", {}});
        g.connect({"x", "y"}, {"fc", "x"});
        g.connect({"fc", "y"}, {"act", "x"});
        g.connect({"act", "y"}, {"sm", "x"});
        g.connect({"sm", "y"}, {"y", "x"});
        a = analyze(g, {});
        std::string err;
        if (a.ok()) w.materialize(a, uint64_t(batch), &err);
    }
};

std::unique_ptr<vk::VulkanBackend> openValidated(std::string* why) {
    qputenv("ARCHSCOPE_VK_VALIDATION", "1");
    auto b = openVulkan(false, why);
    if (b && !b->context().validationEnabled()) {
        *why = "VK_LAYER_KHRONOS_validation is not installed";
        return nullptr;
    }
    return b;
}

#define OPEN_VALIDATED_OR_SKIP(var)                                     \
    std::string var##_why;                                              \
    auto var = openValidated(&var##_why);                               \
    if (!var) QSKIP(qPrintable(QString::fromStdString(var##_why)))

}  // namespace

class TestVulkanLeaks : public QObject {
    Q_OBJECT
private slots:
    void cleanup() { vk::setFaultSpec(""); }

    // The check itself works: a fence created and never destroyed is reported
    // when the device goes away.
    void aLeakIsSeen() {
        int before = 0;
        {
            OPEN_VALIDATED_OR_SKIP(vkb);
            before = vk::VkContext::validationErrorsAllContexts();
            VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
            VkFence f = VK_NULL_HANDLE;
            QCOMPARE(vkCreateFence(vkb->context().device(), &fi, nullptr, &f), VK_SUCCESS);
        }
        QVERIFY(vk::VkContext::validationErrorsAllContexts() > before);
    }

    void failuresWhileBuildingLeakNothing() {
        int before = 0, failed = 0;
        {
            OPEN_VALIDATED_OR_SKIP(vkb);
            before = vk::VkContext::validationErrorsAllContexts();
            int64_t batch = 3;
            // Each spec fails one call of a fresh plan (new B: new plan; new weights: new upload).
            for (std::string spec : {"vk_bind:1", "vk_bind:2", "vk_bind:3", "vk_alloc:1", "vk_alloc:2", "vk_alloc:3", "vk_submit:1"}) {
                Net n(++batch);
                QVERIFY2(n.a.ok(), n.a.errorText().c_str());
                QVERIFY(vk::setFaultSpec(spec));
                RunResult r = vkb->run({&n.g, &n.a, &n.w, {}, 5, false});
                if (!r.ok) {
                    ++failed;
                    const bool named = r.error.find("vkBindBufferMemory") != std::string::npos ||
                                       r.error.find("vkAllocateMemory") != std::string::npos ||
                                       r.error.find("VK_ERROR_DEVICE_LOST") != std::string::npos;
                    QVERIFY2(named, r.error.c_str());
                }
                QVERIFY(vk::setFaultSpec(""));
                RunResult ok = vkb->run({&n.g, &n.a, &n.w, {}, 5, false});
                QVERIFY2(ok.ok, (spec + ": " + ok.error).c_str());
            }
            QVERIFY(failed >= 5);  // weights and activations bind/alloc, and the warm-up submit
            QCOMPARE(vkb->context().validationErrors(), 0);
        }
        // Destroying the backend destroys its device(s): anything left is reported now.
        QCOMPARE(vk::VkContext::validationErrorsAllContexts(), before);
    }
};

QTEST_GUILESS_MAIN(TestVulkanLeaks)
#include "test_vulkan_leaks.moc"
