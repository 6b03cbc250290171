// PipelineCache: compute pipelines keyed by shader name, binding kinds and
// specialization constants. Each pipeline has one descriptor set (bindings
// 0..n-1 in the order the kernel lists them) and 128 bytes of push
// constants. Owned by the backend; lives as long as the VkContext.
#pragma once

#include "runtime/vulkan/vk_context.h"

#include <map>
#include <string>
#include <vector>

namespace archscope::vk {

// How a kernel binds a tensor: a storage buffer (read/write, any layout) or a
// read-only uniform texel buffer viewed as float or vec4 (vectorises on lavapipe).
enum class BindKind { Storage, TexelR32F, TexelRGBA32F };

inline VkDescriptorType descriptorType(BindKind k) {
    return k == BindKind::Storage ? VK_DESCRIPTOR_TYPE_STORAGE_BUFFER : VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
}

struct Pipeline {
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkPipeline pipeline = VK_NULL_HANDLE;
};

constexpr uint32_t kPushBytes = 128;

class PipelineCache {
public:
    explicit PipelineCache(VkContext& ctx) : m_ctx(ctx) {}
    ~PipelineCache();
    // Creates (or returns) the pipeline; throws VkError naming the shader on failure.
    const Pipeline& get(const std::string& shader, const std::vector<BindKind>& binds, const std::vector<uint32_t>& spec);
    double compileMs() const { return m_compileMs; }  // total time spent creating pipelines
    size_t size() const { return m_pipelines.size(); }

private:
    VkContext& m_ctx;
    std::map<std::string, Pipeline> m_pipelines;
    double m_compileMs = 0;
};

}  // namespace archscope::vk
