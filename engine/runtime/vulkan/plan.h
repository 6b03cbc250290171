// ExecutionPlan: one analysed design compiled for one Vulkan device.
//
// Built once per (design, bindings, weights, options) by the Vulkan backend
// and reused across runs. Building: assigns every tensor a region of one
// activation block (reused by lifetime), asks each node's kernel for its
// dispatches (nodes without a kernel run on the CPU between GPU segments),
// fuses the groups found by the fusion pass (fusion.h), creates pipelines, records one command
// buffer per GPU segment with a timestamp after each dispatch and barriers
// only between dependent dispatches, and warms it up once. Running: writes
// inputs, submits each segment once (one submit per run without fallbacks),
// reads all timestamps once after the fences.
#pragma once

#include "runtime/backend.h"
#include "runtime/vulkan/fusion.h"
#include "runtime/vulkan/kernel.h"
#include "runtime/vulkan/vk_handle.h"
#include "runtime/vulkan/weight_cache.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace archscope::vk {

struct PlanOptions {
    bool fuse = true;
    bool forceGpuKernels = false;  // tiled (GPU) kernels even on CPU devices
    bool keepIntermediates = false;
};

struct PlanStats {
    int dispatches = 0;         // dispatches recorded in the plan
    int timestampsPerRun = 0;   // timestamps written after dispatches (== dispatches)
    int segmentMarks = 0;       // one start timestamp per GPU segment
    int commandBuffers = 0;     // recorded once, at build
    int recordings = 0;         // times any command buffer was recorded (== commandBuffers)
    int submitsLastRun = 0;
    int runs = 0;
    int fallbackNodes = 0;
    int fusionGroups = 0;       // groups the fusion pass found (each one kernel)
    int fusedNodes = 0;         // nodes computed inside another node's fused kernel ("vulkan-fused")
    int descriptorSets = 0;     // created at recording; dispatches with identical bindings share one
    int texelViews = 0;         // texel buffer views created (identical ones shared)
    int pipelineBinds = 0;      // vkCmdBindPipeline calls recorded (not repeated for the same pipeline)
    double gpuSpanMsLastRun = 0;  // sum over segments of last minus first timestamp
    double buildMs = 0, compileMs = 0, warmupMs = 0, recordMs = 0;  // recordMs excludes compileMs
    double recordCpuMs = 0;     // CPU time of the recording thread in record() (compile excluded too)
    VkDeviceSize activationBytes = 0, activationBytesUnplanned = 0;
};

struct TensorSlot;
struct PlanStep;
struct Segment;
struct Range;

class ExecutionPlan {
public:
    ExecutionPlan(VkContext& ctx, PipelineCache& pipes, std::shared_ptr<WeightSet> weights, const Analysis& a,
                  const PlanOptions& opt);
    ~ExecutionPlan();
    RunResult run(const RunRequest& req);
    const PlanStats& stats() const { return m_stats; }

private:
    void createSlots(const Analysis& a);
    void buildSteps(const Analysis& a);
    bool buildKernel(PlanStep& st, int step, const FusionGroup* group);
    int addExtra(const ExtraTensor& e, int step, const std::string& node);
    bool checkStatus(std::string* err) const;
    bool fallback(PlanStep& st, const std::string& why);
    void makeSegments();
    int slotOf(const PortRef& tensor) const;         // a node's output tensor, -1 if none
    int weightSlot(const std::string& key) const;    // a weight by WeightStore::key, -1 if none
    void allocate();
    void allocateSide();
    void record();
    void recordSegment(Segment& s);
    void writeDescriptors(const Segment& s, const std::vector<const Pipeline*>& pipes, std::vector<VkDescriptorSet>* sets,
                          std::vector<Range>* ranges, std::vector<int>* rangeEnd, std::vector<uint8_t>* isWrite);
    void warmUp();
    bool runFallback(const PlanStep& st, const RunRequest& req, std::string* err);
    std::byte* hostPtr(int slot) const;

    VkContext& m_ctx;
    PipelineCache& m_pipes;
    std::shared_ptr<WeightSet> m_weights;
    const Analysis* m_analysis;  // valid during build only
    PlanOptions m_opt;
    Family m_family;
    std::vector<TensorSlot> m_slots;
    std::map<PortRef, int> m_tensorIndex;     // node outputs by (node, port): ids may contain dots
    std::map<std::string, int> m_weightIndex; // weights by WeightStore::key
    std::vector<PlanStep> m_steps;
    std::vector<Segment> m_segments;
    std::vector<Dispatch> m_dispatches;
    std::vector<int> m_dispatchStep;  // step index of each dispatch
    // Device objects, all owned, so that a constructor that throws (allocation,
    // bind or warm-up submit failed) releases them; m_idle is last so that it
    // waits for the device before any of them is destroyed.
    std::unique_ptr<DeviceBlock> m_block, m_staging, m_side;
    Owned<VkDescriptorPool, vkDestroyDescriptorPool> m_descPool;
    OwnedList<VkBufferView, vkDestroyBufferView> m_views;
    Owned<VkQueryPool, vkDestroyQueryPool> m_queries;
    Owned<VkFence, vkDestroyFence> m_fence;
    OwnedCommandBuffers m_commandBuffers;  // one per GPU segment (Segment::cb)
    PlanStats m_stats;
    DeviceIdle m_idle;
};

}  // namespace archscope::vk
