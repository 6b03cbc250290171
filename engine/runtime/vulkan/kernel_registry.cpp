// The Vulkan kernel registry: the generated list of kernels/<op_id>.cpp files.
#include "runtime/vulkan/kernel.h"

#include <map>

namespace archscope::vk {

#define ARCHSCOPE_VK_DECLARE(id) const VulkanKernel& vk_kernel_##id();
#include "vulkan_kernel_list.inc"
ARCHSCOPE_VK_KERNELS(ARCHSCOPE_VK_DECLARE)
#undef ARCHSCOPE_VK_DECLARE

namespace {
const std::map<std::string, const VulkanKernel*>& table() {
    static const std::map<std::string, const VulkanKernel*> t = [] {
        std::map<std::string, const VulkanKernel*> m;
#define ARCHSCOPE_VK_ENTRY(id) m[vk_kernel_##id().op] = &vk_kernel_##id();
        ARCHSCOPE_VK_KERNELS(ARCHSCOPE_VK_ENTRY)
#undef ARCHSCOPE_VK_ENTRY
        return m;
    }();
    return t;
}
}  // namespace

const VulkanKernel* findRegisteredKernel(const std::string& op);  // runtime_registry.cpp

const VulkanKernel* findKernel(const std::string& op) {
    auto it = table().find(op);
    return it == table().end() ? findRegisteredKernel(op) : it->second;
}

std::vector<std::string> kernelOps() {
    std::vector<std::string> v;
    for (auto& [k, _] : table()) v.push_back(k);
    return v;
}

void grid1d(const DeviceInfo& d, int64_t groups, uint32_t out[3]) {
    const int64_t maxX = std::max<int64_t>(1, d.maxWorkGroupCount[0]);
    if (groups <= maxX) { out[0] = uint32_t(std::max<int64_t>(groups, 1)); out[1] = 1; }
    else { out[0] = uint32_t(maxX); out[1] = uint32_t((groups + maxX - 1) / maxX); }
    out[2] = 1;
}

}  // namespace archscope::vk
