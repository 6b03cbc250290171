// Internal records of an ExecutionPlan (see plan.h); shared by plan_*.cpp only.
#pragma once

#include "runtime/vulkan/plan.h"

namespace archscope::vk {

struct TensorSlot {
    std::string name;  // "node.port", the weight key or "node#N" (extra tensors); for messages
    PortRef tensor;    // the node output it holds (empty node for weights and extras)
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    VkDeviceSize bytes = 0;
    bool weight = false;       // lives in the WeightSet block, never written
    bool side = false;         // lives in the plan's host-visible side block (constants, status words)
    std::vector<float> constData;  // a kernel's constant table (side), written once at build
    std::string status;        // a kernel's status word (side): message when nonzero after a run
    VkDeviceSize offset = 0;   // in the activation block or the weight block
    VkDeviceSize staging = 0;  // host mirror offset (devices without mappable memory)
    int producer = -1;         // step that writes it (the fusing producer for a fused activation)
    int first = 0, last = 0;   // lifetime in steps
    bool hostRead = false, hostWrite = false, graphInput = false;
};

struct PlanStep {
    std::string node;
    NodeInfo info;      // copied: the plan outlives the Analysis it was built from
    std::string where;  // "host", "vulkan", "vulkan-fused", "cpu-fallback"
    std::string note;   // fallback reason or fused-into node
    std::vector<int> in, out;
    int firstDispatch = 0, dispatchCount = 0;
    int segment = -1;
};

// A byte range of one buffer, for the barrier placement.
struct Range {
    VkBuffer buf;
    VkDeviceSize lo, hi;
    bool overlaps(const Range& o) const { return buf == o.buf && lo < o.hi && o.lo < hi; }
};

struct Segment {
    bool gpu = false;
    int firstStep = 0, endStep = 0;
    int firstDispatch = 0, endDispatch = 0;
    uint32_t firstQuery = 0;  // segment mark; dispatch k writes firstQuery + 1 + k
    VkCommandBuffer cb = VK_NULL_HANDLE;
    std::vector<int> uploads, downloads;  // slots copied through staging
    std::vector<VkDescriptorSet> sets;
};

}  // namespace archscope::vk
