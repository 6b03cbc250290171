// DeviceBlock and the lifetime planner (see memory.h).
#include "runtime/vulkan/memory.h"
#include "runtime/vulkan/fault.h"

#include <algorithm>
#include <numeric>

namespace archscope::vk {

DeviceBlock::DeviceBlock(VkContext& ctx, VkDeviceSize bytes, uint32_t memoryType, bool map) {
    VkDevice dev = ctx.device();
    m_size = std::max<VkDeviceSize>(alignUp(bytes, kTensorAlign), kTensorAlign);
    VkBufferCreateInfo bi{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bi.size = m_size;
    bi.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT |
               VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bi.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VkBuffer buf = VK_NULL_HANDLE;
    check(vkCreateBuffer(dev, &bi, nullptr, &buf), "vkCreateBuffer");
    *m_buffer.put(dev) = buf;
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(dev, m_buffer.get(), &req);
    if (!(req.memoryTypeBits & (1u << memoryType)))
        throw VkError("no compatible memory type for a " + std::to_string(m_size) + "-byte buffer");
    VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    ai.allocationSize = req.size;
    ai.memoryTypeIndex = memoryType;
    VkResult r = injectedFault(FaultSite::Alloc);  // ARCHSCOPE_FAULT=vk_alloc:N
    VkDeviceMemory mem = VK_NULL_HANDLE;
    if (r == VK_SUCCESS) r = vkAllocateMemory(dev, &ai, nullptr, &mem);
    if (r == VK_SUCCESS) *m_memory.put(dev) = mem;
    check(r, ("vkAllocateMemory of " + std::to_string(req.size) + " bytes").c_str());
    r = injectedFault(FaultSite::Bind);  // ARCHSCOPE_FAULT=vk_bind:N
    check(r != VK_SUCCESS ? r : vkBindBufferMemory(dev, m_buffer.get(), m_memory.get(), 0), "vkBindBufferMemory");
    if (map) {
        void* p = nullptr;
        check(vkMapMemory(dev, m_memory.get(), 0, VK_WHOLE_SIZE, 0, &p), "vkMapMemory");
        m_mapped = static_cast<std::byte*>(p);
    }
}

VkDeviceSize planLifetimes(const std::vector<LifetimeRequest>& req, std::vector<VkDeviceSize>* offsets) {
    offsets->assign(req.size(), 0);
    std::vector<size_t> order(req.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return req[a].bytes > req[b].bytes; });
    std::vector<size_t> placed;
    VkDeviceSize total = 0;
    for (size_t i : order) {
        const VkDeviceSize size = alignUp(std::max<VkDeviceSize>(req[i].bytes, 1), kTensorAlign);
        // Intervals already taken by tensors alive at the same time, by offset.
        std::vector<std::pair<VkDeviceSize, VkDeviceSize>> busy;
        for (size_t j : placed)
            if (req[j].first <= req[i].last && req[i].first <= req[j].last)
                busy.push_back({(*offsets)[j], (*offsets)[j] + alignUp(std::max<VkDeviceSize>(req[j].bytes, 1), kTensorAlign)});
        std::sort(busy.begin(), busy.end());
        VkDeviceSize at = 0;
        for (auto& [b, e] : busy) {
            if (at + size <= b) break;
            at = std::max(at, e);
        }
        (*offsets)[i] = at;
        total = std::max(total, at + size);
        placed.push_back(i);
    }
    return total;
}

}  // namespace archscope::vk
