// PipelineCache (see pipelines.h).
#include "runtime/vulkan/pipelines.h"

#include "runtime/vulkan/shader_library.h"

#include <chrono>

namespace archscope::vk {

const Pipeline& PipelineCache::get(const std::string& shader, const std::vector<BindKind>& binds, const std::vector<uint32_t>& spec) {
    std::string key = shader + "|";
    for (auto b : binds) key += char('0' + int(b));
    for (auto s : spec) key += "," + std::to_string(s);
    auto it = m_pipelines.find(key);
    if (it != m_pipelines.end()) return it->second;
    const ShaderBlob* blob = findShader(shader);
    if (!blob) blob = findRegisteredShader(shader);
    if (!blob) throw VkError("no embedded shader \"" + shader + "\" (is shaders/" + shader + ".comp missing?)");
    auto t0 = std::chrono::steady_clock::now();
    VkDevice dev = m_ctx.device();
    Pipeline p;
    std::vector<VkDescriptorSetLayoutBinding> lb;
    for (size_t i = 0; i < binds.size(); ++i) {
        VkDescriptorSetLayoutBinding b{};
        b.binding = uint32_t(i);
        b.descriptorType = descriptorType(binds[i]);
        b.descriptorCount = 1;
        b.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
        lb.push_back(b);
    }
    VkDescriptorSetLayoutCreateInfo li{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    li.bindingCount = uint32_t(lb.size());
    li.pBindings = lb.data();
    check(vkCreateDescriptorSetLayout(dev, &li, nullptr, &p.setLayout), "vkCreateDescriptorSetLayout");
    VkPushConstantRange pr{VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushBytes};
    VkPipelineLayoutCreateInfo pli{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pli.setLayoutCount = 1;
    pli.pSetLayouts = &p.setLayout;
    pli.pushConstantRangeCount = 1;
    pli.pPushConstantRanges = &pr;
    check(vkCreatePipelineLayout(dev, &pli, nullptr, &p.layout), "vkCreatePipelineLayout");

    VkShaderModuleCreateInfo mi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    mi.codeSize = blob->wordCount * 4;
    mi.pCode = blob->words;
    VkShaderModule mod;
    check(vkCreateShaderModule(dev, &mi, nullptr, &mod), ("vkCreateShaderModule(" + shader + ")").c_str());
    std::vector<VkSpecializationMapEntry> entries;
    for (uint32_t i = 0; i < spec.size(); ++i) entries.push_back({i, i * 4, 4});
    VkSpecializationInfo si{uint32_t(entries.size()), entries.data(), spec.size() * 4, spec.data()};
    VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    ci.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    ci.stage.module = mod;
    ci.stage.pName = "main";
    ci.stage.pSpecializationInfo = spec.empty() ? nullptr : &si;
    ci.layout = p.layout;
    VkResult r = vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &ci, nullptr, &p.pipeline);
    vkDestroyShaderModule(dev, mod, nullptr);
    check(r, ("vkCreateComputePipelines(" + shader + ")").c_str());
    m_compileMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return m_pipelines.emplace(key, p).first->second;
}

PipelineCache::~PipelineCache() {
    VkDevice dev = m_ctx.device();
    for (auto& [k, p] : m_pipelines) {
        vkDestroyPipeline(dev, p.pipeline, nullptr);
        vkDestroyPipelineLayout(dev, p.layout, nullptr);
        vkDestroyDescriptorSetLayout(dev, p.setLayout, nullptr);
    }
}

}  // namespace archscope::vk
