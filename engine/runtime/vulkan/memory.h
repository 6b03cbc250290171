// Device memory for the Vulkan backend: few large blocks, sub-allocated.
//
// DeviceBlock is one VkBuffer bound to its own VkDeviceMemory (mapped when
// the memory type is host-visible). A plan puts all its activations into one
// block at offsets chosen by planLifetimes(); a design's weights go into one
// block held by the weight cache; staging mirrors (discrete GPUs only) into a
// host-visible block. Owners: ExecutionPlan and WeightCache.
#pragma once

#include "runtime/vulkan/vk_context.h"
#include "runtime/vulkan/vk_handle.h"

#include <cstdint>
#include <vector>

namespace archscope::vk {

// Every tensor offset is aligned to this (covers storage/texel alignment and vec4 access).
constexpr VkDeviceSize kTensorAlign = 256;
inline VkDeviceSize alignUp(VkDeviceSize v, VkDeviceSize a) { return (v + a - 1) / a * a; }

class DeviceBlock {
public:
    DeviceBlock(VkContext& ctx, VkDeviceSize bytes, uint32_t memoryType, bool map);
    ~DeviceBlock() = default;  // freeing the memory unmaps it
    DeviceBlock(const DeviceBlock&) = delete;
    DeviceBlock& operator=(const DeviceBlock&) = delete;

    VkBuffer buffer() const { return m_buffer.get(); }
    VkDeviceSize size() const { return m_size; }
    // Host pointer at `offset`, or nullptr when the block is not mappable.
    std::byte* host(VkDeviceSize offset = 0) const { return m_mapped ? m_mapped + offset : nullptr; }

private:
    // Owned: a constructor that throws (allocation, bind or map failed) releases what it made.
    // The buffer is declared after the memory so that it is destroyed first.
    Owned<VkDeviceMemory, vkFreeMemory> m_memory;
    Owned<VkBuffer, vkDestroyBuffer> m_buffer;
    VkDeviceSize m_size = 0;
    std::byte* m_mapped = nullptr;
};

// One tensor's lifetime in execution steps [first, last] and its size.
struct LifetimeRequest {
    VkDeviceSize bytes = 0;
    int first = 0, last = 0;
};

// Assigns offsets so that tensors whose lifetimes overlap never overlap in
// memory (greedy by decreasing size, lowest fitting offset). Returns the
// total bytes needed; offsets are kTensorAlign-aligned.
VkDeviceSize planLifetimes(const std::vector<LifetimeRequest>& req, std::vector<VkDeviceSize>* offsets);

}  // namespace archscope::vk
