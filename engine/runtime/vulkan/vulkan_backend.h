// VulkanBackend: runs analysed designs on one Vulkan device.
//
// Owns the VkContext, the pipeline cache, the weight cache (weights uploaded
// once per design) and a small cache of ExecutionPlans keyed by the design's
// structure, shapes, options and weights, so a repeated run reuses the
// recorded command buffer. makeBackend() creates it for `--backend vulkan`;
// tests create it directly to read plan statistics.
#pragma once

#include "runtime/backend.h"
#include "runtime/vulkan/plan.h"

#include <map>
#include <memory>

namespace archscope::vk {

class VulkanBackend final : public Backend {
public:
    // nullptr with a one-line reason when no Vulkan device can be used.
    static std::unique_ptr<VulkanBackend> create(const BackendOptions& opt, std::string* err);
    ~VulkanBackend() override;

    std::string name() const override { return "vulkan"; }
    RunResult run(const RunRequest& req) override;

    VkContext& context() { return *m_ctx; }
    PipelineCache& pipelines() { return *m_pipes; }
    const PlanStats* lastStats() const { return m_last ? &m_last->stats() : nullptr; }
    int weightUploads() const { return m_weights->uploads(); }
    int plansBuilt() const { return m_plansBuilt; }
    // Drops every plan, weight and pipeline and recreates the device context
    // (after a device loss). False with a reason when no device comes back.
    bool reset(std::string* err);

private:
    VulkanBackend() = default;
    BackendOptions m_opt;
    std::unique_ptr<VkContext> m_ctx;
    std::unique_ptr<PipelineCache> m_pipes;
    std::unique_ptr<WeightCache> m_weights;
    std::map<std::string, std::unique_ptr<ExecutionPlan>> m_plans;
    ExecutionPlan* m_last = nullptr;
    int m_plansBuilt = 0;
};

}  // namespace archscope::vk
